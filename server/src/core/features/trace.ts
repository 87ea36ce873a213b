/**
 * Trace: an ID's place in the strategy, both ways, as plain data. A feature's KPIs, the key
 * results that measure them (with progress), their objectives and OKRs, and the verdict; a KPI's
 * features and key results; a key result's objective, OKR and the features behind it; an
 * objective's key results; a document's entities. An ID defined nowhere answers the nearest
 * defined IDs instead. Paths come from the host (`path(uri)`), lines are 1-based.
 */
import { idKind, type IdKind } from '../ids.js';
import { strategyOf, type Feature, type KeyResult, type OkrDoc } from '../alignment/strategy.js';
import { featureVerdict, verdictLine, type VerdictStatus } from '../alignment/verdict.js';
import { editDistance } from '../text/similar.js';
import type { Span } from '../text/lineIndex.js';
import type { FeatureContext } from './context.js';

export interface TracePlace {
  readonly path: string;
  readonly line: number;
}

export interface TraceRef extends TracePlace {
  readonly id: string;
  readonly title?: string;
}

export interface TraceFeature extends TraceRef {
  readonly prd?: string;
  readonly priority?: string;
  readonly status: string;
  readonly release?: string;
  readonly effort?: number;
  /** Planned work (status planned or in-progress, priority not wont, PRD not archived). */
  readonly planned: boolean;
  readonly verdict: VerdictStatus;
}

export interface TraceKeyResult extends TraceRef {
  readonly kpi?: string;
  readonly baseline?: string;
  readonly current?: string;
  readonly target?: string;
  readonly unit?: string;
  /** 0..1 (above 1 when the target is beaten); absent when it cannot be computed. */
  readonly progress?: number;
  readonly objective?: { readonly id: string; readonly title?: string };
  readonly okr?: { readonly id: string; readonly period?: string; readonly status?: string; readonly current: boolean };
}

export interface TraceKpi extends TraceRef {
  readonly defined: boolean;
  readonly keyResults: TraceKeyResult[];
}

export interface TraceVerdict {
  readonly status: VerdictStatus;
  readonly aligned: boolean;
  readonly must: boolean;
  /** Key results of current OKRs the feature serves. */
  readonly served: string[];
  /** Key results whose period ends before the feature ships. */
  readonly late: string[];
  /** The verdict in one sentence, as the hover says it. */
  readonly summary: string;
}

export interface Trace extends TracePlace {
  readonly id: string;
  readonly kind: IdKind;
  readonly title?: string;
  readonly asOf: string;
  /** How many places mention the ID (references, not the definition). */
  readonly mentions: number;
  /** FEAT: what it moves and serves, and the verdict. */
  readonly feature?: Omit<TraceFeature, keyof TraceRef | 'verdict'> & { readonly kpis: TraceKpi[]; readonly dependsOn: string[]; readonly verdict: TraceVerdict };
  /** KPI: the features that move it and the key results that measure it. */
  readonly kpi?: { readonly features: TraceFeature[]; readonly keyResults: TraceKeyResult[] };
  /** KR: its objective, OKR and progress, and the features that move its KPI. */
  readonly keyResult?: TraceKeyResult & { readonly features: TraceFeature[] };
  /** OBJ: progress and its key results, each with the planned features behind it. */
  readonly objective?: { readonly weight: number; readonly progress?: number; readonly okr?: TraceKeyResult['okr']; readonly keyResults: (TraceKeyResult & { readonly features: TraceFeature[] })[] };
  /** BRIEF, PRD, OKR: the document and what it defines. */
  readonly document?: { readonly type: string; readonly status?: string; readonly stage?: string; readonly brief?: string; readonly period?: string; readonly current?: boolean; readonly prds?: string[]; readonly defines: { readonly id: string; readonly kind: IdKind; readonly title?: string }[] };
}

export type TraceAnswer = { readonly found: true; readonly trace: Trace } | { readonly found: false; readonly id: string; readonly nearest: string[]; readonly mentioned: number };

/** The defined IDs nearest to `id` (same kind first, then edit distance), at most `n`. */
export function nearestIds(ctx: FeatureContext, id: string, n = 5): string[] {
  const want = id.toLowerCase();
  const kind = idKind(id);
  const scored = ctx.index.definedIds().map((c) => {
    const cl = c.toLowerCase();
    let d = editDistance(want, cl, 12);
    if (cl.includes(want.slice(want.indexOf('-') + 1)) && want.length - want.indexOf('-') > 3) d = Math.min(d, 2);
    return { c, d: d + (kind && idKind(c) !== kind ? 4 : 0) };
  });
  return scored
    .filter((x) => x.d <= Math.max(4, Math.floor(want.length / 2)))
    .sort((a, b) => a.d - b.d || a.c.localeCompare(b.c))
    .slice(0, n)
    .map((x) => x.c);
}

