/**
 * Quick fixes (each rule unit's own, see rules/), "Fix all Northstar problems", and "Make this a
 * Northstar PRD". Every edit is computed against the analysed text (one version); edits never
 * overlap and change nothing outside the fix's range.
 */
import type { Analysis } from '../analysis.js';
import type { Diagnostic } from '../diagnostics.js';
import { span, type Span } from '../text/lineIndex.js';
import type { FeatureContext } from './context.js';
import { applyEdits, withoutOverlaps } from './edits.js';
import { defaultFieldValue, eolOf, yamlString } from './templates.js';
import { normalizeSectionTitle } from '../model/extract.js';
import { ruleUnit } from '../rules/catalog.js';
import { missingField, writeBodyFields } from '../rules/document/missing-field.js';
import { missingSection } from '../rules/document/missing-section.js';
import { unknownKey } from '../rules/document/unknown-key.js';
import { one, writeIdEdit } from '../rules/fixes.js';
import { noIdYet } from '../rules/document/no-id-yet.js';
import type { CodeAction } from '../rules/rule.js';

export type { ActionKind, CodeAction } from '../rules/rule.js';

const overlaps = (a: Span, b: Span) => a.start <= b.end && b.start <= a.end;

/** The quick fixes for the diagnostics of a document that touch `range`. */
export function provideCodeActions(ctx: FeatureContext, a: Analysis, range: Span, diagnostics: readonly Diagnostic[]): CodeAction[] {
  const out: CodeAction[] = [];
  for (const d of diagnostics) {
    if (!overlaps(d.span, range)) continue;
    const fixes = fixesFor(ctx, a, d);
    out.push(...(d.code === noIdYet.code ? fixes.map((f) => hidingNoOther(ctx, a, d, f)) : fixes));
  }
  const plain = makeSpecDocument(ctx, a, range);
  if (plain) out.push(plain);
  return out;
}

/** One source action applying every safe fix of the document. */
export function fixAll(ctx: FeatureContext, a: Analysis, diagnostics: readonly Diagnostic[]): CodeAction | undefined {
  // A key renamed to a required field fixes the missing field too: do not also add it.
  const renamedTo = new Set(diagnostics.flatMap((d) => (d.code === unknownKey.code ? [unknownKey.dataOf(d)?.suggestion] : [])));
  const wanted = diagnostics.filter((d) => !(d.code === missingField.code && renamedTo.has(missingField.dataOf(d)?.field)));
  // Sections are inserted in the conventional order even when several land at the same point.
  const order = a.model.type ? ctx.registry.sections(a.model.type).map((s) => s.key) : [];
  const rank = (d: Diagnostic) => (d.code === missingSection.code ? order.indexOf(missingSection.dataOf(d)?.section ?? '') : -1);
  const sorted = [...wanted].sort((x, y) => rank(x) - rank(y));
  const fixes = sorted.flatMap((d) => fixesFor(ctx, a, d).filter((f) => f.safe && f.preferred).slice(0, 1));
  const edits = withoutOverlaps(fixes.flatMap((f) => f.edits.get(a.uri) ?? []));
  if (!edits.length) return undefined;
  return { title: 'Fix all Northstar problems', kind: 'source.fixAll', edits: one(a.uri, edits), fixes: fixes.flatMap((f) => f.fixes) };
}

/**
 * "Assign IDs in this document": one edit that writes every derived ID of the document (each
 * entity read without a written ID gets the ID it is known by), in the forms `writeIdEdit` uses.
 */
export function assignIds(a: Analysis, diagnostics: readonly Diagnostic[] = [], ctx?: FeatureContext): CodeAction | undefined {
  if (!a.isSpec) return undefined;
  const derived = a.model.entities.filter((e) => e.idDerived);
  const ids = withoutOverlaps(derived.map((e) => writeIdEdit(a.text, e)).filter((e) => e !== undefined));
  if (!ids.length) return undefined;
  // A document that writes IDs is read by its front matter only: the fields read from its text
  // (the H1 as title, `**Status**: …`) move into the front matter in the same edit, so they stay.
  const fields = ctx && a.model.type ? (writeBodyFields(ctx, a, a.model.type)[0]?.edits.get(a.uri) ?? []) : [];
  const fixes = diagnostics.filter((d) => d.code === noIdYet.code);
  const also = fields.length ? ' and its fields into the front matter' : '';
  return { title: `Assign IDs in this document (${ids.length} ${ids.length === 1 ? 'entity' : 'entities'})${also}`, kind: 'source.assignIds', edits: one(a.uri, withoutOverlaps([...fields, ...ids])), fixes };
}

/**
 * Writing one ID can change how the whole document is read: a heading with a written ID is the
 * strict format, and a document in it is read by its written IDs only. When writing this one ID
 * would make other entities of the document disappear, the fix writes every derived ID instead
 * (the document is read back the same, test/core/assignReadBack.test.ts), and says why.
 */
function hidingNoOther(ctx: FeatureContext, a: Analysis, d: Diagnostic, fix: CodeAction): CodeAction {
  const edits = fix.edits.get(a.uri);
  if (!ctx.reread || !edits || fix.edits.size !== 1) return fix;
  const after = ctx.reread(a.uri, applyEdits(a.text, edits));
  const lost = a.model.entities.length - after.model.entities.length;
  if (lost <= 0) return fix;
  const all = assignIds(a, [d], ctx);
  if (!all) return fix;
  const n = a.model.entities.filter((e) => e.idDerived).length;
  return { ...all, title: `Write the IDs of all ${n} entities (this ID alone would hide ${lost} other${lost === 1 ? '' : 's'})`, kind: 'quickfix', preferred: true, safe: false };
}

/** The quick fixes of one diagnostic: its rule unit's. */
function fixesFor(ctx: FeatureContext, a: Analysis, d: Diagnostic): CodeAction[] {
  return ruleUnit(String(d.code))?.quickFixes(ctx, a, d) ?? [];
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
