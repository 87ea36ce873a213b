/** frontmatter-unsupported: Front matter in a language other than YAML is never evaluated. Reported by the model extraction (model/extract.ts). */
import { defineRule } from '../rule.js';

export const frontmatterUnsupported = defineRule<'frontmatter-unsupported'>({
  code: 'frontmatter-unsupported',
  severity: 'error',
  summary: 'Front matter in a language other than YAML (`---js`, `+++` TOML) is never evaluated.',
  group: 'document',
  check: { kind: 'reported', where: 'the model extraction (model/extract.ts)' },
});
