/** frontmatter-not-mapping: The front matter is a scalar or a list, not key/value pairs. Reported by the front matter reader (parse/frontmatter.ts). */
import { defineRule } from '../rule.js';

export const frontmatterNotMapping = defineRule<'frontmatter-not-mapping'>({
  code: 'frontmatter-not-mapping',
  severity: 'error',
  summary: 'The front matter is a scalar or a list, not `key: value` pairs.',
  group: 'document',
  check: { kind: 'reported', where: 'the front matter reader (parse/frontmatter.ts)' },
});
