/**
 * The index-only pass: from a document's text, cheaply, what the workspace index needs — the
 * front matter (type, ID, title, keys), the entity definitions (ID, kind, title, range, parent,
 * the property lines right under them) and the IDs the text mentions — with no remark, no
 * schema validation and no rules. The language server indexes closed files with it first (so
 * workspace symbols, definition, hover and completion answer across the workspace at once) and
 * replaces each entry by the full analysis in the background.
 *
 * Two readings:
 * - a document that writes entity IDs (an ID heading, or a table whose first column is `ID`) is
 *   read by one line scan: fences, HTML blocks, lists, block quotes, ATX and setext headings,
 *   GFM table rows and inline code are told apart line by line;
 * - a typed document that writes none is what the tolerant reader derives entities for: it is
 *   read by the region scanner (parse/scan.ts) and the model extraction, exactly as the full
 *   analysis reads it, when every region is one the scanner is sure of; the regions it is not
 *   sure of (which the full analysis hands to remark) are read by a rough line reader instead,
 *   and the result says it is not exact.
 *
 * Invariant (test/core/indexPass.test.ts, every fixture and real-world document): the entity
 * definitions of an `exact` answer equal the full analysis's. Never throws: any text gives a model.
 */
import type { Root, RootContent } from 'mdast';
import { findIds, idKind, isEntityKind, ID_EXACT, type EntityKind } from '../ids.js';
import { extractModel, normalizeSectionTitle, propertyFinder, tableKeys, tableRowEntity, typeFromFileName, type SectionResolver } from '../model/extract.js';
import type { KnownKey } from '../model/read/document.js';
import { normalizeKey, parsePropertyLine } from '../model/properties.js';
import { DOC_TYPES, type DocType, type DocumentModel, type Entity, type Property, type ReadingOptions, type Reference, type Section } from '../model/types.js';
import { parseFrontMatter, splitItems, type FrontMatter } from '../parse/frontmatter.js';
import type { ParsedMarkdown } from '../parse/markdown.js';
import { boundNesting } from '../parse/nesting.js';
import { assembleRegions, planRegions } from '../parse/regions.js';
import { span, type Span } from '../text/lineIndex.js';

export interface IndexPassOptions {
  readonly resolveSections?: SectionResolver;
  readonly reading?: ReadingOptions;
  readonly knownKey?: KnownKey;
  /** Above this many characters only the front matter is read (the full analysis's bound). */
  readonly maxChars?: number;
}

export interface IndexPassResult {
  readonly model: DocumentModel;
  /**
   * True when the definitions are certainly the full analysis's: the document writes its IDs (the
   * line scan reads them), or every region of a document read tolerantly was one the scanner is
   * sure of. False: a rough reading the full analysis must replace before anything is reported.
   */
  readonly exact: boolean;
}

/** The same grammar as the extraction's ID headings (model/extract.ts; the invariant test keeps them equal). */
const ENTITY_HEADING = /^(\s*)([A-Z]+-[A-Za-z0-9]+(?:[-_.][A-Za-z0-9]+)*)(?=$|\s*[:\u2014\u2013]|\s+-\s)(\s*(?:[:\u2014\u2013]|-)?\s*)(.*)$/;
const ATX = /^( {0,3})(#{1,6})(?=[ \t]|$)/;
const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const LIST_ITEM = /^( {0,3})([-*+]|\d{1,9}[.)])([ \t]+|$)/;
const DELIMITER_ROW = /^ {0,3}\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$/;
const THEMATIC = /^ {0,3}(?:(?:\*[ \t]*){3,}|(?:-[ \t]*){3,}|(?:_[ \t]*){3,})$/;
const NO_RESOLVER: SectionResolver = () => [];

const DEFAULT_MAX_CHARS = 8_000_000;

/** The index-only reading of a document. Never throws. */
export function indexPass(uri: string, text: string, options: IndexPassOptions = {}): IndexPassResult {
  try {
    return read(uri, text, options);
  } catch {
    return { model: emptyModel(uri, text, options.reading), exact: false };
  }
}

function emptyModel(uri: string, text: string, reading: ReadingOptions = {}): DocumentModel {
  let type = typeFromFileName(uri);
  let typeSource: DocumentModel['typeSource'] = type ? 'filename' : undefined;
  if (!type && reading.typeFor) {
    type = reading.typeFor(uri);
    if (type) typeSource = 'config';
  }
  return { uri, type, typeSource, frontMatter: undefined, sections: [], entities: [], references: [], suppressions: [], problems: [], textLength: text.length };
}

interface Line {
  readonly start: number;
  /** Without the line ending. */
  readonly text: string;
}

