/**
 * Bounds block nesting before any parser sees the text. A line whose container prefix — block
 * quote markers, list markers and indentation — is deeper than any real document goes is blanked
 * (replaced by spaces, so every offset stays where it was) and reported. remark then never builds
 * a tree thousands of levels deep (which takes it seconds and, cloned across a thread, overflows
 * the stack), and neither does the scanner.
 */

/** At most this many block quote or list markers may open a line. */
export const MAX_LINE_CONTAINERS = 32;
/** At most this many columns of container prefix (markers and indentation). */
export const MAX_PREFIX_COLUMNS = 256;

export interface BoundedText {
  /** The text to parse: the input with every too-deep line blanked, of the same length. */
  readonly text: string;
  /** The offset of the first blanked line, if any. */
  readonly cutAt?: number;
}

export function boundNesting(text: string): BoundedText {
  let out: string[] | undefined;
  let last = 0;
  let cutAt: number | undefined;
  let start = 0;
  const n = text.length;
  while (start < n) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = n;
    if (tooDeep(text, start, end)) {
      (out ??= []).push(text.slice(last, start), blank(text, start, end));
      last = end;
      cutAt ??= start;
    }
    start = end + 1;
  }
  if (!out) return { text };
  out.push(text.slice(last));
  return { text: out.join(''), cutAt: cutAt! };
}

function tooDeep(text: string, start: number, end: number): boolean {
  let markers = 0;
  let column = 0;
  let i = start;
  while (i < end) {
    const c = text.charCodeAt(i);
    if (c === 0x20) column++;
    else if (c === 0x09) column += 4 - (column % 4);
    else if (c === 0x3e /* > */) markers++, column++;
    else if ((c === 0x2d || c === 0x2a || c === 0x2b) && isSpace(text.charCodeAt(i + 1))) markers++, column++;
    else if (c >= 0x30 && c <= 0x39) {
      let j = i;
      while (j < end && j - i < 9 && text.charCodeAt(j) >= 0x30 && text.charCodeAt(j) <= 0x39) j++;
      const d = text.charCodeAt(j);
      if ((d !== 0x2e && d !== 0x29) || !isSpace(text.charCodeAt(j + 1))) return false;
      markers++;
      column += j + 1 - i;
      i = j;
    } else return false;
    if (markers > MAX_LINE_CONTAINERS || column > MAX_PREFIX_COLUMNS) return true;
    i++;
  }
  return false;
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09;
}

/** Spaces for every character of the line, keeping a CR and the UTF-16 length. */
function blank(text: string, start: number, end: number): string {
  const cr = end > start && text.charCodeAt(end - 1) === 0x0d;
  return ' '.repeat(end - start - (cr ? 1 : 0)) + (cr ? '\r' : '');
}
