/**
 * The one place where coordinates are converted.
 *
 * The core works in UTF-16 code-unit offsets into the document string (what JavaScript string
 * indices and micromark/unist `offset`s are). Editors speak LSP positions: 0-based line and
 * 0-based UTF-16 character. The CLI prints 1-based line and column. All conversions go through
 * a LineIndex built once per document text.
 */

export interface Span {
  /** Inclusive start offset (UTF-16 code units). */
  readonly start: number;
  /** Exclusive end offset (UTF-16 code units). */
  readonly end: number;
}

export interface LinePosition {
  /** 0-based line. */
  readonly line: number;
  /** 0-based UTF-16 code-unit column. */
  readonly character: number;
}

export function span(start: number, end: number): Span {
  return { start, end: Math.max(start, end) };
}

export class LineIndex {
  /** Offsets at which each line starts. lineStarts[0] === 0. */
  private readonly lineStarts: number[];

  constructor(readonly text: string) {
    const starts = [0];
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 13 /* \r */) {
        if (text.charCodeAt(i + 1) === 10) i++;
        starts.push(i + 1);
      } else if (c === 10 /* \n */) {
        starts.push(i + 1);
      }
    }
    this.lineStarts = starts;
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }

  /** Clamps an offset into the text and off the low half of a surrogate pair. */
  clamp(offset: number): number {
    let o = Math.max(0, Math.min(this.text.length, Math.floor(offset)));
    if (o > 0 && o < this.text.length) {
      const c = this.text.charCodeAt(o);
      const p = this.text.charCodeAt(o - 1);
      if (c >= 0xdc00 && c <= 0xdfff && p >= 0xd800 && p <= 0xdbff) o--;
    }
    return o;
  }

  positionAt(offset: number): LinePosition {
    const o = this.clamp(offset);
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.lineStarts[mid] ?? 0) <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: o - (this.lineStarts[lo] ?? 0) };
  }

  offsetAt(position: LinePosition): number {
    if (position.line < 0) return 0;
    if (position.line >= this.lineStarts.length) return this.text.length;
    const start = this.lineStarts[position.line] ?? 0;
    const end = this.lineEnd(position.line);
    return this.clamp(Math.min(start + Math.max(0, position.character), end));
  }

  lineStart(line: number): number {
    return this.lineStarts[Math.max(0, Math.min(line, this.lineStarts.length - 1))] ?? 0;
  }

  /** Offset of the end of the line's content (before its line break). */
  lineEnd(line: number): number {
    const next = this.lineStarts[line + 1];
    if (next === undefined) return this.text.length;
    let e = next;
    if (this.text.charCodeAt(e - 1) === 10) e--;
    if (this.text.charCodeAt(e - 1) === 13) e--;
    return e;
  }

  lineText(line: number): string {
    return this.text.slice(this.lineStart(line), this.lineEnd(line));
  }

  /** 1-based line and column, for people and for the command line. */
  humanPosition(offset: number): { line: number; column: number } {
    const p = this.positionAt(offset);
    return { line: p.line + 1, column: p.character + 1 };
  }
}
