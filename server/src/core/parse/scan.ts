/**
 * The fast path: a line scanner that builds the parts of an mdast tree the model extraction reads
 * (front matter, headings, paragraphs, lists, GFM tables, code, HTML comments, text spans) at
 * line-scan speed — about 100x faster than remark. It covers the regular Markdown product
 * documents are written in; whenever it meets a construct it cannot place exactly as remark would
 * (block quotes, HTML blocks, setext ambiguity, reference definitions, tabs in indentation,
 * nested code, inline HTML …) it answers `undefined` and the caller falls back to remark.
 *
 * Invariant (tested): when it answers, extractModel() over its tree equals extractModel() over
 * remark's tree, on generated documents, the examples, the real-world corpus and every CommonMark
 * spec example it accepts.
 */
import type { Root, RootContent, PhrasingContent, ListItem, TableRow, TableCell, Paragraph, Heading, List, Table } from 'mdast';

type Pos = { start: { line: number; column: number; offset: number }; end: { line: number; column: number; offset: number } };

class Unsure extends Error {}

function pos(start: number, end: number): Pos {
  // Only offsets are read downstream; lines and columns are not needed.
  return { start: { line: 0, column: 0, offset: start }, end: { line: 0, column: 0, offset: end } };
}

interface Line {
  readonly start: number;
  /** End of content (before the line break). */
  readonly end: number;
  readonly text: string;
}

function splitLines(text: string, from = 0, to = text.length): Line[] {
  const out: Line[] = [];
  let i = from;
  while (i <= to) {
    let j = text.indexOf('\n', i);
    if (j < 0 || j > to) j = to;
    let e = j;
    if (e > i && text.charCodeAt(e - 1) === 13) e--;
    out.push({ start: i, end: e, text: text.slice(i, e) });
    if (j >= to) break;
    i = j + 1;
  }
  return out;
}

