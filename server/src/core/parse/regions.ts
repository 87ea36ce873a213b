/**
 * The region parse: a document is cut into block regions at headings that open a line, the
 * line scanner reads each region it is sure of, and only the regions it is not sure of go to
 * remark — so one block quote no longer sends a whole document to the slow parser.
 *
 * Where a cut is safe: an ATX heading at column 0 ends every open block (a paragraph, a list, a
 * block quote, a table) except fenced code, an HTML block and front matter, so a heading line
 * outside those starts a region whose parse does not depend on what came before. The one thing
 * that crosses regions is a link or footnote reference definition (document-wide in CommonMark):
 * every region remark reads gets the document's definition lines appended after a blank line,
 * and whatever they produce is dropped again.
 *
 * Invariant (tested on the CommonMark and GFM spec examples, both bench corpora, the real-world
 * documents and generated ones): extractModel over the assembled tree equals extractModel over
 * remark's tree of the whole document.
 */
import type { Root, RootContent } from 'mdast';
import { lazyDefinitions, scanRegion } from './scan.js';
import type { ParsedMarkdown } from './markdown.js';

export interface Region {
  readonly start: number;
  readonly end: number;
}

/** The regions a document is cut into (together they cover it, in order). */
export function splitRegions(text: string): Region[] {
  const starts = [0];
  const n = text.length;
  let i = 0;
  let line = 0;
  /** The closing condition of the block a cut may not fall into. */
  let inside: { fence: string } | { html: RegExp } | { blankEnds: true } | { frontMatter: true } | undefined;
  while (i < n) {
    let e = text.indexOf('\n', i);
    if (e < 0) e = n;
    const s = text.slice(i, e > i && text.charCodeAt(e - 1) === 13 ? e - 1 : e);
    const blank = /^[ \t]*$/.test(s);
    if (inside && 'frontMatter' in inside) {
      if (s === '---') inside = undefined;
    } else if (inside && 'fence' in inside) {
      if (new RegExp(`^ {0,3}${inside.fence[0] === '`' ? '`' : '~'}{${inside.fence.length},}[ \\t]*$`).test(s)) inside = undefined;
    } else if (inside && 'html' in inside) {
      if (inside.html.test(s)) inside = undefined;
    } else {
      if (inside && 'blankEnds' in inside && blank) inside = undefined;
      if (!inside) {
        if (line === 0 && s === '---') inside = { frontMatter: true };
        else if (s.charCodeAt(0) === 0x23 /* # */ && /^#{1,6}(?:[ \t]|$)/.test(s) && i > 0) starts.push(i);
        else {
          const fence = /^ {0,3}(`{3,}|~{3,})/.exec(s);
          if (fence) inside = { fence: fence[1]! };
          else if (/^ {0,3}</.test(s)) {
            const end = htmlEnd(s);
            // Closed on its own line: nothing to track (types 1-5); types 6-7 end at a blank line.
            if (end === undefined) inside = { blankEnds: true };
            else if (!end.test(s.replace(/^ {0,3}<(?:!--|\?|!\[CDATA\[|!)?/, ''))) inside = { html: end };
          }
        }
      }
    }
    i = e + 1;
    line++;
  }
  return starts.map((start, k) => ({ start, end: starts[k + 1] ?? n }));
}

/** The end condition of an HTML block of types 1-5 opened by this line, else undefined (types 6-7). */
function htmlEnd(s: string): RegExp | undefined {
  const t = s.replace(/^ {0,3}/, '');
  if (/^<(?:script|pre|style|textarea)(?:[\s>]|$)/i.test(t)) return /<\/(?:script|pre|style|textarea)>/i;
  if (t.startsWith('<!--')) return /-->/;
  if (t.startsWith('<?')) return /\?>/;
  if (t.startsWith('<![CDATA[')) return /\]\]>/;
  if (/^<![A-Za-z]/.test(t)) return />/;
  return undefined;
}

/** Link and footnote reference definition lines (their first line), document-wide, with their offsets and labels. */
function definitionLines(text: string): { at: number; line: string; label: string }[] {
  const out: { at: number; line: string; label: string }[] = [];
  const re = /^ {0,3}\[((?:[^\]\\\n]|\\.){1,999})\]:.*$/gm;
  for (let m = re.exec(text); m; m = re.exec(text)) out.push({ at: m.index, line: m[0], label: m[1]!.replace(/\s+/g, ' ').trim().toLowerCase() });
  return out;
}

export interface RegionPlan {
  readonly regions: readonly Region[];
  /** Per region: the scanner's nodes, or undefined when remark must read it. */
  readonly scanned: readonly (RootContent[] | undefined)[];
  /** The texts remark must read (one per unsure region, definitions appended), in region order. */
  readonly remarkTexts: readonly string[];
  /** How much of the document those regions are (without what is appended). */
  readonly remarkChars: number;
}

export function planRegions(text: string): RegionPlan {
  const regions = splitRegions(text);
  const definitions = lazyDefinitions(text);
  const scanned = regions.map((r) => scanRegion(text, r.start, r.end, definitions));
  return { regions, scanned, ...remarkTextsFor(text, regions, scanned) };
}

/**
 * The texts remark must read for the regions the scanner left (`scanned[k]` undefined): each
 * region's own text with the definitions it uses but does not hold appended (a label it
 * mentions, compared as CommonMark does: case-insensitive, whitespace collapsed; mentioning too
 * many is harmless). Shared by planRegions and the region cache.
 */
export function remarkTextsFor(text: string, regions: readonly Region[], scanned: readonly (RootContent[] | undefined)[]): { remarkTexts: string[]; remarkChars: number } {
  let defs: { at: number; line: string; label: string }[] | undefined;
  const remarkTexts: string[] = [];
  let remarkChars = 0;
  regions.forEach((r, k) => {
    if (scanned[k]) return;
    defs ??= definitionLines(text);
    const own = text.slice(r.start, r.end);
    remarkChars += own.length;
    let lower: string | undefined;
    const needed = defs.filter((d) => (d.at < r.start || d.at >= r.end) && (lower ??= own.replace(/\s+/g, ' ').toLowerCase()).includes(d.label));
    remarkTexts.push(needed.length ? `${own}\n\n${needed.map((d) => d.line).join('\n')}\n` : own);
  });
  return { remarkTexts, remarkChars };
}

/** The whole document's tree from the scanned regions and remark's answers for the others. */
export function assembleRegions(text: string, plan: RegionPlan, parsed: readonly ParsedMarkdown[]): ParsedMarkdown {
  const children: RootContent[] = [];
  let next = 0;
  let error: string | undefined;
  let truncatedAt: number | undefined;
  plan.regions.forEach((r, k) => {
    const own = plan.scanned[k];
    if (own) {
      // One by one: a region can hold more nodes than a call takes arguments.
      for (const c of own) children.push(c);
      return;
    }
    const p = parsed[next++]!;
    if (p.error) error ??= p.error;
    if (p.truncatedAt !== undefined && p.truncatedAt < r.end - r.start) truncatedAt ??= p.truncatedAt + r.start;
    for (const c of p.root.children) {
      const start = c.position?.start.offset;
      // What the appended definitions produced lies past the region's own text.
      if (start === undefined || start >= r.end - r.start) continue;
      shift(c, r.start);
      children.push(c);
    }
  });
  const root = { type: 'root', children, position: { start: { line: 1, column: 1, offset: 0 }, end: { line: 1, column: 1, offset: text.length } } } as Root;
  return { root, ...(error ? { error } : {}), ...(truncatedAt !== undefined ? { truncatedAt } : {}) };
}

interface Positioned {
  position?: { start: { offset?: number }; end: { offset?: number } };
  children?: Positioned[];
}

/** Moves a subtree's offsets by `by` (no recursion: trees are depth-bounded, but stay iterative). */
function shift(node: RootContent, by: number): void {
  if (by === 0) return;
  const stack: Positioned[] = [node as Positioned];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.position) {
      if (n.position.start.offset !== undefined) n.position.start.offset += by;
      if (n.position.end.offset !== undefined) n.position.end.offset += by;
    }
    if (Array.isArray(n.children)) for (const c of n.children) stack.push(c);
  }
}
