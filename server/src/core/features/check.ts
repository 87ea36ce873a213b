/**
 * Everything Northstar reports for a document: its own diagnostics, those that need the
 * workspace (duplicates, unresolved references) and the alignment findings that sit in it —
 * with suppression comments and the team's rule severities applied.
 */
import { applySuppressions } from '../analysis.js';
import { applySeverities, compareDiagnostics, type Diagnostic, type SeverityOverrides } from '../diagnostics.js';
import type { WorkspaceIndex } from '../index/workspaceIndex.js';
import type { SchemaRegistry } from '../schema/registry.js';
import { alignmentFindings, workspaceDiagnostics, type Finding } from '../rules/run.js';
import { strategyOf } from '../alignment/strategy.js';
import { onePerProblem, supersededByNames } from '../rules/dedupe.js';
import { metricsOf } from '../metrics/store.js';
import { flagsOf } from '../flags/store.js';

export interface CheckOptions {
  /** YYYY-MM-DD: decides which OKRs are current. */
  readonly asOf: string;
  readonly severities?: SeverityOverrides;
}

export interface FileResult {
  readonly uri: string;
  readonly diagnostics: readonly Diagnostic[];
}

interface FindingsCache {
  generation: number;
  /** The metric store's generation (metric snapshots change findings too). */
  metrics: number;
  /** The flag store's generation (flag exports change findings too). */
  flags: number;
  asOf: string;
  registry: SchemaRegistry;
  /** Findings per document, computed for the documents asked about. */
  byUri: Map<string, Diagnostic[]>;
  /** Every document's findings, once the whole workspace was asked for. */
  all?: Finding[];
}

const cache = new WeakMap<WorkspaceIndex, FindingsCache>();

function cacheOf(index: WorkspaceIndex, registry: SchemaRegistry, asOf: string): FindingsCache {
  let c = cache.get(index);
  const metrics = metricsOf(index).generation;
  const flags = flagsOf(index).generation;
  if (!c || c.generation !== index.generation || c.metrics !== metrics || c.flags !== flags || c.asOf !== asOf || c.registry !== registry) {
    c = { generation: index.generation, metrics, flags, asOf, registry, byUri: new Map() };
    cache.set(index, c);
  }
  return c;
}

/** The alignment findings of one document (a keystroke computes the open documents' only). */
export function findingsOf(index: WorkspaceIndex, registry: SchemaRegistry, asOf: string, uri: string): Diagnostic[] {
  const c = cacheOf(index, registry, asOf);
  let d = c.byUri.get(uri);
  if (!d) {
    d = alignmentFindings(strategyOf(index, registry, asOf), index, new Set([uri])).map((f) => f.diagnostic);
    c.byUri.set(uri, d);
  }
  return d;
}

/** The alignment findings of the whole workspace, computed once per index generation and date. */
export function workspaceFindings(index: WorkspaceIndex, registry: SchemaRegistry, asOf: string): { findings: Finding[]; byUri: Map<string, Diagnostic[]> } {
  const c = cacheOf(index, registry, asOf);
  if (!c.all) {
    c.all = alignmentFindings(strategyOf(index, registry, asOf), index);
    const byUri = new Map<string, Diagnostic[]>();
    for (const f of c.all) (byUri.get(f.uri) ?? byUri.set(f.uri, []).get(f.uri)!).push(f.diagnostic);
    for (const a of index.documents()) if (!byUri.has(a.uri)) byUri.set(a.uri, []);
    c.byUri = byUri;
  }
  return { findings: c.all, byUri: c.byUri };
}

/** All diagnostics of one document. */
export function diagnosticsFor(index: WorkspaceIndex, registry: SchemaRegistry, uri: string, options: CheckOptions): Diagnostic[] {
  const a = index.get(uri);
  if (!a) return [];
  const extra = [...workspaceDiagnostics(index, uri), ...(a.isSpec ? findingsOf(index, registry, options.asOf, uri) : [])];
  const all = supersededByNames([...a.diagnostics, ...applySuppressions(extra, a.model, a.lines)], index.nameReferences(uri).map((r) => r.span));
  // One finding per problem (rules/dedupe.ts), after the team's severities and suppressions.
  const order = a.model.type ? registry.sections(a.model.type).map((s) => s.key) : [];
  return onePerProblem(applySeverities(all, options.severities).sort(compareDiagnostics), order);
}

/** URIs that have something to report: every spec document, and any document with findings. */
export function reportableUris(index: WorkspaceIndex, registry: SchemaRegistry, options: CheckOptions): string[] {
  const set = new Set<string>();
  for (const a of index.documents()) if (a.isSpec || a.diagnostics.length) set.add(a.uri);
  for (const [uri, d] of workspaceFindings(index, registry, options.asOf).byUri) if (d.length) set.add(uri);
  return [...set].sort();
}

export function checkWorkspace(index: WorkspaceIndex, registry: SchemaRegistry, options: CheckOptions): FileResult[] {
  return reportableUris(index, registry, options).map((uri) => ({ uri, diagnostics: diagnosticsFor(index, registry, uri, options) }));
}
