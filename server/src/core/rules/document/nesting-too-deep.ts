/** nesting-too-deep: Markdown nested or repeated far beyond any real document. Reported by the analysis pipeline (analysis.ts). */
import { defineRule } from '../rule.js';

export const nestingTooDeep = defineRule<'nesting-too-deep'>({
  code: 'nesting-too-deep',
  severity: 'warning',
  summary: 'Markdown nested or repeated far beyond any real document; that part is not read.',
  group: 'document',
  check: { kind: 'reported', where: 'the analysis pipeline (analysis.ts)' },
});
