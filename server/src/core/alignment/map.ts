/**
 * The strategy map: the current strategy as a layered graph — products (briefs, where the
 * vision is written) → objectives → key results → KPIs → features — each node in the
 * state the report colours it by (coverage and timing), laid out left to right.
 *
 * The layout is @dagrejs/dagre's: a layered (Sugiyama) DAG layout — ranks, crossing
 * minimisation, coordinates and edge routes — in plain synchronous JavaScript with no DOM, so it
 * runs in the pure core, in the CLI and in the language server alike. Each kind of node gets its
 * own layer (dagre's `ranker: 'none'` keeps the ranks given here), so a feature with no KPI
 * still stands with the features. Text is measured by an estimate (no DOM): labels are wrapped
 * to a fixed width and cut with "…"; the full text is in the node's detail (the tooltip).
 */
import dagre from '@dagrejs/dagre';
import { featureVerdict, verdictLine } from './verdict.js';
import { percent, personMonths, type Strategy } from './strategy.js';
import type { AlignmentSummary } from './summary.js';

export type MapKind = 'brief' | 'objective' | 'keyResult' | 'kpi' | 'feature';

/**
 * What a node's colour says.
 * - `aligned`: a feature that serves a key result of a current OKR in time; a key result some
 *   planned feature moves; an objective whose key results are all covered; a KPI a current key
 *   result measures and planned work moves;
 * - `late`: a feature that serves a key result but ships after its OKR's period;
 * - `unaligned`: a feature whose KPIs no key result of a current OKR measures;
 * - `no-kpi`: a feature that moves no KPI;
 * - `uncovered`: a key result no planned feature moves (an objective with such a key result; a
 *   KPI a current key result measures that no planned feature moves);
 * - `unmeasured`: a KPI planned work moves that no key result of a current OKR measures;
 * - `undefined`: a KPI planned work names that is defined nowhere;
 * - `inactive`: an objective or key result of an OKR that is not current (a draft, closed, another period);
 * - `not-planned`: a feature that is not planned work (shipped, dropped, wont, or in an archived PRD);
 * - `neutral`: a product brief.
 */
export type MapState = 'neutral' | 'aligned' | 'late' | 'unaligned' | 'no-kpi' | 'uncovered' | 'unmeasured' | 'undefined' | 'inactive' | 'not-planned';

