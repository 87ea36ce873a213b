/**
 * Quick fixes for diagnostics with an obvious fix, "Fix all Northstar problems", and "Make this a
 * Northstar PRD". Every edit is computed against the analysed text (one version); edits never
 * overlap and change nothing outside the fix's range.
 */
import type { Analysis } from '../analysis.js';
import type { Diagnostic } from '../diagnostics.js';
import type { DocType } from '../model/types.js';
import { span, type Span } from '../text/lineIndex.js';
import type { FeatureContext } from './context.js';
import { withoutOverlaps, type TextEdit } from './edits.js';
import { defaultFieldValue, eolOf, sectionPrompt, yamlString } from './templates.js';
import { nextFreeId } from './completion.js';
import { normalizeSectionTitle } from '../model/extract.js';

export type ActionKind = 'quickfix' | 'source.fixAll' | 'refactor.rewrite';

export interface CodeAction {
  readonly title: string;
  readonly kind: ActionKind;
  readonly edits: Map<string, TextEdit[]>;
  /** The diagnostics the action fixes. */
  readonly fixes: readonly Diagnostic[];
  readonly preferred?: boolean;
  /** Safe to apply together with other safe fixes. */
  readonly safe?: boolean;
}

const overlaps = (a: Span, b: Span) => a.start <= b.end && b.start <= a.end;

function one(uri: string, edits: TextEdit[]): Map<string, TextEdit[]> {
  return new Map([[uri, edits]]);
}

/** The quick fixes for the diagnostics of a document that touch `range`. */
export function provideCodeActions(ctx: FeatureContext, a: Analysis, range: Span, diagnostics: readonly Diagnostic[]): CodeAction[] {
  const out: CodeAction[] = [];
  for (const d of diagnostics) {
    if (!overlaps(d.span, range)) continue;
    out.push(...fixesFor(ctx, a, d));
  }
  const plain = makeSpecDocument(ctx, a, range);
  if (plain) out.push(plain);
  return out;
}

/** One source action applying every safe fix of the document. */
export function fixAll(ctx: FeatureContext, a: Analysis, diagnostics: readonly Diagnostic[]): CodeAction | undefined {
  // A key renamed to a required field fixes the missing field too: do not also add it.
  const renamedTo = new Set(diagnostics.filter((d) => d.code === 'unknown-key' && typeof d.data?.suggestion === 'string').map((d) => String(d.data!.suggestion)));
  const wanted = diagnostics.filter((d) => !(d.code === 'missing-field' && renamedTo.has(String(d.data?.field))));
  // Sections are inserted in the conventional order even when several land at the same point.
  const order = a.model.type ? ctx.registry.sections(a.model.type).map((s) => s.key) : [];
  const rank = (d: Diagnostic) => (d.code === 'missing-section' ? order.indexOf(String(d.data?.section)) : -1);
  const sorted = [...wanted].sort((x, y) => rank(x) - rank(y));
  const fixes = sorted.flatMap((d) => fixesFor(ctx, a, d).filter((f) => f.safe && f.preferred).slice(0, 1));
  const edits = withoutOverlaps(fixes.flatMap((f) => f.edits.get(a.uri) ?? []));
  if (!edits.length) return undefined;
  return { title: 'Fix all Northstar problems', kind: 'source.fixAll', edits: one(a.uri, edits), fixes: fixes.flatMap((f) => f.fixes) };
}

