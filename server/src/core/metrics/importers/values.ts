/**
 * Dates and numbers as analytics tools write them, read into what a snapshot holds (an ISO date;
 * a number or a percentage), and the choice of one metric among an export's series.
 */
import { isIsoDate, readMetricValue } from '../snapshot.js';
import type { ImportIssue, ImportOptions, ImportWhere, ImportedPoint, RawSeries } from './types.js';

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

function iso(y: number, m: number, d: number): string | undefined {
  const s = `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
  return isIsoDate(s) ? s : undefined;
}

function month(name: string): number | undefined {
  const i = MONTHS.indexOf(name.slice(0, 3).toLowerCase());
  return i < 0 ? undefined : i + 1;
}

/** Cell text without the padding exports add: spaces, tabs (Excel formula guards), a leading `'`. */
export function clean(s: string): string {
  return s.replace(/^[\s']+|\s+$/g, '');
}

/**
 * A date as exports write it: `2026-05-01`, `2026-05-01T00:00:00-07:00` or `2026-05-01 13:00:00`
 * (the date as written: the project's own day), `20260501`, `1-May-2026`, `May 1, 2026`,
 * `1 May 2026`, and with `dateOrder` `05/01/2026`. Undefined when it is none of these.
 */
export function readDate(text: string, dateOrder?: 'mdy' | 'dmy'): string | undefined {
  const s = clean(text);
  let m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/.exec(s);
  if (m) return iso(+m[1]!, +m[2]!, +m[3]!);
  m = /^(\d{4})(\d{2})(\d{2})$/.exec(s);
  if (m) return iso(+m[1]!, +m[2]!, +m[3]!);
  m = /^(\d{1,2})[- ]([A-Za-z]{3,9})\.?[- ,]+(\d{4})$/.exec(s);
  if (m && month(m[2]!)) return iso(+m[3]!, month(m[2]!)!, +m[1]!);
  m = /^(?:[A-Za-z]{3,9},?\s+)?([A-Za-z]{3,9})\.?\s+(\d{1,2}),?\s+(\d{4})$/.exec(s);
  if (m && month(m[1]!)) return iso(+m[3]!, month(m[1]!)!, +m[2]!);
  m = /^(\d{1,2})[/.](\d{1,2})[/.](\d{4})$/.exec(s);
  if (m && dateOrder) return dateOrder === 'mdy' ? iso(+m[3]!, +m[1]!, +m[2]!) : iso(+m[3]!, +m[2]!, +m[1]!);
  return undefined;
}

/** Why a date could not be read, for messages. */
export function dateProblem(text: string): string {
  const s = clean(text);
  if (/^\d{1,2}[/.]\d{1,2}[/.]\d{4}$/.test(s)) return `\`${s}\` could be month/day or day/month: say which with --date-order mdy or --date-order dmy`;
  return `\`${s}\` is not a date: expected an ISO date such as 2026-05-01 (or 2026-05-01T00:00:00, 20260501, 1-May-2026, May 1, 2026)`;
}

/**
 * A timestamp in milliseconds (Pendo's `day`) → its day: the nearest UTC midnight, so a day that
 * starts at local midnight anywhere from UTC-11 to UTC+11 is that day.
 */
export function dateFromEpochMs(ms: number): string | undefined {
  if (!Number.isFinite(ms) || ms < 0 || ms > 8.64e15) return undefined;
  const day = Math.round(ms / 86_400_000) * 86_400_000;
  return new Date(day).toISOString().slice(0, 10);
}

/** A number cell: `1560`, `1,560.5`, `-3`, `14.5%`; undefined when it is not a number. */
export function readNumberText(text: string): { value: number; percent: boolean; raw: string } | undefined {
  const s = clean(text).replace(/^"|"$/g, '');
  const v = readMetricValue(s);
  if (!v) return undefined;
  const raw = s.replace(/,/g, '').replace(/^\+/, '');
  return { ...v, raw };
}

/** A number without an exponent (a snapshot reads `0.0000015`, not `1.5e-6`). */
function plain(n: number): string {
  const s = String(n);
  return /e/i.test(s) ? n.toLocaleString('en-US', { useGrouping: false, maximumFractionDigits: 20 }) : s;
}

/** A JSON number (or a numeric string) → a snapshot value; undefined for anything else. */
export function readJsonNumber(v: unknown): { value: number; percent: boolean; raw: string } | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? { value: v, percent: false, raw: plain(v) } : undefined;
  if (typeof v === 'string') return readNumberText(v);
  return undefined;
}

/** A JSON value that means "no data" (a gap in a series, not an error). */
export function isGap(v: unknown): boolean {
  return v === null || v === undefined || (typeof v === 'string' && clean(v) === '') || (typeof v === 'string' && clean(v) === '-');
}

export function where(w: ImportWhere): string {
  return [w.line !== undefined ? `line ${w.line}` : '', w.field ?? ''].filter(Boolean).join(', ');
}

export function point(date: string, v: { value: number; percent: boolean; raw: string }, at: ImportWhere, segment?: string): ImportedPoint {
  return { date, value: v.value, percent: v.percent, raw: v.raw, ...(segment ? { segment } : {}), where: at };
}

const norm = (s: string) => s.trim().toLowerCase();

/**
 * The points of one metric: the one the options name, or the only one. Several metrics without a
 * choice, a choice that names none, two series for the same segment, or two values for the same
 * date are errors; a metric's breakdown series become segments.
 */
export function selectSeries(series: readonly RawSeries[], options: ImportOptions, what = 'series'): { points: ImportedPoint[]; errors: ImportIssue[]; notes: string[] } {
  const errors: ImportIssue[] = [];
  const notes: string[] = [];
  const metrics = [...new Set(series.map((s) => s.metric))];
  const list = (xs: readonly string[]) => xs.map((x) => `"${x}"`).join(', ');
  let chosen: string | undefined;
  if (options.series !== undefined) {
    chosen = metrics.find((m) => norm(m) === norm(options.series!));
    if (chosen === undefined) {
      const partial = metrics.filter((m) => norm(m).includes(norm(options.series!)));
      if (partial.length === 1) chosen = partial[0];
    }
    if (chosen === undefined) return { points: [], errors: [{ message: `no ${what} named "${options.series}": the export holds ${metrics.length ? list(metrics) : 'none'}` }], notes };
  } else if (metrics.length > 1) {
    return { points: [], errors: [{ message: `the export holds ${metrics.length} ${what}: ${list(metrics)}; pick one with --series` }], notes };
  } else {
    chosen = metrics[0];
  }
  if (chosen === undefined) return { points: [], errors: [{ message: 'the export holds no series' }], notes };
  const mine = series.filter((s) => s.metric === chosen);
  if (metrics.length > 1) notes.push(`imported ${what} "${chosen}"`);
  const segments = new Set<string>();
  const points: ImportedPoint[] = [];
  for (const s of mine) {
    const key = norm(s.segment ?? '');
    if (segments.has(key)) {
      errors.push({ message: `two series for ${s.segment ? `segment "${s.segment}"` : 'the whole of'} "${chosen}"` });
      continue;
    }
    segments.add(key);
    const seen = new Map<string, ImportedPoint>();
    for (const p of s.points) {
      const first = seen.get(p.date);
      if (first) {
        if (first.raw !== p.raw) errors.push({ ...p.where, message: `a second value for ${p.date}${s.segment ? ` (segment "${s.segment}")` : ''}: ${first.raw} (${where(first.where)}) and ${p.raw}; export one value per day (daily interval)` });
        continue;
      }
      seen.set(p.date, p);
      points.push(s.segment ? { ...p, segment: s.segment } : p);
    }
  }
  const segmented = mine.filter((s) => s.segment).length;
  if (segmented) notes.push(`${segmented} segment${segmented === 1 ? '' : 's'}: ${list(mine.filter((s) => s.segment).map((s) => s.segment!))}`);
  if (!errors.length && !points.length) errors.push({ message: `"${chosen}" has no data points` });
  return { points: errors.length ? [] : points, errors, notes };
}
