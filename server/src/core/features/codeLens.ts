/** Code lens on KPIs, key results and objectives: how many features move them, and progress. */
import type { Analysis } from '../analysis.js';
import { percent, strategyOf } from '../alignment/strategy.js';
import type { Span } from '../text/lineIndex.js';
import type { FeatureContext } from './context.js';
import { formatMetric } from '../metrics/store.js';

export interface CodeLens {
  readonly span: Span;
  readonly title: string;
  /** The ID whose references the lens shows. */
  readonly id: string;
}

const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;

export function provideCodeLenses(ctx: FeatureContext, a: Analysis): CodeLens[] {
  if (!a.isSpec) return [];
  const s = strategyOf(ctx.index, ctx.registry, ctx.asOf);
  const out: CodeLens[] = [];
  for (const e of a.model.entities) {
    if (e.kind === 'KPI') {
      const moved = (s.plannedByKpi.get(e.id) ?? []).length;
      const krs = (s.keyResultsByKpi.get(e.id) ?? []).length;
      out.push({ span: e.idSpan, id: e.id, title: `moved by ${plural(moved, 'planned feature')} · measured by ${plural(krs, 'key result')}` });
    } else if (e.kind === 'KR') {
      const kr = s.keyResults.get(e.id);
      const moved = kr?.kpi ? (s.plannedByKpi.get(kr.kpi) ?? []).length : 0;
      const p = kr?.dataPoint;
      const from = p ? ` · ${kr?.currentFrom === 'data' ? '' : 'data '}${formatMetric(p.value, p.percent)} (${[p.source, p.date].filter(Boolean).join(', ')})` : '';
      out.push({ span: e.idSpan, id: e.id, title: `moved by ${plural(moved, 'feature')} · ${percent(kr?.progress)}${from}` });
    } else if (e.kind === 'OBJ') {
      const o = s.objectives.get(e.id);
      const feats = new Set((o?.keyResults ?? []).flatMap((k) => (k.kpi ? (s.plannedByKpi.get(k.kpi) ?? []).map((f) => f.id) : [])));
      out.push({ span: e.idSpan, id: e.id, title: `${plural(o?.keyResults.length ?? 0, 'key result')} · moved by ${plural(feats.size, 'feature')} · ${percent(o?.progress)}` });
    }
  }
  return out;
}
