/**
 * The one verdict on a feature's alignment. The alignment rules, the summary (score, unaligned
 * work), the hover and the report all read it, so they cannot disagree.
 *
 * - planned work only is judged (status planned or in-progress, priority not wont, PRD not archived);
 * - a feature is **aligned** when one of its KPIs is the KPI of a key result of a current OKR;
 * - it is **late** for a key result it serves (of any OKR that is not closed, current or not)
 *   when it ships after the end of that OKR's period (the spec's "a feature released after the
 *   end of the period of the key result it serves": serving does not depend on timing).
 */
import type { Feature, KeyResult, Strategy } from './strategy.js';
import { listComma } from '../rules/list.js';

export type VerdictStatus = 'not-planned' | 'no-kpi' | 'unaligned' | 'late' | 'aligned';

export interface Verdict {
  /** The headline: not planned, moves no KPI, serves no current key result, serves one but late, aligned. */
  readonly status: VerdictStatus;
  /** Planned work with priority must. */
  readonly must: boolean;
  /** The key results of current OKRs it serves. */
  readonly served: readonly KeyResult[];
  /** The key results of OKRs that are not closed it serves, whose period ends before it ships. */
  readonly late: readonly KeyResult[];
  /** Counts as aligned in the score: planned, and serves a key result of a current OKR (late or not). */
  readonly aligned: boolean;
}

/** The key results a feature serves (one of its KPIs is the key result's KPI); of current OKRs only by default. */
export function servedKeyResults(s: Strategy, f: Feature, currentOnly = true): KeyResult[] {
  const out: KeyResult[] = [];
  for (const k of new Set(f.kpis.map((x) => x.id))) for (const kr of s.keyResultsByKpi.get(k) ?? []) if (!currentOnly || kr.okr?.current) out.push(kr);
  return out;
}

export function featureVerdict(s: Strategy, f: Feature): Verdict {
  const must = f.planned && f.priority === 'must';
  if (!f.planned) return { status: 'not-planned', must, served: [], late: [], aligned: false };
  if (!f.kpis.length) return { status: 'no-kpi', must, served: [], late: [], aligned: false };
  const served = servedKeyResults(s, f);
  const end = f.releasePeriod?.end;
  const late = end === undefined ? [] : servedKeyResults(s, f, false).filter((kr) => kr.okr?.period && kr.okr.status !== 'closed' && end > kr.okr.period.end);
  const status: VerdictStatus = !served.length ? 'unaligned' : late.length ? 'late' : 'aligned';
  return { status, must, served, late, aligned: served.length > 0 };
}

/** The verdict in one line, as the hover shows it. */
export function verdictLine(s: Strategy, f: Feature, v: Verdict = featureVerdict(s, f)): string {
  const mark = v.must ? '⛔' : '⚠️';
  switch (v.status) {
    case 'not-planned':
      return `Not planned work (${f.status}${f.priority === 'wont' ? ', wont' : ''}${f.prd?.status === 'archived' ? ', archived PRD' : ''}): not judged.`;
    case 'no-kpi':
      return `${mark} Not aligned: moves no KPI.`;
    case 'unaligned':
      return `${mark} Not aligned: no key result of a current OKR measures ${listComma(f.kpis.map((k) => k.id))}.`;
    case 'late':
      return `⚠️ Serves ${listComma(v.late.map((k) => k.id))} but ships ${f.release}, after ${v.late[0]!.okr!.periodText ?? 'its period'} ends.`;
    case 'aligned':
      return `✅ Aligned: serves ${listComma(v.served.map((k) => k.id))}.`;
  }
}
