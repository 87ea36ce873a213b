/**
 * The strategy of a workspace, as the alignment check and the hover see it: OKR documents with
 * their objectives and key results, KPIs, and the roadmap (every feature of every PRD with its
 * release and status). Derived from the index; cached per index generation and as-of date.
 */
import type { Analysis } from '../analysis.js';
import type { WorkspaceIndex } from '../index/workspaceIndex.js';
import type { Entity } from '../model/types.js';
import { parsePeriod, periodContains, type Period } from '../model/values.js';
import { entityValues, list, num, str, type EntityValue } from '../schema/entityValues.js';
import type { SchemaRegistry } from '../schema/registry.js';
import { coerceScalar } from '../schema/coerce.js';
import type { Span } from '../text/lineIndex.js';

export interface DocRef {
  readonly id: string;
  readonly uri: string;
  readonly title?: string;
  readonly status?: string;
  readonly span: Span;
}

export interface OkrDoc extends DocRef {
  readonly period?: Period;
  readonly periodText?: string;
  readonly current: boolean;
}

export interface Kpi {
  readonly id: string;
  readonly uri: string;
  readonly entity: Entity;
  readonly values: Map<string, EntityValue>;
  readonly title?: string;
}

export interface KeyResult {
  readonly id: string;
  readonly uri: string;
  readonly entity: Entity;
  readonly values: Map<string, EntityValue>;
  readonly objective?: string;
  readonly okr?: OkrDoc;
  readonly kpi?: string;
  readonly baseline?: number;
  readonly current?: number;
  readonly target?: number;
  readonly unit?: string;
  /** 0..1 (can exceed 1 when the target is beaten); undefined when it cannot be computed. */
  readonly progress?: number;
}

export interface Objective {
  readonly id: string;
  readonly uri: string;
  readonly entity: Entity;
  readonly okr?: OkrDoc;
  readonly weight: number;
  readonly keyResults: KeyResult[];
  readonly progress?: number;
}

export interface Feature {
  readonly id: string;
  readonly uri: string;
  readonly entity: Entity;
  readonly values: Map<string, EntityValue>;
  readonly prd?: DocRef;
  readonly priority?: string;
  readonly status: string;
  /** The feature's release, or its PRD's. */
  readonly release?: string;
  readonly releaseFromPrd: boolean;
  readonly releasePeriod?: Period;
  readonly kpis: readonly { id: string; span: Span }[];
  readonly dependsOn: readonly { id: string; span: Span }[];
  readonly effort?: number;
  /** Planned work: status planned or in-progress, priority not wont, PRD not archived. */
  readonly planned: boolean;
}

export interface Strategy {
  readonly asOf: string;
  readonly okrs: Map<string, OkrDoc>;
  readonly objectives: Map<string, Objective>;
  readonly keyResults: Map<string, KeyResult>;
  readonly kpis: Map<string, Kpi>;
  readonly features: Map<string, Feature>;
  readonly docs: Map<string, DocRef & { type: string }>;
  /** Planned features by the KPIs they move. */
  readonly plannedByKpi: Map<string, Feature[]>;
  /** Every feature by KPI, planned or not. */
  readonly featuresByKpi: Map<string, Feature[]>;
  readonly keyResultsByKpi: Map<string, KeyResult[]>;
}

/** Progress of a key result: how far current has come from baseline to target. */
export function progressOf(baseline: number | undefined, current: number | undefined, target: number | undefined): number | undefined {
  if (target === undefined) return undefined;
  const b = baseline ?? 0;
  const c = current ?? baseline;
  if (c === undefined) return undefined;
  if (target === b) return c === target ? 1 : 0;
  return Math.max(0, (c - b) / (target - b));
}

function fm(a: Analysis, key: string): unknown {
  return a.model.frontMatter?.fields.find((f) => f.key === key)?.value;
}

function fmText(a: Analysis, key: string): string | undefined {
  const v = fm(a, key);
  return typeof v === 'string' ? v.trim() : typeof v === 'number' ? String(v) : undefined;
}

const cache = new WeakMap<WorkspaceIndex, { generation: number; asOf: string; strategy: Strategy }>();

