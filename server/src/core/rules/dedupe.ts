/**
 * One finding per problem. Several units can see the same problem from their own angle: a
 * must-have feature without a KPI is a missing required property (the schema), a feature that
 * moves no KPI and a must-have that is unaligned (the alignment check); a misspelt `ownr` is an
 * unknown key and a missing `owner`. This step decides each overlap once, after severities and
 * suppressions: the findings of one problem become one — the message (and the quick fixes) of the
 * code that words it best, the worst severity among them. The missing sections of a document are
 * one finding, and so are its missing front matter fields. The precedence table is documented in
 * docs/RULES.md ("One finding per problem").
 */
import type { Diagnostic, Severity } from '../diagnostics.js';
import { featureWithoutKpi } from './alignment/feature-without-kpi.js';
import { ambiguousName } from './workspace/ambiguous-name.js';
import { mustFeatureUnaligned } from './alignment/must-feature-unaligned.js';
import { invalidId } from './document/invalid-id.js';
import { mergeMissingFields, missingField } from './document/missing-field.js';
import { missingProperty } from './document/missing-property.js';
import { mergeMissingSections } from './document/missing-section.js';
import { unknownKey } from './document/unknown-key.js';

/**
 * Which code's message wins when several report one problem, best first: the finding that
 * names the cause (a misspelt key, an unreadable value) before the one that names the effect
 * (a missing property, a feature without a KPI).
 */
export const PRECEDENCE: readonly string[] = [unknownKey.code, ambiguousName.code, invalidId.code, mustFeatureUnaligned.code, featureWithoutKpi.code, missingProperty.code, missingField.code];

const RANK: Record<Severity, number> = { error: 0, warning: 1, information: 2, hint: 3 };

/**
 * The problem a finding is about, as a key (`field|owner`, `property|FEAT-a|kpi`); undefined
 * for a finding no other code can also report.
 */
export function problemOf(d: Diagnostic): string | undefined {
  switch (d.code) {
    case unknownKey.code: {
      const x = unknownKey.dataOf(d);
      if (!x?.suggestion) return undefined;
      return x.entity ? `property|${x.entity}|${x.suggestion}` : `field|${x.suggestion}`;
    }
    case missingField.code: {
      const x = missingField.dataOf(d);
      return x && !x.all ? `field|${x.field}` : undefined;
    }
    case missingProperty.code: {
      const x = missingProperty.dataOf(d);
      return x?.entity ? `property|${x.entity}|${x.property}` : undefined;
    }
    case invalidId.code: {
      const x = invalidId.dataOf(d);
      return x?.entity && x.key === 'kpi' ? `property|${x.entity}|kpi` : undefined;
    }
    case ambiguousName.code: {
      // A KPI named by a title two KPIs have: the feature's missing KPI is that same problem.
      const x = ambiguousName.dataOf(d);
      return x?.entity && x.key ? `property|${x.entity}|${x.key}` : undefined;
    }
    case featureWithoutKpi.code: {
      const x = featureWithoutKpi.dataOf(d);
      return x ? `property|${x.feature}|kpi` : undefined;
    }
    case mustFeatureUnaligned.code: {
      const x = mustFeatureUnaligned.dataOf(d);
      return x?.reason === 'no-kpi' ? `property|${x.feature}|kpi` : undefined;
    }
    default:
      return undefined;
  }
}

/** The worse of two severities. */
export function worse(a: Severity, b: Severity): Severity {
  return RANK[a] <= RANK[b] ? a : b;
}

/**
 * The findings of one document, one per problem: the missing sections as one finding, each group
 * of findings with one problem key as its best-worded member at the group's worst severity, then
 * the missing front matter fields as one finding.
 * `sectionOrder` is the document type's conventional section order (for the merged list).
 */
export function onePerProblem(ds: readonly Diagnostic[], sectionOrder: readonly string[] = []): Diagnostic[] {
  const merged = mergeMissingSections(ds, sectionOrder);
  const groups = new Map<string, Diagnostic[]>();
  for (const d of merged) {
    const k = problemOf(d);
    if (k) (groups.get(k) ?? groups.set(k, []).get(k)!).push(d);
  }
  const winner = new Map<Diagnostic, Diagnostic>();
  const dropped = new Set<Diagnostic>();
  for (const list of groups.values()) {
    if (list.length < 2) continue;
    const rank = (d: Diagnostic) => PRECEDENCE.indexOf(String(d.code));
    const best = [...list].sort((x, y) => rank(x) - rank(y))[0]!;
    const severity = list.map((d) => d.severity).reduce(worse);
    winner.set(best, severity === best.severity ? best : { ...best, severity });
    for (const d of list) if (d !== best) dropped.add(d);
  }
  // Fields first decided one per problem (`ownr` is the misspelt `owner`), then the rest merged.
  return mergeMissingFields(merged.filter((d) => !dropped.has(d)).map((d) => winner.get(d) ?? d));
}

/**
 * A name where an ID is expected (`kpi: Weekly active teams`) is one problem, which the index's
 * name resolution words (reference-by-name, ambiguous-name, or unresolved-reference): the
 * schema's "expected a KPI- ID" on the same value is dropped. `names` are the spans of the
 * document's references by name.
 */
export function supersededByNames(ds: readonly Diagnostic[], names: readonly { start: number; end: number }[]): Diagnostic[] {
  if (!names.length) return [...ds];
  const at = new Set(names.map((s) => `${s.start}:${s.end}`));
  return ds.filter((d) => d.code !== invalidId.code || !at.has(`${d.span.start}:${d.span.end}`));
}
