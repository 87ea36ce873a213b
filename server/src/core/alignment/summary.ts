/**
 * The alignment summary: the score (share of planned effort, or of planned features when some
 * have no effort, that serves a key result of a current OKR) and, per current OKR and objective,
 * its key results, whether they are covered, the features and effort behind them, and progress.
 */
import { RULES, type Severity } from '../diagnostics.js';
import type { WorkspaceIndex } from '../index/workspaceIndex.js';
import type { Finding } from '../rules/run.js';
import { STAGES, type Stage, type Strategy } from './strategy.js';
import { featureVerdict } from './verdict.js';
import type { Span } from '../text/lineIndex.js';
import { formatMetric, metricsOf } from '../metrics/store.js';
import { keyResultData } from '../metrics/keyResultData.js';
import { str } from '../schema/entityValues.js';

export interface SummaryFeature {
  readonly id: string;
  readonly title?: string;
  readonly priority?: string;
  readonly status: string;
  readonly release?: string;
  readonly effort?: number;
  readonly uri: string;
  readonly line: number;
}

export interface SummaryKeyResult {
  readonly id: string;
  readonly title?: string;
  readonly kpi?: string;
  readonly kpiTitle?: string;
  readonly baseline?: string;
  readonly current?: string;
  readonly target?: string;
  readonly progress?: number;
  /** What the metric snapshots say about its KPI (see core/metrics/). */
  readonly data?: KeyResultData;
  readonly covered: boolean;
  readonly features: SummaryFeature[];
  readonly effort: number;
  readonly uri: string;
  readonly line: number;
}

/** A key result's metric data: where `current` came from, the latest data point and the series up to the as-of date. */
export interface KeyResultData {
  /** `current` is the written one, or the latest data point's. */
  readonly from: 'written' | 'data';
  /** The latest data point on or before the as-of date, as people read it (`1,560`, `62.4%`). */
  readonly value: string;
  readonly date: string;
  readonly source?: string;
  /** The values are percentages (a value of 0.624 reads 62.4%). */
  readonly percent: boolean;
  /** Every data point on or before the as-of date, oldest first. */
  readonly points: readonly { readonly date: string; readonly value: number }[];
  readonly baselineValue?: number;
  readonly targetValue?: number;
  /** The OKR's period (YYYY-MM-DD, inclusive). */
  readonly periodStart?: string;
  readonly periodEnd?: string;
}

export interface SummaryObjective {
  readonly id: string;
  readonly title?: string;
  /** The weight the score uses: the written one, else 1. */
  readonly weight: number;
  /** Whether the objective writes its weight (a report shows "—" when not). */
  readonly weightSet: boolean;
  readonly progress?: number;
  readonly keyResults: SummaryKeyResult[];
  readonly uri: string;
  readonly line: number;
}

export interface SummaryOkr {
  readonly id: string;
  readonly title?: string;
  readonly period?: string;
  readonly status?: string;
  readonly progress?: number;
  /**
   * The end of its period (YYYY-MM-DD) when the OKR counts as current only because its status is
   * `active`, though that period ended before the as-of date: a warning for the report.
   */
  readonly periodEnded?: string;
  readonly objectives: SummaryObjective[];
  readonly uri: string;
  readonly line: number;
}

/** A product (a brief) with its lifecycle stage and the PRDs that name it. */
export interface SummaryProduct {
  readonly id: string;
  readonly title?: string;
  readonly stage?: Stage;
  readonly prds: string[];
  /** Planned features in those PRDs. */
  readonly planned: number;
  readonly uri: string;
  readonly line: number;
}

export interface SummaryFinding {
  readonly code: string;
  readonly severity: Severity;
  readonly message: string;
  readonly uri: string;
  readonly line: number;
  readonly column: number;
  /** What to do about it: the heading the report groups it under (see FINDING_GROUPS). */
  readonly group: string;
  /** What it is about: the entity (else the document) where it is reported, with its title. */
  readonly subject?: { readonly id: string; readonly title?: string };
}

/**
 * The report's groups of findings, by what to do about them, each with the rule codes it takes
 * (a code not listed goes to "Fix these documents"). A must-have feature that is not aligned goes
 * to the KPI group when it moves no KPI, else to the key-result group; a feature's missing `kpi`
 * goes to the KPI group too.
 */
