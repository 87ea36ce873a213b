/** missing-section: a section the document type requires is missing (ajv `required` on /sections). */
import { insertSection } from '../fixes.js';
import type { Diagnostic } from '../../diagnostics.js';
import { defineRule } from '../rule.js';

export const missingSection = defineRule<'missing-section', { section: string; title: string }>({
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
  fix: (ctx, a, d, data) => (a.model.type ? [insertSection(ctx, a, a.model.type, data.section, d)] : []),
});
