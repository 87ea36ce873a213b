/**
 * The fast path: a line scanner that builds the parts of an mdast tree the model extraction reads
 * (front matter, headings, paragraphs, lists, GFM tables, block quotes, code, HTML blocks and
 * inline HTML, definitions, footnotes, text spans) at line-scan speed — about 100x faster than
 * remark. It covers the Markdown product documents are written in; whenever it meets a construct
 * it cannot place exactly as remark would (loose or deeply nested list items, an HTML line
 * inside a container, a reference whose definition it cannot be sure of — see definitions.ts —
 * multi-line link labels …) it answers `undefined` and the caller falls back to remark for
 * that region.
 *
 * Tabs follow CommonMark: each line's block structure is read with its tabs expanded to tab stops
 * of 4 columns (a container that takes part of a tab leaves the rest as spaces), while every
 * offset still points into the text as written (see `Line.map`).
 *
 * Invariant (tested): when it answers, extractModel() over its tree equals extractModel() over
 * remark's tree, on generated documents, both bench corpora, the examples, the real-world corpus
 * and every CommonMark spec example it accepts.
 */
import type { Root, RootContent, PhrasingContent, ListItem, TableRow, TableCell, Paragraph, Heading, List, Table } from 'mdast';
import { definitionIndex, FOOTNOTE_DEFINITION, isDefined, SIMPLE_DEFINITION, type DefinitionIndex } from './definitions.js';
import { EMAIL_AUTOLINK, htmlBlockKind, INLINE_TAG, URI_AUTOLINK } from './html.js';

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
  /**
   * The line as the block structure sees it: each tab expanded to spaces up to the next tab
   * stop (4 columns, counted from the physical line's start), so that a container which
   * consumes part of a tab leaves the rest as spaces — CommonMark's partial tabs.
   */
  readonly text: string;
  /** Only when the line holds a tab: the offset in the document of each index of `text` (and of its end). */
  readonly map?: readonly number[];
}

/** The document offset of index `v` of a line's (expanded) text. A column inside a tab is the tab's offset. */
function off(line: Line, v: number): number {
  return line.map ? line.map[v]! : line.start + v;
}

/** A line's part from index `v` on (a container's content), with its offsets. */
function rest(line: Line, v: number): Line {
  return line.map ? { start: line.map[v]!, end: line.end, text: line.text.slice(v), map: line.map.slice(v) } : { start: line.start + v, end: line.end, text: line.text.slice(v) };
}

function splitLines(text: string, from = 0, to = text.length): Line[] {
  const out: Line[] = [];
  let i = from;
  while (i <= to) {
    let j = text.indexOf('\n', i);
    if (j < 0 || j > to) j = to;
    let e = j;
    if (e > i && text.charCodeAt(e - 1) === 13) e--;
    const tab = text.indexOf('\t', i);
    out.push(tab >= 0 && tab < e ? expandTabs(text, i, e) : { start: i, end: e, text: text.slice(i, e) });
    if (j >= to) break;
    i = j + 1;
  }
  return out;
}

/** A line with tabs: its text with each tab expanded to the next multiple of 4 columns, and the offset map. */
function expandTabs(text: string, start: number, end: number): Line {
  let s = '';
  const map: number[] = [];
  let col = 0;
  let from = start;
  for (let k = start; k < end; k++) {
    const c = text.charCodeAt(k);
    if (c === 9) {
      s += text.slice(from, k);
      for (let q = from; q < k; q++) map.push(q);
      const n = 4 - (col % 4);
      s += ' '.repeat(n);
      for (let q = 0; q < n; q++) map.push(k);
      col += n;
      from = k + 1;
    } else col++; // as micromark counts: one column per UTF-16 code unit
  }
  s += text.slice(from, end);
  for (let q = from; q < end; q++) map.push(q);
  map.push(end);
  return { start, end, text: s, map };
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
  const children = scanRegion(text, 0, text.length, lazyDefinitions(text));
  return children && ({ type: 'root', children, position: pos(0, text.length) } as Root);
}

