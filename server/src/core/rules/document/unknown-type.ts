/** unknown-type: the front matter `type` is close to, but not, brief, prd or okr. Reported by the model extraction (model/extract.ts). */
import { defineRule } from '../rule.js';
import { choiceFixes, type ChoiceData } from './invalid-value.js';

export const unknownType = defineRule<'unknown-type', ChoiceData>({
  code: 'unknown-type',
  severity: 'warning',
  summary: 'The front matter `type` is close to, but not, brief, prd or okr.',
  group: 'document',
  check: { kind: 'reported', where: 'the model extraction (model/extract.ts)' },
  fix: (_ctx, a, d, data) => choiceFixes(a, d, data),
});
