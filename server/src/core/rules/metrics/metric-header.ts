/** metric-header: a metric snapshot whose header does not name the columns kpi, date and value. Reported when a snapshot is read (metrics/diagnostics.ts). */
import { defineRule } from '../rule.js';

export const metricHeader = defineRule<'metric-header'>({
  code: 'metric-header',
  severity: 'error',
  summary: 'A metric snapshot (CSV) whose header does not name the columns `kpi`, `date` and `value` (or names columns Northstar does not know).',
  group: 'metrics',
  check: { kind: 'reported', where: 'the metric snapshots (metrics/diagnostics.ts)' },
});
