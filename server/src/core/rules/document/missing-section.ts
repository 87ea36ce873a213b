/**
 * missing-section: sections the document type requires are missing (ajv `required` on /sections).
 * Each ajv error is one section; the findings of a document are merged into one that lists them
 * all (`mergeMissingSections`, called by the one-finding-per-problem step, rules/dedupe.ts), with
 * one quick fix that adds them all in the conventional order.
 */
import { insertSection, one } from '../fixes.js';
import type { Diagnostic } from '../../diagnostics.js';
import { withoutOverlaps } from '../../features/edits.js';
import { eolOf } from '../../features/templates.js';
import { defineRule } from '../rule.js';
import { listIds } from '../list.js';

export interface MissingSectionData {
  /** The first missing section (canonical key) and its title. */
  readonly section: string;
  readonly title: string;
  /** Every missing section, in the conventional order (one entry when only one is missing). */
  readonly sections?: readonly { readonly section: string; readonly title: string }[];
}

export const missingSection = defineRule<'missing-section', MissingSectionData>({
  code: 'missing-section',
  severity: 'error',
  summary: 'A section the document type requires is missing.',
  group: 'document',
  check: {
    kind: 'schema',
    fromSchemaError: (e): Diagnostic | undefined => {
      if (e.err.keyword !== 'required' || e.path !== '/sections') return undefined;
      const missing = String((e.err.params as { missingProperty: string }).missingProperty);
      const all = e.registry.sections(e.type);
      const title = all.find((s) => s.key === missing)?.title ?? missing;
      const required = all.filter((s) => s.required).map((s) => s.title).join(', ');
      return missingSection.report(e.place.anchor, `Missing section \`## ${title}\`. A ${e.type} needs: ${required}.`, { section: missing, title });
    },
  },
  fix: (ctx, a, d, data) => {
    const type = a.model.type;
    if (!type) return [];
    const list = data.sections ?? [{ section: data.section, title: data.title }];
    if (list.length === 1) return [insertSection(ctx, a, type, list[0]!.section, d)];
    // One action: every section inserted where the conventional order puts it (inserts at one point merge in order).
    const order = ctx.registry.sections(type).map((s) => s.key);
    const sorted = [...list].sort((x, y) => order.indexOf(x.section) - order.indexOf(y.section));
    const eol = eolOf(a.text);
    let atEnd = 0;
    const parts = sorted.flatMap((s) => insertSection(ctx, a, type, s.section, d).edits.get(a.uri) ?? []).map((e) =>
      // Appended after another appended section: one blank line between them, not the separator from the text.
      e.span.start === a.text.length && atEnd++ > 0 ? { span: e.span, newText: eol + e.newText.replace(/^(\r?\n)+/, '') } : e,
    );
    const edits = withoutOverlaps(parts);
    return [{ title: `Add the ${list.length} missing sections (${listIds(sorted.map((s) => s.title), 6)})`, kind: 'quickfix', edits: one(a.uri, edits), fixes: [d], preferred: true, safe: true }];
  },
});

/** The missing-section findings of one document as one finding listing every missing section (others pass through). */
export function mergeMissingSections(ds: readonly Diagnostic[], order: readonly string[] = []): Diagnostic[] {
  const missing = ds.filter((d) => d.code === missingSection.code);
  if (missing.length < 2) return [...ds];
  const rank = (s: string) => (order.includes(s) ? order.indexOf(s) : order.length);
  const sections = missing
    .map((d) => missingSection.dataOf(d)!)
    .flatMap((x) => x.sections ?? [{ section: x.section, title: x.title }])
    .sort((x, y) => rank(x.section) - rank(y.section));
  const first = missing[0]!;
  const needs = /A (\w+) needs: .*$/.exec(first.message)?.[0] ?? '';
  const titles = listIds(sections.map((s) => `\`## ${s.title}\``), 6);
  const merged = missingSection.report(first.span, `Missing ${sections.length} sections: ${titles}.${needs ? ` ${needs}` : ''}`, { section: sections[0]!.section, title: sections[0]!.title, sections }, { severity: first.severity });
  const at = ds.indexOf(first);
  return [...ds.slice(0, at), merged, ...ds.slice(at + 1).filter((d) => d.code !== missingSection.code)];
}
