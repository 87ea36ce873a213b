/**
 * Edits the quick fixes of several rules share: insert a front matter field, insert a section in
 * the conventional order, create a KPI stub. Every edit is computed against the analysed text.
 */
import type { Analysis } from '../analysis.js';
import type { Diagnostic } from '../diagnostics.js';
import type { FeatureContext } from '../features/context.js';
import type { TextEdit } from '../features/edits.js';
import { defaultFieldValue, eolOf, sectionPrompt } from '../features/templates.js';
import type { DocType, Entity } from '../model/types.js';
import { span } from '../text/lineIndex.js';
import type { CodeAction } from './rule.js';

export function one(uri: string, edits: TextEdit[]): Map<string, TextEdit[]> {
  return new Map([[uri, edits]]);
}

export function insertField(ctx: FeatureContext, a: Analysis, type: DocType, field: string, all: boolean, d: Diagnostic): CodeAction {
  const eol = eolOf(a.text);
  const fm = a.model.frontMatter;
  if (!fm || all) {
    const keys = ctx.registry.frontMatterRequired(type);
    const body = keys.map((k) => `${k}: ${defaultFieldValue(ctx, a, type, k)}`).join(eol);
    const bom = a.text.charCodeAt(0) === 0xfeff ? 1 : 0;
    return { title: `Add front matter (${keys.join(', ')})`, kind: 'quickfix', edits: one(a.uri, [{ span: span(bom, bom), newText: `---${eol}${body}${eol}---${eol}${eol}` }]), fixes: [d], preferred: true, safe: true };
  }
  // Before the closing fence: the start of the block's last line.
  const closeLine = a.text.lastIndexOf('\n', fm.span.end - 2) + 1;
  const at = Math.max(fm.openSpan.end, closeLine);
  return {
    title: `Add \`${field}\` to the front matter`,
    kind: 'quickfix',
    edits: one(a.uri, [{ span: span(at, at), newText: `${field}: ${defaultFieldValue(ctx, a, type, field)}${eol}` }]),
    fixes: [d],
    preferred: true,
    safe: true,
  };
}

/** Inserts `## Title` in the conventional order: before the first present section that comes after it. */
export function insertSection(ctx: FeatureContext, a: Analysis, type: DocType, key: string, d: Diagnostic): CodeAction {
  const eol = eolOf(a.text);
  const order = ctx.registry.sections(type);
  const info = order.find((s) => s.key === key);
  const idx = order.findIndex((s) => s.key === key);
  const present = a.model.sections.map((s) => ({ s, keys: ctx.registry.resolveSection(type, s.normalized) }));
  const after = present.find((p) => p.keys.some((k) => order.findIndex((o) => o.key === k) > idx));
  const heading = `## ${info?.title ?? key}${eol}${eol}${sectionPrompt(info?.description)}${eol}`;
  let at: number;
  let text: string;
  if (after) {
    // Before the next section in the conventional order, followed by a blank line.
    at = after.s.headingSpan.start;
    text = `${heading}${eol}`;
  } else {
    // At the end, after a blank line.
    at = a.text.length;
    text = `${separator(a.text, eol)}${heading}`;
  }
  return { title: `Add section \`## ${info?.title ?? key}\``, kind: 'quickfix', edits: one(a.uri, [{ span: span(at, at), newText: text }]), fixes: [d], preferred: true, safe: true };
}

/** A KPI stub in the brief's Success metrics (a table row, or a heading) and in this document's. */
export function kpiStubs(ctx: FeatureContext, a: Analysis, id: string, d: Diagnostic): CodeAction[] {
  const out: CodeAction[] = [];
  const targets = [...ctx.index.documents()].filter((x) => x.model.type === 'brief' || x.uri === a.uri);
  for (const t of targets) {
    if (t.model.type !== 'brief' && t.model.type !== 'prd') continue;
    const edit = kpiStubEdit(ctx, t, id);
    if (!edit) continue;
    const name = t.uri === a.uri ? 'this document' : decodeURIComponent(t.uri.slice(t.uri.lastIndexOf('/') + 1));
    out.push({ title: `Create KPI ${id} in ${name}`, kind: 'quickfix', edits: one(t.uri, [edit]), fixes: [d], preferred: false, safe: false });
  }
  return out;
}

/** What to write before appending a block at the end of `text` so that a blank line precedes it. */
export function separator(text: string, eol: string): string {
  if (text === '' || /(\r?\n){2}$/.test(text)) return '';
  return /\r?\n$/.test(text) ? eol : eol + eol;
}

function kpiStubEdit(ctx: FeatureContext, t: Analysis, id: string): TextEdit | undefined {
  const eol = eolOf(t.text);
  const type = t.model.type!;
  const sec = t.model.sections.find((s) => ctx.registry.resolveSection(type, s.normalized).includes('success_metrics'));
  const kpis = t.model.entities.filter((e) => e.kind === 'KPI' && (!sec || (e.span.start >= sec.span.start && e.span.start < sec.span.end)));
  const lastRow = [...kpis].reverse().find((e) => e.definedBy === 'table');
  if (lastRow) {
    // A new row after the last KPI row, with as many cells as that row.
    const rowText = t.text.slice(lastRow.span.start, lastRow.span.end);
    const cells = Math.max(1, rowText.split('|').length - 2);
    const row = `| ${id} |${' |'.repeat(Math.max(0, cells - 1))}`;
    return { span: span(lastRow.span.end, lastRow.span.end), newText: `${eol}${row}` };
  }
  const stub = `### ${id}: New KPI${eol}${eol}- category: other${eol}- definition: TBD${eol}- target: TBD${eol}${eol}`;
  if (sec) {
    const end = sec.span.end;
    return { span: span(end, end), newText: `${separator(t.text.slice(0, end), eol)}${stub}` };
  }
  return { span: span(t.text.length, t.text.length), newText: `${separator(t.text, eol)}## Success metrics${eol}${eol}${stub}` };
}


