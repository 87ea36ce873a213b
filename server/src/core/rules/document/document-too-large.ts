/** document-too-large: The document is too large to analyse in full. Reported by the analysis pipeline (analysis.ts). */
import { defineRule } from '../rule.js';

export const documentTooLarge = defineRule<'document-too-large'>({
  code: 'document-too-large',
  severity: 'warning',
  summary: 'The document is too large to analyse in full; results are capped.',
  group: 'document',
  check: { kind: 'reported', where: 'the analysis pipeline (analysis.ts)' },
});
