/** Dates and periods as the spec reads them: `2026-05-31`, `2026-Q2`, `2026-H1`, `2026`. */

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

/** A date or a period as an inclusive range of days; undefined when unreadable. */
export function parsePeriod(s: unknown): Period | undefined {
  if (typeof s !== 'string' && typeof s !== 'number') return undefined;
  const t = String(s).trim();
  let m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(t);
  if (m) {
    const y = Number(m[1]);
    const mo = Number(m[2]);
    const d = Number(m[3]);
    if (mo < 1 || mo > 12 || d < 1 || d > lastDay(y, mo)) return undefined;
    return { start: t, end: t };
  }
  m = /^(\d{4})-Q([1-4])$/i.exec(t);
  if (m) {
    const y = Number(m[1]);
    const q = Number(m[2]);
    const em = q * 3;
    return { start: `${y}-${pad(em - 2)}-01`, end: `${y}-${pad(em)}-${pad(lastDay(y, em))}` };
  }
  m = /^(\d{4})-H([12])$/i.exec(t);
  if (m) {
    const y = Number(m[1]);
    return m[2] === '1' ? { start: `${y}-01-01`, end: `${y}-06-30` } : { start: `${y}-07-01`, end: `${y}-12-31` };
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