export const FINDING_GROUPS: readonly { readonly title: string; readonly hint: string; readonly codes: readonly string[] }[] = [
  { title: 'Fix these references', hint: 'An ID that points nowhere, at the wrong kind of thing, at two definitions, or at archived and closed work.', codes: ['unresolved-reference', 'wrong-reference-kind', 'duplicate-id', 'stale-reference'] },
  { title: 'Give these features a KPI', hint: 'Planned work that names no KPI cannot be tied to a key result.', codes: ['feature-without-kpi'] },
  { title: 'Tie these features to a current key result', hint: 'Planned work whose KPIs no key result of a current OKR measures: re-scope it, or add the key result.', codes: ['feature-not-aligned'] },
  { title: 'Cover these key results', hint: 'Key results of a current OKR that no planned feature moves: plan work for them, or revisit them.', codes: ['kr-not-covered'] },
  { title: 'Check the timing', hint: 'Work that ships after the period it serves, before what it depends on, or a due date outside its period.', codes: ['feature-after-kr-period', 'dependency-order', 'due-outside-period'] },
  { title: 'Plan for the product lifecycle', hint: 'Planned work for a product at end of life, or a launch without a go-to-market plan.', codes: ['end-of-life-planned-work', 'launch-without-gtm'] },
  { title: 'Correct these estimates', hint: 'A written RICE score that disagrees with its inputs.', codes: ['rice-mismatch'] },
  { title: 'Fix these documents', hint: 'Missing or invalid fields, sections and values.', codes: [] },
];
const OTHER_GROUP = 'Fix these documents';


export interface AlignmentSummary {
  readonly asOf: string;
  /** 0..100, whole percent; null when there is no planned work. */
  readonly score: number | null;
  readonly basis: 'effort' | 'features';
  readonly planned: number;
  readonly aligned: number;
  readonly plannedEffort: number;
  readonly alignedEffort: number;
  /** Planned features with no effort (why the basis is features). */
  readonly withoutEffort: string[];
  readonly okrs: SummaryOkr[];
  /** OKR documents that are not current as of the date. */
  readonly otherOkrs: { id: string; period?: string; status?: string }[];
  readonly unaligned: SummaryFeature[];
  readonly findings: SummaryFinding[];
  /** Every product brief, in lifecycle order (briefs without a stage last). */
  readonly products: SummaryProduct[];
}

