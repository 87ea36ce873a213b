/**
 * Bounds nesting before any parser sees the text. A line whose container prefix — block quote
 * markers, list markers and indentation — is deeper than any real document goes (or that opens
 * more than a thousand HTML tags), and a paragraph
 * whose brackets or emphasis nest deeper than that, are blanked (replaced by spaces, so every
 * offset stays where it was) and reported. remark then never builds a tree thousands of levels
 * deep (which takes it seconds and, cloned across a thread, overflows the stack), and neither
 * does the scanner. Front matter and fenced code are never measured or cut.
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
  const cuts: [number, number][] = [];
  const n = text.length;
  // Front matter is YAML, not Markdown: never measured or cut (its own reader bounds aliases).
  const fm = /^---[ \t]*\r?\n(?:[\s\S]*?\r?\n)?---[ \t]*(?:\r?\n|$)/.exec(text);
  let start = fm ? fm[0].length : 0;
  /** The open fence (its character and length), if any: code is never measured or cut. */
  let fence: { char: number; length: number } | undefined;
  /** The block of consecutive non-blank lines being measured for inline nesting. */
  let block: Inline | undefined;
  const endBlock = (end: number) => {
    if (block?.tooDeep) cuts.push([block.start, end]);
    block = undefined;
  };
  while (start < n) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = n;
    const f = fenceAt(text, start, end);
    if (fence) {
      if (f && f.char === fence.char && f.length >= fence.length && f.closing) fence = undefined;
    } else if (f) {
      endBlock(start);
      fence = f;
    } else if (isBlank(text, start, end)) {
      endBlock(start);
    } else {
      if (tooDeep(text, start, end) || tooManyTags(text, start, end)) cuts.push([start, end]);
      block ??= { start, brackets: 0, emphasis: 0, tooDeep: false };
      if (!block.tooDeep) measureInline(text, start, end, block);
    }
    start = end + 1;
  }
  endBlock(n);
  if (!cuts.length) return { text };
  cuts.sort((x, y) => x[0] - y[0]);
  const out: string[] = [];
  let last = 0;
  for (const [a, b] of cuts) {
    if (b <= last) continue;
    const from = Math.max(a, last);
    out.push(text.slice(last, from), blankRange(text, from, b));
    last = b;
  }
  out.push(text.slice(last));
  return { text: out.join(''), cutAt: cuts[0]![0] };
}

/** At most this many brackets or emphasis openers may be open at once in a paragraph. */
export const MAX_INLINE_DEPTH = 32;

interface Inline {
  readonly start: number;
  brackets: number;
  emphasis: number;
  tooDeep: boolean;
}

/**
 * Inline nesting, measured the cheap way: unescaped `[` open and `]` close; a run of `*` or `_`
 * before a non-space opens, after a non-space and before a space or the end closes. remark's
 * time grows with the cube of this depth (1,000 nested images: 3 s; 4,000: 100 s).
 */
function measureInline(text: string, start: number, end: number, b: Inline): void {
  // One pass over the paragraph's own characters (a regex search for the next special character
  // would run on past the paragraph, to the end of the document: quadratic on plain text).
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c !== 0x5c && c !== 0x5b && c !== 0x5d && c !== 0x2a && c !== 0x5f) continue;
    if (c === 0x5c /* backslash */) i++;
    else if (c === 0x5b /* [ */) {
      if (++b.brackets > MAX_INLINE_DEPTH) b.tooDeep = true;
    } else if (c === 0x5d /* ] */) {
      if (b.brackets > 0) b.brackets--;
    } else {
      let j = i;
      while (j < end && text.charCodeAt(j) === c) j++;
      const before = i > start ? text.charCodeAt(i - 1) : 0x20;
      const after = j < end ? text.charCodeAt(j) : 0x20;
      const opens = !isWhite(after) && (isWhite(before) || isPunct(before));
      const closes = !isWhite(before) && (isWhite(after) || isPunct(after));
      if (opens && !closes) {
        if (++b.emphasis > MAX_INLINE_DEPTH) b.tooDeep = true;
      } else if (closes && !opens && b.emphasis > 0) b.emphasis--;
      i = j - 1;
    }
    if (b.tooDeep) return;
  }
}

/** At most this many HTML tags or comments may open on one line (no real line has a hundred). */
export const MAX_LINE_TAGS = 1000;

/** cmark's "unclosed <!--" (300,000 comment openers on one line) takes remark seconds per 100 KB. */
function tooManyTags(text: string, start: number, end: number): boolean {
  if (end - start <= 2 * MAX_LINE_TAGS) return false; // too short to hold that many tags
  let count = 0;
  for (let i = start; i < end; i++) {
    if (text.charCodeAt(i) !== 0x3c /* < */) continue;
    const c = text.charCodeAt(i + 1);
    if (c === 0x21 || c === 0x2f || c === 0x3f || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)) {
      if (++count > MAX_LINE_TAGS) return true;
    }
  }
  return false;
}

function isWhite(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0a;
}

function isPunct(c: number): boolean {
  return (c >= 0x21 && c <= 0x2f) || (c >= 0x3a && c <= 0x40) || (c >= 0x5b && c <= 0x60) || (c >= 0x7b && c <= 0x7e);
}

function isBlank(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x09 && c !== 0x0d) return false;
  }
  return true;
}

/** A fence line (up to 3 spaces, then 3+ backticks or tildes): its character, length, and whether it can close. */
function fenceAt(text: string, start: number, end: number): { char: number; length: number; closing: boolean } | undefined {
  let i = start;
  while (i < end && i - start < 3 && text.charCodeAt(i) === 0x20) i++;
  const c = text.charCodeAt(i);
  if (c !== 0x60 && c !== 0x7e) return undefined;
  let j = i;
  while (j < end && text.charCodeAt(j) === c) j++;
  if (j - i < 3) return undefined;
  return { char: c, length: j - i, closing: isBlank(text, j, end) };
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

/** Spaces for every character of [start, end), keeping line breaks (so lines and UTF-16 offsets stay). */
function blankRange(text: string, start: number, end: number): string {
  return text.slice(start, end).replace(/[^\r\n]/g, ' ');
}