export function strategyOf(index: WorkspaceIndex, registry: SchemaRegistry, asOf: string): Strategy {
  const hit = cache.get(index);
  if (hit && hit.generation === index.generation && hit.asOf === asOf) return hit.strategy;
  const strategy = buildStrategy(index, registry, asOf);
  cache.set(index, { generation: index.generation, asOf, strategy });
  return strategy;
}

export function buildStrategy(index: WorkspaceIndex, registry: SchemaRegistry, asOf: string): Strategy {
  const okrs = new Map<string, OkrDoc>();
  const docs = new Map<string, DocRef & { type: string }>();
  const docOf = new Map<string, DocRef>();
  const analyses = [...index.documents()].filter((a) => a.isSpec).sort((x, y) => x.uri.localeCompare(y.uri));
  for (const a of analyses) {
    const m = a.model;
    if (!m.docId || !m.type) continue;
    const statusRaw = fmText(a, 'status');
    const statusSchema = registry.frontMatterProperties(m.type).status;
    const status = statusRaw ? String(coerceScalar(statusRaw, statusSchema)) : undefined;
    const title = fmText(a, 'title') ?? m.title?.text;
    const ref: DocRef & { type: string } = { id: m.docId.id, uri: a.uri, span: m.docId.span, type: m.type, ...(title ? { title } : {}), ...(status ? { status } : {}) };
    if (!docs.has(ref.id)) docs.set(ref.id, ref);
    docOf.set(a.uri, ref);
    if (m.type === 'okr') {
      const periodText = fmText(a, 'period');
      const period = parsePeriod(periodText);
      const current = status !== 'closed' && (status === 'active' || (period !== undefined && periodContains(period, asOf)));
      if (!okrs.has(ref.id)) okrs.set(ref.id, { ...ref, ...(period ? { period } : {}), ...(periodText ? { periodText } : {}), current });
    }
  }
  const okrOfUri = new Map<string, OkrDoc>();
  for (const o of okrs.values()) okrOfUri.set(o.uri, o);

  const kpis = new Map<string, Kpi>();
  const keyResults = new Map<string, KeyResult>();
  const objectives = new Map<string, Objective>();
  const features = new Map<string, Feature>();
  for (const a of analyses) {
    const type = a.model.type;
    for (const e of a.model.entities) {
      const values = entityValues(e, type, registry);
      if (e.kind === 'KPI' && !kpis.has(e.id)) {
        kpis.set(e.id, { id: e.id, uri: a.uri, entity: e, values, ...(e.title ? { title: e.title } : {}) });
      } else if (e.kind === 'KR' && !keyResults.has(e.id)) {
        const baseline = num(values.get('baseline'));
        const current = num(values.get('current'));
        const target = num(values.get('target'));
        const kpi = str(values.get('kpi'));
        const okr = okrOfUri.get(a.uri);
        const progress = progressOf(baseline, current, target);
        keyResults.set(e.id, {
          id: e.id,
          uri: a.uri,
          entity: e,
          values,
          ...(e.parent ? { objective: e.parent } : {}),
          ...(okr ? { okr } : {}),
          ...(kpi ? { kpi } : {}),
          ...(baseline !== undefined ? { baseline } : {}),
          ...(current !== undefined ? { current } : {}),
          ...(target !== undefined ? { target } : {}),
          ...(str(values.get('unit')) ? { unit: str(values.get('unit'))! } : {}),
          ...(progress !== undefined ? { progress } : {}),
        });
      } else if (e.kind === 'OBJ' && !objectives.has(e.id)) {
        const okr = okrOfUri.get(a.uri);
        objectives.set(e.id, { id: e.id, uri: a.uri, entity: e, ...(okr ? { okr } : {}), weight: num(values.get('weight')) ?? 1, keyResults: [] });
      } else if (e.kind === 'FEAT' && !features.has(e.id)) {
        const prd = docOf.get(a.uri);
        const own = str(values.get('release'));
        const prdRelease = type === 'prd' ? fmText(a, 'release') : undefined;
        const release = own ?? prdRelease;
        const status = str(values.get('status')) ?? 'planned';
        const priority = str(values.get('priority'));
        const kpiItems = values.get('kpi');
        const kpiIds = kpiItems ? kpiItems.items.filter((i) => /^KPI-/.test(i.text)).map((i) => ({ id: i.text, span: i.span })) : [];
        const deps = values.get('depends_on');
        const depIds = deps ? deps.items.filter((i) => /^FEAT-/.test(i.text)).map((i) => ({ id: i.text, span: i.span })) : [];
        const releasePeriod = parsePeriod(release);
        const effort = num(values.get('effort'));
        const planned = (status === 'planned' || status === 'in-progress') && priority !== 'wont' && prd?.status !== 'archived';
        features.set(e.id, {
          id: e.id,
          uri: a.uri,
          entity: e,
          values,
          ...(prd ? { prd } : {}),
          ...(priority ? { priority } : {}),
          status,
          ...(release ? { release } : {}),
          releaseFromPrd: own === undefined && release !== undefined,
          ...(releasePeriod ? { releasePeriod } : {}),
          kpis: kpiIds,
          dependsOn: depIds,
          ...(effort !== undefined ? { effort } : {}),
          planned,
        });
      }
    }
  }
  for (const kr of keyResults.values()) {
    const o = kr.objective ? objectives.get(kr.objective) : undefined;
    if (o) o.keyResults.push(kr);
  }
  for (const [id, o] of objectives) {
    const ps = o.keyResults.map((k) => k.progress).filter((p): p is number => p !== undefined);
    if (ps.length) objectives.set(id, { ...o, progress: ps.reduce((s, p) => s + Math.min(1, p), 0) / o.keyResults.length });
  }
  const plannedByKpi = new Map<string, Feature[]>();
  const featuresByKpi = new Map<string, Feature[]>();
  for (const f of features.values())
    for (const k of new Set(f.kpis.map((x) => x.id))) {
      (featuresByKpi.get(k) ?? featuresByKpi.set(k, []).get(k)!).push(f);
      if (f.planned) (plannedByKpi.get(k) ?? plannedByKpi.set(k, []).get(k)!).push(f);
    }
  const keyResultsByKpi = new Map<string, KeyResult[]>();
  for (const kr of keyResults.values()) if (kr.kpi) (keyResultsByKpi.get(kr.kpi) ?? keyResultsByKpi.set(kr.kpi, []).get(kr.kpi)!).push(kr);
  return { asOf, okrs, objectives, keyResults, kpis, features, docs, plannedByKpi, featuresByKpi, keyResultsByKpi };
}

