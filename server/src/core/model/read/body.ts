/** Source helpers shared by the readers: node ranges, lines, table cells, and the body of a heading entity. */
import type { List, Paragraph, RootContent, Nodes } from 'mdast';
import { span, type Span } from '../../text/lineIndex.js';
import { parsePropertyLine } from '../properties.js';
import type { Property } from '../types.js';

export type Positioned = { position?: { start: { offset?: number }; end: { offset?: number } } };

export function spanOf(node: Positioned | undefined): Span | undefined {
  const s = node?.position?.start.offset;
  const e = node?.position?.end.offset;
  return s === undefined || e === undefined ? undefined : span(s, e);
}

export function linesOf(text: string, s: Span): { text: string; start: number }[] {
  const out: { text: string; start: number }[] = [];
  let i = s.start;
  while (i < s.end) {
    let j = text.indexOf('\n', i);
    if (j < 0 || j > s.end) j = s.end;
    let e = j;
    if (text[e - 1] === '\r') e--;
    out.push({ text: text.slice(i, e), start: i });
    i = j + 1;
  }
  return out;
}

export function cellSpan(cell: Nodes, text: string): Span | undefined {
  const s = spanOf(cell as Positioned);
  if (!s) return undefined;
  let a = s.start;
  let b = s.end;
  while (a < b && (text[a] === '|' || /\s/.test(text[a]!))) a++;
  while (b > a && (text[b - 1] === '|' || /\s/.test(text[b - 1]!))) b--;
  return span(a, b);
}

/** Which properties count: all (written IDs, the documented dialect) or only keys the schema knows (tolerant reading). */
export type KeyFilter = (key: string) => boolean;

/** The properties and description of a heading entity: the blocks up to the next heading. */
export function collectBody(children: readonly RootContent[], from: number, text: string, keep: KeyFilter = () => true): { properties: Property[]; description?: string } {
  const properties: Property[] = [];
  let description: string | undefined;
  let firstParagraph = true;
  let listDone = false;
  for (let j = from; j < children.length; j++) {
    const c = children[j]!;
    if (c.type === 'heading') break;
    if (c.type === 'paragraph') {
      const s = spanOf(c);
      if (!s) continue;
      const lines = linesOf(text, s);
      // `**Create Habit:**` alone on its line labels a sub-topic: the lists after it describe that, not the entity.
      // It sets no property either (`**Key Results:**` over a list of key results is not an empty key_results).
      const label = lines.length === 1 && /^\s*(?:\*\*|__)[^*_]+?(?::(?:\*\*|__)|(?:\*\*|__):)\s*$/.test(lines[0]!.text);
      if (label) listDone = true;
      const props = firstParagraph && !label ? lines.map((l) => parsePropertyLine(l.text, l.start, true)).map((p) => (p && keep(p.key) ? p : undefined)) : [];
      const found = props.filter((p): p is Property => !!p);
      properties.push(...found);
      if (found.length < lines.length && description === undefined) {
        const rest = lines.filter((_, k) => !props[k]).map((l) => l.text.trim()).join(' ').trim();
        if (rest) description = rest.length > 600 ? `${rest.slice(0, 600)}…` : rest;
      }
      firstParagraph = false;
    } else if (c.type === 'list' && !listDone && !c.ordered) {
      const found = listProperties(c, text).filter((p) => keep(p.key));
      if (found.length) {
        properties.push(...found);
        listDone = true;
      }
      firstParagraph = false;
    } else {
      firstParagraph = false;
    }
  }
  return description === undefined ? { properties } : { properties, description };
}

export function listProperties(list: List, text: string): Property[] {
  const out: Property[] = [];
  for (const item of list.children) {
    const para = item.children[0];
    if (!para || para.type !== 'paragraph') continue;
    const s = spanOf(para as Paragraph);
    if (!s) continue;
    const line = linesOf(text, s)[0];
    if (!line) continue;
    const p = parsePropertyLine(line.text, line.start, false);
    if (p) out.push(p);
  }
  return out;
}
