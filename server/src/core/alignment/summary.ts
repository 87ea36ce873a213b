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
  readonly covered: boolean;
  readonly features: SummaryFeature[];
  readonly effort: number;
  readonly uri: string;
  readonly line: number;
}

export interface SummaryObjective {
  readonly id: string;
  readonly title?: string;
  readonly weight: number;
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
}

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
            ...(kr.values.get('current') ? { current: kr.values.get('current')!.raw } : {}),
            ...(kr.values.get('target') ? { target: kr.values.get('target')!.raw } : {}),
            ...(kr.progress !== undefined ? { progress: kr.progress } : {}),
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
      objectives,
      uri: o.uri,
      line: lineOf(o.uri, o.span.start),
    });
  }
  const findingsOut: SummaryFinding[] = findings
    .map((f) => {
      const p = index.get(f.uri)?.lines.humanPosition(f.diagnostic.span.start) ?? { line: 1, column: 1 };
      return { code: String(f.diagnostic.code), severity: f.diagnostic.severity, message: f.diagnostic.message, uri: f.uri, line: p.line, column: p.column };
    })
    .sort((a, b) => a.code.localeCompare(b.code) || a.uri.localeCompare(b.uri) || a.line - b.line);
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
