/**
 * ragged-table-row: a table row has more cells than the table's header. Markdown renders no cell
 * past the header's, and Northstar reads none: the value is silently lost. Reported by the model
 * extraction (model/read/document.ts) in spec documents, at the cells that are not read.
 */
import { defineRule } from '../rule.js';

export interface RaggedTableRowData {
  /** Cells in the row, and in the header. */
  readonly cells: number;
  readonly header: number;
}

export const raggedTableRow = defineRule<'ragged-table-row', RaggedTableRowData>({
  code: 'ragged-table-row',
  severity: 'warning',
  summary: 'A table row has more cells than the header: the extra cells are not read.',
  group: 'document',
  check: { kind: 'reported', where: 'the model extraction (model/read/document.ts)' },
});