export function summarize(s: Strategy, index: WorkspaceIndex, findings: readonly Finding[]): AlignmentSummary {
  const lineOf = (uri: string, offset: number) => index.get(uri)?.lines.humanPosition(offset).line ?? 1;
  const planned = [...s.features.values()].filter((f) => f.planned);
  const alignedSet = new Set(planned.filter((f) => featureVerdict(s, f).aligned).map((f) => f.id));
  const withoutEffort = planned.filter((f) => f.effort === undefined).map((f) => f.id);
  const basis: 'effort' | 'features' = withoutEffort.length ? 'features' : 'effort';
  const plannedEffort = planned.reduce((t, f) => t + (f.effort ?? 0), 0);
  const alignedEffort = planned.filter((f) => alignedSet.has(f.id)).reduce((t, f) => t + (f.effort ?? 0), 0);
  let score: number | null = null;
  if (planned.length) score = basis === 'effort' ? (plannedEffort > 0 ? Math.round((alignedEffort / plannedEffort) * 100) : 0) : Math.round((alignedSet.size / planned.length) * 100);
  const feat = (f: (typeof planned)[number]): SummaryFeature => ({
    id: f.id,
    ...(f.entity.title ? { title: f.entity.title } : {}),
    ...(f.priority ? { priority: f.priority } : {}),
    status: f.status,
    ...(f.release ? { release: f.release } : {}),
    ...(f.effort !== undefined ? { effort: f.effort } : {}),
    uri: f.uri,
    line: lineOf(f.uri, f.entity.idSpan.start),
  });
  const okrs: SummaryOkr[] = [];
  const otherOkrs: AlignmentSummary['otherOkrs'] = [];
  for (const o of [...s.okrs.values()].sort((x, y) => (x.period?.start ?? '').localeCompare(y.period?.start ?? '') || x.id.localeCompare(y.id))) {
    if (!o.current) {
      otherOkrs.push({ id: o.id, ...(o.periodText ? { period: o.periodText } : {}), ...(o.status ? { status: o.status } : {}) });
      continue;
    }
    const objectives: SummaryObjective[] = [...s.objectives.values()]
      .filter((ob) => ob.okr?.id === o.id)
      .sort((x, y) => x.entity.idSpan.start - y.entity.idSpan.start)
      .map((ob) => ({
        id: ob.id,
        ...(ob.entity.title ? { title: ob.entity.title } : {}),
        weight: ob.weight,
        weightSet: ob.entity.properties.some((p) => p.key === 'weight' && p.raw.trim() !== ''),
        ...(ob.progress !== undefined ? { progress: ob.progress } : {}),
        uri: ob.uri,
        line: lineOf(ob.uri, ob.entity.idSpan.start),
        keyResults: ob.keyResults.map((kr) => {
          const feats = kr.kpi ? (s.plannedByKpi.get(kr.kpi) ?? []).map(feat) : [];
          const kpi = kr.kpi ? s.kpis.get(kr.kpi) : undefined;
          return {
            id: kr.id,
            ...(kr.entity.title ? { title: kr.entity.title } : {}),
            ...(kr.kpi ? { kpi: kr.kpi } : {}),
            ...(kpi?.title ? { kpiTitle: kpi.title } : {}),
            ...(kr.values.get('baseline') ? { baseline: kr.values.get('baseline')!.raw } : {}),
            ...(kr.values.get('current') ? { current: kr.values.get('current')!.raw } : kr.currentFrom === 'data' && kr.dataPoint ? { current: formatMetric(kr.dataPoint.value, kr.dataPoint.percent) } : {}),
            ...(kr.values.get('target') ? { target: kr.values.get('target')!.raw } : {}),
            ...(kr.progress !== undefined ? { progress: kr.progress } : {}),
            ...(kr.dataPoint && kr.kpi ? { data: keyResultData(kr, metricsOf(index).series(kr.kpi, str(kr.values.get('segment'))).filter((p) => p.date <= s.asOf)) } : {}),
            covered: feats.length > 0,
            features: feats,
            effort: feats.reduce((t, f) => t + (f.effort ?? 0), 0),
            uri: kr.uri,
            line: lineOf(kr.uri, kr.entity.idSpan.start),
          };
        }),
      }));
    const weighted = objectives.filter((ob) => ob.progress !== undefined);
    const totalWeight = weighted.reduce((t, ob) => t + ob.weight, 0);
    const progress = totalWeight > 0 ? weighted.reduce((t, ob) => t + ob.weight * Math.min(1, ob.progress!), 0) / totalWeight : undefined;
    okrs.push({
      id: o.id,
      ...(o.title ? { title: o.title } : {}),
      ...(o.periodText ? { period: o.periodText } : {}),
      ...(o.status ? { status: o.status } : {}),
      ...(progress !== undefined ? { progress } : {}),
      ...(o.status === 'active' && o.period && o.period.end < s.asOf ? { periodEnded: o.period.end } : {}),
      objectives,
      uri: o.uri,
      line: lineOf(o.uri, o.span.start),
    });
  }
  const findingsOut: SummaryFinding[] = sortFindings(
    findings.map((f) => {
      const p = index.get(f.uri)?.lines.humanPosition(f.diagnostic.span.start) ?? { line: 1, column: 1 };
      const code = String(f.diagnostic.code);
      const subject = subjectOf(s, index, f.uri, f.diagnostic.span, f.diagnostic.data);
      return { code, severity: f.diagnostic.severity, message: f.diagnostic.message, uri: f.uri, line: p.line, column: p.column, group: groupOf(s, code, subject?.id, f.diagnostic.data), ...(subject ? { subject } : {}) };
    }),
  );
  const stageRank = (x?: Stage) => (x ? STAGES.indexOf(x) : STAGES.length);
  const products: SummaryProduct[] = [...s.docs.values()]
    .filter((d) => d.type === 'brief')
    .map((b) => {
      const prds = [...s.docs.values()].filter((d) => d.type === 'prd' && d.brief === b.id).map((d) => d.id).sort();
      return {
        id: b.id,
        ...(b.title ? { title: b.title } : {}),
        ...(b.stage ? { stage: b.stage } : {}),
        prds,
        planned: planned.filter((f) => f.prd && prds.includes(f.prd.id)).length,
        uri: b.uri,
        line: lineOf(b.uri, b.span.start),
      };
    })
    .sort((x, y) => stageRank(x.stage) - stageRank(y.stage) || x.id.localeCompare(y.id));
  return {
    asOf: s.asOf,
    score,
    basis,
    planned: planned.length,
    aligned: alignedSet.size,
    plannedEffort,
    alignedEffort,
    withoutEffort,
    okrs,
    otherOkrs,
    unaligned: planned.filter((f) => !alignedSet.has(f.id)).map(feat),
    findings: findingsOut,
    products,
  };
}

