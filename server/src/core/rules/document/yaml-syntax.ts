/** yaml-syntax: The YAML front matter does not parse. Reported by the front matter reader (parse/frontmatter.ts). */
import { defineRule } from '../rule.js';

export const yamlSyntax = defineRule<'yaml-syntax'>({
  code: 'yaml-syntax',
  severity: 'error',
  summary: 'The YAML front matter does not parse.',
  group: 'document',
  check: { kind: 'reported', where: 'the front matter reader (parse/frontmatter.ts)' },
});