function splitLines(text: string): Line[] {
  const out: Line[] = [];
  let i = 0;
  const n = text.length;
  while (i <= n) {
    let e = text.indexOf('\n', i);
    if (e < 0) e = n;
    out.push({ start: i, text: text.slice(i, e > i && text.charCodeAt(e - 1) === 13 ? e - 1 : e) });
    if (e >= n) break;
    i = e + 1;
  }
  return out;
}

function firstNonSpace(s: string): number {
  let i = 0;
  while (i < s.length && (s.charCodeAt(i) === 32 || s.charCodeAt(i) === 9)) i++;
  return i;
}

function indentOf(s: string): number {
  let col = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 32) col++;
    else if (c === 9) col += 4 - (col % 4);
    else break;
  }
  return col;
}

function isBlank(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c !== 32 && c !== 9) return false;
  }
  return true;
}

function read(uri: string, input: string, options: IndexPassOptions): IndexPassResult {
  const reading = options.reading ?? {};
  const resolveSections = options.resolveSections ?? NO_RESOLVER;
  if (input.length > (options.maxChars ?? DEFAULT_MAX_CHARS)) return { model: emptyModel(uri, input, reading), exact: false };
  // No recursion here, so no nesting bound either (the tolerant reading below bounds it as the parsers do).
  const text = input;
  const lines = splitLines(text);

  // ---- front matter ---------------------------------------------------------------------
  let frontMatter: FrontMatter | undefined;
  let bodyFrom = 0;
  if (lines[0]?.text === '---') {
    let close = -1;
    for (let k = 1; k < lines.length; k++) {
      if (lines[k]!.text === '---') {
        close = k;
        break;
      }
    }
    if (close > 0) {
      const closing = lines[close]!;
      const block = span(0, closing.start + closing.text.length);
      const contentStart = lines[1]!.start;
      const contentEnd = Math.max(contentStart, closing.start);
      const yaml = text.slice(contentStart, contentEnd);
      frontMatter = simpleFrontMatter(yaml, contentStart, block) ?? parseFrontMatter(yaml, contentStart, block, span(0, 3)).frontMatter;
      bodyFrom = close + 1;
    }
  }
  const field = (k: string) => frontMatter?.fields.find((f) => f.key === k);
  let type: DocType | undefined;
  let typeSource: DocumentModel['typeSource'];
  const typeField = field('type');
  if (typeField && typeof typeField.value === 'string') {
    const t = typeField.value.trim().toLowerCase();
    if ((DOC_TYPES as readonly string[]).includes(t)) {
      type = t as DocType;
      typeSource = 'frontmatter';
    }
  }
  if (!type) {
    type = typeFromFileName(uri);
    if (type) typeSource = 'filename';
  }
  if (!type && reading.typeFor) {
    type = reading.typeFor(uri);
    if (type) typeSource = 'config';
  }
  let docId: DocumentModel['docId'];
  const idField = field('id');
  if (idField && typeof idField.value === 'string' && ID_EXACT.test(idField.value.trim())) {
    const raw = idField.value.trim();
    const item = idField.items[0];
    docId = { id: raw, span: item && item.text === raw ? item.span : idField.valueSpan };
  }

  const scan = scanBody(text, lines, bodyFrom, type, resolveSections);

  // A typed document without written IDs: the tolerant reader derives its entities from the tree.
  if (type && !scan.entities.length) {
    const tolerant = readTolerantly(uri, text, options, reading);
    if (tolerant) return tolerant;
  }

  // ---- references -----------------------------------------------------------------------
  const references: Reference[] = [];
  const defined = new Map<number, number>();
  for (const e of scan.entities) defined.set(e.idSpan.start, e.idSpan.end);
  const propertyAt = propertyFinder(scan.entities);
  for (const p of scan.prose) {
    const found = findIds(p.text);
    if (!found.length) continue;
    const prose = proseOf(p.text);
    for (const m of prose === p.text ? found : findIds(prose)) {
      const r = span(p.start + m.index, p.start + m.index + m.id.length);
      if (defined.get(r.start) === r.end) continue;
      const at = propertyAt(r.start);
      references.push({ id: m.id, kind: m.kind, span: r, context: at ? 'property' : 'prose', ...(at ? { key: at.property.key, entity: at.entity.id } : {}) });
    }
  }
  if (frontMatter) {
    for (const f of frontMatter.fields) {
      const chunk = text.slice(f.valueSpan.start, f.valueSpan.end);
      for (const m of findIds(chunk)) {
        const r = span(f.valueSpan.start + m.index, f.valueSpan.start + m.index + m.id.length);
        if (f.key === 'id' && docId && r.start === docId.span.start) continue;
        references.push({ id: m.id, kind: m.kind, span: r, context: 'frontmatter', key: f.key });
      }
    }
  }
  references.sort((a, b) => a.span.start - b.span.start);
  const model: DocumentModel = {
    uri,
    type,
    typeSource,
    ...(docId ? { docId } : {}),
    frontMatter,
    ...(scan.title ? { title: scan.title } : {}),
    sections: scan.sections,
    entities: scan.entities,
    references,
    ...(reading.priorityScale && Object.keys(reading.priorityScale).length ? { priorityScale: reading.priorityScale } : {}),
    suppressions: [],
    problems: [],
    textLength: input.length,
  };
  return { model, exact: true };
}

