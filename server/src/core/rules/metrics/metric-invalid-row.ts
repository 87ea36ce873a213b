/** metric-invalid-row: a row of a metric snapshot that is not a data point (bad KPI ID, date or value; not CSV). Reported when a snapshot is read (metrics/diagnostics.ts). */
import { defineRule } from '../rule.js';

export const metricInvalidRow = defineRule<'metric-invalid-row'>({
  code: 'metric-invalid-row',
  severity: 'error',
  summary: 'A row of a metric snapshot that is not a data point: no KPI ID, a date that is not YYYY-MM-DD, a value that is not a number or percentage, or text that is not CSV.',
  group: 'metrics',
  check: { kind: 'reported', where: 'the metric snapshots (metrics/diagnostics.ts)' },
});
