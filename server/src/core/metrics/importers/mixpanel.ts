/**
 * Mixpanel: the Query API's Insights answer (`/api/query/insights?bookmark_id=…`:
 * `series` maps each metric to `{ date: value }`, or with breakdowns to nested objects keyed by
 * the breakdown values, `$overall` holding the totals; `headers` names the levels; dates are ISO
 * with the project's offset, `2026-05-01T00:00:00-07:00`), and the older Segmentation answer
 * (`data.values`: `{ name: { date: value } }`).
 */
import type { ImportIssue, ImportOptions, ImportResult, ImportedPoint, RawSeries } from './types.js';
import { isRecord, readJson } from './json.js';
import { isGap, point, readDate, readJsonNumber, selectSeries } from './values.js';

const SOURCE = 'Mixpanel';
const MAX_DEPTH = 8;

export function importMixpanel(text: string, options: ImportOptions): ImportResult {
  const { value, error } = readJson(text);
  if (error) return { points: [], errors: [error], notes: [], source: SOURCE };
  let root: Record<string, unknown> | undefined;
  let base = '';
  if (isRecord(value) && isRecord(value.series)) {
    root = value.series;
    base = 'series';
  } else if (isRecord(value) && isRecord(value.data) && isRecord(value.data.values)) {
    root = value.data.values;
    base = 'data.values';
  }
  if (!root) return { points: [], errors: [{ field: 'series', message: 'not a Mixpanel query answer: expected `series` (Insights: /api/query/insights) or `data.values` (Segmentation)' }], notes: [], source: SOURCE };
  const series: RawSeries[] = [];
  const errors: ImportIssue[] = [];
  const notes: string[] = [];
  for (const [metric, node] of Object.entries(root)) walk(node, metric, [], `${base}[${JSON.stringify(metric)}]`, 1, series, errors, notes, options);
  if (errors.length) return { points: [], errors, notes, source: SOURCE };
  const chosen = selectSeries(series, options, 'metrics');
  return { ...chosen, notes: [...notes, ...chosen.notes], source: SOURCE };
}

function walk(node: unknown, metric: string, segments: string[], field: string, depth: number, out: RawSeries[], errors: ImportIssue[], notes: string[], options: ImportOptions): void {
  if (!isRecord(node)) {
    errors.push({ field, message: 'expected an object of dates and values' });
    return;
  }
  const keys = Object.keys(node);
  const dated = keys.filter((k) => readDate(k, options.dateOrder) !== undefined);
  if (keys.length && dated.length === keys.length) {
    const points: ImportedPoint[] = [];
    for (const k of keys) {
      const v = node[k];
      if (isGap(v)) continue;
      const n = readJsonNumber(v);
      if (!n) {
        errors.push({ field: `${field}[${JSON.stringify(k)}]`, message: `${JSON.stringify(v)} is not a number` });
        continue;
      }
      points.push(point(readDate(k, options.dateOrder)!, n, { field: `${field}[${JSON.stringify(k)}]` }));
    }
    const segment = segments.filter((s) => s !== '$overall').join('; ');
    out.push({ metric, ...(segment ? { segment } : {}), points });
    return;
  }
  if (keys.length && keys.every((k) => !isRecord(node[k]))) {
    // `{ "all": 1234 }`: a total over the range, not one value per day.
    notes.push(`${field} holds a total, not a value per day (show the report by day): left out`);
    return;
  }
  if (depth >= MAX_DEPTH) {
    errors.push({ field, message: `nested deeper than ${MAX_DEPTH} levels` });
    return;
  }
  for (const k of keys) walk(node[k], metric, [...segments, k], `${field}[${JSON.stringify(k)}]`, depth + 1, out, errors, notes, options);
}
