/** current-disagrees-with-metrics: a key result's written `current` differs from its KPI's latest data point by more than 5% of the way from baseline to target. */
import type { Finding } from '../alignment/context.js';
import { defineRule } from '../rule.js';
import { formatMetric } from '../../metrics/store.js';

/** How far (as a share of the baseline-to-target distance) a written current may be from the data. */
export const DISAGREEMENT = 0.05;

export const currentDisagreesWithMetrics = defineRule<'current-disagrees-with-metrics', { keyResult: string; written: number; data: number; date: string }>({
  code: 'current-disagrees-with-metrics',
  severity: 'information',
  summary: 'A key result’s written `current` differs from its KPI’s latest data point (metric snapshots) by more than 5% of the way from baseline to target.',
  group: 'metrics',
  check: {
    kind: 'alignment',
    run: (c): Finding[] =>
      c.keyResults
        .filter((kr) => {
          if (kr.currentFrom !== 'written' || !kr.dataPoint || kr.current === undefined || kr.target === undefined) return false;
          const distance = Math.abs(kr.target - (kr.baseline ?? 0));
          const diff = Math.abs(kr.current - kr.dataPoint.value);
          return distance > 0 ? diff > DISAGREEMENT * distance + 1e-9 : diff > 1e-9;
        })
        .map((kr) => {
          const p = kr.dataPoint!;
          const span = kr.values.get('current')?.valueSpan ?? kr.entity.idSpan;
          const raw = kr.values.get('current')?.raw.trim() ?? String(kr.current);
          const data = `${formatMetric(p.value, p.percent)} (${[p.source, p.date].filter(Boolean).join(', ')})`;
          return {
            uri: kr.uri,
            diagnostic: currentDisagreesWithMetrics.report(span, `${kr.id} says current ${raw}, but the latest data point of ${kr.kpi} is ${data}: update \`current\`, or remove it to take the value from the data.`, { keyResult: kr.id, written: kr.current!, data: p.value, date: p.date }, { related: [{ uri: p.uri, span: p.span, message: `latest data point of ${kr.kpi}` }] }),
          };
        }),
  },
});