/**
 * Scans the block region [from, to) of `text` (whole lines; offsets stay those of `text`) into
 * the root's children, or answers undefined when remark is needed. Only the region at 0 reads
 * front matter.
 */
export function scanRegion(text: string, from: number, to: number, definitions: () => DefinitionIndex = lazyDefinitions(text)): RootContent[] | undefined {
  try {
    const t = from === 0 && to === text.length ? text : text.slice(from, to);
    if (t.charCodeAt(0) === 0xfeff || (t.includes('\r') && !t.includes('\r\n')) || t.includes('\u0000')) return undefined;
    return new Scanner(text, splitLines(text, from, to), definitions, from === 0 ? 'document' : 'region').run();
  } catch (e) {
    if (e instanceof Unsure) return undefined;
    throw e;
  }
}

/** The document's definition index, computed on first use (most regions never ask). */
export function lazyDefinitions(text: string): () => DefinitionIndex {
  let index: DefinitionIndex | undefined;
  return () => (index ??= definitionIndex(text));
}

class Scanner {
  private readonly lines: Line[];
  private i = 0;

  /**
   * `lines` are the lines to read: a region's, or a block quote's content (each line's `start`
   * and `text` past its `>` marker, offsets still those of `text`). `where` says whether front
   * matter can open them (the document's first region) and how deep in block quotes they are.
   */
  constructor(
    private readonly text: string,
    lines: Line[],
    private readonly definitions: () => DefinitionIndex,
    private readonly where: 'document' | 'region' | number,
  ) {
    this.lines = lines;
  }

