/**
 * The P-scale a document uses: a legend it writes (`- **P1 (Important):** …`, a heading
 * `Should-Have Features (P1)`) read by the meaning of its words, or — without one — the top of
 * the scale it uses (P0 first: P0 must, P1 should, P2 could; P1 first, as spec-kit does: P1 must,
 * P2 should, P3 could). A legend that gives one code two meanings is a problem of the document.
 */
import type { Span } from '../../text/lineIndex.js';
import type { Priority } from '../types.js';
import { moscowIn, priorityOfWords } from './roles.js';

export interface LegendEntry {
  readonly code: string;
  readonly priority: Priority;
  readonly span: Span;
}

const LEGEND_LINE = /^\s*P(\d)\s*(?:\(([^)]{1,60})\))?\s*(?:[:=\-–—]\s*(.*))?$/;

/** A legend line (plain text, emphasis blanked): `P1 (Important): …`, `P0 - Critical`, `P2: Nice to have`. */
export function legendOfLine(plainLine: string, lineStart: number): LegendEntry | undefined {
  const m = LEGEND_LINE.exec(plainLine);
  if (!m || (m[2] === undefined && m[3] === undefined)) return undefined;
  const meaning = m[2] ?? m[3]!.split(/[.;,]/)[0]!.split(/\s+/).slice(0, 6).join(' ');
  const priority = priorityOfWords(meaning);
  if (!priority) return undefined;
  const at = plainLine.indexOf(`P${m[1]}`);
  return { code: `P${m[1]}`, priority, span: { start: lineStart + at, end: lineStart + at + 2 } };
}

/** A heading that names a MoSCoW class and its code: `Must-Have Features (P0)`. */
export function legendOfHeading(title: string, titleStart: number): LegendEntry | undefined {
  const mo = moscowIn(title);
  const p = /\(\s*P(\d)\s*\)|\[\s*P(\d)\s*\]/.exec(title);
  if (!mo || !p) return undefined;
  const d = p[1] ?? p[2]!;
  const at = title.indexOf(`P${d}`, p.index);
  return { code: `P${d}`, priority: mo.priority, span: { start: titleStart + at, end: titleStart + at + 2 } };
}

/** The scale inferred from the codes used: the lowest is must, then should, could, and wont for the rest (up to the highest code used). */
export function inferredScale(used: readonly number[]): Record<string, Priority> {
  if (!used.length) return {};
  const top = Math.min(...used);
  const bottom = Math.max(...used);
  const order: Priority[] = ['must', 'should', 'could'];
  const out: Record<string, Priority> = {};
  for (let d = top; d <= bottom; d++) out[`P${d}`] = order[d - top] ?? 'wont';
  return out;
}