// ---- the line scan ------------------------------------------------------------------------

interface Heading {
  readonly depth: number;
  readonly span: Span;
  readonly titleSpan: Span;
  /** Index of the first body line. */
  readonly next: number;
}

interface BodyScan {
  readonly entities: Entity[];
  readonly sections: Section[];
  readonly title?: { text: string; span: Span };
  /** Stretches of prose (offsets into the text; code spans and link targets are blanked when IDs are looked for). */
  readonly prose: { start: number; text: string }[];
}

/** Inline code, link destinations, autolinks and inline HTML are not prose (the extraction reads text nodes only). Linear in the line. */
function proseOf(s: string): string {
  if (!s.includes('`') && !s.includes('](') && !s.includes('<') && !s.includes(']:')) return s;
  const blank = (m: string) => ' '.repeat(m.length);
  let out = s;
  if (s.includes('`')) out = blankCodeSpans(out);
  if (out.includes('<!--')) out = blankComments(out);
  return out
    .replace(/\]\([^)\s]*(?:\s+"[^"]*")?\)/g, (m) => `]${blank(m.slice(1))}`)
    .replace(/<[A-Za-z][A-Za-z0-9+.-]*:[^\s<>]*>/g, blank)
    .replace(/<\/?[A-Za-z][^<>]*>/g, blank)
    .replace(/^ {0,3}\[[^\]]+\]:.*$/, blank);
}

/** Code spans blanked: a run of n backticks closes at the next run of exactly n (each run looked at once). */
function blankCodeSpans(s: string): string {
  const runs: { at: number; len: number }[] = [];
  for (let i = 0; i < s.length; i++) {
    if (s.charCodeAt(i) !== 0x60) continue;
    let j = i;
    while (j < s.length && s.charCodeAt(j) === 0x60) j++;
    // A backslash before a run escapes its first backtick (outside code, where an opener is looked for).
    const escaped = i > 0 && s[i - 1] === '\\' ? 1 : 0;
    if (j - i - escaped > 0) runs.push({ at: i + escaped, len: j - i - escaped });
    i = j - 1;
  }
  const byLength = new Map<number, number[]>();
  runs.forEach((r, k) => {
    const list = byLength.get(r.len);
    if (list) list.push(k);
    else byLength.set(r.len, [k]);
  });
  const next = new Map<number, number>();
  const cuts: [number, number][] = [];
  for (let k = 0; k < runs.length; k++) {
    const r = runs[k]!;
    const list = byLength.get(r.len)!;
    let p = next.get(r.len) ?? 0;
    while (p < list.length && list[p]! <= k) p++;
    next.set(r.len, p);
    if (p >= list.length) continue;
    const close = list[p]!;
    next.set(r.len, p + 1);
    cuts.push([r.at, runs[close]!.at + r.len]);
    k = close;
  }
  if (!cuts.length) return s;
  let out = '';
  let from = 0;
  for (const [a, b] of cuts) {
    out += s.slice(from, a) + ' '.repeat(b - a);
    from = b;
  }
  return out + s.slice(from);
}

function blankComments(s: string): string {
  let out = '';
  let from = 0;
  for (;;) {
    const a = s.indexOf('<!--', from);
    if (a < 0) break;
    const b = s.indexOf('-->', a + 4);
    if (b < 0) break;
    out += s.slice(from, a) + ' '.repeat(b + 3 - a);
    from = b + 3;
  }
  return from ? out + s.slice(from) : s;
}

