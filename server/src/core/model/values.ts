/**
 * Dates and periods as people write them, read into the spec's forms: dates `2026-05-31`,
 * `March 15, 2026`, `15 Mar 2026`; periods `2026-Q2`, `Q2 2026`, `Q2-2026`, `FY26 Q2`, `Q2 FY26`,
 * `H2 2026`, `2026 H2`, `Jan–Mar 2026`, `March 2026`, `2026`. A fiscal year is the calendar year
 * (`FY26` is 2026) until a fiscal-year start is an option.
 * One reader per form: `canonicalDate` (a day), `canonicalPeriod` (a quarter, half, month or
 * year); `parsePeriod` turns either into an inclusive range of days.
 */

export interface Period {
  /** Inclusive, YYYY-MM-DD. */
  readonly start: string;
  /** Inclusive, YYYY-MM-DD. */
  readonly end: string;
}

const pad = (n: number) => String(n).padStart(2, '0');

function lastDay(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const FULL_MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];

/** A month name or abbreviation (`Mar`, `March`, `Sept.`) as 1..12, or undefined. */
function monthOf(word: string): number | undefined {
  const w = word.toLowerCase().replace(/\.$/, '');
  const i = MONTHS.findIndex((m, k) => w === m || w === FULL_MONTHS[k] || (k === 8 && w === 'sept'));
  return i < 0 ? undefined : i + 1;
}

/** A four-digit year, or a two-digit one after `FY` / an apostrophe (`FY26`, `'26` → 2026). */
function yearOf(digits: string): number {
  return digits.length === 2 ? 2000 + Number(digits) : Number(digits);
}

function isoDay(y: number, mo: number, d: number): string | undefined {
  if (mo < 1 || mo > 12 || d < 1 || d > lastDay(y, mo)) return undefined;
  return `${y}-${pad(mo)}-${pad(d)}`;
}

/** Dashes, slashes and spaces between the parts of a written date or period, made one space. */
function tidy(s: string): string {
  return s
    .trim()
    .replace(/[‐‑‒–—―]/g, '-')
    .replace(/\s+/g, ' ');
}

/**
 * A day as written, in YYYY-MM-DD: `2026-03-15`, `2026/03/15`, `March 15, 2026`, `Mar 15th 2026`,
 * `15 Mar 2026`, `15 March, 2026`. Day-first or month-first numbers (`03/05/2026`) are ambiguous
 * and not read.
 */
export function canonicalDate(s: string): string | undefined {
  const t = tidy(s);
  let m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(t) ?? /^(\d{4})\/(\d{1,2})\/(\d{1,2})$/.exec(t);
  if (m) return isoDay(Number(m[1]), Number(m[2]), Number(m[3]));
  m = /^([A-Za-z]{3,9}\.?) (\d{1,2})(?:st|nd|rd|th)?,? (\d{4})$/.exec(t);
  if (m) {
    const mo = monthOf(m[1]!);
    return mo ? isoDay(Number(m[3]), mo, Number(m[2])) : undefined;
  }
  m = /^(\d{1,2})(?:st|nd|rd|th)?\.? ([A-Za-z]{3,9}\.?),? (\d{4})$/.exec(t);
  if (m) {
    const mo = monthOf(m[2]!);
    return mo ? isoDay(Number(m[3]), mo, Number(m[1])) : undefined;
  }
  return undefined;
}

const YEAR = String.raw`(\d{4}|'\d{2})`;
const FY = String.raw`FY ?'?(\d{4}|\d{2})`;
const SEP = String.raw`[ \-/]?`;

