/**
 * The Northstar view: the strategy of the workspace as a tree, plain data the client renders as
 * it is. Four groups:
 *
 * - **OKRs** → objectives (weight, progress) → key results (progress) → the features that move
 *   their KPI (status, priority, verdict);
 * - **Roadmap**: every feature by release period (the quarter of its release date, or the
 *   period as written), then "No release";
 * - **Unaligned**: planned work that moves no KPI, or none a current key result measures;
 * - **Uncovered**: key results of current OKRs whose KPI no planned feature moves.
 *
 * Filters (owner, period, stage) narrow what is shown; the values they can take come with the
 * tree, so that the client asks no question of its own. Verdicts come from `featureVerdict`.
 */
import type { Analysis } from '../analysis.js';
import { parsePeriod, type Period } from '../model/values.js';
import { entityValues, frontMatterValues, scalar, str } from '../schema/entityValues.js';
import { STAGES, percent, strategyOf, type Feature, type KeyResult, type Objective, type OkrDoc, type Stage, type Strategy } from '../alignment/strategy.js';
import { featureVerdict, verdictLine, type VerdictStatus } from '../alignment/verdict.js';
import type { Span } from '../text/lineIndex.js';
import type { FeatureContext } from './context.js';

export type TreeNodeKind = 'group' | 'okr' | 'objective' | 'keyResult' | 'feature' | 'period' | 'message';

/**
 * What the icon of a node means; the client picks the picture. Features carry their verdict
 * (`aligned`, `late`, `unaligned`, `no-kpi`, `not-planned`), with `must-` in front when the
 * unaligned work is a must-have.
 */
export type TreeIcon =
  | 'okrs'
  | 'okr'
  | 'okr-other'
  | 'objective'
  | 'kr-covered'
  | 'kr-uncovered'
  | 'kr-achieved'
  | 'roadmap'
  | 'period'
  | 'unaligned-group'
  | 'uncovered-group'
  | 'info'
  | VerdictStatus
  | 'must-unaligned'
  | 'must-no-kpi';

export interface TreeTarget {
  readonly uri: string;
  /** 0-based line and UTF-16 character of the ID. */
  readonly line: number;
  readonly character: number;
}

export interface TreeNode {
  /** Unique in the tree and stable across refreshes (expansion state is kept by it). */
  readonly key: string;
  readonly kind: TreeNodeKind;
  readonly label: string;
  readonly description?: string;
  /** Plain text (the client shows it as text, never as Markdown). */
  readonly tooltip?: string;
  readonly icon: TreeIcon;
  /** Where a click goes. */
  readonly target?: TreeTarget;
  /** The ID the node stands for. */
  readonly id?: string;
  readonly verdict?: VerdictStatus;
  readonly expanded?: boolean;
  readonly children?: readonly TreeNode[];
}

export interface TreeFilter {
  readonly owner?: string;
  /** A period as the documents write it: 2026-Q4, 2026-H1, 2026, a date. */
  readonly period?: string;
  readonly stage?: string;
}

export interface StrategyTree {
  readonly asOf: string;
  readonly roots: readonly TreeNode[];
  /** The values each filter can take in this workspace (sorted). */
  readonly filters: { readonly owners: readonly string[]; readonly periods: readonly string[]; readonly stages: readonly string[] };
  /** The filter applied (only the parts that are set). */
  readonly active: TreeFilter;
  /** Spec documents (briefs, PRDs, OKRs with an ID) in the workspace; the features, unaligned features and uncovered key results shown. */
  readonly counts: { readonly documents: number; readonly features: number; readonly unaligned: number; readonly uncovered: number };
}

const STATUS_LABEL: Record<string, string> = { planned: 'planned', 'in-progress': 'in progress', shipped: 'shipped', dropped: 'dropped' };

/** The quarter a period lies in (`2026-Q4`), or undefined when it spans more than one. */
function quarterOf(p: Period): string | undefined {
  const q = (d: string) => `${d.slice(0, 4)}-Q${Math.floor((Number(d.slice(5, 7)) - 1) / 3) + 1}`;
  return q(p.start) === q(p.end) ? q(p.start) : undefined;
}

const overlaps = (a: Period | undefined, b: Period) => a !== undefined && a.start <= b.end && b.start <= a.end;

