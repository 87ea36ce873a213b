/** metric-unknown-kpi: a metric snapshot row names a KPI that no document defines. Reported against the index (metrics/diagnostics.ts). */
import { defineRule } from '../rule.js';

export const metricUnknownKpi = defineRule<'metric-unknown-kpi', { kpi: string; suggestion?: string }>({
  code: 'metric-unknown-kpi',
  severity: 'warning',
  summary: 'A metric snapshot row names a KPI that no document of the workspace defines.',
  group: 'metrics',
  check: { kind: 'reported', where: 'the metric snapshots against the index (metrics/diagnostics.ts)' },
});
