/**
 * A generic CSV: a header, then one row per date. The date column is picked by name (`date`,
 * `day`, `week`, …, or the one whose cells are all dates), the value column by `--field`, by name
 * (`value`, `count`, `total`, …) or as the only numeric column; `--segment-field` (or a `segment`
 * column) splits the rows into segments. Title lines above the header are skipped.
 */
import type { ImportOptions, ImportResult } from './types.js';
import { longTable, readTable } from './table.js';
import { readDate, selectSeries } from './values.js';

export function importCsv(text: string, options: ImportOptions): ImportResult {
  const { rows, error } = readTable(text);
  if (error) return { points: [], errors: [error], notes: [] };
  if (!rows.length) return { points: [], errors: [{ line: 1, message: 'an empty CSV: expected a header with a date column and a value column, then one row per date' }], notes: [] };
  // The header: the row before the first row that starts with a date, or the first row.
  const firstData = rows.findIndex((r) => r.cells.some((c) => readDate(c, options.dateOrder) !== undefined));
  const at = firstData > 0 ? firstData - 1 : 0;
  const { series, errors, notes } = longTable(rows[at]!.cells, rows.slice(at + 1), rows[at]!.line, options, 'value');
  if (errors.length) return { points: [], errors, notes };
  const chosen = selectSeries(series, {});
  return { ...chosen, notes: [...notes, ...chosen.notes] };
}
