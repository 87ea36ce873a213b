/**
 * Everything Northstar reports for a document: its own diagnostics, those that need the
 * workspace (duplicates, unresolved references) and the alignment findings that sit in it —
 * with suppression comments and the team's rule severities applied.
 */
import { applySuppressions } from '../analysis.js';
import { applySeverities, compareDiagnostics, type Diagnostic, type SeverityOverrides } from '../diagnostics.js';
import type { WorkspaceIndex } from '../index/workspaceIndex.js';
import type { SchemaRegistry } from '../schema/registry.js';
import { alignmentFindings, type Finding } from '../alignment/rules.js';
import { strategyOf } from '../alignment/strategy.js';

export interface CheckOptions {
  /** YYYY-MM-DD: decides which OKRs are current. */
  readonly asOf: string;
  readonly severities?: SeverityOverrides;
}

export interface FileResult {
  readonly uri: string;
  readonly diagnostics: readonly Diagnostic[];
}

const cache = new WeakMap<WorkspaceIndex, { generation: number; asOf: string; findings: Finding[]; byUri: Map<string, Diagnostic[]> }>();

/** The alignment findings of the workspace, computed once per index generation and date. */
export function workspaceFindings(index: WorkspaceIndex, registry: SchemaRegistry, asOf: string): { findings: Finding[]; byUri: Map<string, Diagnostic[]> } {
  const hit = cache.get(index);
  if (hit && hit.generation === index.generation && hit.asOf === asOf) return hit;
  const findings = alignmentFindings(strategyOf(index, registry, asOf), index);
  const byUri = new Map<string, Diagnostic[]>();
  for (const f of findings) (byUri.get(f.uri) ?? byUri.set(f.uri, []).get(f.uri)!).push(f.diagnostic);
  const entry = { generation: index.generation, asOf, findings, byUri };
  cache.set(index, entry);
  return entry;
}

/** All diagnostics of one document. */
export function diagnosticsFor(index: WorkspaceIndex, registry: SchemaRegistry, uri: string, options: CheckOptions): Diagnostic[] {
  const a = index.get(uri);
  if (!a) return [];
  const extra = [...index.workspaceDiagnostics(uri), ...(a.isSpec ? (workspaceFindings(index, registry, options.asOf).byUri.get(uri) ?? []) : [])];
  const all = [...a.diagnostics, ...applySuppressions(extra, a.model, a.lines)];
  return applySeverities(all, options.severities).sort(compareDiagnostics);
}

/** URIs that have something to report: every spec document, and any document with findings. */
export function reportableUris(index: WorkspaceIndex, registry: SchemaRegistry, options: CheckOptions): string[] {
  const set = new Set<string>();
  for (const a of index.documents()) if (a.isSpec || a.diagnostics.length) set.add(a.uri);
  for (const uri of workspaceFindings(index, registry, options.asOf).byUri.keys()) set.add(uri);
  return [...set].sort();
}

export function checkWorkspace(index: WorkspaceIndex, registry: SchemaRegistry, options: CheckOptions): FileResult[] {
  return reportableUris(index, registry, options).map((uri) => ({ uri, diagnostics: diagnosticsFor(index, registry, uri, options) }));
}
