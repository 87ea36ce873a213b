/**
 * Imported points into a snapshot's text: one row per date (and segment) appended, the file
 * created with its header when there is none. A date the snapshot already has with the same value
 * is skipped; with another value it is a conflict, and nothing is written unless `replace` is set
 * (then that row is rewritten in place). Pure: text in, text out; never throws.
 */
import { parse } from 'csv-parse/sync';
import { parseSnapshot } from '../snapshot.js';
import type { Span } from '../../text/lineIndex.js';
import type { ImportedPoint } from './types.js';
import { where } from './values.js';

export interface MergeRequest {
  /** The snapshot's text, or undefined when the file does not exist yet. */
  readonly existing?: string;
  readonly uri: string;
  readonly kpi: string;
  readonly source?: string;
  readonly points: readonly ImportedPoint[];
  readonly replace?: boolean;
}

export interface Conflict {
  readonly date: string;
  readonly segment?: string;
  /** The value in the snapshot, as written, and its 1-based line. */
  readonly existing: string;
  readonly line: number;
  /** The value in the export, and where it is there. */
  readonly imported: string;
  readonly where: string;
}

export interface MergeResult {
  /** The new text of the snapshot; undefined when nothing may be written (errors or conflicts). */
  readonly text?: string;
  readonly added: number;
  readonly same: number;
  readonly replaced: number;
  readonly conflicts: readonly Conflict[];
  readonly errors: readonly string[];
  readonly notes: readonly string[];
}

/** One CSV field, quoted when it must be. */
export function csvField(s: string): string {
  return /[",\r\n]|^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** A value the snapshot has (with its row), or one this import adds (no row yet). */
interface Known {
  readonly value: number;
  readonly percent: boolean;
  readonly raw: string;
  readonly segment?: string;
  readonly span?: Span;
}

const keyOf = (kpi: string, date: string, segment: string | undefined) => `${kpi}\u0000${date}\u0000${(segment ?? '').trim().toLowerCase()}`;

function sameValue(a: { value: number; percent: boolean }, b: { value: number; percent: boolean }): boolean {
  return a.percent === b.percent && Math.abs(a.value - b.value) <= 1e-9 * Math.max(1, Math.abs(a.value), Math.abs(b.value));
}

/** The header's column names, lower-cased, in order (undefined for a file with no rows). */
function headerOf(text: string): string[] | undefined {
  try {
    const rows = parse(text, { bom: true, relax_column_count: true, skip_empty_lines: true, to: 1 }) as string[][];
    return rows[0]?.map((c) => c.trim().toLowerCase());
  } catch {
    return undefined;
  }
}

export function mergeIntoSnapshot(req: MergeRequest): MergeResult {
  const notes: string[] = [];
  const segmented = req.points.some((p) => p.segment);
  const existing = req.existing !== undefined && req.existing.trim() !== '' ? req.existing : undefined;
  const eol = existing && /\r\n/.test(existing) ? '\r\n' : '\n';
  let columns: string[];
  let byKey = new Map<string, Known>();
  let lineOf = (_offset: number) => 0;
  if (existing) {
    const file = parseSnapshot(req.uri, existing);
    lineOf = (offset) => file.lines.positionAt(offset).line + 1;
    const header = headerOf(existing);
    const bad = file.problems.find((p) => p.kind === 'header' && /lacks|empty snapshot/.test(p.message));
    if (!header || bad) return { added: 0, same: 0, replaced: 0, conflicts: [], errors: [`the snapshot's header is not \`kpi,date,value[,source][,segment]\`${bad ? `: ${bad.message}` : ''}`], notes };
    columns = header;
    if (segmented && !columns.includes('segment')) return { added: 0, same: 0, replaced: 0, conflicts: [], errors: ['the export has segments and the snapshot has no `segment` column: add one to its header (or import one series with --series)'], notes };
    if (req.source && !columns.includes('source')) notes.push('the snapshot has no `source` column: the source is not written');
    byKey = new Map(file.points.filter((p) => p.kpi === req.kpi).map((p): [string, Known] => [keyOf(p.kpi, p.date, p.segment), p]));
  } else {
    columns = ['kpi', 'date', 'value', ...(req.source ? ['source'] : []), ...(segmented ? ['segment'] : [])];
  }
  const row = (p: ImportedPoint, segment: string | undefined) =>
    columns
      .map((c) => {
        if (c === 'kpi') return csvField(req.kpi);
        if (c === 'date') return p.date;
        if (c === 'value') return csvField(p.raw);
        if (c === 'source') return csvField(req.source ?? '');
        if (c === 'segment') return csvField(segment ?? '');
        return '';
      })
      .join(',');
  const conflicts: Conflict[] = [];
  const replacements: { start: number; end: number; text: string }[] = [];
  const fresh: ImportedPoint[] = [];
  let same = 0;
  for (const p of req.points) {
    const had = byKey.get(keyOf(req.kpi, p.date, p.segment));
    if (!had) {
      fresh.push(p);
      byKey.set(keyOf(req.kpi, p.date, p.segment), p);
      continue;
    }
    if (!had.span) continue; // the export's own duplicate (importers reject these)
    if (sameValue(had, p)) {
      same++;
      continue;
    }
    conflicts.push({ date: p.date, ...(p.segment ? { segment: p.segment } : {}), existing: had.raw, line: lineOf(had.span.start), imported: p.raw, where: where(p.where) });
    replacements.push({ start: had.span.start, end: had.span.end, text: row(p, had.segment) });
  }
  if (conflicts.length && !req.replace) return { added: 0, same, replaced: 0, conflicts, errors: [], notes };
  let text = existing ?? `${columns.join(',')}${eol}`;
  if (replacements.length) {
    // One pass over the text, whatever the number of rows replaced.
    const parts: string[] = [];
    let at = 0;
    for (const r of replacements.sort((a, b) => a.start - b.start)) {
      parts.push(text.slice(at, r.start), r.text);
      at = r.end;
    }
    parts.push(text.slice(at));
    text = parts.join('');
  }
  fresh.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : (a.segment ?? '').localeCompare(b.segment ?? '')));
  if (fresh.length) {
    if (!/\n$/.test(text)) text += eol;
    text += fresh.map((p) => row(p, p.segment) + eol).join('');
  }
  return { text, added: fresh.length, same, replaced: replacements.length, conflicts, errors: [], notes };
}
