/**
 * PostHog: a trends insight's results — the query API (`POST /api/projects/:id/query/` with a
 * TrendsQuery: `results[]`), a saved insight (`/api/projects/:id/insights/:id/`: `result[]`) —
 * each series with `label` (or `action.name`), `data` (one value per day), `days` (ISO dates;
 * `labels` such as `1-May-2026` when `days` is absent) and, when broken down, `breakdown_value`;
 * a compared period (`compare_label: "previous"`) is left out. A HogQL query answer (`columns`,
 * `results` as rows) is read as a table.
 */
import type { ImportIssue, ImportOptions, ImportResult, ImportedPoint, RawSeries } from './types.js';
import { isRecord, readJson } from './json.js';
import { longTable, type TableRow } from './table.js';
import { dateProblem, isGap, point, readDate, readJsonNumber, selectSeries } from './values.js';

const SOURCE = 'PostHog';

export function importPosthog(text: string, options: ImportOptions): ImportResult {
  const { value, error } = readJson(text);
  if (error) return { points: [], errors: [error], notes: [], source: SOURCE };
  const root = isRecord(value) ? value : undefined;
  const key = root && Array.isArray(root.results) ? 'results' : root && Array.isArray(root.result) ? 'result' : undefined;
  const list = Array.isArray(value) ? (value as unknown[]) : key ? (root![key] as unknown[]) : undefined;
  if (!list) return { points: [], errors: [{ field: 'results', message: 'not a PostHog insight answer: expected `results` (the query API) or `result` (a saved insight)' }], notes: [], source: SOURCE };
  const base = key ?? '';
  if (root && Array.isArray(root.columns) && list.every((r) => Array.isArray(r))) return fromHogql(root.columns as unknown[], list as unknown[][], options);
  const series: RawSeries[] = [];
  const errors: ImportIssue[] = [];
  const notes: string[] = [];
  list.forEach((item, i) => {
    const field = `${base}[${i}]`;
    if (!isRecord(item) || !Array.isArray(item.data)) {
      errors.push({ field, message: 'expected a trends series with `data` and `days` (a funnel or retention insight has no daily values)' });
      return;
    }
    if (item.compare_label === 'previous') {
      notes.push(`${field}: the compared previous period, left out`);
      return;
    }
    const days = Array.isArray(item.days) ? item.days : Array.isArray(item.labels) ? item.labels : undefined;
    if (!days) {
      errors.push({ field: `${field}.days`, message: 'no `days` (nor `labels`): the dates of `data` are unknown' });
      return;
    }
    const action = isRecord(item.action) ? item.action : undefined;
    const metric = String((action && (action.custom_name ?? action.name)) ?? item.label ?? `series ${i + 1}`);
    const bv = item.breakdown_value;
    const segment = bv === undefined || bv === null || bv === '' ? '' : Array.isArray(bv) ? bv.map(String).join('; ') : String(bv);
    const points: ImportedPoint[] = [];
    item.data.forEach((v, j) => {
      const at = `${field}.data[${j}]`;
      if (j >= days.length) {
        errors.push({ field: at, message: `more values than days (${days.length})` });
        return;
      }
      const date = typeof days[j] === 'string' ? readDate(days[j] as string, options.dateOrder) : undefined;
      if (!date) {
        errors.push({ field: `${field}.days[${j}]`, message: dateProblem(String(days[j])) });
        return;
      }
      if (isGap(v)) return;
      const n = readJsonNumber(v);
      if (!n) {
        errors.push({ field: at, message: `${JSON.stringify(v)} is not a number` });
        return;
      }
      points.push(point(date, n, { field: at }));
    });
    // A breakdown's label repeats the value ("$pageview - Chrome"): the metric is the action's name.
    series.push({ metric: segment && !action && metric.endsWith(` - ${segment}`) ? metric.slice(0, -segment.length - 3) : metric, ...(segment && segment !== '$$_posthog_breakdown_other_$$' ? { segment } : segment ? { segment: 'Other' } : {}), points });
  });
  if (errors.length) return { points: [], errors, notes, source: SOURCE };
  const chosen = selectSeries(series, options);
  return { ...chosen, notes: [...notes, ...chosen.notes], source: SOURCE };
}

function fromHogql(columns: unknown[], rows: unknown[][], options: ImportOptions): ImportResult {
  const header = columns.map(String);
  const table: TableRow[] = rows.map((r, i) => ({ cells: r.map((c) => (c === null || c === undefined ? '' : String(c))), line: i + 1 }));
  const { series, errors, notes } = longTable(header, table, 0, options, 'query');
  // Rows of a query have no lines: name them by index.
  const fix = (e: ImportIssue): ImportIssue => ({ field: `results[${(e.line ?? 1) - 1}]${e.field ? ` (${e.field})` : ''}`, message: e.message });
  if (errors.length) return { points: [], errors: errors.map((e) => (e.line === 0 ? { field: 'columns', message: e.message } : e.line ? fix(e) : e)), notes, source: SOURCE };
  const chosen = selectSeries(series.map((s) => ({ ...s, points: s.points.map((p) => ({ ...p, where: { field: `results[${(p.where.line ?? 1) - 1}]` } })) })), options);
  return { ...chosen, notes: [...notes, ...chosen.notes], source: SOURCE };
}
