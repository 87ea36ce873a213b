/**
 * CSV exports as tables: rows of cells with their 1-based line, the delimiter guessed from the
 * text (comma, semicolon or tab), and columns picked by name. Shared by the Amplitude chart CSV,
 * the Pendo CSV and the generic CSV importer. Never throws.
 */
import { parse } from 'csv-parse/sync';
import type { ImportIssue, ImportOptions, ImportedPoint, RawSeries } from './types.js';
import { clean, dateProblem, point, readDate, readNumberText } from './values.js';

export interface TableRow {
  readonly cells: readonly string[];
  /** 1-based line where the row starts. */
  readonly line: number;
}

/** At most this many rows are read from one export. */
const MAX_ROWS = 200_000;

/** The delimiter most used outside quotes in the first lines. */
function delimiterOf(text: string): string {
  const counts = new Map<string, number>([[',', 0], [';', 0], ['\t', 0]]);
  let quoted = false;
  let lines = 0;
  for (let i = 0; i < text.length && lines < 30; i++) {
    const c = text[i]!;
    if (c === '"') quoted = !quoted;
    else if (!quoted && c === '\n') lines++;
    else if (!quoted && counts.has(c)) counts.set(c, counts.get(c)! + 1);
  }
  // A tab right after an opening quote is an Excel guard, not a delimiter.
  const guards = (text.slice(0, 20_000).match(/"\t/g) ?? []).length;
  counts.set('\t', Math.max(0, counts.get('\t')! - guards));
  const best = [...counts].sort((a, b) => b[1] - a[1])[0]!;
  return best[1] > 0 ? best[0] : ',';
}

/** The rows of a CSV text (empty rows left out). */
export function readTable(text: string): { rows: TableRow[]; error?: ImportIssue } {
  const delimiter = delimiterOf(text);
  try {
    const out = parse(text, { bom: true, delimiter, relax_column_count: true, relax_quotes: true, skip_empty_lines: true, info: true, to: MAX_ROWS }) as unknown as { record: string[]; info: { lines: number } }[];
    let prevEnd = 0;
    const rows: TableRow[] = [];
    for (const r of out) {
      const span = r.record.filter((c) => c.includes('\n')).reduce((n, c) => n + (c.match(/\n/g) ?? []).length, 0);
      const line = Math.max(prevEnd + 1, r.info.lines - span);
      prevEnd = r.info.lines;
      if (r.record.every((c) => clean(c) === '')) continue;
      rows.push({ cells: r.record, line });
    }
    return { rows };
  } catch (e) {
    const err = e as { lines?: number; message?: string };
    return { rows: [], error: { line: typeof err.lines === 'number' ? Math.max(1, err.lines) : 1, message: `not CSV: ${String(err.message ?? e).replace(/^Invalid [^:]*: /, '')}` } };
  }
}

const DATE_NAMES = ['date', 'day', 'time', 'timestamp', 'period', 'week', 'month', 'date (utc)', 'x', 'bucket'];
const VALUE_NAMES = ['value', 'count', 'total', 'totals', 'uniques', 'events', 'users', 'visitors', 'amount', 'metric'];

const norm = (s: string) => clean(s).toLowerCase();

/** The index of the column named `name` (case-insensitive). */
export function columnNamed(header: readonly string[], name: string): number | undefined {
  const i = header.findIndex((h) => norm(h) === norm(name));
  return i < 0 ? undefined : i;
}

/**
 * A long table (one row per date) → series: the date column (by name, or the one whose cells are
 * dates), the value column (`field`, else by name, else the only numeric one), segments from
 * `segmentField` or a `segment` column.
 */
export function longTable(header: readonly string[], rows: readonly TableRow[], headerLine: number, options: ImportOptions, metric: string): { series: RawSeries[]; errors: ImportIssue[]; notes: string[] } {
  const errors: ImportIssue[] = [];
  const notes: string[] = [];
  const names = header.map(clean);
  const sample = rows.slice(0, 20);
  const share = (i: number, ok: (s: string) => boolean) => sample.filter((r) => r.cells[i] !== undefined && clean(r.cells[i]!) !== '' && ok(r.cells[i]!)).length;
  let dateCol = names.findIndex((n) => DATE_NAMES.includes(n.toLowerCase()));
  if (dateCol < 0) dateCol = names.findIndex((_, i) => sample.length > 0 && share(i, (s) => readDate(s, options.dateOrder) !== undefined) === sample.length);
  if (dateCol < 0) return { series: [], errors: [{ line: headerLine, message: `no date column: expected a column named ${DATE_NAMES.slice(0, 4).join(', ')} (the header is ${names.map((n) => `"${n}"`).join(', ')})` }], notes };
  let segCol: number | undefined;
  if (options.segmentField !== undefined) {
    segCol = columnNamed(names, options.segmentField);
    if (segCol === undefined) return { series: [], errors: [{ line: headerLine, message: `no column named "${options.segmentField}" (--segment-field): the header is ${names.map((n) => `"${n}"`).join(', ')}` }], notes };
  } else segCol = columnNamed(names, 'segment');
  let valueCol: number | undefined;
  if (options.field !== undefined) {
    valueCol = columnNamed(names, options.field);
    if (valueCol === undefined) return { series: [], errors: [{ line: headerLine, message: `no column named "${options.field}" (--field): the header is ${names.map((n) => `"${n}"`).join(', ')}` }], notes };
  } else {
    const candidates = names.map((_, i) => i).filter((i) => i !== dateCol && i !== segCol && norm(names[i]!) !== 'kpi' && norm(names[i]!) !== 'source');
    const numeric = candidates.filter((i) => sample.length > 0 && share(i, (s) => readNumberText(s) !== undefined) === sample.filter((r) => r.cells[i] !== undefined && clean(r.cells[i]!) !== '').length && share(i, (s) => readNumberText(s) !== undefined) > 0);
    // A column named as a value is the value (its bad cells are errors at their lines); else the only numeric one.
    valueCol = candidates.find((i) => VALUE_NAMES.includes(norm(names[i]!))) ?? (numeric.length === 1 ? numeric[0] : undefined);
    if (valueCol === undefined) {
      return { series: [], errors: [{ line: headerLine, message: numeric.length ? `several numeric columns (${numeric.map((i) => `"${names[i]}"`).join(', ')}): name the value column with --field` : `no numeric column besides "${names[dateCol]}": name the value column with --field` }], notes };
    }
    notes.push(`value column "${names[valueCol]}", date column "${names[dateCol]}"`);
  }
  const bySegment = new Map<string, ImportedPoint[]>();
  for (const r of rows) {
    const rawDate = r.cells[dateCol] ?? '';
    const rawValue = r.cells[valueCol] ?? '';
    if (clean(rawDate) === '' && clean(rawValue) === '') continue;
    const date = readDate(rawDate, options.dateOrder);
    if (!date) {
      errors.push({ line: r.line, field: names[dateCol], message: dateProblem(rawDate) });
      continue;
    }
    if (clean(rawValue) === '' || clean(rawValue) === '-') continue;
    const v = readNumberText(rawValue);
    if (!v) {
      errors.push({ line: r.line, field: names[valueCol], message: `\`${clean(rawValue)}\` is not a number: expected a number such as 1560 or 1,560.5, or a percentage such as 14.5%` });
      continue;
    }
    const seg = segCol !== undefined ? clean(r.cells[segCol] ?? '') : '';
    (bySegment.get(seg) ?? bySegment.set(seg, []).get(seg)!).push(point(date, v, { line: r.line }));
  }
  const series = [...bySegment].map(([seg, points]) => ({ metric, ...(seg ? { segment: seg } : {}), points }));
  return { series, errors, notes };
}
