/** How CommonMark recognises raw HTML: inline tags, autolinks and the start of HTML blocks (shared by the scanner and the definition index). */

/** `<` + an open tag, a closing tag or a simple comment (CommonMark raw HTML), possibly across lines. */
export const INLINE_TAG = /^(?:<[A-Za-z][A-Za-z0-9-]*(?:[ \t\r\n]+[A-Za-z_:][A-Za-z0-9_.:-]*(?:[ \t\r\n]*=[ \t\r\n]*(?:[^ \t\r\n"'=<>`]+|'[^']*'|"[^"]*"))?)*[ \t\r\n]*\/?>|<\/[A-Za-z][A-Za-z0-9-]*[ \t\r\n]*>)/;
export const URI_AUTOLINK = /^<[A-Za-z][A-Za-z0-9+.-]{1,31}:[^\x00-\x20<>]*>/;
export const EMAIL_AUTOLINK = /^<[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*>/;
/** HTML block start conditions 6 (block tag names, as micromark lists them) and 1 (raw). */
const HTML_BLOCK_6 = /^ {0,3}<\/?(?:address|article|aside|base|basefont|blockquote|body|caption|center|col|colgroup|dd|details|dialog|dir|div|dl|dt|fieldset|figcaption|figure|footer|form|frame|frameset|h[1-6]|head|header|hr|html|iframe|legend|li|link|main|menu|menuitem|nav|noframes|ol|optgroup|option|p|param|search|section|summary|table|tbody|td|tfoot|th|thead|title|tr|track|ul)(?:[ \t]|\/?>|$)/i;
const HTML_BLOCK_1 = /^ {0,3}<(?:script|pre|style|textarea)(?:[ \t>]|$)/i;

/**
 * What an HTML-looking line starts: 1 (raw: script, pre, style, textarea), 2 (a comment),
 * 6 (a block tag), 7 (a complete tag alone on its line), 0 (no HTML block: a paragraph), or
 * -1 (a kind the scanner does not read: processing instructions, declarations, CDATA).
 */
export function htmlBlockKind(s: string): number {
  if (!/^ {0,3}</.test(s)) return 0;
  if (HTML_BLOCK_1.test(s)) return 1;
  if (/^ {0,3}<!--/.test(s)) return 2;
  if (/^ {0,3}<[?!]/.test(s)) return -1;
  if (HTML_BLOCK_6.test(s)) return 6;
  const t = s.replace(/^ {0,3}/, '');
  const m = INLINE_TAG.exec(t);
  if (m && !m[0].includes('\n') && /^[ \t]*$/.test(t.slice(m[0].length)) && !/^<\/?(?:script|pre|style|textarea)\b/i.test(t)) return 7;
  return 0;
}