export function strategyTree(ctx: FeatureContext, filter: TreeFilter = {}): StrategyTree {
  const s = strategyOf(ctx.index, ctx.registry, ctx.asOf);
  const position = (uri: string, span: Span): TreeTarget | undefined => {
    const a = ctx.index.get(uri);
    if (!a) return undefined;
    const p = a.lines.positionAt(span.start);
    return { uri, line: p.line, character: p.character };
  };

  // --- what the filters read ---------------------------------------------------------------
  const fmOwner = new Map<string, string | undefined>();
  const docOwner = (uri: string): string | undefined => {
    if (fmOwner.has(uri)) return fmOwner.get(uri);
    const a: Analysis | undefined = ctx.index.get(uri);
    const owner = a?.model.type ? scalar(frontMatterValues(a.model, a.model.type, ctx.registry).get('owner'))?.trim() || undefined : undefined;
    fmOwner.set(uri, owner);
    return owner;
  };
  const featureOwner = (f: Feature) => str(f.values.get('owner'))?.trim() || docOwner(f.uri);
  const objectiveOwner = (o: Objective) => {
    const own = str(entityValues(o.entity, 'okr', ctx.registry).get('owner'))?.trim();
    return own || docOwner(o.uri);
  };
  const stageOf = (f: Feature): Stage | undefined => {
    const brief = f.prd?.brief;
    return brief ? s.docs.get(brief)?.stage : undefined;
  };
  const releaseGroup = (f: Feature): string => (f.releasePeriod ? (quarterOf(f.releasePeriod) ?? f.release ?? 'No release') : f.release ? `${f.release}` : 'No release');

  const owner = filter.owner?.trim() || undefined;
  const periodText = filter.period?.trim() || undefined;
  const period = periodText ? parsePeriod(periodText) : undefined;
  const stage = filter.stage?.trim() || undefined;
  const active: TreeFilter = { ...(owner ? { owner } : {}), ...(periodText ? { period: periodText } : {}), ...(stage ? { stage } : {}) };

  /** A feature passes the period and stage filters. */
  const featureInScope = (f: Feature) =>
    (!periodText || (period ? overlaps(f.releasePeriod, period) : f.release === periodText)) && (!stage || stageOf(f) === stage);
  const featureShown = (f: Feature, ownerMatched = false) => featureInScope(f) && (!owner || ownerMatched || featureOwner(f) === owner);
  const okrInScope = (o: OkrDoc | undefined) => !periodText || (period ? overlaps(o?.period, period) : o?.periodText === periodText);

  // --- nodes ---------------------------------------------------------------------------------
  const featureNode = (f: Feature, parentKey: string): TreeNode => {
    const v = featureVerdict(s, f);
    const icon: TreeIcon = v.must && (v.status === 'unaligned' || v.status === 'no-kpi') ? (`must-${v.status}` as const) : v.status;
    const title = f.entity.title;
    const bits = [f.priority, STATUS_LABEL[f.status] ?? f.status, f.release].filter((x): x is string => Boolean(x));
    const tip = [
      `${f.id}${title ? `: ${title}` : ''}`,
      verdictLine(s, f, v),
      `Priority: ${f.priority ?? 'none'} · status: ${STATUS_LABEL[f.status] ?? f.status}${f.release ? ` · release: ${f.release}${f.releaseFromPrd ? ' (the PRD’s)' : ''}` : ''}`,
      ...(f.kpis.length ? [`Moves ${[...new Set(f.kpis.map((k) => k.id))].join(', ')}`] : []),
      ...(f.prd ? [`In ${f.prd.id}${f.prd.title ? ` (${f.prd.title})` : ''}`] : []),
    ];
    const target = position(f.uri, f.entity.idSpan);
    return {
      key: `${parentKey}/${f.id}`,
      kind: 'feature',
      id: f.id,
      label: f.id,
      description: [title, bits.join(', ')].filter(Boolean).join(' · '),
      tooltip: tip.join('\n'),
      icon,
      verdict: v.status,
      ...(target ? { target } : {}),
    };
  };

  const krProgressText = (kr: KeyResult) => (kr.progress === undefined ? undefined : `${percent(Math.min(kr.progress, 9.99))}`);
  const keyResultNode = (kr: KeyResult, parentKey: string, ownerMatched: boolean, withFeatures = true): TreeNode => {
    const all = kr.kpi ? (s.featuresByKpi.get(kr.kpi) ?? []) : [];
    const covered = kr.kpi ? (s.plannedByKpi.get(kr.kpi) ?? []).length > 0 : false;
    const key = `${parentKey}/${kr.id}`;
    const children = withFeatures ? all.filter((f) => featureShown(f, ownerMatched)).map((f) => featureNode(f, key)) : [];
    const progress = krProgressText(kr);
    const target = position(kr.uri, kr.entity.idSpan);
    const achieved = kr.progress !== undefined && kr.progress >= 1;
    const kpiTitle = kr.kpi ? s.kpis.get(kr.kpi)?.title : undefined;
    const tip = [
      `${kr.id}${kr.entity.title ? `: ${kr.entity.title}` : ''}`,
      ...(kr.kpi ? [`KPI: ${kr.kpi}${kpiTitle ? ` (${kpiTitle})` : ''}`] : ['No KPI']),
      ...(progress ? [`Progress: ${progress} of the way from baseline to target`] : []),
      covered ? `Covered by ${(s.plannedByKpi.get(kr.kpi!) ?? []).length} planned feature(s)` : 'Uncovered: no planned feature moves its KPI',
      ...(kr.okr ? [`${kr.okr.id}${kr.okr.periodText ? ` · ${kr.okr.periodText}` : ''}`] : []),
    ];
    return {
      key,
      kind: 'keyResult',
      id: kr.id,
      label: kr.id,
      description: [progress, kr.entity.title].filter(Boolean).join(' · '),
      tooltip: tip.join('\n'),
      icon: achieved ? 'kr-achieved' : covered ? 'kr-covered' : 'kr-uncovered',
      ...(target ? { target } : {}),
      ...(children.length ? { children } : {}),
    };
  };

  const objectiveNode = (o: Objective, parentKey: string): TreeNode | undefined => {
    const ownerMatched = owner !== undefined && objectiveOwner(o) === owner;
    const key = `${parentKey}/${o.id}`;
    const krs = o.keyResults.map((kr) => keyResultNode(kr, key, ownerMatched));
    if (owner && !ownerMatched && !krs.some((k) => k.children?.length)) return undefined;
    if ((periodText || stage) && !okrInScope(o.okr) && !krs.some((k) => k.children?.length)) return undefined;
    if (stage && !ownerMatched && !krs.some((k) => k.children?.length)) return undefined;
    const target = position(o.uri, o.entity.idSpan);
    const oOwner = objectiveOwner(o);
    return {
      key,
      kind: 'objective',
      id: o.id,
      label: o.id,
      description: [o.progress !== undefined ? percent(Math.min(1, o.progress)) : undefined, `weight ${o.weight}`, o.entity.title].filter(Boolean).join(' · '),
      tooltip: [`${o.id}${o.entity.title ? `: ${o.entity.title}` : ''}`, `Weight ${o.weight} · progress ${percent(o.progress === undefined ? undefined : Math.min(1, o.progress))}`, ...(oOwner ? [`Owner: ${oOwner}`] : [])].join('\n'),
      icon: 'objective',
      expanded: true,
      ...(target ? { target } : {}),
      ...(krs.length ? { children: krs } : {}),
    };
  };

  const okrNodes: TreeNode[] = [];
  const okrList = [...s.okrs.values()].sort((x, y) => Number(y.current) - Number(x.current) || (x.period?.start ?? '').localeCompare(y.period?.start ?? '') || x.id.localeCompare(y.id));
  for (const okr of okrList) {
    const key = `okrs/${okr.id}`;
    const objectives = [...s.objectives.values()]
      .filter((ob) => ob.okr?.id === okr.id)
      .sort((x, y) => x.entity.idSpan.start - y.entity.idSpan.start)
      .map((ob) => objectiveNode(ob, key))
      .filter((x): x is TreeNode => x !== undefined);
    if ((owner || periodText || stage) && !objectives.length) continue;
    const obs = [...s.objectives.values()].filter((ob) => ob.okr?.id === okr.id && ob.progress !== undefined);
    const weight = obs.reduce((t, ob) => t + ob.weight, 0);
    const progress = weight > 0 ? obs.reduce((t, ob) => t + ob.weight * Math.min(1, ob.progress!), 0) / weight : undefined;
    const target = position(okr.uri, okr.span);
    okrNodes.push({
      key,
      kind: 'okr',
      id: okr.id,
      label: okr.id,
      description: [okr.periodText, okr.current ? 'current' : (okr.status ?? 'not current'), progress !== undefined ? percent(progress) : undefined, okr.title].filter(Boolean).join(' · '),
      tooltip: [`${okr.id}${okr.title ? `: ${okr.title}` : ''}`, `Period: ${okr.periodText ?? 'none'} · status: ${okr.status ?? 'none'} · ${okr.current ? `current as of ${s.asOf}` : `not current as of ${s.asOf}`}`, `Progress: ${percent(progress)}`].join('\n'),
      icon: okr.current ? 'okr' : 'okr-other',
      expanded: okr.current,
      ...(target ? { target } : {}),
      ...(objectives.length ? { children: objectives } : {}),
    });
  }

  // Roadmap: features by release period, in time order, "No release" last.
  const features = [...s.features.values()].sort((x, y) => (x.releasePeriod?.start ?? '9999').localeCompare(y.releasePeriod?.start ?? '9999') || x.id.localeCompare(y.id));
  const shown = features.filter((f) => featureShown(f));
  const groups = new Map<string, Feature[]>();
  for (const f of shown) (groups.get(releaseGroup(f)) ?? groups.set(releaseGroup(f), []).get(releaseGroup(f))!).push(f);
  const periodNodes: TreeNode[] = [...groups].map(([label, fs]) => {
    const key = `roadmap/${label}`;
    const planned = fs.filter((f) => f.planned);
    const aligned = planned.filter((f) => featureVerdict(s, f).aligned).length;
    return {
      key,
      kind: 'period',
      label,
      description: `${fs.length} feature${fs.length === 1 ? '' : 's'}${planned.length ? `, ${aligned} of ${planned.length} planned aligned` : ''}`,
      icon: 'period',
      children: fs.map((f) => featureNode(f, key)),
    };
  });

  const unaligned = shown.filter((f) => {
    const v = featureVerdict(s, f).status;
    return v === 'unaligned' || v === 'no-kpi';
  });
  const uncovered = [...s.keyResults.values()]
    .filter((kr) => kr.okr?.current && !(kr.kpi && (s.plannedByKpi.get(kr.kpi) ?? []).length))
    .filter((kr) => okrInScope(kr.okr))
    .filter((kr) => {
      if (!owner) return true;
      const o = kr.objective ? s.objectives.get(kr.objective) : undefined;
      return (o ? objectiveOwner(o) : docOwner(kr.uri)) === owner;
    })
    .sort((x, y) => x.uri.localeCompare(y.uri) || x.entity.idSpan.start - y.entity.idSpan.start);

  const none = (text: string, key: string): TreeNode => ({ key, kind: 'message', label: text, icon: 'info' });
  const roots: TreeNode[] = [
    {
      key: 'okrs',
      kind: 'group',
      label: 'OKRs',
      description: `${okrNodes.filter((o) => o.icon === 'okr').length} current`,
      icon: 'okrs',
      expanded: true,
      children: okrNodes.length ? okrNodes : [none(s.okrs.size ? 'No OKR matches the filter' : 'No OKR document in this workspace', 'okrs/none')],
    },
    {
      key: 'roadmap',
      kind: 'group',
      label: 'Roadmap',
      description: `${shown.length} feature${shown.length === 1 ? '' : 's'}`,
      icon: 'roadmap',
      expanded: false,
      children: periodNodes.length ? periodNodes : [none(s.features.size ? 'No feature matches the filter' : 'No feature in this workspace', 'roadmap/none')],
    },
    {
      // An empty group and a full one are different items: a view that kept the empty one
      // collapsed opens the full one as it should.
      key: unaligned.length ? 'unaligned' : 'unaligned-none',
      kind: 'group',
      label: 'Unaligned',
      description: `${unaligned.length} planned feature${unaligned.length === 1 ? '' : 's'}`,
      tooltip: 'Planned work that moves no KPI, or none a key result of a current OKR measures.',
      icon: 'unaligned-group',
      expanded: unaligned.length > 0,
      children: unaligned.length ? unaligned.map((f) => featureNode(f, 'unaligned')) : [none(shown.some((f) => f.planned) ? 'Every planned feature serves a current key result' : 'No planned work', 'unaligned-none/none')],
    },
    {
      key: uncovered.length ? 'uncovered' : 'uncovered-none',
      kind: 'group',
      label: 'Uncovered',
      description: `${uncovered.length} key result${uncovered.length === 1 ? '' : 's'}`,
      tooltip: 'Key results of current OKRs whose KPI no planned feature moves.',
      icon: 'uncovered-group',
      expanded: uncovered.length > 0,
      children: uncovered.length ? uncovered.map((kr) => keyResultNode(kr, 'uncovered', false, false)) : [none([...s.okrs.values()].some((o) => o.current) ? 'Every current key result has planned work behind it' : 'No current OKR', 'uncovered-none/none')],
    },
  ];

  // The values each filter can take.
  const owners = new Set<string>();
  for (const f of s.features.values()) {
    const o = featureOwner(f);
    if (o) owners.add(o);
  }
  for (const o of s.objectives.values()) {
    const w = objectiveOwner(o);
    if (w) owners.add(w);
  }
  const periods = new Set<string>();
  for (const o of s.okrs.values()) if (o.periodText && o.period) periods.add(o.periodText);
  for (const f of s.features.values()) if (f.releasePeriod) periods.add(quarterOf(f.releasePeriod) ?? f.release!);
  const stages = STAGES.filter((x) => [...s.docs.values()].some((d) => d.stage === x));
  const byText = (a: string, b: string) => a.localeCompare(b);

  return {
    asOf: s.asOf,
    roots,
    filters: { owners: [...owners].sort(byText), periods: [...periods].sort(byText), stages: [...stages] },
    active,
    counts: { documents: s.docs.size, features: shown.length, unaligned: unaligned.length, uncovered: uncovered.length },
  };
}

/** The strategy the tree is built from (for tests that compare). */
export function treeStrategy(ctx: FeatureContext): Strategy {
  return strategyOf(ctx.index, ctx.registry, ctx.asOf);
}