/** The period forms, each with how its match becomes `YYYY-Qn`, `YYYY-Hn` or `YYYY`. */
const PERIOD_FORMS: readonly { re: RegExp; read: (m: RegExpExecArray) => string }[] = [
  { re: new RegExp(`^${YEAR}${SEP}Q([1-4])$`, 'i'), read: (m) => `${yearOf(m[1]!.replace("'", ''))}-Q${m[2]}` },
  { re: new RegExp(`^Q([1-4])${SEP}${YEAR}$`, 'i'), read: (m) => `${yearOf(m[2]!.replace("'", ''))}-Q${m[1]}` },
  { re: new RegExp(`^${FY}${SEP}Q([1-4])$`, 'i'), read: (m) => `${yearOf(m[1]!)}-Q${m[2]}` },
  { re: new RegExp(`^Q([1-4])${SEP}${FY}$`, 'i'), read: (m) => `${yearOf(m[2]!)}-Q${m[1]}` },
  { re: new RegExp(`^${YEAR}${SEP}H([12])$`, 'i'), read: (m) => `${yearOf(m[1]!.replace("'", ''))}-H${m[2]}` },
  { re: new RegExp(`^H([12])${SEP}${YEAR}$`, 'i'), read: (m) => `${yearOf(m[2]!.replace("'", ''))}-H${m[1]}` },
  { re: new RegExp(`^([12])H${SEP}${YEAR}$`, 'i'), read: (m) => `${yearOf(m[2]!.replace("'", ''))}-H${m[1]}` },
  { re: new RegExp(`^${FY}${SEP}H([12])$`, 'i'), read: (m) => `${yearOf(m[1]!)}-H${m[2]}` },
  { re: new RegExp(`^H([12])${SEP}${FY}$`, 'i'), read: (m) => `${yearOf(m[2]!)}-H${m[1]}` },
  { re: new RegExp(`^${FY}$`, 'i'), read: (m) => `${yearOf(m[1]!)}` },
  { re: /^(\d{4})$/, read: (m) => m[1]! },
];

/** A run of months (`Jan–Mar 2026`, `January - June 2026`, `March 2026`) as the period it covers. */
function monthRange(t: string): string | undefined {
  const m = /^([A-Za-z]{3,9}\.?)(?: ?- ?| to | through )([A-Za-z]{3,9}\.?),? (\d{4})$/i.exec(t) ?? /^([A-Za-z]{3,9}\.?)(),? (\d{4})$/.exec(t);
  if (!m) return undefined;
  const from = monthOf(m[1]!);
  const to = m[2] ? monthOf(m[2]) : from;
  if (!from || !to || to < from) return undefined;
  const y = m[3]!;
  if (from === to) return `${y}-${pad(from)}`;
  if (from === 1 && to === 12) return y;
  if (to - from === 5 && (from === 1 || from === 7)) return `${y}-H${from === 1 ? 1 : 2}`;
  if (to - from === 2 && from % 3 === 1) return `${y}-Q${(from + 2) / 3}`;
  return undefined;
}

/**
 * A period as written, in the spec's form: `Q1 2026` → `2026-Q1`, `FY26 Q1` → `2026-Q1`,
 * `2026 H2` → `2026-H2`, `Jan–Mar 2026` → `2026-Q1`, `March 2026` → `2026-03`, `2026` → `2026`.
 */
export function canonicalPeriod(s: string): string | undefined {
  const t = tidy(s);
  for (const f of PERIOD_FORMS) {
    const m = f.re.exec(t);
    if (m) return f.read(m);
  }
  if (/^\d{4}-(0[1-9]|1[0-2])$/.test(t)) return t;
  return monthRange(t);
}

/** A date or a period as an inclusive range of days; undefined when unreadable. */
export function parsePeriod(s: unknown): Period | undefined {
  if (typeof s !== 'string' && typeof s !== 'number') return undefined;
  const raw = String(s).trim();
  const day = canonicalDate(raw);
  if (day) return { start: day, end: day };
  const t = canonicalPeriod(raw);
  if (!t) return undefined;
  let m = /^(\d{4})-Q([1-4])$/.exec(t);
  if (m) {
    const y = Number(m[1]);
    const em = Number(m[2]) * 3;
    return { start: `${y}-${pad(em - 2)}-01`, end: `${y}-${pad(em)}-${pad(lastDay(y, em))}` };
  }
  m = /^(\d{4})-H([12])$/.exec(t);
  if (m) {
    const y = Number(m[1]);
    return m[2] === '1' ? { start: `${y}-01-01`, end: `${y}-06-30` } : { start: `${y}-07-01`, end: `${y}-12-31` };
  }
  m = /^(\d{4})-(\d{2})$/.exec(t);
  if (m) {
    const y = Number(m[1]);
    const mo = Number(m[2]);
    return { start: `${y}-${m[2]}-01`, end: `${y}-${m[2]}-${pad(lastDay(y, mo))}` };
  }
  m = /^(\d{4})$/.exec(t);
  if (m) return { start: `${m[1]}-01-01`, end: `${m[1]}-12-31` };
  return undefined;
}

export function periodContains(p: Period, date: string): boolean {
  return p.start <= date && date <= p.end;
}

export function todayIso(now = new Date()): string {
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}
