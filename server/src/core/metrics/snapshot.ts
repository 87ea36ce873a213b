/**
 * Metric snapshots: a CSV file (`kpi,date,value[,source][,segment]`, any column order, header
 * required) read into data points, each with the ranges of its row and cells. Reading never
 * throws: a wrong header, a bad date, a value that is not a number, a duplicate date with another
 * value or text that is not CSV becomes a problem at its line, and the other rows are kept.
 */
import { parse } from 'csv-parse/sync';
import { LineIndex, span, type Span } from '../text/lineIndex.js';

/** One data point of a KPI. */
export interface MetricPoint {
  readonly kpi: string;
  /** YYYY-MM-DD. */
  readonly date: string;
  /** The number (a percentage is a fraction: `14.5%` is 0.145, as key results read `14.5%`). */
  readonly value: number;
  /** The value was written as a percentage. */
  readonly percent: boolean;
  /** The value as written. */
  readonly raw: string;
  readonly source?: string;
  readonly segment?: string;
  readonly uri: string;
  /** The row (without its line break). */
  readonly span: Span;
  readonly kpiSpan: Span;
  /** The value's cell (absent for points made elsewhere, such as an importer's). */
  readonly valueSpan?: Span;
}

/** A problem found while reading a snapshot (the rule units in rules/metrics/ turn it into a diagnostic). */
export interface SnapshotProblem {
  readonly kind: 'header' | 'row' | 'duplicate';
  readonly span: Span;
  readonly message: string;
  /** duplicate: where the first value for that KPI and date is. */
  readonly first?: Span;
}

export interface MetricFile {
  readonly uri: string;
  readonly text: string;
  readonly lines: LineIndex;
  readonly points: readonly MetricPoint[];
  readonly problems: readonly SnapshotProblem[];
}