  run(): RootContent[] {
    const children: RootContent[] = [];
    if (this.where === 'document') this.frontMatter(children);
    let prevParagraph: Paragraph | undefined;
    /** micromark reads an ordered item from 2 on as a paragraph after indented code (blank lines between or not). */
    let afterCode = false;
    while (this.i < this.lines.length) {
      const line = this.lines[this.i]!;
      const s = line.text;
      if (BLANK.test(s)) {
        this.i++;
        prevParagraph = undefined;
        continue;
      }
      if (afterCode) {
        const o = ORDERED.exec(s);
        if (o && o[2] !== '1') throw new Unsure();
        afterCode = false;
      }
      if (/^ {0,3}>/.test(s)) {
        children.push(this.blockquote());
        prevParagraph = undefined;
        continue;
      }
      const html = htmlBlockKind(s);
      if (html === -1) throw new Unsure();
      if (html === 2) {
        children.push(this.htmlComment());
        prevParagraph = undefined;
        continue;
      }
      if (html === 1 || html === 6 || html === 7) {
        children.push(this.htmlBlock(html));
        prevParagraph = undefined;
        continue;
      }
      if (/^ {4}/.test(s)) {
        if (prevParagraph) throw new Unsure(); // lazy paragraph continuation handled in paragraph()
        children.push(this.indentedCode());
        afterCode = true;
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
      if (/^ {0,3}\[/.test(s) && this.definitionLines(children)) {
        prevParagraph = undefined;
        continue;
      }
      if (FOOTNOTE_DEFINITION.test(s)) {
        children.push(this.footnoteDefinition());
        prevParagraph = undefined;
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

  /** An HTML block of kind 1 (until its closing tag's line), 6 or 7 (until a blank line). */
  private htmlBlock(kind: number): RootContent {
    const first = this.lines[this.i]!;
    let k = this.i;
    let end = first.end;
    if (kind === 1) {
      for (; k < this.lines.length; k++) {
        end = this.lines[k]!.end;
        if (/<\/(?:script|pre|style|textarea)>/i.test(this.lines[k]!.text)) break;
      }
      this.i = Math.min(k + 1, this.lines.length);
    } else {
      for (; k < this.lines.length && !BLANK.test(this.lines[k]!.text); k++) end = this.lines[k]!.end;
      this.i = k;
    }
    return { type: 'html', value: '', position: pos(first.start, end) } as RootContent;
  }

  /**
   * A block quote: its content lines (past each `>` marker) read by a scanner of their own. A
   * line after it that could be a lazy continuation of its last paragraph makes the scanner
   * unsure, as does nesting more than 8 quotes deep.
   */
  private blockquote(): RootContent {
    const first = this.lines[this.i]!;
    const inner: Line[] = [];
    let k = this.i;
    for (; k < this.lines.length; k++) {
      const l = this.lines[k]!;
      const m = /^ {0,3}> ?/.exec(l.text);
      if (!m) break;
      inner.push(rest(l, m[0].length));
    }
    const last = inner[inner.length - 1]!;
    if (k < this.lines.length && !BLANK.test(last.text)) {
      const after = this.lines[k]!.text;
      if (!BLANK.test(after) && !ATX.test(after) && !FENCE.test(after) && !FOOTNOTE_DEFINITION.test(after)) throw new Unsure();
    }
    const depth = typeof this.where === 'number' ? this.where + 1 : 1;
    if (depth > 8) throw new Unsure();
    const children = new Scanner(this.text, inner, this.definitions, depth).run();
    this.i = k;
    return { type: 'blockquote', children, position: pos(first.start, this.lines[k - 1]!.end) } as RootContent;
  }

  /**
   * Link reference definitions in the simple one-line form, one per line, at the start of a
   * block. Answers false (nothing read) when the first line is not one.
   */
  private definitionLines(children: RootContent[]): boolean {
    let k = this.i;
    for (; k < this.lines.length; k++) {
      const l = this.lines[k]!;
      const d = SIMPLE_DEFINITION.exec(l.text);
      if (!d || d[1]!.startsWith('^') || !d[1]!.trim()) break;
      children.push({ type: 'definition', identifier: '', label: '', url: '', position: pos(l.start, l.end) } as RootContent);
    }
    if (k === this.i) return false;
    // A title on the next line, or an underline, would change what the last line is.
    const next = this.lines[k]?.text;
    if (next !== undefined && (/^ {0,3}["'(]/.test(next) || SETEXT.test(next))) throw new Unsure();
    // remark starts a setext heading that follows definitions at the definitions.
    for (let j = k; j < this.lines.length && !BLANK.test(this.lines[j]!.text); j++) if (SETEXT.test(this.lines[j]!.text)) throw new Unsure();
    this.i = k;
    return true;
  }

  /** A footnote definition of one paragraph that starts on its label's line. */
  private footnoteDefinition(): RootContent {
    const first = this.lines[this.i]!;
    const m = FOOTNOTE_DEFINITION.exec(first.text)!;
    if (BLANK.test(first.text.slice(m[0].length))) throw new Unsure();
    let lastEnd = first.end;
    let k = this.i + 1;
    for (; k < this.lines.length; k++) {
      const t = this.lines[k]!.text;
      if (BLANK.test(t)) break;
      if (/^ {0,3}</.test(t)) throw new Unsure();
      if (this.interrupts(t)) break;
      if (SETEXT.test(t) || /^ {0,3}\[[^\]]*\]:/.test(t)) throw new Unsure();
      if (t.includes('|') && k + 1 < this.lines.length && TABLE_DELIM.test(this.lines[k + 1]!.text)) throw new Unsure();
      lastEnd = this.lines[k]!.end;
    }
    // A following indented block would belong to the note.
    let b = k;
    while (b < this.lines.length && BLANK.test(this.lines[b]!.text)) b++;
    if (b > k && b < this.lines.length && /^ {4}/.test(this.lines[b]!.text)) throw new Unsure();
    if (k < this.lines.length && !BLANK.test(this.lines[k]!.text) && /^ {4}/.test(this.lines[k]!.text)) throw new Unsure();
    this.i = k;
    const content = this.trimmedContent(off(first, m[0].length), lastEnd);
    const paragraph = { type: 'paragraph', children: this.inline(content.start, content.end), position: pos(content.start, Math.max(content.end, lastEnd)) } as Paragraph;
    return { type: 'footnoteDefinition', identifier: '', label: '', children: [paragraph], position: pos(first.start, lastEnd) } as RootContent;
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
    const children = b > a ? this.inline(off(line, a), off(line, b)) : [];
    return { type: 'heading', depth, children, position: pos(off(line, m[1]!.length), line.end) } as Heading;
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
    if (ATX.test(s) || FENCE.test(s) || /^ {0,3}>/.test(s) || FOOTNOTE_DEFINITION.test(s)) return true;
    // HTML blocks of kinds 1-6 interrupt a paragraph; a lone tag (kind 7) continues it.
    const html = htmlBlockKind(s);
    if (html !== 0 && html !== 7) return true;
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
    while (a < b && (this.text[a] === ' ' || this.text[a] === '\t')) a++;
    while (b > a && (this.text[b - 1] === ' ' || this.text[b - 1] === '\t' || this.text[b - 1] === '\r')) b--;
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
      const item = this.listItem(line, contentIndent, m[1]!.length);
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
    return { type: 'list', ordered, spread: false, children: items, position: pos((items[0]!.position as Pos).start.offset, listEnd) } as List;
  }

  /** An item whose marker is at index `markerAt` of `line` and whose content starts at `contentIndent`. */
  private listItem(line: Line, contentIndent: number, markerAt: number): ListItem {
    const s = line.text;
    if (BLANK.test(s.slice(contentIndent))) throw new Unsure(); // empty item
    const rest = s.slice(contentIndent);
    // `[label]: …` first in an item may be a link reference definition there (no paragraph).
    if (/^ {0,3}\[[^\]]*\]:/.test(rest)) throw new Unsure();
    if (ATX.test(rest) || FENCE.test(rest) || /^ {0,3}[>|<]/.test(rest) || BULLET.test(rest) || ORDERED.test(rest) || THEMATIC.test(rest) || /^ {4}/.test(rest)) throw new Unsure();
    // A task box followed by more than one space: remark-gfm's paragraph starts after one of them.
    const pStart = off(line, contentIndent);
    const box = /^\[[ xX]\][ \t]/.test(rest) ? this.text.slice(pStart, pStart + 5) : undefined;
    if (box !== undefined && !/^\[[ xX]\] \S/.test(box)) throw new Unsure();
    let pEnd = line.end;
    const children: (Paragraph | RootContent)[] = [];
    let k = this.i + 1;
    // The first paragraph: continuation lines (indented, or lazy) until a blank line or a block start.
    for (; k < this.lines.length; k++) {
      const t = this.lines[k]!.text;
      if (BLANK.test(t)) break;
      const stripped = t.startsWith(' '.repeat(contentIndent)) ? t.slice(contentIndent) : t;
      // An HTML block of kind 1, 2 or 6 at the margin ends the list; micromark reads any other
      // HTML line after a container's paragraph as HTML inside the container.
      if (/^ {0,3}</.test(stripped)) {
        const kind = htmlBlockKind(t);
        if (stripped !== t || (kind !== 1 && kind !== 2 && kind !== 6)) throw new Unsure();
        break;
      }
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
      if (!t.startsWith(' '.repeat(contentIndent)) || contentIndent === 0) {
        // Right after a nested list, a line that interrupts no paragraph continues its last one (lazily).
        if (j === k && children.length > 1 && !this.interrupts(t) && !BULLET.test(t) && !ORDERED.test(t)) throw new Unsure();
        break;
      }
      if (j !== k && !/^ /.test(t)) break;
      const inner = t.slice(contentIndent);
      if (FENCE.test(inner) || /^ {0,3}[>|<]/.test(inner) || ATX.test(inner) || /^ {4}/.test(inner) || SETEXT.test(inner)) throw new Unsure();
      if (j !== k) throw new Unsure(); // a loose item (blank line inside): keep to tight lists
      if (BULLET.test(inner) || ORDERED.test(inner)) {
        // A nested list: each of its lines is text for references; structure is not read.
        let e = j;
        while (e < this.lines.length && !BLANK.test(this.lines[e]!.text) && this.lines[e]!.text.startsWith(' '.repeat(contentIndent))) {
          const ii = this.lines[e]!.text.slice(contentIndent);
          if (FENCE.test(ii) || /^\s*[>|<]/.test(ii) || /^\s*#/.test(ii) || /^\s*(?:(?:[-*+]|\d{1,9}[.)])\s+)?\[[^\]]*\]:/.test(ii)) throw new Unsure();
          e++;
        }
        const startOff = off(this.lines[j]!, contentIndent);
        const endOff = this.lines[e - 1]!.end;
        children.push({ type: 'list', ordered: false, spread: false, children: [{ type: 'listItem', spread: false, children: [{ type: 'paragraph', children: this.inlineLines(j, e, contentIndent) } as Paragraph] } as ListItem], position: pos(startOff, endOff) } as List);
        itemEnd = endOff;
        k = e;
        continue;
      }
      throw new Unsure();
    }
    this.i = k;
    // remark-gfm's task item: `checked` (its paragraph then starts after the box; readers skip the box either way).
    return { type: 'listItem', spread: false, ...(box !== undefined ? { checked: box[1] !== ' ' } : {}), children, position: pos(off(line, markerAt), itemEnd) } as ListItem;
  }

  /** Text spans of lines j..e-1 (each from its first non-space character past `indent`). */
  private inlineLines(j: number, e: number, indent: number): PhrasingContent[] {
    const out: PhrasingContent[] = [];
    for (let k = j; k < e; k++) {
      const l = this.lines[k]!;
      const m = /^ *(?:[-*+]|\d{1,9}[.)])( +)/.exec(l.text.slice(indent));
      // Five or more spaces after a marker: the item's content is indented code, not text.
      if (m && m[1]!.length > 4) throw new Unsure();
      const a = off(l, indent + (m ? m[0].length : 0));
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
      if (/^ {0,3}</.test(l.text)) throw new Unsure();
      if (BLANK.test(l.text) || this.interrupts(l.text)) break;
      // Any list item ends a table (an ordered one from any number, unlike a paragraph).
      const li = BULLET.exec(l.text) ?? ORDERED.exec(l.text);
      if (li) {
        if (BLANK.test(l.text.slice(li[0].length))) throw new Unsure();
        break;
      }
      rows.push(this.row(l, this.cells(l)));
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
    if (/^ {4}/.test(s)) throw new Unsure();
    let a = 0;
    let b = s.length;
    while (a < b && s[a] === ' ') a++;
    while (b > a && s[b - 1] === ' ') b--;
    if (s[a] === '|') a++;
    // A closing pipe, unless escaped (an odd run of backslashes before it).
    if (b > a && s[b - 1] === '|') {
      let n = 0;
      while (b - 2 - n >= a && s[b - 2 - n] === '\\') n++;
      if (n % 2 === 0) b--;
    }
    const out: { start: number; end: number }[] = [];
    let from = a;
    for (let k = a; k <= b; k++) {
      // `\|` is a pipe in the cell, `\\` a backslash: neither splits (as in GFM).
      if (k < b && s[k] === '\\') {
        k++;
        continue;
      }
      if (k === b || s[k] === '|') {
        out.push({ start: off(line, from), end: off(line, k) });
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
    /** remark-gfm gives an email literal next to a character escape no position: unsure then. */
    let escaped = false;
    let htmlBudget = 4 * (end - start) + 16384;
    let k = start;
    while (k < end) {
      const c = t[k];
      if (c === '\\') {
        escaped = true;
        k += 2;
        continue;
      }
      if (c === '<') {
        const rest = t.slice(k, Math.min(end, k + 4096));
        // Each attempt reads at most 4 KB; a span of nothing but `<` runs is left to remark.
        htmlBudget -= rest.length;
        if (htmlBudget < 0) throw new Unsure();
        const auto = URI_AUTOLINK.exec(rest) ?? EMAIL_AUTOLINK.exec(rest);
        if (auto) {
          // An autolink: remark makes a link whose text is the address.
          push(from, k);
          const e = k + auto[0].length;
          out.push({ type: 'link', url: '', children: [{ type: 'text', value: '', position: pos(k + 1, e - 1) }], position: pos(k, e) } as PhrasingContent);
          k = e;
          from = k;
          continue;
        }
        if (rest.startsWith('<!--')) {
          // A comment: only the plain form (no `--` inside, not `<!-->`), on one line.
          const close = rest.indexOf('-->', 4);
          const body = close < 0 ? '' : rest.slice(4, close);
          if (close < 0 || body.includes('--') || body.includes('\n') || body.startsWith('>') || body.startsWith('->') || body.endsWith('-')) throw new Unsure();
          push(from, k);
          out.push({ type: 'html', value: '', position: pos(k, k + close + 3) } as PhrasingContent);
          k += close + 3;
          from = k;
          continue;
        }
        if (/^<[!?]/.test(rest)) throw new Unsure();
        const tag = INLINE_TAG.exec(rest);
        if (tag) {
          if (tag[0].includes('\n')) throw new Unsure();
          push(from, k);
          out.push({ type: 'html', value: '', position: pos(k, k + tag[0].length) } as PhrasingContent);
          k += tag[0].length;
          from = k;
          continue;
        }
        // Not HTML: a literal `<`.
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
      if (c === '!' && t[k + 1] === '[') {
        // An image: its alt text is not text. `![alt](dest)` or a defined `![alt][label]`.
        const close = this.bracketClose(k + 1, end);
        if (close < 0) throw new Unsure();
        if (t[close + 1] === '(') {
          const j = this.destinationEnd(close + 1, end);
          push(from, k);
          out.push({ type: 'image', url: '', position: pos(k, j + 1) } as PhrasingContent);
          k = j + 1;
          from = k;
          continue;
        }
        const label = t[close + 1] === '[' ? this.labelAt(close + 1, end) : undefined;
        const name = label && label.text.trim() ? label.text : t.slice(k + 2, close);
        const defined = isDefined(this.definitions(), name);
        if (defined === undefined) throw new Unsure();
        if (defined) {
          const e = label ? label.end : close + 1;
          push(from, k);
          out.push({ type: 'imageReference', position: pos(k, e) } as PhrasingContent);
          k = e;
          from = k;
          continue;
        }
        if (label) throw new Unsure(); // `![a][b]` with b undefined: `![a]` may still be a shortcut
        k++;
        continue;
      }
      if (c === '[') opens.push(k);
      if (c === ']' && t[k + 1] === '(' && opens.length > 0) {
        const open = opens.pop()!;
        const j = this.destinationEnd(k + 1, end);
        push(from, k);
        wrapLink(out, open, j + 1);
        k = j + 1;
        from = k;
        continue;
      }
      if (c === ']' && t[k + 1] === '[' && opens.length > 0) {
        // `[text][label]`: a reference when the label is defined (the label is then not text).
        const label = this.labelAt(k + 1, end);
        if (label && label.text.trim()) {
          const defined = isDefined(this.definitions(), label.text);
          if (defined === undefined) throw new Unsure();
          // Links do not nest: with a link inside, the text is no link (and the label may be one).
          if (defined && out.some((n) => n.type === 'link' && (n.position as Pos).start.offset > opens[opens.length - 1]!)) throw new Unsure();
          if (defined) {
            const open = opens.pop()!;
            push(from, k);
            wrapLink(out, open, label.end);
            k = label.end;
            from = k;
            continue;
          }
        }
      }
      if (c === ']' && opens.length > 0) opens.pop();
      if (c === '[' && t[k + 1] === '^') {
        // A footnote call when its note is defined (then `[^label]` is no text), else text.
        const label = this.labelAt(k, end);
        if (!label) throw new Unsure();
        const defined = isDefined(this.definitions(), label.text);
        if (defined === undefined || /\s/.test(label.text)) throw new Unsure();
        if (defined) {
          push(from, k);
          out.push({ type: 'footnoteReference', identifier: '', position: pos(k, label.end) } as PhrasingContent);
          k = label.end;
          from = k;
          continue;
        }
      }
      k++;
    }
    if (escaped && /[\w.+-]@[\w-]/.test(t.slice(start, end))) throw new Unsure();
    push(from, end);
    return out;
  }

  /**
   * The `)` ending a link's `(destination "title")` whose `(` is at `at`. The destination is a
   * run without spaces (balanced parentheses); the title may run across lines. Anything else
   * (an angle-bracket destination, code or HTML in it, a malformed title) makes the scanner unsure.
   */
  private destinationEnd(at: number, end: number): number {
    const t = this.text;
    let j = at + 1;
    const skipSpace = (): void => {
      let lineEnds = 0;
      while (j < end && (t[j] === ' ' || t[j] === '\t' || t[j] === '\n' || t[j] === '\r')) {
        if (t[j] === '\n' && ++lineEnds > 1) throw new Unsure();
        j++;
      }
    };
    skipSpace();
    if (t[j] === '<') throw new Unsure();
    let depth = 0;
    while (j < end) {
      const ch = t[j]!;
      if (ch === '\\') {
        j += 2;
        continue;
      }
      if (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r') break;
      if (ch === '`' || ch === '<') throw new Unsure();
      if (ch === '(') depth++;
      else if (ch === ')') {
        if (depth === 0) break;
        depth--;
      }
      j++;
    }
    if (depth !== 0 || j >= end) throw new Unsure();
    const destEnd = j;
    skipSpace();
    if (t[j] === ')') return j;
    const q = t[j];
    if (j === destEnd || (q !== '"' && q !== "'" && q !== '(')) throw new Unsure();
    const close = q === '(' ? ')' : q;
    for (j++; j < end && t[j] !== close; j++) {
      if (t[j] === '\\') j++;
      else if (q === '(' && t[j] === '(') throw new Unsure();
    }
    if (j >= end) throw new Unsure();
    j++;
    skipSpace();
    if (t[j] !== ')') throw new Unsure();
    return j;
  }

  /** The `]` closing the `[` at `open` (brackets nest; escapes skipped), or -1; unsure of code or HTML inside. */
  private bracketClose(open: number, end: number): number {
    const t = this.text;
    let depth = 0;
    for (let j = open; j < end && j < open + 1000; j++) {
      const ch = t[j];
      if (ch === '\\') {
        j++;
        continue;
      }
      if (ch === '`' || ch === '<' || ch === '\n' || ch === '!') throw new Unsure();
      if (ch === '[') depth++;
      else if (ch === ']') {
        depth--;
        if (depth === 0) return j;
      }
    }
    return -1;
  }

  /** A link label `[…]` at `open` (no brackets inside, one line, at most 999 characters). */
  private labelAt(open: number, end: number): { text: string; end: number } | undefined {
    const t = this.text;
    for (let j = open + 1; j < end && j < open + 1001; j++) {
      const ch = t[j];
      if (ch === '\\') {
        j++;
        continue;
      }
      if (ch === '[' || ch === '\n') return undefined;
      if (ch === ']') return { text: t.slice(open + 1, j), end: j + 1 };
    }
    return undefined;
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
