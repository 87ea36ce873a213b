/**
 * The strategy of a workspace, as the alignment check and the hover see it: OKR documents with
 * their objectives and key results, KPIs, and the roadmap (every feature of every PRD with its
 * release and status). Derived from the index; cached per index generation and as-of date.
 */
import { heldToFormat } from '../model/adoption.js';
import type { Analysis } from '../analysis.js';
import type { WorkspaceIndex } from '../index/workspaceIndex.js';
import type { Entity } from '../model/types.js';
import { parsePeriod, periodContains, type Period } from '../model/values.js';
import { changeStart, entityValues, frontMatterValues, ids, num, scalar, str, writtenDirection, type EntityValue } from '../schema/entityValues.js';
import type { SchemaRegistry } from '../schema/registry.js';
import type { Span } from '../text/lineIndex.js';
import { ID_EXACT } from '../ids.js';
import { metricsOf, type MetricStore } from '../metrics/store.js';
import type { MetricPoint } from '../metrics/snapshot.js';

/** A product's lifecycle stage, as a brief's `stage` says. */
export type Stage = 'ideation' | 'development' | 'launch' | 'growth' | 'maturity' | 'end-of-life';
export const STAGES: readonly Stage[] = ['ideation', 'development', 'launch', 'growth', 'maturity', 'end-of-life'];

