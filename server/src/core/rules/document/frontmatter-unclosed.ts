/** frontmatter-unclosed: The front matter opens with `---` and never closes. Reported by the model extraction (model/extract.ts). */
import { defineRule } from '../rule.js';

export const frontmatterUnclosed = defineRule<'frontmatter-unclosed'>({
  code: 'frontmatter-unclosed',
  severity: 'error',
  summary: 'The front matter opens with `---` and never closes.',
  group: 'document',
  check: { kind: 'reported', where: 'the model extraction (model/extract.ts)' },
});
