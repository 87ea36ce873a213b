/** metric-duplicate-date: two rows of a metric snapshot give one KPI two different values for the same date. Reported when a snapshot is read (metrics/diagnostics.ts). */
import { defineRule } from '../rule.js';

export const metricDuplicateDate = defineRule<'metric-duplicate-date'>({
  code: 'metric-duplicate-date',
  severity: 'error',
  summary: 'A metric snapshot gives one KPI (and segment) two different values for the same date; the first is used.',
  group: 'metrics',
  check: { kind: 'reported', where: 'the metric snapshots (metrics/diagnostics.ts)' },
});
