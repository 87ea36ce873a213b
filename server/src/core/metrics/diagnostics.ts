/**
 * The findings of a metric snapshot file, at their lines in the CSV: what reading found (header,
 * rows, duplicate dates) and, against the index, rows whose KPI no document defines.
 */
import type { Diagnostic } from '../diagnostics.js';
import type { WorkspaceIndex } from '../index/workspaceIndex.js';
import { metricHeader } from '../rules/metrics/metric-header.js';
import { metricInvalidRow } from '../rules/metrics/metric-invalid-row.js';
import { metricDuplicateDate } from '../rules/metrics/metric-duplicate-date.js';
import { metricUnknownKpi } from '../rules/metrics/metric-unknown-kpi.js';
import type { MetricFile } from './snapshot.js';

/** At most this many unknown-KPI findings per file (one per KPI). */
const MAX_UNKNOWN = 200;

export function snapshotDiagnostics(file: MetricFile, index: WorkspaceIndex): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const p of file.problems) {
    if (p.kind === 'header') out.push(metricHeader.report(p.span, p.message, undefined));
    else if (p.kind === 'row') out.push(metricInvalidRow.report(p.span, p.message, undefined));
    else out.push(metricDuplicateDate.report(p.span, p.message, undefined, p.first ? { related: [{ uri: file.uri, span: p.first, message: 'the first value for this date' }] } : {}));
  }
  const reported = new Set<string>();
  for (const point of file.points) {
    if (reported.has(point.kpi) || reported.size >= MAX_UNKNOWN) continue;
    if (index.definition(point.kpi)?.kind === 'KPI') continue;
    reported.add(point.kpi);
    const suggestion = index.suggestion(point.kpi, 'KPI');
    out.push(metricUnknownKpi.report(point.kpiSpan, `No document defines ${point.kpi}${suggestion ? `; did you mean ${suggestion}?` : ''}: its data points are not used. Define the KPI (a brief's KPI table) or fix the ID.`, { kpi: point.kpi, ...(suggestion ? { suggestion } : {}) }));
  }
  return out.sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end);
}