/** The key results of current OKRs a feature serves (one of its KPIs is the key result's KPI). */
export function servedKeyResults(s: Strategy, f: Feature, currentOnly = true): KeyResult[] {
  const out: KeyResult[] = [];
  for (const k of new Set(f.kpis.map((x) => x.id))) for (const kr of s.keyResultsByKpi.get(k) ?? []) if (!currentOnly || kr.okr?.current) out.push(kr);
  return out;
}

export function percent(p: number | undefined): string {
  return p === undefined ? 'n/a' : `${Math.round(p * 100)}%`;
}

/** One line: is this feature aligned with a current OKR? */
export function featureVerdict(s: Strategy, f: Feature): string {
  if (!f.planned) return `Not planned work (${f.status}${f.priority === 'wont' ? ', wont' : ''}${f.prd?.status === 'archived' ? ', archived PRD' : ''}): not judged.`;
  if (!f.kpis.length) return `${f.priority === 'must' ? '⛔' : '⚠️'} Not aligned: moves no KPI.`;
  const served = servedKeyResults(s, f);
  if (!served.length) return `${f.priority === 'must' ? '⛔' : '⚠️'} Not aligned: no key result of a current OKR measures ${f.kpis.map((k) => k.id).join(', ')}.`;
  const late = served.filter((kr) => kr.okr?.period && f.releasePeriod && f.releasePeriod.end > kr.okr.period.end);
  if (late.length) return `⚠️ Serves ${late.map((k) => k.id).join(', ')} but ships ${f.release}, after ${late[0]!.okr!.periodText ?? 'its period'} ends.`;
  return `✅ Aligned: serves ${served.map((k) => k.id).join(', ')}.`;
}