function scanBody(text: string, lines: readonly Line[], from: number, type: DocType | undefined, resolveSections: SectionResolver): BodyScan {
  const headings: Heading[] = [];
  const tables: { header: number; rows: number[] }[] = [];
  const prose: { start: number; text: string }[] = [];
  let fence: RegExp | undefined;
  let html: RegExp | 'blank' | undefined;
  /** The content column of the list item the lines belong to, while in a list. */
  let listContent: number | undefined;
  let paraStart = -1;
  let prevBlank = true;
  let inIndentedCode = false;
  /** Only blank lines since an indented code block: micromark then reads a line as if it interrupted a paragraph. */
  let afterCode = false;
  for (let k = from; k < lines.length; k++) {
    const line = lines[k]!;
    const s = line.text;
    if (fence) {
      if (fence.test(s)) fence = undefined;
      continue;
    }
    if (html) {
      if (html === 'blank' ? isBlank(s) : html.test(s)) {
        html = undefined;
        prevBlank = isBlank(s);
      }
      continue;
    }
    const blank = isBlank(s);
    if (blank) {
      prevBlank = true;
      paraStart = -1;
      inIndentedCode = false;
      continue;
    }
    const indent = indentOf(s);
    const inList = listContent !== undefined && indent >= listContent;
    if (!inList && indent >= 4 && (prevBlank || inIndentedCode) && paraStart < 0) {
      inIndentedCode = true;
      afterCode = true;
      prevBlank = false;
      continue;
    }
    inIndentedCode = false;
    const interrupts = afterCode;
    afterCode = false;
    const wasBlank = prevBlank;
    prevBlank = false;
    // Most lines are prose: the first character decides which block starts are worth a look.
    const c0 = s.charCodeAt(firstNonSpace(s));
    const f = c0 === 0x60 /* ` */ || c0 === 0x7e /* ~ */ ? FENCE.exec(s) : null;
    if (f && (f[1]![0] !== '`' || !s.slice(f[0].length).includes('`'))) {
      fence = new RegExp(`^ {0,3}${f[1]![0] === '`' ? '`' : '~'}{${f[1]!.length},}[ \\t]*$`);
      paraStart = -1;
      continue;
    }
    if (c0 === 0x3c /* < */ && indent <= 3 && (inList || !/^ {0,3}<[A-Za-z][^>]*>.*<\/[A-Za-z]+>\s*\S/.test(s))) {
      const end = htmlBlockEnd(s, paraStart >= 0);
      if (end !== undefined) {
        if (end !== 'blank' && end.test(s.replace(/^ {0,3}<(?:!--|\?|!\[CDATA\[|!)?/, ''))) {
          paraStart = -1;
          continue;
        }
        html = end;
        paraStart = -1;
        continue;
      }
    }
    if (!inList) {
      const atx = c0 === 0x23 /* # */ ? ATX.exec(s) : null;
      if (atx) {
        listContent = undefined;
        paraStart = -1;
        const depth = atx[2]!.length;
        const hStart = line.start + atx[1]!.length;
        let contentFrom = atx[0].length;
        while (contentFrom < s.length && (s[contentFrom] === ' ' || s[contentFrom] === '\t')) contentFrom++;
        let contentTo = s.length;
        while (contentTo > contentFrom && (s[contentTo - 1] === ' ' || s[contentTo - 1] === '\t')) contentTo--;
        // An optional closing sequence of #s, preceded by a space.
        const closing = /(^|[ \t])#+$/.exec(s.slice(contentFrom, contentTo));
        if (closing) {
          contentTo = contentFrom + closing.index;
          while (contentTo > contentFrom && (s[contentTo - 1] === ' ' || s[contentTo - 1] === '\t')) contentTo--;
        }
        let lineEnd = s.length;
        while (lineEnd > 0 && (s[lineEnd - 1] === ' ' || s[lineEnd - 1] === '\t')) lineEnd--;
        const hs = span(hStart, line.start + lineEnd);
        const ts = contentTo > contentFrom ? span(line.start + contentFrom, line.start + contentTo) : span(hs.end, hs.end);
        headings.push({ depth, span: hs, titleSpan: ts, next: k + 1 });
        prose.push({ start: ts.start, text: text.slice(ts.start, ts.end) });
        continue;
      }
      // A setext underline closes the paragraph above it into a heading.
      if (paraStart >= 0 && indent <= 3 && (c0 === 0x3d /* = */ || c0 === 0x2d) /* - */ && /^ {0,3}(?:=+|-+)[ \t]*$/.test(s)) {
        const first = lines[paraStart]!;
        const last = lines[k - 1]!;
        const a = first.start + indentOf(first.text);
        let b = last.text.length;
        while (b > 0 && (last.text[b - 1] === ' ' || last.text[b - 1] === '\t')) b--;
        let lineEnd = s.length;
        while (lineEnd > 0 && (s[lineEnd - 1] === ' ' || s[lineEnd - 1] === '\t')) lineEnd--;
        headings.push({ depth: s.trim()[0] === '=' ? 1 : 2, span: span(a, line.start + lineEnd), titleSpan: span(a, last.start + b), next: k + 1 });
        paraStart = -1;
        continue;
      }
      if ((c0 === 0x2a || c0 === 0x2d || c0 === 0x5f) /* * - _ */ && THEMATIC.test(s)) {
        listContent = undefined;
        paraStart = -1;
        continue;
      }
    }
    const markerLike = (c: number) => c === 0x2d || c === 0x2a || c === 0x2b || (c >= 0x30 && c <= 0x39);
    let item = inList ? (markerLike(s.charCodeAt(firstNonSpace(s))) ? LIST_ITEM.exec(s.slice(listContent)) : null) : indent <= 3 && markerLike(c0) ? LIST_ITEM.exec(s) : null;
    // As when interrupting a paragraph, an ordered list must start at 1 there.
    if (item && !inList && interrupts && /^\d/.test(item[2]!) && parseInt(item[2]!, 10) !== 1) item = null;
    if (item && !inList) {
      const spaces = item[3]!.length;
      listContent = indent + item[2]!.length + (spaces === 0 ? 1 : spaces > 4 ? 1 : spaces);
      paraStart = -1;
    } else if (!inList && !item) {
      // A line back at the margin: the list ends (a lazy continuation line is prose either way).
      if (listContent !== undefined && wasBlank) listContent = undefined;
      if (listContent === undefined && !/^ {0,3}>/.test(s)) {
        // A table: a header row, then a delimiter row.
        const nextLine = lines[k + 1];
        if (paraStart < 0 && s.includes('|') && nextLine && DELIMITER_ROW.test(nextLine.text) && nextLine.text.includes('-') && (s.includes('|') || nextLine.text.includes('|'))) {
          const table = { header: k, rows: [] as number[] };
          let j = k + 2;
          for (; j < lines.length; j++) {
            const r = lines[j]!.text;
            if (isBlank(r) || ATX.test(r) || FENCE.test(r) || /^ {0,3}>/.test(r) || (!r.includes('|') && indentOf(r) <= 3 && (LIST_ITEM.test(r) || /^ {0,3}</.test(r)))) break;
            table.rows.push(j);
          }
          tables.push(table);
          for (let q = k; q < j; q++) if (q !== k + 1) prose.push(lines[q]!);
          k = j - 1;
          paraStart = -1;
          continue;
        }
        if (paraStart < 0) paraStart = k;
      }
    }
    prose.push(line);
  }

  // ---- headings -> sections and entities -------------------------------------------------
  const ends: number[] = new Array<number>(headings.length).fill(text.length);
  {
    const open: number[] = [];
    headings.forEach((h, i) => {
      while (open.length && headings[open[open.length - 1]!]!.depth >= h.depth) ends[open.pop()!] = h.span.start;
      open.push(i);
    });
  }
  let title: BodyScan['title'];
  const sections: Section[] = [];
  const entities: Entity[] = [];
  const stack: Entity[] = [];
  let sectionKeys: readonly string[] = [];
  // Tables are read where they sit between the headings.
  let t = 0;
  const tablesBefore = (offset: number) => {
    while (t < tables.length && lines[tables[t]!.header]!.start < offset) {
      for (const e of tableEntities(text, lines, tables[t]!, sectionKeys, (kind) => ownerOf(stack, kind))) entities.push(e);
      t++;
    }
  };
  headings.forEach((h, i) => {
    tablesBefore(h.span.start);
    const titleText = text.slice(h.titleSpan.start, h.titleSpan.end);
    if (h.depth === 1 && !title) title = { text: titleText.trim(), span: h.titleSpan };
    while (stack.length && stack[stack.length - 1]!.depth >= h.depth) stack.pop();
    if (h.depth <= 2) {
      stack.length = 0;
      sectionKeys = [];
    }
    if (h.depth === 2) {
      const normalized = normalizeSectionTitle(titleText);
      sections.push({ title: titleText.trim(), normalized, depth: 2, headingSpan: h.span, titleSpan: h.titleSpan, span: span(h.span.start, ends[i]!) });
      sectionKeys = resolveSections(type, normalized);
    }
    const m = ENTITY_HEADING.exec(titleText);
    if (!m) return;
    const id = m[2]!;
    const kind = idKind(id);
    if (!kind || !isEntityKind(kind)) return;
    const idStart = h.titleSpan.start + m[1]!.length;
    const titleStart = idStart + id.length + m[3]!.length;
    const entTitle = m[4]!.trim();
    const parent = ownerOf(stack, kind);
    const entity: Entity = {
      id,
      kind,
      idSpan: span(idStart, idStart + id.length),
      ...(entTitle ? { title: entTitle, titleSpan: span(titleStart, titleStart + m[4]!.trimEnd().length) } : {}),
      definedBy: 'heading',
      headingSpan: h.span,
      span: span(h.span.start, ends[i]!),
      depth: h.depth,
      sectionKeys,
      ...(parent ? { parent } : {}),
      properties: bodyProperties(lines, h.next, ends[i]!),
    };
    entities.push(entity);
    stack.push(entity);
  });
  tablesBefore(Infinity);
  return { entities, sections, ...(title ? { title } : {}), prose };
}

/** Where an HTML block that starts on this line ends (CommonMark's seven kinds, roughly), or undefined when it is no HTML block. */
function htmlBlockEnd(s: string, inParagraph: boolean): RegExp | 'blank' | undefined {
  const t = s.replace(/^ {0,3}/, '');
  if (/^<(?:script|pre|style|textarea)(?:\s|>|$)/i.test(t)) return /<\/(?:script|pre|style|textarea)>/i;
  if (t.startsWith('<!--')) return /-->/;
  if (t.startsWith('<?')) return /\?>/;
  if (t.startsWith('<![CDATA[')) return /\]\]>/;
  if (/^<![A-Za-z]/.test(t)) return />/;
  if (/^<\/?(?:address|article|aside|base|basefont|blockquote|body|caption|center|col|colgroup|dd|details|dialog|dir|div|dl|dt|fieldset|figcaption|figure|footer|form|frame|frameset|h[1-6]|head|header|hr|html|iframe|legend|li|link|main|menu|menuitem|nav|noframes|ol|optgroup|option|p|param|search|section|summary|table|tbody|td|tfoot|th|thead|title|tr|track|ul)(?:\s|\/?>|$)/i.test(t)) return 'blank';
  if (!inParagraph && /^(?:<[A-Za-z][A-Za-z0-9-]*(?:\s+[A-Za-z_:][\w.:-]*(?:\s*=\s*(?:[^\s"'=<>`]+|'[^']*'|"[^"]*"))?)*\s*\/?>|<\/[A-Za-z][A-Za-z0-9-]*\s*>)[ \t]*$/.test(t)) return 'blank';
  return undefined;
}

/** The properties of a heading entity: its first paragraph's `**key:** value` lines, or the first bullet list's `key: value` items. */
function bodyProperties(lines: readonly Line[], from: number, end: number): Property[] {
  const out: Property[] = [];
  let k = from;
  while (k < lines.length && lines[k]!.start < end && isBlank(lines[k]!.text)) k++;
  let first = true;
  let inFence: string | undefined;
  for (; k < lines.length && lines[k]!.start < end; k++) {
    const l = lines[k]!;
    if (inFence) {
      if (l.text.trimStart().startsWith(inFence)) inFence = undefined;
      continue;
    }
    if (isBlank(l.text)) {
      first = false;
      continue;
    }
    // The body ends at the next heading, whatever its depth.
    if (ATX.test(l.text)) break;
    const f = FENCE.exec(l.text);
    if (f) {
      inFence = f[1]!;
      first = false;
      continue;
    }
    const item = LIST_ITEM.exec(l.text);
    if (item && /^[-*+]$/.test(item[2]!)) {
      // The first unordered list with properties: each top-level item's first line.
      const found: Property[] = [];
      const col = item[1]!.length;
      for (; k < lines.length && lines[k]!.start < end; k++) {
        const r = lines[k]!;
        if (isBlank(r.text)) {
          const after = lines[k + 1];
          if (after && indentOf(after.text) > col) continue;
          if (after && LIST_ITEM.exec(after.text)?.[1]!.length === col) continue;
          break;
        }
        const it = LIST_ITEM.exec(r.text);
        if (it && it[1]!.length === col) {
          if (!/^[-*+]$/.test(it[2]!)) break;
          const at = it[0].length;
          const p = r.text.includes(':', at) ? parsePropertyLine(r.text.slice(at), r.start + at, false) : undefined;
          if (p) found.push(p);
        } else if (indentOf(r.text) <= col && !it) {
          if (ATX.test(r.text)) break;
        }
      }
      if (found.length) return [...out, ...found];
      first = false;
      continue;
    }
    if (first && !ATX.test(l.text) && !/^ {0,3}[>|<]/.test(l.text)) {
      // The first paragraph: every line with an emphasised key.
      for (; k < lines.length && lines[k]!.start < end && !isBlank(lines[k]!.text); k++) {
        const r = lines[k]!;
        // Only an emphasised key counts in a paragraph.
        const p = /^[ \t]*(?:\[[ xX]\][ \t]+)?[*_]/.test(r.text) && r.text.includes(':') ? parsePropertyLine(r.text, r.start, true) : undefined;
        if (p) out.push(p);
      }
      k--;
    }
    first = false;
  }
  return out;
}

function ownerOf(stack: readonly Entity[], kind: EntityKind): string | undefined {
  for (let i = stack.length - 1; i >= 0; i--) if (stack[i]!.kind !== kind) return stack[i]!.id;
  return undefined;
}

/** The cells of a table row: their content spans (pipes and surrounding spaces excluded). */
function cellsOf(line: Line): Span[] {
  const s = line.text;
  const out: Span[] = [];
  let i = 0;
  while (i < s.length && (s[i] === ' ' || s[i] === '\t')) i++;
  if (s[i] === '|') i++;
  let cellStart = i;
  const push = (a: number, b: number) => {
    while (a < b && /\s/.test(s[a]!)) a++;
    while (b > a && /\s/.test(s[b - 1]!)) b--;
    out.push(span(line.start + a, line.start + b));
  };
  for (; i < s.length; i++) {
    const c = s[i];
    if (c === '\\') {
      i++;
      continue;
    }
    // GFM splits cells at pipes inside code spans too: only `\|` escapes one.
    if (c === '|') {
      push(cellStart, i);
      cellStart = i + 1;
    }
  }
  if (!/^\s*$/.test(s.slice(cellStart))) push(cellStart, s.length);
  return out;
}

function tableEntities(text: string, lines: readonly Line[], table: { header: number; rows: number[] }, sectionKeys: readonly string[], ownerFor: (kind: EntityKind) => string | undefined): Entity[] {
  const header = cellsOf(lines[table.header]!);
  const keys = tableKeys(text, header);
  if (normalizeKey(keys[0]?.raw ?? '') !== 'id') return [];
  const out: Entity[] = [];
  for (const k of table.rows) {
    const line = lines[k]!;
    const lead = indentOf(line.text);
    let lineEnd = line.text.length;
    while (lineEnd > 0 && /\s/.test(line.text[lineEnd - 1]!)) lineEnd--;
    const e = tableRowEntity(text, cellsOf(line).slice(0, header.length), keys, span(line.start + lead, line.start + lineEnd), sectionKeys, ownerFor);
    if (e) out.push(e);
  }
  return out;
}

// ---- the tolerant reading -----------------------------------------------------------------

/**
 * A typed document without written IDs, read as the full analysis reads it: the region scanner
 * and the extraction, with a rough line reading for the regions the scanner leaves to remark.
 */
function readTolerantly(uri: string, input: string, options: IndexPassOptions, reading: ReadingOptions): IndexPassResult | undefined {
  const { text } = boundNesting(input);
  const plan = planRegions(text);
  const rough = plan.remarkTexts.map((t): ParsedMarkdown => ({ root: roughTree(t) }));
  const root = assembleRegions(text, plan, rough).root;
  const model = extractModel(uri, text, root, options.resolveSections ?? NO_RESOLVER, reading, options.knownKey);
  return { model: { ...model, problems: [], textLength: input.length }, exact: plan.remarkTexts.length === 0 };
}

/** A rough tree of a region by lines: ATX headings, bullet items and paragraphs, each with one text child (offsets only). */
function roughTree(t: string): Root {
  const at = (o: number) => ({ line: 1, column: 1, offset: o });
  const pos = (a: number, b: number) => ({ start: at(a), end: at(b) });
  const children: RootContent[] = [];
  let para: { start: number; end: number } | undefined;
  const flush = () => {
    if (para) children.push({ type: 'paragraph', children: [{ type: 'text', value: t.slice(para.start, para.end), position: pos(para.start, para.end) }], position: pos(para.start, para.end) });
    para = undefined;
  };
  let fence: string | undefined;
  for (const l of splitLines(t)) {
    const s = l.text;
    if (fence) {
      if (s.trimStart().startsWith(fence)) fence = undefined;
      continue;
    }
    const f = FENCE.exec(s);
    if (f) {
      flush();
      fence = f[1]!;
      continue;
    }
    if (isBlank(s)) {
      flush();
      continue;
    }
    const h = ATX.exec(s);
    if (h) {
      flush();
      const a = l.start + h[0].length + (/^[ \t]*/.exec(s.slice(h[0].length))?.[0].length ?? 0);
      const b = l.start + s.trimEnd().length;
      children.push({ type: 'heading', depth: h[2]!.length as 1, children: b > a ? [{ type: 'text', value: t.slice(a, b), position: pos(a, b) }] : [], position: pos(l.start + h[1]!.length, b) });
      continue;
    }
    const item = /^( {0,3})[-*+][ \t]+/.exec(s);
    if (item) {
      flush();
      const a = l.start + item[0].length;
      const b = l.start + s.trimEnd().length;
      const p = { type: 'paragraph' as const, children: [{ type: 'text' as const, value: t.slice(a, b), position: pos(a, b) }], position: pos(a, b) };
      const li = { type: 'listItem' as const, spread: false, children: [p], position: pos(l.start + item[1]!.length, b) };
      const last = children[children.length - 1];
      if (last?.type === 'list' && !last.ordered) {
        last.children.push(li);
        last.position = pos(last.position!.start.offset!, b);
      } else children.push({ type: 'list', ordered: false, spread: false, children: [li], position: pos(l.start + item[1]!.length, b) });
      continue;
    }
    const a = l.start + indentOf(s);
    const b = l.start + s.trimEnd().length;
    if (para) para.end = b;
    else para = { start: Math.min(a, b), end: b };
  }
  flush();
  return { type: 'root', children };
}

// ---- flat front matter --------------------------------------------------------------------

const SIMPLE_LINE = /^([A-Za-z_][A-Za-z0-9_-]*):[ \t]+(\S.*)$/;
/** A plain scalar that reads the same in every YAML context: no indicator first, no `: ` or ` #` inside. */
const PLAIN = /^(?![-?:,[\]{}#&*!|>'"%@`])(?:[^:#\s]|:(?=\S)|(?<=\S)#|[ \t]+(?=[^\s#]))*$/;
const PLAIN_ITEM = /^(?![-?:,[\]{}#&*!|>'"%@`])[^,[\]{}#:'"]*$/;

/** A value as the YAML 1.2 core schema reads a plain scalar (dates stay strings). */
function coreScalar(s: string): unknown {
  if (/^(?:~|null|Null|NULL)$/.test(s)) return null;
  if (/^(?:true|True|TRUE)$/.test(s)) return true;
  if (/^(?:false|False|FALSE)$/.test(s)) return false;
  if (/^[-+]?[0-9]+$/.test(s)) return Number(s);
  if (/^0o[0-7]+$/.test(s)) return parseInt(s.slice(2), 8);
  if (/^0x[0-9a-fA-F]+$/.test(s)) return parseInt(s.slice(2), 16);
  if (/^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/.test(s)) return Number(s);
  if (/^[-+]?\.(?:inf|Inf|INF)$/.test(s)) return s.startsWith('-') ? -Infinity : Infinity;
  if (/^\.(?:nan|NaN|NAN)$/.test(s)) return NaN;
  return s;
}

/**
 * Front matter of `key: value` lines only (plain scalars and flow lists of plain scalars), read
 * without the YAML parser — what parseFrontMatter would answer for it. Anything else (quotes,
 * nesting, comments, block lists, empty values, a repeated key) answers undefined: the YAML
 * parser reads it.
 */
function simpleFrontMatter(yaml: string, contentStart: number, block: Span): FrontMatter | undefined {
  const fields: FrontMatter['fields'][number][] = [];
  const seen = new Set<string>();
  let at = 0;
  while (at < yaml.length) {
    let e = yaml.indexOf('\n', at);
    if (e < 0) e = yaml.length;
    const line = yaml.slice(at, e > at && yaml.charCodeAt(e - 1) === 13 ? e - 1 : e);
    const m = SIMPLE_LINE.exec(line);
    if (!m) {
      if (isBlank(line) && line.length === 0) {
        at = e + 1;
        continue;
      }
      return undefined;
    }
    const key = m[1]!;
    if (seen.has(key) || key === '__proto__') return undefined;
    seen.add(key);
    const keySpan = span(contentStart + at, contentStart + at + key.length);
    const v0 = at + m[0].length - m[2]!.length;
    let raw = m[2]!;
    let trail = raw.length;
    while (trail > 0 && (raw[trail - 1] === ' ' || raw[trail - 1] === '\t')) trail--;
    raw = raw.slice(0, trail);
    const valueSpan = span(contentStart + v0, contentStart + v0 + raw.length);
    if (raw.startsWith('[')) {
      if (!raw.endsWith(']')) return undefined;
      const inner = raw.slice(1, -1);
      const items: { text: string; span: Span }[] = [];
      const values: unknown[] = [];
      if (!isBlank(inner)) {
        let i = 0;
        for (const part of inner.split(',')) {
          let a = 0;
          let b = part.length;
          while (a < b && (part[a] === ' ' || part[a] === '\t')) a++;
          while (b > a && (part[b - 1] === ' ' || part[b - 1] === '\t')) b--;
          const t = part.slice(a, b);
          if (!t || !PLAIN_ITEM.test(t)) return undefined;
          const value = coreScalar(t);
          values.push(value);
          const s0 = contentStart + v0 + 1 + i + a;
          items.push({ text: String(value ?? ''), span: span(s0, s0 + t.length) });
          i += part.length + 1;
        }
      }
      fields.push({ key, keySpan, value: values, valueSpan, items });
    } else {
      if (!PLAIN.test(raw)) return undefined;
      const value = coreScalar(raw);
      fields.push({ key, keySpan, value, valueSpan, items: splitItems(String(value ?? ''), raw, contentStart + v0) });
    }
    at = e + 1;
  }
  return { span: block, openSpan: span(0, 3), fields, isMapping: true };
}