function fixesFor(ctx: FeatureContext, a: Analysis, d: Diagnostic): CodeAction[] {
  const type = a.model.type;
  const data = (d.data ?? {}) as Record<string, unknown>;
  const replace = (title: string, text: string, preferred: boolean, safe = true): CodeAction => ({ title, kind: 'quickfix', edits: one(a.uri, [{ span: d.span, newText: text }]), fixes: [d], preferred, safe });
  switch (d.code) {
    case 'invalid-value':
    case 'unknown-type': {
      const out: CodeAction[] = [];
      const suggestion = typeof data.suggestion === 'string' ? data.suggestion : undefined;
      if (suggestion) out.push(replace(`Change to \`${suggestion}\``, suggestion, true));
      const expected = Array.isArray(data.expected) ? data.expected : [];
      if (expected.length <= 8) for (const v of expected) if (String(v) !== suggestion) out.push(replace(`Change to \`${String(v)}\``, String(v), false, false));
      return out;
    }
    case 'unknown-key': {
      const s = typeof data.suggestion === 'string' ? data.suggestion : undefined;
      return s ? [replace(`Rename \`${String(data.key)}\` to \`${s}\``, s, true)] : [];
    }
    case 'rice-mismatch':
      return typeof data.expected === 'number' ? [replace(`Recompute RICE: ${data.expected}`, String(data.expected), true)] : [];
    case 'unresolved-reference': {
      const out: CodeAction[] = [];
      if (typeof data.suggestion === 'string') out.push(replace(`Change to ${data.suggestion}`, data.suggestion, true, false));
      if (data.kind === 'KPI' && typeof data.id === 'string') out.push(...kpiStubs(ctx, a, data.id, d));
      return out;
    }
    case 'missing-section':
      return type && typeof data.section === 'string' ? [insertSection(ctx, a, type, data.section, d)] : [];
    case 'missing-field':
      return type && typeof data.field === 'string' ? [insertField(ctx, a, type, data.field, Boolean(data.all), d)] : [];
    case 'duplicate-id': {
      const id = typeof data.id === 'string' ? data.id : '';
      const kind = id.split('-')[0];
      if (!['KPI', 'FEAT', 'OBJ', 'KR', 'PERSONA'].includes(kind ?? '')) return [];
      let n = 2;
      while (ctx.index.definitions(`${id}-${n}`).length) n++;
      const fresh = /\d$/.test(id) ? nextFreeId(ctx, kind as 'FEAT', a).id : `${id}-${n}`;
      return [replace(`Give this definition a fresh ID: ${fresh}`, fresh, false, false)];
    }
    default:
      return [];
  }
}

function insertField(ctx: FeatureContext, a: Analysis, type: DocType, field: string, all: boolean, d: Diagnostic): CodeAction {
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
function insertSection(ctx: FeatureContext, a: Analysis, type: DocType, key: string, d: Diagnostic): CodeAction {
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
function kpiStubs(ctx: FeatureContext, a: Analysis, id: string, d: Diagnostic): CodeAction[] {
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
function separator(text: string, eol: string): string {
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

const PRD_HINTS = ['problem', 'goals', 'non goals', 'features', 'requirements', 'success metrics', 'out of scope', 'user stories', 'scope'];

/** "Make this a Northstar PRD": front matter for a plain Markdown PRD. */
function makeSpecDocument(ctx: FeatureContext, a: Analysis, range: Span): CodeAction | undefined {
  if (a.isSpec || a.model.frontMatter?.fields.some((f) => f.key === 'type')) return undefined;
  if (range.start > (a.model.sections[0]?.span.start ?? a.text.length) && range.start > 200) return undefined;
  const looksLikePrd = /prd|requirements/i.test(a.uri) || a.model.sections.filter((s) => PRD_HINTS.includes(normalizeSectionTitle(s.title))).length >= 2 || /\bPRD\b|product requirements/i.test(a.model.title?.text ?? '');
  if (!looksLikePrd) return undefined;
  const eol = eolOf(a.text);
  const keys = ctx.registry.frontMatterRequired('prd');
  const fm = a.model.frontMatter;
  if (fm) {
    const have = new Set(fm.fields.map((f) => f.key));
    const closeLine = a.text.lastIndexOf('\n', fm.span.end - 2) + 1;
    const add = keys.filter((k) => !have.has(k)).map((k) => `${k}: ${defaultFieldValue(ctx, a, 'prd', k)}${eol}`).join('');
    return { title: 'Make this a Northstar PRD', kind: 'refactor.rewrite', edits: one(a.uri, [{ span: span(closeLine, closeLine), newText: add }]), fixes: [] };
  }
  const body = keys.map((k) => `${k}: ${k === 'title' && a.model.title ? yamlString(a.model.title.text) : defaultFieldValue(ctx, a, 'prd', k)}`).join(eol);
  const bom = a.text.charCodeAt(0) === 0xfeff ? 1 : 0;
  return { title: 'Make this a Northstar PRD', kind: 'refactor.rewrite', edits: one(a.uri, [{ span: span(bom, bom), newText: `---${eol}${body}${eol}---${eol}${eol}` }]), fixes: [] };
}
