/** Runs the rule units of each kind: schema errors, document checks, workspace checks, the alignment check. */
import type { Analysis } from '../analysis.js';
import type { Diagnostic } from '../diagnostics.js';
import type { WorkspaceIndex } from '../index/workspaceIndex.js';
import type { DocType, DocumentModel } from '../model/types.js';
import type { SchemaRegistry } from '../schema/registry.js';
import { validateModel, type SchemaRule } from '../schema/validate.js';
import type { Strategy } from '../alignment/strategy.js';
import { featureVerdict, type Verdict } from '../alignment/verdict.js';
import type { Feature } from '../alignment/strategy.js';
import { RULE_UNITS } from './catalog.js';
import type { Check } from './rule.js';
import type { AlignmentContext, Finding } from './alignment/context.js';
import { listComma } from './list.js';

export type { Finding } from './alignment/context.js';

type Of<K extends Check['kind']> = Extract<Check, { kind: K }>;
const checks = <K extends Check['kind']>(kind: K): Of<K>[] => RULE_UNITS.map((r) => r.check as Check).filter((c): c is Of<K> => c.kind === kind);

let schemaRules: SchemaRule[] | undefined;

/** The schema's verdict on a document: each ajv error as its unit reports it; schema-violation takes what no other unit claims. */
export function schemaDiagnostics(model: DocumentModel, type: DocType, registry: SchemaRegistry): Diagnostic[] {
  if (!schemaRules) {
    const fallback = RULE_UNITS.find((r) => r.code === 'schema-violation')!.check as Of<'schema'>;
    schemaRules = [...checks('schema').filter((c) => c !== fallback), fallback];
  }
  return validateModel(model, type, registry, schemaRules);
}

/** The checks of one document that the schema cannot express (placement, RICE, due dates). */
export function documentRuleDiagnostics(model: DocumentModel, registry: SchemaRegistry): Diagnostic[] {
  return checks('document').flatMap((c) => c.run(model, registry));
}

/** Diagnostics of one document that need the whole workspace: duplicates and unresolved references. */
export function workspaceDiagnostics(index: WorkspaceIndex, uri: string): Diagnostic[] {
  const a: Analysis | undefined = index.get(uri);
  if (!a || !a.isSpec) return [];
  return checks('workspace').flatMap((c) => c.run(index, a));
}

/** The alignment findings of the documents in `only` (every document when absent). */
export function alignmentFindings(s: Strategy, index: WorkspaceIndex, only?: ReadonlySet<string>): Finding[] {
  const wanted = (uri: string) => !only || only.has(uri);
  const features = only ? [...only].flatMap((u) => s.byUri.get(u)?.features ?? []) : [...s.features.values()];
  const keyResults = only ? [...only].flatMap((u) => s.byUri.get(u)?.keyResults ?? []) : [...s.keyResults.values()];
  const current = [...s.okrs.values()].filter((o) => o.current);
  const verdicts = new Map<Feature, Verdict>();
  const c: AlignmentContext = {
    strategy: s,
    index,
    planned: features.filter((f) => f.planned && wanted(f.uri)),
    features: features.filter((f) => wanted(f.uri)),
    keyResults: keyResults.filter((k) => wanted(k.uri)),
    verdict: (f) => verdicts.get(f) ?? verdicts.set(f, featureVerdict(s, f)).get(f)!,
    currentNames: listComma(current.map((o) => o.id), undefined, `none as of ${s.asOf}`),
  };
  return checks('alignment').flatMap((x) => x.run(c));
}
