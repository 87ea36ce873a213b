/** nesting-too-deep: Markdown nested deeper than 64 levels. Reported by the analysis pipeline (analysis.ts). */
import { defineRule } from '../rule.js';

export const nestingTooDeep = defineRule<'nesting-too-deep'>({
  code: 'nesting-too-deep',
  severity: 'warning',
  summary: 'Markdown nested deeper than 64 levels; what lies deeper is not read.',
  group: 'document',
  check: { kind: 'reported', where: 'the analysis pipeline (analysis.ts)' },
});
