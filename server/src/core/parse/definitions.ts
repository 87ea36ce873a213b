/**
 * Which link and footnote labels a document defines, as far as a line scan can be sure.
 *
 * CommonMark reference definitions are document-wide: `[text][label]`, `[^note]` and
 * `![alt][label]` are references only when `label` is defined somewhere, and otherwise plain
 * text. The fast path must answer exactly as remark does, so it asks this index:
 * - `defined`: a label with a definition the scan is certain of (a `[label]: destination` line
 *   that starts a block, outside fences, HTML blocks and front matter, in the simple one-line form);
 * - `mentioned`: every label written anywhere as `[label]:` (a superset): a label not in it is
 *   certainly undefined. A label mentioned but not certainly defined makes the scanner unsure.
 * Labels are compared as CommonMark does: case-folded, inner whitespace collapsed; footnote
 * labels keep their `^`. Labels with characters outside ASCII are never certain (Unicode case
 * folding differs from toLowerCase).
 */

export interface DefinitionIndex {
  readonly defined: ReadonlySet<string>;
  readonly mentioned: ReadonlySet<string>;
}

/** How a label is compared (CommonMark: case fold, collapse whitespace, trim). */
export function normalizeLabel(label: string): string {
  return label.replace(/[ \t\r\n]+/g, ' ').trim().toLowerCase();
}

/** A one-line link reference definition in its simple form (destination without parentheses, an optional one-line title). */
export const SIMPLE_DEFINITION = /^ {0,3}\[((?:[^\]\\\n\[]|\\.){1,999})\]:[ ]*(?:<[^<>\n\\]*>|[^\s<>()\\]+)(?:[ ]+(?:"[^"\n\\]*"|'[^'\n\\]*'|\([^()\n\\]*\)))?[ ]*$/;
/** A footnote definition's first line. */
export const FOOTNOTE_DEFINITION = /^ {0,3}\[\^((?:[^\]\\\n\[\s]|\\.){1,999})\]:/;

import { htmlBlockKind } from './html.js';

const HTML_END: readonly [RegExp, RegExp][] = [
  [/^ {0,3}<(?:script|pre|style|textarea)(?:[\s>]|$)/i, /<\/(?:script|pre|style|textarea)>/i],
  [/^ {0,3}<!--/, /-->/],
  [/^ {0,3}<\?/, /\?>/],
  [/^ {0,3}<!\[CDATA\[/, /\]\]>/],
  [/^ {0,3}<![A-Za-z]/, />/],
];

export function definitionIndex(text: string): DefinitionIndex {
  const mentioned = new Set<string>();
  const defined = new Set<string>();
  const loose = /\[((?:[^\]\\\[]|\\.){1,999})\]:/g;
  for (let m = loose.exec(text); m; m = loose.exec(text)) mentioned.add(normalizeLabel(m[1]!));
  if (mentioned.size === 0) return { defined, mentioned };

  let i = 0;
  let lineNo = 0;
  let fence: string | undefined;
  let htmlEnd: RegExp | undefined;
  /** Inside an HTML block of kind 6 or 7 (it ends at a blank line). */
  let htmlToBlank = false;
  let frontMatter = false;
  /** Whether the previous line ends every open paragraph (blank, heading, fence close, definition). */
  let blockStart = true;
  while (i <= text.length) {
    let e = text.indexOf('\n', i);
    if (e < 0) e = text.length;
    const s = text.slice(i, e > i && text.charCodeAt(e - 1) === 13 ? e - 1 : e);
    let next = false;
    if (frontMatter) {
      if (s === '---') {
        frontMatter = false;
        next = true;
      }
    } else if (fence) {
      if (new RegExp(`^ {0,3}${fence[0] === '`' ? '`' : '~'}{${fence.length},}[ \\t]*$`).test(s)) {
        fence = undefined;
        next = true;
      }
    } else if (htmlEnd) {
      if (htmlEnd.test(s)) {
        htmlEnd = undefined;
        next = true;
      }
    } else if (lineNo === 0 && s === '---') {
      frontMatter = true;
    } else if (/^[ \t]*$/.test(s)) {
      next = true;
      htmlToBlank = false;
    } else if (htmlToBlank) {
      // An HTML block takes every line up to a blank one.
    } else {
      const f = /^ {0,3}(`{3,}|~{3,})/.exec(s);
      const h = HTML_END.find(([open]) => open.test(s));
      const kind = htmlBlockKind(s);
      if (f) fence = f[1];
      else if (kind === 6 || kind === 7) htmlToBlank = true;
      else if (h) {
        if (!h[1].test(s.replace(/^ {0,3}<(?:!--|\?|!\[CDATA\[|!)?/, ''))) htmlEnd = h[1];
        else next = true;
      } else if (/^ {0,3}#{1,6}(?:[ \t]|$)/.test(s)) next = true;
      else if (/^[\x20-\x7e]*$/.test(s)) {
        // A footnote definition interrupts anything (it is a container); a link definition only starts a block.
        const fn = FOOTNOTE_DEFINITION.exec(s);
        if (fn) defined.add(`^${normalizeLabel(fn[1]!)}`);
        const d = blockStart ? SIMPLE_DEFINITION.exec(s) : null;
        if (d && !d[1]!.startsWith('^') && d[1]!.trim()) {
          defined.add(normalizeLabel(d[1]!));
          next = true;
        }
      }
    }
    blockStart = next;
    if (e >= text.length) break;
    i = e + 1;
    lineNo++;
  }
  return { defined, mentioned };
}

/** Whether `label` is a reference: true (certainly defined), false (certainly not), undefined (not sure). */
export function isDefined(index: DefinitionIndex, label: string): boolean | undefined {
  const n = normalizeLabel(label);
  if (!index.mentioned.has(n)) return false;
  return index.defined.has(n) && /^[\x20-\x7e]*$/.test(label) ? true : undefined;
}