export interface DocRef {
  readonly id: string;
  readonly uri: string;
  readonly title?: string;
  readonly status?: string;
  readonly span: Span;
  /** A brief's lifecycle stage. */
  readonly stage?: Stage;
  /** A PRD's brief (its `brief` field). */
  readonly brief?: string;
  /** The document has a Go-to-market section. */
  readonly goToMarket?: boolean;
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
  /** Where `current` comes from: written in the document, or the latest data point of its KPI (metric snapshots). */
  readonly currentFrom?: 'written' | 'data';
  /** The latest data point of its KPI (of its `segment`) on or before the as-of date. */
  readonly dataPoint?: MetricPoint;
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
  /** Features and key results by the document that defines them. */
  readonly byUri: Map<string, { features: Feature[]; keyResults: KeyResult[] }>;
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

interface StrategyEntry {
  generation: number;
  /** The metric store's generation the strategy read. */
  metrics: number;
  asOf: string;
  registry: SchemaRegistry;
  strategy: Strategy;
  /** The analysis each document's parts came from. */
  sources: Map<string, Analysis>;
}

const cache = new WeakMap<WorkspaceIndex, StrategyEntry>();

export function strategyOf(index: WorkspaceIndex, registry: SchemaRegistry, asOf: string): Strategy {
  const hit = cache.get(index);
  const metrics = metricsOf(index).generation;
  if (hit && hit.asOf === asOf && hit.registry === registry && hit.metrics === metrics) {
    if (hit.generation === index.generation) return hit.strategy;
    // A keystroke in prose changes a document's spans, not its strategy: patch instead of rebuilding.
    if (!index.hasNameReferences && patch(hit, index, registry, asOf)) return hit.strategy;
  }
  const strategy = buildStrategy(index, registry, asOf);
  const sources = new Map<string, Analysis>();
  for (const a of index.documents()) if (a.isSpec) sources.set(a.uri, a);
  cache.set(index, { generation: index.generation, metrics, asOf, registry, strategy, sources });
  return strategy;
}

/**
 * What a document says about the strategy (its relationships, not its prose or ranges): when
 * this is unchanged by an edit, no other document's alignment findings can have changed.
 */
export function strategySignature(a: Analysis, registry: SchemaRegistry, asOf: string): string {
  return a.isSpec ? signature(partsOf(a, registry, asOf)) : '';
}

/** What a document's parts say about the strategy, without ranges or entity objects. */
function signature(p: DocParts): string {
  return JSON.stringify(p, (key, value: unknown) => (key === 'entity' || key === 'values' || key === 'span' || key === 'idSpan' || key === 'uri' ? undefined : value));
}

/**
 * Brings a cached strategy up to date when the documents that changed since kept their
 * signature: their objects (with the new ranges) replace the old ones in every map. Answers
 * false (rebuild) when anything else changed.
 */
function patch(entry: StrategyEntry, index: WorkspaceIndex, registry: SchemaRegistry, asOf: string): boolean {
  const changed: { uri: string; before: DocParts; after: DocParts }[] = [];
  let count = 0;
  for (const a of index.documents()) {
    if (!a.isSpec) continue;
    count++;
    const old = entry.sources.get(a.uri);
    if (old === a) continue;
    if (!old || changed.length > 4) return false;
    const before = partsOf(old, registry, asOf);
    const after = partsOf(a, registry, asOf);
    if (signature(before) !== signature(after)) return false;
    changed.push({ uri: a.uri, before, after });
  }
  if (count !== entry.sources.size) return false;
  const s = entry.strategy;
  const store = metricsOf(index);
  for (const { uri, after } of changed) {
    const afterKrs = after.keyResults.map((k) => withData(k, store, asOf));
    const own = <T extends { id: string; uri: string }>(map: Map<string, T>, list: readonly T[]) => {
      for (const x of list) if (map.get(x.id)?.uri === uri) map.set(x.id, x);
    };
    if (after.doc && s.docs.get(after.doc.id)?.uri === uri) s.docs.set(after.doc.id, after.doc);
    if (after.okr && s.okrs.get(after.okr.id)?.uri === uri) s.okrs.set(after.okr.id, after.okr);
    own(s.kpis, after.kpis);
    own(s.features, after.features);
    own(s.keyResults, afterKrs);
    for (const o of after.objectives) {
      const cur = s.objectives.get(o.id);
      if (cur?.uri !== uri) continue;
      const krs = cur.keyResults.map((k) => (k.uri === uri ? (s.keyResults.get(k.id) ?? k) : k));
      s.objectives.set(o.id, { ...o, keyResults: krs, ...(cur.progress !== undefined ? { progress: cur.progress } : {}) });
    }
    const swap = <T extends { id: string; uri: string }>(map: Map<string, T[]>, byId: Map<string, T>) => {
      for (const list of map.values()) for (let i = 0; i < list.length; i++) if (list[i]!.uri === uri) list[i] = byId.get(list[i]!.id) ?? list[i]!;
    };
    swap(s.plannedByKpi, s.features);
    swap(s.featuresByKpi, s.features);
    swap(s.keyResultsByKpi, s.keyResults);
    const mine = { features: after.features.filter((f) => s.features.get(f.id) === f), keyResults: afterKrs.filter((k) => s.keyResults.get(k.id) === k) };
    if (mine.features.length || mine.keyResults.length) s.byUri.set(uri, mine);
    else s.byUri.delete(uri);
    entry.sources.set(uri, index.get(uri)!);
  }
  entry.generation = index.generation;
  return true;
}

/** What one document contributes to the strategy, computed once per analysis (and as-of date). */
interface DocParts {
  readonly doc?: DocRef & { type: string };
  readonly okr?: OkrDoc;
  readonly kpis: Kpi[];
  readonly keyResults: KeyResult[];
  readonly objectives: Objective[];
  readonly features: Feature[];
}

const partsCache = new WeakMap<Analysis, { asOf: string; registry: SchemaRegistry; parts: DocParts }>();

function partsOf(a: Analysis, registry: SchemaRegistry, asOf: string): DocParts {
  const hit = partsCache.get(a);
  if (hit && hit.asOf === asOf && hit.registry === registry) return hit.parts;
  const parts = computeParts(a, registry, asOf);
  partsCache.set(a, { asOf, registry, parts });
  return parts;
}

function computeParts(a: Analysis, registry: SchemaRegistry, asOf: string): DocParts {
  const m = a.model;
  const type = m.type;
  let doc: (DocRef & { type: string }) | undefined;
  let okr: OkrDoc | undefined;
  if (m.docId && type) {
    // The front matter as read once (schema/entityValues.ts): status and stage with their aliases.
    const fm = frontMatterValues(m, type, registry);
    const status = scalar(fm.get('status')) || undefined;
    const title = scalar(fm.get('title')) ?? m.title?.text;
    const stageValue = type === 'brief' ? scalar(fm.get('stage')) : undefined;
    const stage = STAGES.find((x) => x === stageValue);
    const brief = type === 'prd' ? scalar(fm.get('brief')) : undefined;
    const goToMarket = m.sections.some((x) => registry.resolveSection(type, x.normalized).includes('go_to_market'));
    doc = { id: m.docId.id, uri: a.uri, span: m.docId.span, type, ...(title ? { title } : {}), ...(status ? { status } : {}), ...(stage ? { stage } : {}), ...(brief ? { brief } : {}), ...(goToMarket ? { goToMarket } : {}) };
    if (type === 'okr') {
      const periodText = scalar(fm.get('period'));
      const period = parsePeriod(periodText);
      const current = status !== 'closed' && (status === 'active' || (period !== undefined && periodContains(period, asOf)));
      okr = { ...doc, ...(period ? { period } : {}), ...(periodText ? { periodText } : {}), current };
    }
  }
  const kpis: Kpi[] = [];
  const keyResults: KeyResult[] = [];
  const objectives: Objective[] = [];
  const features: Feature[] = [];
  // The document's status, also when it names no ID (written in the body: `**Status**: ✅ Implemented`).
  const docStatus = doc?.status ?? (type ? scalar(frontMatterValues(m, type, registry).get('status')) : undefined);
  for (const e of m.entities) {
    const values = entityValues(e, type, registry, m.priorityScale);
    if (e.kind === 'KPI') {
      kpis.push({ id: e.id, uri: a.uri, entity: e, values, ...(e.title ? { title: e.title } : {}) });
    } else if (e.kind === 'KR') {
      // A target written as a change (`12% → 20%`) gives the baseline when none is written.
      const baseline = num(values.get('baseline')) ?? changeStart(values.get('target'));
      const current = num(values.get('current'));
      const target = num(values.get('target'));
      const kpi = str(values.get('kpi'));
      const progress = progressOf(baseline, current, target);
      keyResults.push({
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
    } else if (e.kind === 'OBJ') {
      objectives.push({ id: e.id, uri: a.uri, entity: e, ...(okr ? { okr } : {}), weight: num(values.get('weight')) ?? 1, keyResults: [] });
    } else if (e.kind === 'FEAT' && (type === 'prd' || heldToFormat(e))) {
      // A feature list read without IDs outside a PRD (a brief's MVP scope) states scope, not planned work.
      const own = str(values.get('release'));
      const prdRelease = type === 'prd' ? scalar(frontMatterValues(m, type, registry).get('release')) : undefined;
      const release = own ?? prdRelease;
      // A feature read without an ID in a shipped PRD (`**Status**: Implemented`) is shipped unless it says otherwise.
      const status = str(values.get('status')) ?? (docStatus === 'shipped' && !heldToFormat(e) ? 'shipped' : 'planned');
      const priority = str(values.get('priority'));
      const kpiIds = ids(values.get('kpi'), 'KPI');
      const depIds = ids(values.get('depends_on'), 'FEAT');
      const releasePeriod = parsePeriod(release);
      const effort = num(values.get('effort'));
      const planned = (status === 'planned' || status === 'in-progress') && priority !== 'wont' && docStatus !== 'archived';
      features.push({
        id: e.id,
        uri: a.uri,
        entity: e,
        values,
        ...(doc ? { prd: doc } : {}),
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
  return { ...(doc ? { doc } : {}), ...(okr ? { okr } : {}), kpis, keyResults, objectives, features };
}

/**
 * The strategy of the workspace: each document's parts (cached per analysis, so an edit
 * recomputes one document's) assembled into workspace maps. The first definition of an ID (by
 * URI) wins, as the index's does.
 */
export function buildStrategy(index: WorkspaceIndex, registry: SchemaRegistry, asOf: string): Strategy {
  const okrs = new Map<string, OkrDoc>();
  const docs = new Map<string, DocRef & { type: string }>();
  const kpis = new Map<string, Kpi>();
  const keyResults = new Map<string, KeyResult>();
  const objectiveParts = new Map<string, Objective>();
  const features = new Map<string, Feature>();
  const store = metricsOf(index);
  const analyses = [...index.documents()].filter((a) => a.isSpec).sort((x, y) => (x.uri < y.uri ? -1 : x.uri > y.uri ? 1 : 0));
  for (const a of analyses) {
    const p = partsOf(a, registry, asOf);
    if (p.doc && !docs.has(p.doc.id)) docs.set(p.doc.id, p.doc);
    if (p.okr && !okrs.has(p.okr.id)) okrs.set(p.okr.id, p.okr);
    for (const k of p.kpis) if (!kpis.has(k.id)) kpis.set(k.id, k);
    for (const k of p.keyResults) if (!keyResults.has(k.id)) keyResults.set(k.id, withData(k, store, asOf));
    for (const o of p.objectives) if (!objectiveParts.has(o.id)) objectiveParts.set(o.id, o);
    for (const f of p.features) if (!features.has(f.id)) features.set(f.id, f);
  }
  // References by name (`kpi: Weekly active teams`) that the index resolves count as the IDs they name.
  if (index.hasNameReferences) {
    for (const [id, f] of features) {
      const named = index.resolvedNames(f.uri, f.id, ['kpi', 'kpis', 'metric']);
      if (named.length) features.set(id, { ...f, kpis: [...f.kpis, ...named] });
    }
    for (const [id, kr] of keyResults) {
      // A key result's `kpi` is read as text: a name there (not an ID) gives way to the ID it names.
      const named = kr.kpi && ID_EXACT.test(kr.kpi) ? undefined : index.resolvedNames(kr.uri, kr.id, ['kpi', 'metric'])[0];
      if (named) keyResults.set(id, { ...kr, kpi: named.id });
    }
  }
  // Objectives collect their key results (a fresh object per build: the parts stay untouched).
  const byObjective = new Map<string, KeyResult[]>();
  for (const kr of keyResults.values()) if (kr.objective && objectiveParts.has(kr.objective)) (byObjective.get(kr.objective) ?? byObjective.set(kr.objective, []).get(kr.objective)!).push(kr);
  const objectives = new Map<string, Objective>();
  for (const [id, o] of objectiveParts) {
    const krs = byObjective.get(id) ?? [];
    const ps = krs.map((k) => k.progress).filter((p): p is number => p !== undefined);
    objectives.set(id, { ...o, keyResults: krs, ...(ps.length ? { progress: ps.reduce((s2, p) => s2 + Math.min(1, p), 0) / krs.length } : {}) });
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
  const byUri = new Map<string, { features: Feature[]; keyResults: KeyResult[] }>();
  const slot = (uri: string) => byUri.get(uri) ?? byUri.set(uri, { features: [], keyResults: [] }).get(uri)!;
  for (const f of features.values()) slot(f.uri).features.push(f);
  for (const k of keyResults.values()) slot(k.uri).keyResults.push(k);
  return { asOf, okrs, objectives, keyResults, kpis, features, docs, plannedByKpi, featuresByKpi, keyResultsByKpi, byUri };
}

/**
 * A key result with what the metric snapshots say: the latest data point of its KPI on or
 * before the as-of date (rows with a segment only when the key result names that `segment`);
 * without a written `current`, that point is its current value and makes its progress.
 */
function withData(kr: KeyResult, store: MetricStore, asOf: string): KeyResult {
  if (!kr.kpi || !store.size) return kr;
  const latest = store.latest(kr.kpi, asOf, str(kr.values.get('segment')));
  if (!latest) return kr;
  if (kr.current !== undefined) return { ...kr, currentFrom: 'written', dataPoint: latest };
  const progress = progressOf(kr.baseline, latest.value, kr.target);
  return { ...kr, current: latest.value, currentFrom: 'data', dataPoint: latest, ...(progress !== undefined ? { progress } : {}) };
}

export function percent(p: number | undefined): string {
  return p === undefined ? 'n/a' : `${Math.round(p * 100)}%`;
}

/** Effort with its unit spelled out: `1 person-month`, `4 person-months`. */
export function personMonths(n: number): string {
  return `${n} person-month${n === 1 ? '' : 's'}`;
}

/** Units that add nothing after a number (a score is a number). */
const UNITLESS = new Set(['score', 'number', 'count', 'index']);

/**
 * A value as written, with its unit: `61%` (unit `%`), `72 h`, `€1.2M` (unit `€`), `182 USD M`;
 * unchanged when it already carries the unit or the unit adds nothing.
 */
export function withUnit(raw: string, unit: string | undefined): string {
  const u = unit?.trim();
  const v = raw.trim();
  if (!u || UNITLESS.has(u.toLowerCase()) || !/\d/.test(v) || v.toLowerCase().includes(u.toLowerCase())) return v;
  if (/^(?:%|‰|percent|pct)$/i.test(u)) return v.endsWith('%') || v.endsWith('‰') ? v : `${v}${u.length > 1 ? '%' : u}`;
  if (/^[€$£¥₹]$/.test(u)) return `${u}${v}`;
  return `${v} ${u}`;
}

/** A key result's unit: its own, else its KPI's. */
export function unitOf(s: Strategy, kr: KeyResult): string | undefined {
  return kr.unit ?? str(s.kpis.get(kr.kpi ?? '')?.values.get('unit'));
}

/**
 * Which way a key result counts as better: down when its target is below its baseline, up when
 * above; otherwise what its KPI's `direction` says; otherwise what a target written as a bound
 * says (`<500ms` down, `≥90%` up), the key result's, then its KPI's.
 */
export function directionOf(s: Strategy, kr: KeyResult): 'up' | 'down' | undefined {
  if (kr.target !== undefined && kr.baseline !== undefined && kr.target !== kr.baseline) return kr.target < kr.baseline ? 'down' : 'up';
  const kpi = s.kpis.get(kr.kpi ?? '');
  const d = str(kpi?.values.get('direction'));
  return d === 'up' || d === 'down' ? d : (writtenDirection(kr.values.get('target')) ?? writtenDirection(kpi?.values.get('target')));
}
