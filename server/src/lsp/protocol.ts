/**
 * Northstar's extensions to the Language Server Protocol — the only custom protocol there is.
 * Documented in docs/ARCHITECTURE.md ("Custom protocol").
 */
import type { AlignmentSummary } from '../core/alignment/summary.js';
import type { StrategyMap } from '../core/alignment/map.js';
import type { StrategyTree, TreeFilter } from '../core/features/tree.js';

/**
 * A request of this protocol: its method name, with the types of its params and result. Plain
 * data, so that the client imports this module without pulling in the server's library.
 */
export interface Request<P, R> {
  readonly method: string;
  /** Never set: carries the types. */
  readonly types?: { params: P; result: R };
}

const request = <P, R>(method: string): Request<P, R> => ({ method });

export interface DocumentInfoParams {
  readonly uri: string;
}

export interface DocumentInfo {
  /** brief, prd or okr; absent for plain Markdown. */
  readonly type?: string;
  /** How the type was decided. */
  readonly typeSource?: 'frontmatter' | 'filename' | 'config';
  readonly id?: string;
  readonly title?: string;
  readonly errors: number;
  readonly warnings: number;
  /** The document version and a hash of the text the server holds (to check synchronisation). */
  readonly version?: number;
  readonly textHash: string;
}

/** `northstar/documentInfo`: what Northstar makes of a document (for the status bar). */
export const DocumentInfoRequest = request<DocumentInfoParams, DocumentInfo | null>('northstar/documentInfo');

export interface AlignmentReportParams {
  /** YYYY-MM-DD; default: the `northstar.asOf` setting, else today. */
  readonly asOf?: string;
}

export interface AlignmentReport {
  /** The summary (score, OKRs, objectives, key results, features, findings) — see core/alignment/summary.ts. */
  readonly summary: AlignmentSummary;
  /** The same report as Markdown, with a Mermaid diagram. */
  readonly markdown: string;
  /** The strategy map, laid out (core/alignment/map.ts): every node with its ID, state and source. */
  readonly map: StrategyMap;
  /** The map as a standalone SVG (core/alignment/mapSvg.ts): the view shows it, "Export as SVG" writes it. */
  readonly svg: string;
  /** The report as a self-contained HTML page (core/alignment/reportHtml.ts), for "Export as HTML". */
  readonly html: string;
  /** Per key result with metric data: where its current value came from, and its chart as SVG. */
  readonly charts: Record<string, { note: string; svg?: string }>;
}

/**
 * `northstar/alignmentReport`: runs the alignment check over the whole workspace, publishes its
 * findings for every file (open or not), and answers the report.
 */
export const AlignmentReportRequest = request<AlignmentReportParams, AlignmentReport>('northstar/alignmentReport');

export interface NewDocumentParams {
  readonly type: 'brief' | 'prd' | 'okr';
  readonly title: string;
  readonly owner?: string;
  readonly brief?: string;
  readonly period?: string;
}

export interface NewDocumentResult {
  /** The folder where the workspace keeps such documents (a URI). */
  readonly folder: string;
  readonly fileName: string;
  readonly text: string;
  readonly id: string;
}

/** `northstar/newDocument`: the text of a new brief, PRD or OKR document and where it belongs. */
export const NewDocumentRequest = request<NewDocumentParams, NewDocumentResult | null>('northstar/newDocument');

export interface IdsParams {
  readonly kind: string;
}

/** `northstar/ids`: the IDs of one kind defined in the workspace, with their titles. */
export const IdsRequest = request<IdsParams, { id: string; title?: string }[]>('northstar/ids');

export type StrategyTreeParams = TreeFilter;

/**
 * `northstar/strategyTree`: the Northstar view's tree — OKRs → objectives → key results →
 * features with their verdicts, the roadmap by release period, unaligned work and uncovered key
 * results — narrowed by owner, period and stage, with the values each filter can take. Waits
 * until the workspace is indexed.
 */
export const StrategyTreeRequest = request<StrategyTreeParams, StrategyTree>('northstar/strategyTree');
