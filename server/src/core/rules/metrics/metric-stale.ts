/** metric-stale: a key result whose KPI's latest data point is older than the allowed age before the as-of date. */
import type { Finding } from '../alignment/context.js';
import { defineRule } from '../rule.js';
import { daysBetween, metricsOf } from '../../metrics/store.js';

export const metricStale = defineRule<'metric-stale', { keyResult: string; kpi: string; date: string; days: number }>({
  code: 'metric-stale',
  severity: 'warning',
  summary: 'A key result whose KPI’s latest data point (metric snapshots) is older than 30 days (`northstar.metrics.staleAfterDays`) before the as-of date.',
  group: 'metrics',
  check: {
    kind: 'alignment',
    run: (c): Finding[] => {
      const limit = metricsOf(c.index).staleAfterDays;
      return c.keyResults
        .filter((kr) => kr.dataPoint && kr.okr?.status !== 'closed' && daysBetween(kr.dataPoint.date, c.strategy.asOf) > limit)
        .map((kr) => {
          const p = kr.dataPoint!;
          const days = daysBetween(p.date, c.strategy.asOf);
          return {
            uri: kr.uri,
            diagnostic: metricStale.report(kr.entity.idSpan, `The latest data point of ${kr.kpi} is from ${p.date}, ${days} days before ${c.strategy.asOf} (more than ${limit}): add a newer snapshot row for ${kr.id}'s KPI.`, { keyResult: kr.id, kpi: kr.kpi!, date: p.date, days }, { related: [{ uri: p.uri, span: p.span, message: `latest data point of ${kr.kpi}` }] }),
          };
        });
    },
  },
});
