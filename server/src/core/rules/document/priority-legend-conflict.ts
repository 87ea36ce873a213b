/** priority-legend-conflict: the document's P-scale legend gives one code two meanings. Reported by the model extraction (model/read/document.ts). */
import { defineRule } from '../rule.js';

export interface PriorityLegendData {
  readonly code: string;
  readonly first: string;
  readonly second: string;
}

export const priorityLegendConflict = defineRule<'priority-legend-conflict', PriorityLegendData>({
  code: 'priority-legend-conflict',
  severity: 'warning',
  summary: 'The priority legend gives one P-code two meanings.',
  group: 'document',
  check: { kind: 'reported', where: 'the model extraction (model/read/document.ts)' },
});