const BLANK = /^[ ]*$/;
const ATX = /^( {0,3})(#{1,6})(?=[ ]|$)/;
const FENCE = /^( {0,3})(`{3,}|~{3,})/;
const THEMATIC = /^ {0,3}((?:\*[ ]*){3,}|(?:-[ ]*){3,}|(?:_[ ]*){3,})$/;
const BULLET = /^( {0,3})([-*+])( +|$)/;
const ORDERED = /^( {0,3})(\d{1,9})([.)])( +|$)/;
const SETEXT = /^ {0,3}(=+|-+)[ ]*$/;
const TABLE_DELIM = /^ {0,3}\|?[ ]*:?-+:?[ ]*(\|[ ]*:?-+:?[ ]*)*\|?[ ]*$/;

/** Scans `text` into a partial mdast root, or answers undefined when remark is needed. */
export function scanMarkdown(text: string): Root | undefined {
  const children = scanRegion(text, 0, text.length);
  return children && ({ type: 'root', children, position: pos(0, text.length) } as Root);
}

/**
 * Scans the block region [from, to) of `text` (whole lines; offsets stay those of `text`) into
 * the root's children, or answers undefined when remark is needed. Only the region at 0 reads
 * front matter.
 */
export function scanRegion(text: string, from: number, to: number): RootContent[] | undefined {
  try {
    return new Scanner(text, from, to).run();
  } catch (e) {
    if (e instanceof Unsure) return undefined;
    throw e;
  }
}

class Scanner {
  private readonly lines: Line[];
  private i = 0;

  constructor(
    private readonly text: string,
    private readonly from: number,
    private readonly to: number,
  ) {
    this.lines = splitLines(text, from, to);
  }

  run(): RootContent[] {
    const t = this.from === 0 && this.to === this.text.length ? this.text : this.text.slice(this.from, this.to);
    if (t.charCodeAt(0) === 0xfeff || t.includes('\t') || t.includes('\r') && !t.includes('\r\n') || t.includes('\u0000')) throw new Unsure();
    const children: RootContent[] = [];
    if (this.from === 0) this.frontMatter(children);
    let prevParagraph: Paragraph | undefined;
    while (this.i < this.lines.length) {
      const line = this.lines[this.i]!;
      const s = line.text;
      if (BLANK.test(s)) {
        this.i++;
        prevParagraph = undefined;
        continue;
      }
      if (/^ {0,3}>/.test(s) || /^ {0,3}</.test(s) && !/^ {0,3}<!--/.test(s)) throw new Unsure();
      if (/^ {0,3}<!--/.test(s)) {
        children.push(this.htmlComment());
        prevParagraph = undefined;
        continue;
      }
      if (/^ {4}/.test(s)) {
        if (prevParagraph) throw new Unsure(); // lazy paragraph continuation handled in paragraph()
        children.push(this.indentedCode());
        continue;
      }
      if (ATX.test(s)) {
        children.push(this.atx(line));
        this.i++;
        prevParagraph = undefined;
        continue;
      }
      const fence = FENCE.exec(s);
      if (fence) {
        children.push(this.fenced(fence[1]!.length, fence[2]!));
        prevParagraph = undefined;
        continue;
      }
      if (THEMATIC.test(s)) {
        children.push({ type: 'thematicBreak', position: pos(line.start, line.end) });
        this.i++;
        continue;
      }
      if (BULLET.test(s) || ORDERED.test(s)) {
        children.push(this.list());
        prevParagraph = undefined;
        continue;
      }
      if (s.includes('|') && this.i + 1 < this.lines.length && TABLE_DELIM.test(this.lines[this.i + 1]!.text) && this.lines[this.i + 1]!.text.includes('-')) {
        children.push(this.table());
        continue;
      }
      if (/^ {0,3}\[/.test(s)) {
        // A link reference definition may span lines: `[label]:` anywhere in the paragraph.
        let k = this.i;
        let para = '';
        while (k < this.lines.length && !BLANK.test(this.lines[k]!.text)) para += `${this.lines[k++]!.text}\n`;
        if (/\]:/.test(para)) throw new Unsure();
      }
      const p = this.paragraph();
      children.push(p);
      prevParagraph = p.type === 'paragraph' ? p : undefined;
    }
    return children;
  }

  private frontMatter(children: RootContent[]): void {
    const first = this.lines[0];
    if (!first || first.text !== '---') {
      if (first && /^(---|\+\+\+)/.test(first.text)) throw new Unsure();
      return;
    }
    for (let k = 1; k < this.lines.length; k++) {
      const l = this.lines[k]!.text;
      if (l === '---') {
        children.push({ type: 'yaml', value: '', position: pos(0, this.lines[k]!.end) } as RootContent);
        this.i = k + 1;
        return;
      }
      if (/^(---|\.\.\.)\s*$/.test(l)) throw new Unsure();
    }
    throw new Unsure(); // unclosed: remark reads a thematic break and more
  }

  private htmlComment(): RootContent {
    const start = this.lines[this.i]!.start;
    for (let k = this.i; k < this.lines.length; k++) {
      const l = this.lines[k]!;
      if (l.text.includes('-->')) {
        // Anything after the comment on its line would make it an HTML block of more than the comment.
        if (!/-->\s*$/.test(l.text)) throw new Unsure();
        this.i = k + 1;
        return { type: 'html', value: '', position: pos(start, l.end) } as RootContent;
      }
    }
    // Unclosed: the HTML block runs to the end of the document (no region is cut inside it).
    const last = this.lines[this.lines.length - 1]!;
    this.i = this.lines.length;
    return { type: 'html', value: '', position: pos(start, last.end) } as RootContent;
  }

  private indentedCode(): RootContent {
    const start = this.lines[this.i]!.start;
    let end = this.lines[this.i]!.end;
    while (this.i < this.lines.length && (/^ {4}/.test(this.lines[this.i]!.text) || BLANK.test(this.lines[this.i]!.text))) {
      if (!BLANK.test(this.lines[this.i]!.text)) end = this.lines[this.i]!.end;
      this.i++;
    }
    return { type: 'code', value: '', position: pos(start, end) } as RootContent;
  }

  private atx(line: Line): Heading {
    const m = ATX.exec(line.text)!;
    const depth = m[2]!.length as 1 | 2 | 3 | 4 | 5 | 6;
    let a = m[1]!.length + m[2]!.length;
    let b = line.text.length;
    while (a < b && line.text[a] === ' ') a++;
    while (b > a && line.text[b - 1] === ' ') b--;
    // A closing sequence of #s preceded by a space (or the whole content) is not content.
    const close = /(^|[ ])#+$/.exec(line.text.slice(a, b));
    if (close) {
      b = a + close.index;
      while (b > a && line.text[b - 1] === ' ') b--;
    }
    if (line.text.slice(a, b).includes('\\#')) throw new Unsure();
    const children = b > a ? this.inline(line.start + a, line.start + b) : [];
    return { type: 'heading', depth, children, position: pos(line.start + m[1]!.length, line.end) } as Heading;
  }

  private fenced(indent: number, fence: string): RootContent {
    const open = this.lines[this.i]!;
    if (fence[0] === '`' && open.text.slice(indent + fence.length).includes('`')) throw new Unsure();
    const closeRe = new RegExp(`^ {0,3}${fence[0] === '`' ? '`' : '~'}{${fence.length},}[ ]*$`);
    for (let k = this.i + 1; k < this.lines.length; k++) {
      if (closeRe.test(this.lines[k]!.text)) {
        this.i = k + 1;
        return { type: 'code', value: '', position: pos(open.start, this.lines[k]!.end) } as RootContent;
      }
    }
    // Unclosed: the code block runs to the end of the document.
    const last = this.lines[this.lines.length - 1]!;
    this.i = this.lines.length;
    return { type: 'code', value: '', position: pos(open.start, last.end) } as RootContent;
  }

  /** Whether a line starts a block that interrupts a paragraph. */
  private interrupts(s: string): boolean {
    if (ATX.test(s) || FENCE.test(s) || /^ {0,3}>/.test(s) || /^ {0,3}</.test(s)) return true;
    if (THEMATIC.test(s)) return true;
    const b = BULLET.exec(s);
    if (b && b[3] !== '') return true;
    const o = ORDERED.exec(s);
    if (o && o[2] === '1' && o[4] !== '') return true;
    return false;
  }

  private paragraph(): Paragraph | Heading {
    const first = this.lines[this.i]!;
    let lastEnd = first.end;
    let k = this.i + 1;
    for (; k < this.lines.length; k++) {
      const s = this.lines[k]!.text;
      if (BLANK.test(s)) break;
      if (SETEXT.test(s)) {
        // A setext underline turns the paragraph into a heading (`---` too, when it follows text).
        const depth = s.trim()[0] === '=' ? 1 : 2;
        const content = this.trimmedContent(first.start, lastEnd);
        this.i = k + 1;
        return { type: 'heading', depth, children: this.inline(content.start, content.end), position: pos(content.start, this.lines[k]!.end) } as Heading;
      }
      if (this.interrupts(s)) break;
      if (s.includes('|') && k + 1 < this.lines.length && TABLE_DELIM.test(this.lines[k + 1]!.text)) throw new Unsure();
      lastEnd = this.lines[k]!.end;
    }
    this.i = k;
    const content = this.trimmedContent(first.start, lastEnd);
    // As in remark, the paragraph keeps its last line's trailing spaces; its text does not.
    return { type: 'paragraph', children: this.inline(content.start, content.end), position: pos(content.start, Math.max(content.end, lastEnd)) } as Paragraph;
  }

  private trimmedContent(start: number, end: number): { start: number; end: number } {
    let a = start;
    let b = end;
    while (a < b && this.text[a] === ' ') a++;
    while (b > a && (this.text[b - 1] === ' ' || this.text[b - 1] === '\r')) b--;
    return { start: a, end: b };
  }

  /** A list: items with their first paragraph; nested content is read as text only. */
  private list(): List {
    const firstLine = this.lines[this.i]!;
    const b0 = BULLET.exec(firstLine.text);
    const o0 = ORDERED.exec(firstLine.text);
    const ordered = !b0;
    const marker = b0 ? b0[2]! : o0![3]!;
    const items: ListItem[] = [];
    let listEnd = firstLine.end;
    while (this.i < this.lines.length) {
      const line = this.lines[this.i]!;
      const b = BULLET.exec(line.text);
      const o = ORDERED.exec(line.text);
      const same = ordered ? o && o[3] === marker : b && b[2] === marker;
      if (!same) break;
      const m = (ordered ? o : b)!;
      const markerWidth = m[0].length;
      const spaces = ordered ? m[4]! : m[3]!;
      if (spaces.length > 4) throw new Unsure(); // content indentation rules for wide gaps
      const contentIndent = markerWidth;
      const item = this.listItem(line, contentIndent);
      items.push(item);
      listEnd = (item.position as Pos).end.offset;
      // Blank lines between items are allowed; the list ends at anything else.
      let k = this.i;
      while (k < this.lines.length && BLANK.test(this.lines[k]!.text)) k++;
      if (k >= this.lines.length) {
        this.i = k;
        break;
      }
      const next = this.lines[k]!.text;
      const nb = BULLET.exec(next);
      const no = ORDERED.exec(next);
      const continues = ordered ? no && no[3] === marker : nb && nb[2] === marker;
      if (!continues) break;
      this.i = k;
    }
    return { type: 'list', ordered, spread: false, children: items, position: pos(firstLine.start, listEnd) } as List;
  }

  private listItem(line: Line, contentIndent: number): ListItem {
    const s = line.text;
    if (BLANK.test(s.slice(contentIndent))) throw new Unsure(); // empty item
    const rest = s.slice(contentIndent);
    if (ATX.test(rest) || FENCE.test(rest) || /^ {0,3}[>|<]/.test(rest) || BULLET.test(rest) || ORDERED.test(rest) || THEMATIC.test(rest) || /^ {4}/.test(rest)) throw new Unsure();
    const pStart = line.start + contentIndent;
    let pEnd = line.end;
    const children: (Paragraph | RootContent)[] = [];
    let k = this.i + 1;
    // The first paragraph: continuation lines (indented, or lazy) until a blank line or a block start.
    for (; k < this.lines.length; k++) {
      const t = this.lines[k]!.text;
      if (BLANK.test(t)) break;
      const stripped = t.startsWith(' '.repeat(contentIndent)) ? t.slice(contentIndent) : t;
      if (this.interrupts(stripped) || (stripped === t && (BULLET.test(t) || ORDERED.test(t)))) break;
      if (SETEXT.test(t) || /^ {0,3}\[[^\]]*\]:/.test(stripped)) throw new Unsure();
      if (t.includes('|') && k + 1 < this.lines.length && TABLE_DELIM.test(this.lines[k + 1]!.text)) throw new Unsure();
      pEnd = this.lines[k]!.end;
    }
    const content = this.trimmedContent(pStart, pEnd);
    children.push({ type: 'paragraph', children: this.inline(content.start, content.end), position: pos(content.start, Math.max(content.end, pEnd)) } as Paragraph);
    let itemEnd = pEnd;
    // Nested content: lines indented at least to the content column (after optional blank lines).
    for (;;) {
      let j = k;
      while (j < this.lines.length && BLANK.test(this.lines[j]!.text)) j++;
      if (j >= this.lines.length) break;
      const t = this.lines[j]!.text;
      if (!t.startsWith(' '.repeat(contentIndent)) || contentIndent === 0) break;
      if (j !== k && !/^ /.test(t)) break;
      const inner = t.slice(contentIndent);
      if (FENCE.test(inner) || /^ {0,3}[>|<]/.test(inner) || ATX.test(inner) || /^ {4}/.test(inner) || SETEXT.test(inner)) throw new Unsure();
      if (j !== k) throw new Unsure(); // a loose item (blank line inside): keep to tight lists
      if (BULLET.test(inner) || ORDERED.test(inner)) {
        // A nested list: each of its lines is text for references; structure is not read.
        let e = j;
        while (e < this.lines.length && !BLANK.test(this.lines[e]!.text) && this.lines[e]!.text.startsWith(' '.repeat(contentIndent))) {
          const ii = this.lines[e]!.text.slice(contentIndent);
          if (FENCE.test(ii) || /^\s*[>|<]/.test(ii) || /^\s*#/.test(ii) || /^\s*\[[^\]]*\]:/.test(ii)) throw new Unsure();
          e++;
        }
        const startOff = this.lines[j]!.start + contentIndent;
        const endOff = this.lines[e - 1]!.end;
        children.push({ type: 'list', ordered: false, spread: false, children: [{ type: 'listItem', spread: false, children: [{ type: 'paragraph', children: this.inlineLines(j, e, contentIndent) } as Paragraph] } as ListItem], position: pos(startOff, endOff) } as List);
        itemEnd = endOff;
        k = e;
        continue;
      }
      throw new Unsure();
    }
    this.i = k;
    return { type: 'listItem', spread: false, children, position: pos(line.start, itemEnd) } as ListItem;
  }

  /** Text spans of lines j..e-1 (each from its first non-space character past `indent`). */
  private inlineLines(j: number, e: number, indent: number): PhrasingContent[] {
    const out: PhrasingContent[] = [];
    for (let k = j; k < e; k++) {
      const l = this.lines[k]!;
      const m = /^ *(?:[-*+]|\d{1,9}[.)]) +/.exec(l.text.slice(indent));
      const a = l.start + indent + (m ? m[0].length : 0);
      const c = this.trimmedContent(a, l.end);
      out.push(...this.inline(c.start, c.end));
    }
    return out;
  }

  private table(): Table {
    const header = this.lines[this.i]!;
    const delim = this.lines[this.i + 1]!;
    const headerCells = this.cells(header);
    const delimCount = delim.text.trim().replace(/^\||\|$/g, '').split('|').length;
    // One-column tables and bare `|` rows are where GFM tables and setext headings part ways.
    if (headerCells.length !== delimCount || headerCells.length < 2 || !delim.text.includes('|')) throw new Unsure();
    const rows: TableRow[] = [this.row(header, headerCells)];
    let k = this.i + 2;
    let end = delim.end;
    for (; k < this.lines.length; k++) {
      const l = this.lines[k]!;
      if (BLANK.test(l.text) || this.interrupts(l.text)) break;
      const cells = this.cells(l);
      if (cells.length > headerCells.length) throw new Unsure();
      rows.push(this.row(l, cells));
      end = l.end;
    }
    this.i = k;
    return { type: 'table', align: [], children: rows, position: pos(header.start, end) } as Table;
  }

  private row(line: Line, cells: { start: number; end: number }[]): TableRow {
    const children: TableCell[] = cells.map((c) => {
      const t = this.trimmedContent(c.start, c.end);
      return { type: 'tableCell', children: t.end > t.start ? this.inline(t.start, t.end) : [], position: pos(c.start, c.end) } as TableCell;
    });
    return { type: 'tableRow', children, position: pos(line.start, line.end) } as TableRow;
  }

  /** Cells between unescaped pipes; a pipe inside a code span still splits (as in GFM). */
  private cells(line: Line): { start: number; end: number }[] {
    const s = line.text;
    if (s.includes('\\|') || /^ {4}/.test(s)) throw new Unsure();
    let a = 0;
    let b = s.length;
    while (a < b && s[a] === ' ') a++;
    while (b > a && s[b - 1] === ' ') b--;
    if (s[a] === '|') a++;
    if (b > a && s[b - 1] === '|') b--;
    const out: { start: number; end: number }[] = [];
    let from = a;
    for (let k = a; k <= b; k++) {
      if (k === b || s[k] === '|') {
        out.push({ start: line.start + from, end: line.start + k });
        from = k + 1;
      }
    }
    return out;
  }

  /**
   * Text spans of inline content between `start` and `end`: code spans, images and link
   * destinations are left out (remark makes them inlineCode, image and link.url); inline HTML
   * makes the scanner unsure.
   */
  private inline(start: number, end: number): PhrasingContent[] {
    const t = this.text;
    const out: PhrasingContent[] = [];
    let from = start;
    /** Where each `[` not yet closed is. */
    const opens: number[] = [];
    const push = (a: number, b: number) => {
      if (b > a) out.push({ type: 'text', value: '', position: pos(a, b) } as PhrasingContent);
    };
    let runs: BacktickRuns | undefined;
    let k = start;
    while (k < end) {
      const c = t[k];
      if (c === '\\') {
        k += 2;
        continue;
      }
      if (c === '<') {
        if (/^<[A-Za-z\/!?]/.test(t.slice(k, k + 2))) throw new Unsure();
        k++;
        continue;
      }
      if (c === '`') {
        let n = 0;
        while (t[k + n] === '`') n++;
        const close = (runs ??= new BacktickRuns(t, start, end)).next(k + n, n);
        if (close < 0) {
          k += n;
          continue;
        }
        push(from, k);
        out.push({ type: 'inlineCode', value: '', position: pos(k, close + n) } as PhrasingContent);
        k = close + n;
        from = k;
        continue;
      }
      if (c === '!' && t[k + 1] === '[') throw new Unsure(); // images: alt text is not text
      if (c === '[') opens.push(k);
      if (c === ']' && t[k + 1] === '(' && opens.length > 0) {
        const open = opens.pop()!;
        // A link destination: from `(` to its matching `)`.
        let depth = 0;
        let j = k + 1;
        for (; j < end; j++) {
          if (t[j] === '\\') {
            j++;
            continue;
          }
          if (t[j] === '(') depth++;
          else if (t[j] === ')') {
            depth--;
            if (depth === 0) break;
          } else if (t[j] === '`' || t[j] === '<' || t[j] === '\n') throw new Unsure();
        }
        if (j >= end) throw new Unsure();
        push(from, k);
        wrapLink(out, open, j + 1);
        k = j + 1;
        from = k;
        continue;
      }
      if (c === ']' && opens.length > 0) opens.pop();
      if (c === '[' && (t[k + 1] === '^' || /^\[[^\]]*\]\[/.test(t.slice(k, Math.min(end, k + 200))))) throw new Unsure();
      k++;
    }
    push(from, end);
    return out;
  }
}

