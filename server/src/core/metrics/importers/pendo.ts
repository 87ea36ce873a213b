/**
 * Pendo: the Aggregation API's answer (`POST /api/v1/aggregation`: `results[]`, one object per
 * day with `day` — a timestamp in milliseconds of the day's start in the subscription's time
 * zone — and the pipeline's fields: `count`, `numEvents`, `numMinutes`, …), or a CSV export of a
 * report (a date column and value columns).
 */
import type { ImportIssue, ImportOptions, ImportResult, ImportedPoint, RawSeries } from './types.js';
import { isRecord, looksLikeJson, readJson } from './json.js';
import { longTable, readTable } from './table.js';
import { clean, dateFromEpochMs, isGap, point, readDate, readJsonNumber, selectSeries } from './values.js';

const SOURCE = 'Pendo';
const TIME_FIELDS = ['day', 'date', 'week', 'month', 'browserTime', 'time'];
const VALUE_FIELDS = ['count', 'value', 'numEvents', 'numVisitors', 'visitors', 'numAccounts', 'accounts', 'numMinutes', 'total'];

export function importPendo(text: string, options: ImportOptions): ImportResult {
  if (!looksLikeJson(text)) {
    const { rows, error } = readTable(text);
    if (error) return { points: [], errors: [error], notes: [], source: SOURCE };
    if (!rows.length) return { points: [], errors: [{ line: 1, message: 'an empty CSV: expected a header with a date column and a value column' }], notes: [], source: SOURCE };
    const { series, errors, notes } = longTable(rows[0]!.cells, rows.slice(1), rows[0]!.line, options, 'report');
    if (errors.length) return { points: [], errors, notes, source: SOURCE };
    const chosen = selectSeries(series, options);
    return { ...chosen, notes: [...notes, ...chosen.notes], source: SOURCE };
  }
  const { value, error } = readJson(text);
  if (error) return { points: [], errors: [error], notes: [], source: SOURCE };
  const results = isRecord(value) && Array.isArray(value.results) ? value.results : Array.isArray(value) ? value : undefined;
  if (!results) return { points: [], errors: [{ field: 'results', message: 'not a Pendo aggregation answer: expected `results`, one object per day' }], notes: [], source: SOURCE };
  if (!results.length) return { points: [], errors: [{ field: 'results', message: 'no results: the aggregation found nothing' }], notes: [], source: SOURCE };
  const first = results.find(isRecord);
  if (!first) return { points: [], errors: [{ field: 'results[0]', message: 'expected an object per day' }], notes: [], source: SOURCE };
  const keys = Object.keys(first);
  const timeKey = keys.find((k) => TIME_FIELDS.includes(k));
  if (!timeKey) return { points: [], errors: [{ field: 'results[0]', message: `no day field: expected one of ${TIME_FIELDS.map((f) => `\`${f}\``).join(', ')} (group the pipeline by day), got ${keys.map((k) => `\`${k}\``).join(', ')}` }], notes: [], source: SOURCE };
  const notes: string[] = [];
  let valueKey: string | undefined = options.field;
  if (valueKey !== undefined && !results.some((r) => isRecord(r) && valueKey! in r)) {
    return { points: [], errors: [{ field: 'results[0]', message: `no field "${valueKey}" (--field): the results have ${keys.map((k) => `\`${k}\``).join(', ')}` }], notes, source: SOURCE };
  }
  if (valueKey === undefined) {
    const numeric = keys.filter((k) => k !== timeKey && k !== options.segmentField && typeof first[k] === 'number');
    valueKey = VALUE_FIELDS.find((f) => numeric.includes(f)) ?? (numeric.length === 1 ? numeric[0] : undefined);
    if (!valueKey) return { points: [], errors: [{ field: 'results[0]', message: numeric.length ? `several numeric fields (${numeric.map((k) => `\`${k}\``).join(', ')}): name the value with --field` : 'no numeric field besides the day: name the value with --field' }], notes, source: SOURCE };
    notes.push(`value field "${valueKey}"`);
  }
  const bySegment = new Map<string, ImportedPoint[]>();
  const errors: ImportIssue[] = [];
  results.forEach((r, i) => {
    const field = `results[${i}]`;
    if (!isRecord(r)) {
      errors.push({ field, message: 'expected an object' });
      return;
    }
    const t = r[timeKey];
    const date = typeof t === 'number' ? dateFromEpochMs(t) : typeof t === 'string' ? readDate(t, options.dateOrder) : undefined;
    if (!date) {
      errors.push({ field: `${field}.${timeKey}`, message: `${JSON.stringify(t)} is not a day: expected a timestamp in milliseconds or an ISO date` });
      return;
    }
    const v = r[valueKey!];
    if (isGap(v)) return;
    const n = readJsonNumber(v);
    if (!n) {
      errors.push({ field: `${field}.${valueKey}`, message: `${JSON.stringify(v)} is not a number` });
      return;
    }
    const seg = options.segmentField !== undefined && r[options.segmentField] !== undefined && r[options.segmentField] !== null ? clean(String(r[options.segmentField])) : '';
    (bySegment.get(seg) ?? bySegment.set(seg, []).get(seg)!).push(point(date, n, { field: `${field}.${valueKey}` }));
  });
  if (errors.length) return { points: [], errors, notes, source: SOURCE };
  const series: RawSeries[] = [...bySegment].map(([seg, points]) => ({ metric: valueKey!, ...(seg ? { segment: seg } : {}), points }));
  const chosen = selectSeries(series, {});
  return { ...chosen, notes: [...notes, ...chosen.notes], source: SOURCE };
}
