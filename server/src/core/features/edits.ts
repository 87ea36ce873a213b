/** Text edits as the core computes them: offsets into one document version, never overlapping. */
import type { Span } from '../text/lineIndex.js';

export interface TextEdit {
  readonly span: Span;
  readonly newText: string;
}

/** Applies non-overlapping edits to a text (used by tests and by fix-all checks). */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end);
  let out = '';
  let at = 0;
  for (const e of sorted) {
    if (e.span.start < at) throw new Error(`overlapping edits at ${e.span.start}`);
    out += text.slice(at, e.span.start) + e.newText;
    at = e.span.end;
  }
  return out + text.slice(at);
}

/** Keeps edits that overlap none kept before them (insertions at the same point are merged in order). */
export function withoutOverlaps(edits: readonly TextEdit[]): TextEdit[] {
  const out: TextEdit[] = [];
  for (const e of [...edits].sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end)) {
    const last = out[out.length - 1];
    if (!last) {
      out.push(e);
      continue;
    }
    const bothInserts = last.span.start === last.span.end && e.span.start === e.span.end && last.span.start === e.span.start;
    if (bothInserts) out[out.length - 1] = { span: last.span, newText: last.newText + e.newText };
    else if (e.span.start >= last.span.end && !(e.span.start === last.span.end && e.span.start === e.span.end && last.span.start === last.span.end)) out.push(e);
  }
  return out;
}