/**
 * Makes the nodes after the `[` at `open` the children of a link node ending at `end`, as remark
 * does (a heading's title then runs to the link's `)`, not to its label). The `[` itself is in no
 * child; a text node that straddles it is split. A link already inside is left unwrapped (links
 * do not nest).
 */
function wrapLink(out: PhrasingContent[], open: number, end: number): void {
  let i = out.length;
  while (i > 0 && (out[i - 1]!.position as Pos).end.offset > open) i--;
  const first = out[i];
  if (first && (first.position as Pos).start.offset <= open) {
    const p = first.position as Pos;
    const before = p.start.offset < open ? [{ type: 'text', value: '', position: pos(p.start.offset, open) } as PhrasingContent] : [];
    const after = p.end.offset > open + 1 ? [{ type: 'text', value: '', position: pos(open + 1, p.end.offset) } as PhrasingContent] : [];
    out.splice(i, 1, ...before, ...after);
    i += before.length;
  }
  const children = out.slice(i);
  if (children.some((c) => c.type === 'link')) return;
  out.splice(i, children.length, { type: 'link', url: '', children, position: pos(open, end) } as PhrasingContent);
}

/**
 * The backtick runs of one inline span, by length, found in one pass: "the next run of length n
 * after here" is then a binary search, not a scan to the end (which made a paragraph of runs of
 * every length, cmark's "backticks" input, quadratic: minutes for 3 MB).
 */
class BacktickRuns {
  private readonly byLength = new Map<number, number[]>();

  constructor(t: string, start: number, end: number) {
    // Backslashes do not escape inside a code span, so a closing run is any run (as before).
    let k = start;
    while (k < end) {
      if (t.charCodeAt(k) !== 0x60) {
        k++;
        continue;
      }
      let m = 0;
      while (k + m < end && t.charCodeAt(k + m) === 0x60) m++;
      const list = this.byLength.get(m);
      if (list) list.push(k);
      else this.byLength.set(m, [k]);
      k += m;
    }
  }

  /** The start of the first run of exactly `n` backticks at or after `from`, or -1. */
  next(from: number, n: number): number {
    const list = this.byLength.get(n);
    if (!list) return -1;
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (list[mid]! < from) lo = mid + 1;
      else hi = mid;
    }
    return lo < list.length ? list[lo]! : -1;
  }
}