/**
 * The edit that writes an entity's derived ID into the text, where the reader found the entity, so
 * that reading the document again finds the same entity (kind, title, parent, priority) with that
 * ID written: a table row gets the ID in its ID column when the table has one; otherwise the ID
 * goes before the title on the entity's line (`### 1. FEAT-x: Search`, `- **KPI-x: Weekly active
 * teams**: …`, `| FEAT-x: Saved cards | … |`), after a label the document gives it, which stays
 * (`- KR1: KR-okrs.objective-1.kr1: …`, `### User Story 1 - FEAT-x: Checkout (Priority: P1)`: the
 * document's own references to its labels keep working). A labelled entity whose title is read from
 * elsewhere (a Kiro `### Requirement 1` titled by its user story) gets `: ID: Title` after the label.
 * Undefined when the entity's place cannot be found.
 */
export function writeIdEdit(text: string, e: Entity): TextEdit | undefined {
  if (!e.idDerived) return undefined;
  const labelled = !e.titleSpan || e.idSpan.start !== e.titleSpan.start || e.idSpan.end !== e.titleSpan.end;
  const lineStart = text.lastIndexOf('\n', e.headingSpan.start - 1) + 1;
  const nl = text.indexOf('\n', e.headingSpan.start);
  const lineEnd = nl < 0 ? text.length : text[nl - 1] === '\r' ? nl - 1 : nl;
  const line = text.slice(lineStart, lineEnd);
  const onLine = (s: { start: number; end: number } | undefined) => s !== undefined && s.start >= lineStart && s.end <= lineEnd;
  if (e.definedBy === 'table') {
    // An empty ID cell takes the ID; one holding the document's own label (`US-1.1`) keeps it.
    const cell = idCell(text, lineStart, line);
    if (cell && !text.slice(cell.start, cell.end).trim()) return { span: span(cell.start, cell.end), newText: ` ${e.id} ` };
  }
  if (e.titleSpan && onLine(e.titleSpan)) return { span: span(e.titleSpan.start, e.titleSpan.start), newText: `${e.id}: ` };
  if (labelled && onLine(e.idSpan)) {
    // The label's line holds no title: the ID (and the title, so it reads the same) after the label.
    const rest = text.slice(e.idSpan.end, lineEnd);
    const after = /^\s*(?:\*\*|__)?\s*(?:[:.]|\s[-\u2013\u2014])?\s*(?:\*\*|__)?/.exec(rest)![0];
    // The title stands after the label but was not located (inline code, links): the ID before it.
    const title = e.title && !rest.slice(after.length).trim() ? ` ${e.title.replace(/\s+/g, ' ')}` : '';
    const at = e.idSpan.end + after.length;
    const sep = /[:\-\u2013\u2014](?:\*\*|__)?\s*$/.test(after) ? (/\s$/.test(after) ? '' : ' ') : ': ';
    return { span: span(at, at), newText: `${sep}${e.id}:${title || (rest.slice(after.length).trim() ? ' ' : '')}` };
  }
  const at = e.titleSpan?.start ?? e.idSpan.start;
  if (e.definedBy === 'heading' || e.definedBy === 'table') return { span: span(at, at), newText: `${e.id}: ` };
  // A bullet or a paragraph: after the list marker (and a task box), or at the start of the line.
  const marker = /^\s*(?:(?:[-*+]|\d{1,9}[.)])\s+(?:\[[ xX]\]\s+)?)?/.exec(line)![0];
  const start = lineStart + marker.length;
  return { span: span(start, start), newText: `${e.id}: ` };
}

/** The ID cell of a table row (the span between its pipes), when the table's header names an ID column. */
function idCell(text: string, rowStart: number, row: string): { start: number; end: number } | undefined {
  // The header: the first line of the block of table lines the row belongs to.
  let start = rowStart;
  while (start > 0) {
    const prevStart = text.lastIndexOf('\n', start - 2) + 1;
    const prev = text.slice(prevStart, start - 1).replace(/\r$/, '');
    if (!prev.trim() || !prev.includes('|')) break;
    start = prevStart;
  }
  const headerEnd = text.indexOf('\n', start);
  const header = text.slice(start, headerEnd < 0 ? text.length : headerEnd).replace(/\r$/, '');
  if (start === rowStart) return undefined;
  const col = cells(header).findIndex((c) => /^\**\s*id\s*\**$/i.test(c.text.trim()));
  if (col < 0) return undefined;
  const c = cells(row)[col];
  return c ? { start: rowStart + c.start, end: rowStart + c.end } : undefined;
}

/** The cells of a table line: each cell's text and its span between the pipes (relative to the line). */
function cells(line: string): { text: string; start: number; end: number }[] {
  const out: { text: string; start: number; end: number }[] = [];
  const pipes: number[] = [];
  for (let i = 0; i < line.length; i++) {
    if (line[i] === '\\') i++;
    else if (line[i] === '|') pipes.push(i);
  }
  const lead = line.trimStart().startsWith('|');
  const bounds = lead ? pipes : [-1, ...pipes];
  for (let k = 0; k < bounds.length; k++) {
    const s = bounds[k]! + 1;
    const e = k + 1 < bounds.length ? bounds[k + 1]! : line.length;
    if (k + 1 >= bounds.length && !line.slice(s).trim()) break;
    out.push({ text: line.slice(s, e), start: s, end: e });
  }
  return out;
}
