/**
 * What an importer is: a pure function from a vendor's export (the text of the file) to data
 * points of one KPI. It never throws: text it cannot read becomes errors that name where
 * (a line of a CSV, a field of a JSON document), and nothing is imported.
 */

/** Where in the export a problem is: a 1-based line of a CSV, or a JSON field path. */
export interface ImportWhere {
  readonly line?: number;
  readonly field?: string;
}

export interface ImportIssue extends ImportWhere {
  readonly message: string;
}

/** One data point read from an export. */
export interface ImportedPoint {
  /** YYYY-MM-DD. */
  readonly date: string;
  /** As a snapshot reads it: a percentage is a fraction (`14.5%` is 0.145). */
  readonly value: number;
  readonly percent: boolean;
  /** The value as it goes into the snapshot: `1560`, `14.5%`. */
  readonly raw: string;
  readonly segment?: string;
  /** Where it came from, for messages. */
  readonly where: ImportWhere;
}

export interface ImportOptions {
  /** Pick one metric (event, formula, insight series) when the export holds several. */
  readonly series?: string;
  /** CSV / Pendo: the column or field that holds the value. */
  readonly field?: string;
  /** CSV / Pendo: the column or field whose values become segments. */
  readonly segmentField?: string;
  /** How dates written with slashes are read: `mdy` (05/01/2026 is May 1) or `dmy`. */
  readonly dateOrder?: 'mdy' | 'dmy';
}

export interface ImportResult {
  readonly points: readonly ImportedPoint[];
  /** Anything wrong: when there is one, nothing is imported. */
  readonly errors: readonly ImportIssue[];
  /** What the importer decided on its own (which series, which column, what it skipped). */
  readonly notes: readonly string[];
  /** The vendor's name, the default `source` of the rows. */
  readonly source?: string;
}

/** A metric (an event, a formula, a query) of an export, with its points per segment. */
export interface RawSeries {
  /** The metric's name, as the vendor labels it. */
  readonly metric: string;
  /** A breakdown value (group by, breakdown, segment); none for the metric's overall series. */
  readonly segment?: string;
  readonly points: readonly ImportedPoint[];
}

export type Importer = (text: string, options: ImportOptions) => ImportResult;