export interface MapNode {
  /** The entity's ID (`FEAT-saved-cards`); unique in the map. */
  readonly id: string;
  readonly kind: MapKind;
  readonly state: MapState;
  /** The label lines: the ID (its first `idLines` lines), then the title, wrapped and cut. */
  readonly title: readonly string[];
  readonly idLines: number;
  /** One line of facts under the label. */
  readonly meta?: string;
  /** 0..1, for objectives and key results. */
  readonly progress?: number;
  /** The tooltip: title, progress, verdict — plain text, one fact per line. */
  readonly detail: string;
  /** Where it is defined (absent for a KPI defined nowhere). */
  readonly uri?: string;
  readonly line?: number;
  /** Top-left corner and size, in SVG user units. */
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface MapEdge {
  readonly from: string;
  readonly to: string;
  /** `late`: the feature serves this KPI's key result after its period. */
  readonly state?: 'late';
  readonly points: readonly { x: number; y: number }[];
}

export interface StrategyMap {
  readonly width: number;
  readonly height: number;
  readonly nodes: readonly MapNode[];
  readonly edges: readonly MapEdge[];
  /** Planned features left out because the map would be too large to read (and to lay out). */
  readonly omitted: number;
}

/** Layout constants, shared with the SVG renderer. */
export const MAP = {
  nodeWidth: 220,
  lineHeight: 15,
  padding: 8,
  /** Characters per label line at 12px (an estimate: no DOM to measure). */
  charsPerLine: 30,
  titleLines: 2,
  barHeight: 4,
  margin: 16,
} as const;

/** Above this many features the map keeps planned work with a problem first, then the rest of the planned work, and counts what it leaves out. */
const MAX_FEATURES = 400;

const LAYER: Record<MapKind, number> = { brief: 0, objective: 1, keyResult: 2, kpi: 3, feature: 4 };

/** Words to at most `lines` lines of `width` characters; a cut text ends with "…". */
export function wrapText(text: string, width: number, lines: number): string[] {
  if (lines < 1 || width < 2) return [];
  const out: string[] = [];
  let cur = '';
  for (const word of text.replace(/\s+/g, ' ').trim().split(' ').filter(Boolean)) {
    // A word longer than a line is broken.
    for (let i = 0; i < word.length; i += width) {
      const chunk = word.slice(i, i + width);
      if (!cur) cur = chunk;
      else if (cur.length + 1 + chunk.length <= width) cur += ` ${chunk}`;
      else {
        out.push(cur);
        cur = chunk;
      }
    }
  }
  if (cur) out.push(cur);
  if (out.length <= lines) return out;
  const kept = out.slice(0, lines);
  const last = kept[lines - 1]!;
  kept[lines - 1] = `${last.length >= width ? last.slice(0, width - 1) : last}…`;
  return kept;
}

interface Draft {
  key: string;
  id: string;
  kind: MapKind;
  state: MapState;
  titleText?: string;
  meta?: string;
  progress?: number;
  detail: string;
  uri?: string;
  line?: number;
}

/**
 * The map of the strategy the summary describes. `lineOf` answers the 1-based line of an
 * offset in a document (for KPIs and briefs, which the summary does not place).
 */
export function buildStrategyMap(s: AlignmentSummary, strategy: Strategy, lineOf: (uri: string, offset: number) => number): StrategyMap {
  const drafts = new Map<string, Draft>();
  const edges: { from: string; to: string; state?: 'late' }[] = [];
  const edgeKeys = new Set<string>();
  const key = (kind: MapKind, id: string) => `${kind}:${id}`;
  const add = (d: Draft) => {
    if (!drafts.has(d.key)) drafts.set(d.key, d);
    return d.key;
  };
  const link = (from: string, to: string, state?: 'late') => {
    const k = `${from}>${to}`;
    if (edgeKeys.has(k) || from === to) return;
    edgeKeys.add(k);
    edges.push({ from, to, ...(state ? { state } : {}) });
  };

  // Products: every brief (its title and stage; the vision is its document's).
  const briefOf = new Map<string, string>();
  for (const p of s.products) {
    briefOf.set(p.id, add({ key: key('brief', p.id), id: p.id, kind: 'brief', state: 'neutral', ...(p.title ? { titleText: p.title } : {}), ...(p.stage ? { meta: `stage: ${p.stage}` } : {}), detail: lines(`${p.id}${p.title ? ` — ${p.title}` : ''}`, p.stage ? `Stage: ${p.stage}` : 'Stage not set', p.prds.length ? `PRDs: ${p.prds.join(', ')}` : 'No PRD names this brief'), uri: p.uri, line: p.line }));
  }
  /** The brief a KPI or a feature belongs to: its document is the brief, or a PRD that names it. */
  const briefOfUri = (uri: string): string | undefined => {
    for (const d of strategy.docs.values()) {
      if (d.uri !== uri) continue;
      if (d.type === 'brief') return d.id;
      if (d.type === 'prd' && d.brief && strategy.docs.get(d.brief)?.type === 'brief') return d.brief;
    }
    return undefined;
  };

  // Every feature; a large roadmap keeps planned work with a problem, then the rest of the
  // planned work, then the rest, and counts what it leaves out.
  const all = [...strategy.features.values()];
  let features = all;
  let omitted = 0;
  if (all.length > MAX_FEATURES) {
    const rank = (f: (typeof all)[number]) => (!f.planned ? 2 : featureVerdict(strategy, f).status === 'aligned' ? 1 : 0);
    const keep = new Set([...all].sort((a, b) => rank(a) - rank(b)).slice(0, MAX_FEATURES));
    omitted = all.length - keep.size;
    features = all.filter((f) => keep.has(f));
  }

  // KPIs a key result of a current OKR measures.
  const measured = new Set(s.okrs.flatMap((o) => o.objectives.flatMap((ob) => ob.keyResults.flatMap((kr) => (kr.kpi ? [kr.kpi] : [])))));
  for (const o of s.okrs)
    for (const ob of o.objectives) {
      const uncovered = ob.keyResults.filter((k) => !k.covered).length;
      const obKey = add({
        key: key('objective', ob.id),
        id: ob.id,
        kind: 'objective',
        state: uncovered ? 'uncovered' : 'aligned',
        ...(ob.title ? { titleText: ob.title } : {}),
        meta: `${percent(ob.progress)} · weight ${ob.weightSet === false ? '—' : ob.weight}`,
        ...(ob.progress !== undefined ? { progress: ob.progress } : {}),
        detail: lines(
          `${ob.id}${ob.title ? ` — ${ob.title}` : ''}`,
          `Progress ${percent(ob.progress)} · weight ${ob.weightSet === false ? '— (not set)' : ob.weight}`,
          `${count(ob.keyResults.length, 'key result')}${uncovered ? `, ${uncovered} not covered by planned work` : ', all covered by planned work'}`,
          `${o.id}${o.period ? ` (${o.period})` : ''}`,
        ),
        uri: ob.uri,
        line: ob.line,
      });
      const briefs = new Set<string>();
      for (const kr of ob.keyResults) {
        const krKey = add({
          key: key('keyResult', kr.id),
          id: kr.id,
          kind: 'keyResult',
          state: kr.covered ? 'aligned' : 'uncovered',
          ...(kr.title ? { titleText: kr.title } : {}),
          meta: `${percent(kr.progress)}${kr.current !== undefined && kr.target !== undefined ? ` · ${kr.current} of ${kr.target}` : ''}`,
          ...(kr.progress !== undefined ? { progress: kr.progress } : {}),
          detail: lines(
            `${kr.id}${kr.title ? ` — ${kr.title}` : ''}`,
            `Progress ${percent(kr.progress)}${kr.baseline !== undefined || kr.current !== undefined || kr.target !== undefined ? `: ${kr.baseline ?? '?'} → ${kr.current ?? '?'}, target ${kr.target ?? '?'}` : ''}`,
            kr.covered ? `Covered by ${count(kr.features.length, 'planned feature')}${kr.effort ? ` (${personMonths(kr.effort)})` : ''}` : `Not covered: no planned feature moves ${kr.kpi ?? 'its KPI'}`,
          ),
          uri: kr.uri,
          line: kr.line,
        });
        link(obKey, krKey);
        if (!kr.kpi) continue;
        const kpi = strategy.kpis.get(kr.kpi);
        const b = kpi ? briefOfUri(kpi.uri) : undefined;
        if (b) briefs.add(b);
        for (const f of kr.features) {
          const fb = briefOfUri(f.uri);
          if (fb) briefs.add(fb);
        }
        link(krKey, kpiNode(kr.kpi));
      }
      for (const b of briefs) if (briefOf.has(b)) link(briefOf.get(b)!, obKey);
    }

  // Objectives and key results of OKRs that are not current: on the map, greyed.
  const shown = new Set(s.okrs.flatMap((o) => o.objectives.map((ob) => ob.id)));
  const others = [...strategy.objectives.values()].filter((ob) => !shown.has(ob.id)).sort((a, b) => (a.uri < b.uri ? -1 : a.uri > b.uri ? 1 : a.entity.idSpan.start - b.entity.idSpan.start));
  for (const ob of others) {
    const okr = ob.okr ? `${ob.okr.id}${ob.okr.periodText ? `, ${ob.okr.periodText}` : ''}${ob.okr.status ? `, ${ob.okr.status}` : ''}` : 'in no OKR document';
    const obKey = add({
      key: key('objective', ob.id),
      id: ob.id,
      kind: 'objective',
      state: 'inactive',
      ...(ob.entity.title ? { titleText: ob.entity.title } : {}),
      meta: `not current · ${percent(ob.progress)}`,
      ...(ob.progress !== undefined ? { progress: ob.progress } : {}),
      detail: lines(`${ob.id}${ob.entity.title ? ` — ${ob.entity.title}` : ''}`, `Not current as of ${s.asOf} (${okr})`, `Progress ${percent(ob.progress)}`),
      uri: ob.uri,
      line: lineOf(ob.uri, ob.entity.idSpan.start),
    });
    for (const kr of ob.keyResults) {
      const krKey = add({
        key: key('keyResult', kr.id),
        id: kr.id,
        kind: 'keyResult',
        state: 'inactive',
        ...(kr.entity.title ? { titleText: kr.entity.title } : {}),
        meta: `not current · ${percent(kr.progress)}`,
        ...(kr.progress !== undefined ? { progress: kr.progress } : {}),
        detail: lines(`${kr.id}${kr.entity.title ? ` — ${kr.entity.title}` : ''}`, `Not current as of ${s.asOf} (${okr})`, `Progress ${percent(kr.progress)}`),
        uri: kr.uri,
        line: lineOf(kr.uri, kr.entity.idSpan.start),
      });
      link(obKey, krKey);
      if (kr.kpi) link(krKey, kpiNode(kr.kpi));
    }
  }

  function kpiNode(id: string): string {
    const k = key('kpi', id);
    if (drafts.has(k)) return k;
    const kpi = strategy.kpis.get(id);
    const movers = (strategy.plannedByKpi.get(id) ?? []).length;
    const krs = (strategy.keyResultsByKpi.get(id) ?? []).filter((kr) => kr.okr?.current).map((kr) => kr.id);
    const state: MapState = !kpi ? 'undefined' : !measured.has(id) ? 'unmeasured' : movers ? 'aligned' : 'uncovered';
    return add({
      key: k,
      id,
      kind: 'kpi',
      state,
      ...(kpi?.title ? { titleText: kpi.title } : {}),
      ...(state === 'undefined' ? { meta: 'defined nowhere' } : state === 'unmeasured' ? { meta: 'no current key result' } : {}),
      detail: lines(
        `${id}${kpi?.title ? ` — ${kpi.title}` : ''}`,
        !kpi ? 'Not defined anywhere in the workspace' : krs.length ? `Measured by ${krs.join(', ')}` : 'No key result of a current OKR measures it',
        `Moved by ${count(movers, 'planned feature')}`,
      ),
      ...(kpi ? { uri: kpi.uri, line: lineOf(kpi.uri, kpi.entity.idSpan.start) } : {}),
    });
  }

  let noKpi: string | undefined;
  for (const f of features) {
    const v = featureVerdict(strategy, f);
    const state: MapState = v.status === 'aligned' ? 'aligned' : v.status === 'late' ? 'late' : v.status === 'no-kpi' ? 'no-kpi' : v.status === 'not-planned' ? 'not-planned' : 'unaligned';
    const facts = [f.priority, f.release ? `ships ${f.release}` : undefined, f.effort !== undefined ? personMonths(f.effort) : undefined].filter(Boolean);
    const fKey = add({
      key: key('feature', f.id),
      id: f.id,
      kind: 'feature',
      state,
      ...(f.entity.title ? { titleText: f.entity.title } : {}),
      meta: [f.planned ? undefined : f.status, f.priority, f.release].filter(Boolean).join(' · '),
      detail: lines(`${f.id}${f.entity.title ? ` — ${f.entity.title}` : ''}`, verdictLine(strategy, f, v), `${f.status}${facts.length ? ` · ${facts.join(' · ')}` : ''}`),
      uri: f.uri,
      line: lineOf(f.uri, f.entity.idSpan.start),
    });
    if (!f.kpis.length) {
      // One place in the KPI layer for the features that move none.
      noKpi ??= add({ key: 'kpi:', id: '(no KPI)', kind: 'kpi', state: 'no-kpi', titleText: 'Moves no KPI', detail: 'Features that name no KPI: give each the KPI it should move.' });
      link(noKpi, fKey);
      continue;
    }
    const lateKpis = new Set(v.late.map((kr) => kr.kpi));
    for (const k of new Set(f.kpis.map((x) => x.id))) link(kpiNode(k), fKey, lateKpis.has(k) ? 'late' : undefined);
  }
  return layout([...drafts.values()], edges, omitted);
}

function lines(...parts: (string | undefined)[]): string {
  return parts.filter((p): p is string => !!p).join('\n');
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function layout(drafts: Draft[], edges: { from: string; to: string; state?: 'late' }[], omitted: number): StrategyMap {
  const g = new dagre.graphlib.Graph();
  g.setGraph({ rankdir: 'LR', ranker: 'none', nodesep: 14, ranksep: 56, edgesep: 8, marginx: MAP.margin, marginy: MAP.margin });
  g.setDefaultEdgeLabel(() => ({}));
  // Only the layers in use, consecutive (a workspace with no OKR has no objective layer).
  const used = [...new Set(drafts.map((d) => LAYER[d.kind]))].sort((a, b) => a - b);
  const sized = drafts.map((d) => {
    const idLines = wrapText(d.id, MAP.charsPerLine - 3, 2);
    const title = [...idLines, ...(d.titleText ? wrapText(d.titleText, MAP.charsPerLine, MAP.titleLines) : [])];
    const rows = title.length + (d.meta ? 1 : 0);
    const height = MAP.padding * 2 + rows * MAP.lineHeight + (d.progress !== undefined ? MAP.barHeight + 4 : 0);
    // dagre counts ranks twice over (room for edge labels): a layer is two ranks apart.
    g.setNode(d.key, { width: MAP.nodeWidth, height, rank: used.indexOf(LAYER[d.kind]) * 2 });
    return { d, title, idLines: idLines.length, height };
  });
  for (const e of edges) g.setEdge(e.from, e.to);
  let placed: (key: string) => { x: number; y: number };
  try {
    // dagre's crossing minimisation sweeps the layers many times: on a large map, its first
    // order (from the order the nodes are added: objectives, their key results, their KPIs) is kept.
    dagre.layout(g, drafts.length + edges.length > LARGE ? { disableOptimalOrderHeuristic: true } : {});
    placed = (key) => g.node(key) as { x: number; y: number };
  } catch {
    // A layout failure must not cost the report its map: one column per layer, in order.
    placed = columns(sized.map(({ d, height }) => ({ key: d.key, layer: used.indexOf(LAYER[d.kind]), height })));
  }
  const nodes: MapNode[] = sized.map(({ d, title, idLines, height }) => {
    const n = placed(d.key);
    return {
      id: d.id,
      kind: d.kind,
      state: d.state,
      title,
      idLines,
      ...(d.meta ? { meta: d.meta } : {}),
      ...(d.progress !== undefined ? { progress: d.progress } : {}),
      detail: d.detail,
      ...(d.uri ? { uri: d.uri, line: d.line ?? 1 } : {}),
      x: round(n.x - MAP.nodeWidth / 2),
      y: round(n.y - height / 2),
      width: MAP.nodeWidth,
      height,
    };
  });
  // Edges run from the right side of one layer to the left side of the next (a curve drawn
  // between the two points reads better than dagre's routes through the gap of a dummy rank).
  const byKey = new Map(sized.map(({ d }, i) => [d.key, nodes[i]!]));
  const out: MapEdge[] = edges.map((e) => {
    const a = byKey.get(e.from)!;
    const b = byKey.get(e.to)!;
    const points = [
      { x: round(a.x + a.width), y: round(a.y + a.height / 2) },
      { x: round(b.x), y: round(b.y + b.height / 2) },
    ];
    return { from: a.id, to: b.id, ...(e.state ? { state: e.state } : {}), points };
  });
  const width = Math.max(0, ...nodes.map((n) => n.x + n.width)) + MAP.margin;
  const height = Math.max(0, ...nodes.map((n) => n.y + n.height)) + MAP.margin;
  return { width: Math.ceil(width), height: Math.ceil(height), nodes, edges: out, omitted };
}

/** Above this many nodes and edges, dagre keeps its first order of each layer. */
const LARGE = 300;

/** The fallback layout: one column per layer, nodes stacked in the order given (centres). */
function columns(items: { key: string; layer: number; height: number }[]): (key: string) => { x: number; y: number } {
  const at = new Map<string, { x: number; y: number }>();
  const next = new Map<number, number>();
  for (const it of items) {
    const top = next.get(it.layer) ?? MAP.margin;
    at.set(it.key, { x: MAP.margin + it.layer * (MAP.nodeWidth + 56) + MAP.nodeWidth / 2, y: top + it.height / 2 });
    next.set(it.layer, top + it.height + 14);
  }
  return (key) => at.get(key) ?? { x: 0, y: 0 };
}

const round = (n: number) => Math.round(n * 10) / 10;
