/** A key result's metric data as the summary carries it (the report's chart and table, the webview). */
import type { KeyResult } from '../alignment/strategy.js';
import type { KeyResultData } from '../alignment/summary.js';
import type { MetricPoint } from './snapshot.js';
import { formatMetric } from './store.js';

/** At most this many data points per key result go into the summary (the latest). */
const MAX_POINTS = 120;

export function keyResultData(kr: KeyResult, points: readonly MetricPoint[]): KeyResultData {
  const p = kr.dataPoint!;
  const period = kr.okr?.period;
  return {
    from: kr.currentFrom ?? 'data',
    value: formatMetric(p.value, p.percent),
    date: p.date,
    ...(p.source ? { source: p.source } : {}),
    percent: p.percent,
    points: points.slice(-MAX_POINTS).map((x) => ({ date: x.date, value: x.value })),
    ...(kr.baseline !== undefined ? { baselineValue: kr.baseline } : {}),
    ...(kr.target !== undefined ? { targetValue: kr.target } : {}),
    ...(period ? { periodStart: period.start, periodEnd: period.end } : {}),
  };
}