export const REQUIRED_COLUMNS = ['kpi', 'date', 'value'] as const;
export const OPTIONAL_COLUMNS = ['source', 'segment'] as const;
/** At most this many rows are read from one file. */
const MAX_ROWS = 100_000;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Whether a string is a real calendar date written YYYY-MM-DD. */
export function isIsoDate(s: string): boolean {
  const m = ISO_DATE.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

/** A snapshot value: `1560`, `1,560.5`, `-3`, `14.5%`; undefined when it is not a number. */
export function readMetricValue(raw: string): { value: number; percent: boolean } | undefined {
  const t = raw.trim();
  const m = /^([+-]?)(\d{1,3}(?:,\d{3})+|\d+)?(\.\d+)?(%?)$/.exec(t);
  if (!m || (m[2] === undefined && m[3] === undefined)) return undefined;
  const n = Number(`${m[1]}${(m[2] ?? '0').replace(/,/g, '')}${m[3] ?? ''}`);
  if (!Number.isFinite(n)) return undefined;
  return m[4] ? { value: n / 100, percent: true } : { value: n, percent: false };
}

/** The cells of one raw record with their offsets (quote-aware; quotes are kept in the span). */
function cellSpans(raw: string, at: number): Span[] {
  const out: Span[] = [];
  let start = 0;
  let quoted = false;
  let i = 0;
  for (; i < raw.length; i++) {
    const c = raw[i];
    if (c === '"') quoted = !quoted;
    else if (!quoted && c === ',') {
      out.push(span(at + start, at + i));
      start = i + 1;
    } else if (!quoted && (c === '\n' || c === '\r')) break;
  }
  out.push(span(at + start, at + i));
  return out;
}

interface RawRecord {
  record: string[];
  raw: string;
}

/** The records csv-parse reads; on text that is not CSV, those before the failure and the failure's line. */
function records(text: string): { rows: RawRecord[]; failure?: { line: number; message: string } } {
  const options = { raw: true, relax_column_count: true, skip_empty_lines: false, bom: true, to: MAX_ROWS } as const;
  try {
    return { rows: (parse(text, options) as unknown as RawRecord[]).map((r) => ({ record: r.record, raw: r.raw })) };
  } catch (e) {
    const err = e as { lines?: number; message?: string };
    const line = Math.max(1, typeof err.lines === 'number' ? err.lines : 1);
    const message = String(err.message ?? e).replace(/^Invalid [^:]*: /, '');
    // Keep the rows before the line that failed.
    const lines = new LineIndex(text);
    const upTo = lines.offsetAt({ line: line - 1, character: 0 });
    try {
      const rows = (parse(text.slice(0, upTo), options) as unknown as RawRecord[]).map((r) => ({ record: r.record, raw: r.raw }));
      return { rows, failure: { line: line - 1, message } };
    } catch {
      return { rows: [], failure: { line: 0, message } };
    }
  }
}

/** Reads a snapshot. Never throws. */
export function parseSnapshot(uri: string, text: string): MetricFile {
  const lines = new LineIndex(text);
  const problems: SnapshotProblem[] = [];
  const points: MetricPoint[] = [];
  const lineSpan = (line: number) => span(lines.offsetAt({ line, character: 0 }), lines.offsetAt({ line, character: Number.MAX_SAFE_INTEGER }));
  const { rows, failure } = records(text);
  let offset = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let columns: Map<string, number> | undefined;
  const seen = new Map<string, MetricPoint>();
  for (const r of rows) {
    const at = offset;
    offset += r.raw.length;
    // csv-parse's raw text of a record ends at the \r of a \r\n.
    if (r.raw.endsWith('\r') && text.charCodeAt(offset) === 10) offset++;
    const cells = cellSpans(r.raw, at);
    const values = r.record.map((v) => v.trim());
    const rowSpan = span(at, cells[cells.length - 1]!.end);
    if (values.every((v) => v === '')) continue;
    if (!columns) {
      columns = new Map();
      values.forEach((v, i) => {
        const name = v.toLowerCase();
        if (!columns!.has(name)) columns!.set(name, i);
      });
      const missing = REQUIRED_COLUMNS.filter((c) => !columns!.has(c));
      if (missing.length) {
        problems.push({ kind: 'header', span: rowSpan, message: `The snapshot's header lacks ${missing.map((c) => `\`${c}\``).join(', ')}: expected \`kpi,date,value\` with optional \`source\` and \`segment\` columns, got \`${values.join(',')}\`.` });
        break;
      }
      const unknown = values.filter((v) => v && !(REQUIRED_COLUMNS as readonly string[]).includes(v.toLowerCase()) && !(OPTIONAL_COLUMNS as readonly string[]).includes(v.toLowerCase()));
      if (unknown.length) problems.push({ kind: 'header', span: rowSpan, message: `Unknown column${unknown.length === 1 ? '' : 's'} ${unknown.map((c) => `\`${c}\``).join(', ')} in the snapshot's header: expected \`kpi,date,value\` with optional \`source\` and \`segment\`; ${unknown.length === 1 ? 'it is' : 'they are'} ignored.` });
      continue;
    }
    const cell = (name: string): { text: string; span: Span } | undefined => {
      const i = columns!.get(name);
      if (i === undefined || i >= values.length) return undefined;
      return { text: values[i]!, span: cells[i] ?? rowSpan };
    };
    const kpi = cell('kpi');
    const date = cell('date');
    const value = cell('value');
    if (!kpi?.text) {
      problems.push({ kind: 'row', span: kpi?.span ?? rowSpan, message: 'A data point without a KPI: the `kpi` cell must hold a KPI ID such as `KPI-checkout-conversion`.' });
      continue;
    }
    if (!/^KPI-[A-Za-z0-9][A-Za-z0-9._-]*$/.test(kpi.text)) {
      problems.push({ kind: 'row', span: kpi.span, message: `\`${kpi.text}\` is not a KPI ID: expected an ID such as \`KPI-checkout-conversion\`.` });
      continue;
    }
    if (!date?.text || !isIsoDate(date.text)) {
      problems.push({ kind: 'row', span: date?.span ?? rowSpan, message: date?.text ? `\`${date.text}\` is not a date: expected an ISO date such as \`2026-05-01\` (YYYY-MM-DD).` : 'A data point without a date: expected an ISO date such as `2026-05-01` (YYYY-MM-DD).' });
      continue;
    }
    const v = value?.text ? readMetricValue(value.text) : undefined;
    if (!v) {
      problems.push({ kind: 'row', span: value?.span ?? rowSpan, message: value?.text ? `\`${value.text}\` is not a number: expected a number such as \`1560\`, \`1,560.5\` or a percentage such as \`14.5%\`.` : 'A data point without a value: expected a number or a percentage.' });
      continue;
    }
    const source = cell('source')?.text || undefined;
    const segment = cell('segment')?.text || undefined;
    const point: MetricPoint = { kpi: kpi.text, date: date.text, value: v.value, percent: v.percent, raw: value!.text, ...(source ? { source } : {}), ...(segment ? { segment } : {}), uri, span: rowSpan, kpiSpan: kpi.span, valueSpan: value!.span };
    const key = `${point.kpi}\u0000${point.date}\u0000${point.segment ?? ''}`;
    const first = seen.get(key);
    if (first) {
      if (first.value !== point.value) problems.push({ kind: 'duplicate', span: value!.span, first: first.span, message: `${point.kpi} has two values for ${point.date}${point.segment ? ` (segment ${point.segment})` : ''}: ${first.raw} on line ${lines.positionAt(first.span.start).line + 1} and ${point.raw} here. Keep one.` });
      continue;
    }
    seen.set(key, point);
    points.push(point);
  }
  if (!columns && !failure) problems.push({ kind: 'header', span: span(0, 0), message: 'An empty snapshot: expected the header `kpi,date,value` (optional `source` and `segment`) and one row per data point.' });
  if (failure) problems.push({ kind: 'row', span: lineSpan(Math.min(failure.line, lines.lineCount - 1)), message: `This is not CSV: ${failure.message}. The rows from here on are not read.` });
  return { uri, text, lines, points, problems };
}
