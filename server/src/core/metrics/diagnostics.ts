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
import type { MetricStore } from './store.js';

/** At most this many unknown-KPI findings per file (one per KPI). */
const MAX_UNKNOWN = 200;

export function snapshotDiagnostics(file: MetricFile, index: WorkspaceIndex, store?: MetricStore): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const p of file.problems) {
    if (p.kind === 'header') out.push(metricHeader.report(p.span, p.message, undefined));
    else if (p.kind === 'row') out.push(metricInvalidRow.report(p.span, p.message, undefined));
    else out.push(metricDuplicateDate.report(p.span, p.message, undefined, p.first ? { related: [{ uri: file.uri, span: p.first, message: 'the first value for this date' }] } : {}));
  }
  // A date another file (earlier by path) already gives another value.
  if (store) {
    for (const point of file.points) {
      const winner = store.series(point.kpi, point.segment).find((p) => p.date === point.date);
      if (!winner || winner.uri === file.uri || winner.value === point.value) continue;
      const other = store.get(winner.uri);
      const where = `${decodeURIComponent(winner.uri.slice(winner.uri.lastIndexOf('/') + 1))}${other ? ` line ${other.lines.positionAt(winner.span.start).line + 1}` : ''}`;
      out.push(metricDuplicateDate.report(point.valueSpan ?? point.span, `${point.kpi} has two values for ${point.date}${point.segment ? ` (segment ${point.segment})` : ''}: ${winner.raw} in ${where} (which is used) and ${point.raw} here. Keep one.`, undefined, { related: [{ uri: winner.uri, span: winner.span, message: 'the value used for this date' }] }));
    }
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
