/**
 * Amplitude: the Dashboard REST API's JSON (`/api/2/events/segmentation`, and a saved chart's
 * `/api/3/chart/{id}/query`: `data.series[i][j]` is the value of series i on `data.xValues[j]`,
 * a number or `{ setId, value }`; `data.seriesLabels[i]` is the event's index, or
 * `[eventIndex, groupByValue]`), and a chart's CSV download (title lines, then a header whose
 * date columns follow one or more label columns, one row per series; cells may carry an Excel
 * guard tab, numbers thousands separators, formulas percentages).
 */
import type { ImportOptions, ImportResult, ImportedPoint, RawSeries } from './types.js';
import { isRecord, looksLikeJson, readJson } from './json.js';
import { longTable, readTable, type TableRow } from './table.js';
import { clean, dateProblem, isGap, point, readDate, readJsonNumber, readNumberText, selectSeries } from './values.js';

const SOURCE = 'Amplitude';
/** Amplitude's default segment: its series is the KPI's overall series. */
const ALL_USERS = /^all users(?: \(default\))?$/i;
const METRIC_COLUMNS = /^(event|events|formula|metric|measure|series)$/i;

export function importAmplitude(text: string, options: ImportOptions): ImportResult {
  return looksLikeJson(text) ? fromJson(text, options) : fromCsv(text, options);
}

function fromJson(text: string, options: ImportOptions): ImportResult {
  const { value, error } = readJson(text);
  if (error) return { points: [], errors: [error], notes: [], source: SOURCE };
  const data = isRecord(value) && isRecord(value.data) ? value.data : undefined;
  if (!data || !Array.isArray(data.series) || !Array.isArray(data.xValues)) {
    return { points: [], errors: [{ field: 'data', message: 'not an Amplitude Dashboard REST API answer: expected `data.series` and `data.xValues` (the JSON of /api/2/events/segmentation or /api/3/chart/{id}/query)' }], notes: [], source: SOURCE };
  }
  const errors: { field: string; message: string }[] = [];
  const dates = data.xValues.map((x, j) => {
    const d = typeof x === 'string' ? readDate(x, options.dateOrder) : undefined;
    if (!d) errors.push({ field: `data.xValues[${j}]`, message: dateProblem(String(x)) });
    return d;
  });
  const labels = Array.isArray(data.seriesLabels) ? data.seriesLabels : [];
  const series: RawSeries[] = [];
  data.series.forEach((row, i) => {
    if (!Array.isArray(row)) {
      errors.push({ field: `data.series[${i}]`, message: 'expected an array of values, one per date of data.xValues' });
      return;
    }
    const { metric, segment } = labelOf(labels[i], i);
    const points: ImportedPoint[] = [];
    row.forEach((cell, j) => {
      const date = dates[j];
      if (j >= dates.length) {
        errors.push({ field: `data.series[${i}][${j}]`, message: `more values than data.xValues has dates (${dates.length})` });
        return;
      }
      const raw = isRecord(cell) && 'value' in cell ? cell.value : cell;
      if (isGap(raw) || !date) return;
      const v = readJsonNumber(raw);
      if (!v) {
        errors.push({ field: `data.series[${i}][${j}]`, message: `${JSON.stringify(raw)} is not a number` });
        return;
      }
      points.push(point(date, v, { field: `data.series[${i}][${j}]` }));
    });
    series.push({ metric, ...(segment ? { segment } : {}), points });
  });
  if (errors.length) return { points: [], errors, notes: [], source: SOURCE };
  const chosen = selectSeries(series, options, 'events');
  return { ...chosen, source: SOURCE };
}

/** A series label: the event's index (`0`), or `[eventIndex, groupByValue...]`, or a name. */
function labelOf(label: unknown, i: number): { metric: string; segment?: string } {
  const parts = Array.isArray(label) ? label : [label];
  const index = parts.find((p) => typeof p === 'number');
  const names = parts.filter((p) => typeof p === 'string').map((p) => clean(p as string)).filter((p) => p !== '');
  const metric = typeof index === 'number' ? `event ${index + 1}` : names.length && !Array.isArray(label) ? 'event 1' : `event ${i + 1}`;
  const segment = names.filter((n) => !ALL_USERS.test(n)).join('; ');
  return { metric, ...(segment ? { segment } : {}) };
}

function fromCsv(text: string, options: ImportOptions): ImportResult {
  const { rows, error } = readTable(text);
  if (error) return { points: [], errors: [error], notes: [], source: SOURCE };
  // The header: the first row with dates for column names (a wide chart table) …
  const wide = rows.findIndex((r) => r.cells.filter((c) => readDate(c, options.dateOrder)).length >= 2 || (r.cells.length >= 2 && r.cells.filter((c) => readDate(c, options.dateOrder)).length === 1 && readDate(r.cells[r.cells.length - 1]!, options.dateOrder) !== undefined));
  if (wide >= 0) return wideCsv(rows, wide, options);
  // … or a row naming a date column (a chart's data table turned the other way).
  const long = rows.findIndex((r) => r.cells.some((c) => /^(date|day|week|month)$/i.test(clean(c))));
  if (long >= 0) {
    const { series, errors, notes } = longTable(rows[long]!.cells, rows.slice(long + 1), rows[long]!.line, options, 'chart');
    if (errors.length) return { points: [], errors, notes, source: SOURCE };
    const chosen = selectSeries(series, options);
    return { ...chosen, notes: [...notes, ...chosen.notes], source: SOURCE };
  }
  return { points: [], errors: [{ line: rows[0]?.line ?? 1, message: 'no header with dates: expected an Amplitude chart CSV (title lines, then a row of label columns and dates such as 2026-05-01)' }], notes: [], source: SOURCE };
}

function wideCsv(rows: readonly TableRow[], at: number, options: ImportOptions): ImportResult {
  const header = rows[at]!;
  const errors: { line: number; field?: string; message: string }[] = [];
  const dateCols = new Map<number, string>();
  header.cells.forEach((c, i) => {
    const d = readDate(c, options.dateOrder);
    if (d) dateCols.set(i, d);
  });
  const first = Math.min(...dateCols.keys());
  const labelCols = header.cells.slice(0, first).map((c) => clean(c));
  const metricCol = labelCols.findIndex((c) => METRIC_COLUMNS.test(c));
  const series: RawSeries[] = [];
  for (const r of rows.slice(at + 1)) {
    const labels = r.cells.slice(0, first).map((c) => clean(c));
    const metric = metricCol >= 0 ? labels[metricCol] || 'chart' : 'chart';
    const segment = labels.filter((l, i) => i !== metricCol && l !== '' && !ALL_USERS.test(l)).join('; ');
    const points: ImportedPoint[] = [];
    for (const [i, date] of dateCols) {
      const cell = r.cells[i];
      if (cell === undefined || clean(cell) === '' || clean(cell) === '-') continue;
      const v = readNumberText(cell);
      if (!v) {
        errors.push({ line: r.line, field: clean(header.cells[i]!), message: `\`${clean(cell)}\` is not a number: expected a number such as 1,560 or a percentage such as 14.5%` });
        continue;
      }
      points.push(point(date, v, { line: r.line, field: date }));
    }
    series.push({ metric, ...(segment ? { segment } : {}), points });
  }
  if (errors.length) return { points: [], errors, notes: [], source: SOURCE };
  const chosen = selectSeries(series, options, metricCol >= 0 ? labelCols[metricCol]!.toLowerCase() + (/s$/.test(labelCols[metricCol]!) ? '' : 's') : 'series');
  return { ...chosen, source: SOURCE };
}