export function ruleTitle(code: string): string {
  return (RULES as Record<string, { summary: string }>)[code]?.summary ?? code;
}

/** What a finding is about: the named entity, else the innermost entity around it, else its document. */
function subjectOf(s: Strategy, index: WorkspaceIndex, uri: string, span: Span, data: Record<string, unknown> | undefined): SummaryFinding['subject'] {
  const a = index.get(uri);
  if (!a) return undefined;
  const named = typeof data?.entity === 'string' ? a.model.entities.find((e) => e.id === data.entity) : undefined;
  let best = named;
  if (!best)
    for (const e of a.model.entities)
      if (e.span.start <= span.start && span.start <= e.span.end && (!best || e.span.end - e.span.start < best.span.end - best.span.start)) best = e;
  if (best) return { id: best.id, ...(best.title ? { title: best.title } : {}) };
  const docId = a.model.docId?.id;
  if (!docId) return undefined;
  const title = s.docs.get(docId)?.title ?? a.model.title?.text;
  return { id: docId, ...(title ? { title } : {}) };
}

function groupOf(s: Strategy, code: string, subject: string | undefined, data: Record<string, unknown> | undefined): string {
  const feature = subject ? s.features.get(subject) : undefined;
  if (code === 'must-feature-unaligned') return feature && !feature.kpis.length ? 'Give these features a KPI' : 'Tie these features to a current key result';
  if (code === 'missing-property' && data?.property === 'kpi' && feature) return 'Give these features a KPI';
  return FINDING_GROUPS.find((g) => g.codes.includes(code))?.title ?? OTHER_GROUP;
}

/**
 * Findings in the order a report lists them: by group — groups that hold an error first, then in
 * the order of FINDING_GROUPS — and within a group errors first, then by file and line.
 */
export function sortFindings<F extends { group: string; severity: Severity; uri: string; line: number; code: string }>(list: readonly F[]): F[] {
  const rank = (sev: Severity) => (sev === 'error' ? 0 : sev === 'warning' ? 1 : sev === 'information' ? 2 : 3);
  const worst = new Map<string, number>();
  for (const f of list) worst.set(f.group, Math.min(worst.get(f.group) ?? 9, rank(f.severity)));
  const order = (g: string) => {
    const i = FINDING_GROUPS.findIndex((x) => x.title === g);
    return i < 0 ? FINDING_GROUPS.length : i;
  };
  return [...list].sort((a, b) => worst.get(a.group)! - worst.get(b.group)! || order(a.group) - order(b.group) || rank(a.severity) - rank(b.severity) || a.uri.localeCompare(b.uri) || a.line - b.line || a.code.localeCompare(b.code));
}

/** Findings grouped as sorted (consecutive findings of one group), with each group's hint. */
export function groupFindings<F extends SummaryFinding>(list: readonly F[]): { title: string; hint?: string; errors: number; findings: F[] }[] {
  const out: { title: string; hint?: string; errors: number; findings: F[] }[] = [];
  for (const f of list) {
    let g = out[out.length - 1];
    if (!g || g.title !== f.group) {
      const hint = FINDING_GROUPS.find((x) => x.title === f.group)?.hint;
      g = { title: f.group, ...(hint ? { hint } : {}), errors: 0, findings: [] };
      out.push(g);
    }
    g.findings.push(f);
    if (f.severity === 'error') g.errors++;
  }
  return out;
}