export function traceId(ctx: FeatureContext, asked: string, path: (uri: string) => string): TraceAnswer {
  // IDs are case-sensitive, but `feat-saved-cards` can only mean one ID when one matches.
  const lower = asked.toLowerCase();
  const sameButCase = ctx.index.definition(asked) ? [] : ctx.index.definedIds().filter((c) => c.toLowerCase() === lower);
  const id = sameButCase.length === 1 ? sameButCase[0]! : asked;
  const def = ctx.index.definition(id);
  if (!def) return { found: false, id, nearest: nearestIds(ctx, id), mentioned: ctx.index.references(id).length };
  const s = strategyOf(ctx.index, ctx.registry, ctx.asOf);
  const place = (uri: string, span: Span): TracePlace => ({ path: path(uri), line: ctx.index.get(uri)?.lines.humanPosition(span.start).line ?? 1 });
  const title = (t?: string) => (t ? { title: t } : {});

  const feature = (f: Feature): TraceFeature => ({
    id: f.id,
    ...title(f.entity.title),
    ...place(f.uri, f.entity.idSpan),
    ...(f.prd ? { prd: f.prd.id } : {}),
    ...(f.priority ? { priority: f.priority } : {}),
    status: f.status,
    ...(f.release ? { release: f.release } : {}),
    ...(f.effort !== undefined ? { effort: f.effort } : {}),
    planned: f.planned,
    verdict: featureVerdict(s, f).status,
  });
  const okrOf = (o: OkrDoc | undefined): TraceKeyResult['okr'] | undefined => (o ? { id: o.id, ...(o.periodText ? { period: o.periodText } : {}), ...(o.status ? { status: o.status } : {}), current: o.current } : undefined);
  const keyResult = (kr: KeyResult): TraceKeyResult => {
    const obj = kr.objective ? s.objectives.get(kr.objective) : undefined;
    const raw = (k: string) => kr.values.get(k)?.raw;
    const okr = okrOf(kr.okr);
    return {
      id: kr.id,
      ...title(kr.entity.title),
      ...place(kr.uri, kr.entity.idSpan),
      ...(kr.kpi ? { kpi: kr.kpi } : {}),
      ...(raw('baseline') !== undefined ? { baseline: raw('baseline')! } : {}),
      ...(raw('current') !== undefined ? { current: raw('current')! } : {}),
      ...(raw('target') !== undefined ? { target: raw('target')! } : {}),
      ...(kr.unit ? { unit: kr.unit } : {}),
      ...(kr.progress !== undefined ? { progress: kr.progress } : {}),
      ...(kr.objective ? { objective: { id: kr.objective, ...title(obj?.entity.title) } } : {}),
      ...(okr ? { okr } : {}),
    };
  };
  const backed = (kr: KeyResult) => ({ ...keyResult(kr), features: (kr.kpi ? (s.featuresByKpi.get(kr.kpi) ?? []) : []).map(feature) });

  const base = {
    id,
    kind: def.kind,
    asOf: ctx.asOf,
    mentions: ctx.index.references(id).length,
    ...place(def.uri, def.span),
  };
  const f = s.features.get(id);
  if (f) {
    const v = featureVerdict(s, f);
    const own = feature(f);
    return {
      found: true,
      trace: {
        ...base,
        ...title(f.entity.title),
        feature: {
          ...(own.prd ? { prd: own.prd } : {}),
          ...(own.priority ? { priority: own.priority } : {}),
          status: own.status,
          ...(own.release ? { release: own.release } : {}),
          ...(own.effort !== undefined ? { effort: own.effort } : {}),
          planned: own.planned,
          kpis: f.kpis.map((k) => {
            const kpi = s.kpis.get(k.id);
            return {
              id: k.id,
              ...title(kpi?.title),
              ...(kpi ? place(kpi.uri, kpi.entity.idSpan) : place(f.uri, k.span)),
              defined: kpi !== undefined,
              keyResults: (s.keyResultsByKpi.get(k.id) ?? []).map(keyResult),
            };
          }),
          dependsOn: f.dependsOn.map((d) => d.id),
          verdict: { status: v.status, aligned: v.aligned, must: v.must, served: v.served.map((k) => k.id), late: v.late.map((k) => k.id), summary: verdictLine(s, f, v) },
        },
      },
    };
  }
  const kpi = s.kpis.get(id);
  if (kpi) {
    return { found: true, trace: { ...base, ...title(kpi.title), kpi: { features: (s.featuresByKpi.get(id) ?? []).map(feature), keyResults: (s.keyResultsByKpi.get(id) ?? []).map(keyResult) } } };
  }
  const kr = s.keyResults.get(id);
  if (kr) return { found: true, trace: { ...base, ...title(kr.entity.title), keyResult: backed(kr) } };
  const obj = s.objectives.get(id);
  if (obj) {
    const okr = okrOf(obj.okr);
    return {
      found: true,
      trace: { ...base, ...title(obj.entity.title), objective: { weight: obj.weight, ...(obj.progress !== undefined ? { progress: obj.progress } : {}), ...(okr ? { okr } : {}), keyResults: obj.keyResults.map(backed) } },
    };
  }
  const doc = s.docs.get(id);
  const a = ctx.index.get(def.uri);
  if (doc && a) {
    const okr = s.okrs.get(id);
    const prds = doc.type === 'brief' ? [...s.docs.values()].filter((d) => d.type === 'prd' && d.brief === id).map((d) => d.id).sort() : undefined;
    return {
      found: true,
      trace: {
        ...base,
        ...title(doc.title),
        document: {
          type: doc.type,
          ...(doc.status ? { status: doc.status } : {}),
          ...(doc.stage ? { stage: doc.stage } : {}),
          ...(doc.brief ? { brief: doc.brief } : {}),
          ...(okr?.periodText ? { period: okr.periodText } : {}),
          ...(okr ? { current: okr.current } : {}),
          ...(prds ? { prds } : {}),
          defines: a.isSpec ? a.model.entities.map((e) => ({ id: e.id, kind: e.kind, ...title(e.title) })) : [],
        },
      },
    };
  }
  // A persona, or an entity the strategy does not use: where it is and how often it is mentioned.
  return { found: true, trace: { ...base, ...title(def.entity?.title) } };
}
