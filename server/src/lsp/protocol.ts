/**
 * Northstar's extensions to the Language Server Protocol — the only custom protocol there is.
 * Documented in docs/ARCHITECTURE.md ("Custom protocol").
 */
import { RequestType } from 'vscode-languageserver';

export interface DocumentInfoParams {
  readonly uri: string;
}

export interface DocumentInfo {
  /** brief, prd or okr; absent for plain Markdown. */
  readonly type?: string;
  /** How the type was decided. */
  readonly typeSource?: 'frontmatter' | 'filename';
  readonly id?: string;
  readonly title?: string;
  readonly errors: number;
  readonly warnings: number;
  /** The document version and a hash of the text the server holds (to check synchronisation). */
  readonly version?: number;
  readonly textHash: string;
}

/** `northstar/documentInfo`: what Northstar makes of a document (for the status bar). */
export const DocumentInfoRequest = new RequestType<DocumentInfoParams, DocumentInfo | null, void>('northstar/documentInfo');

export interface AlignmentReportParams {
  /** YYYY-MM-DD; default: the `northstar.asOf` setting, else today. */
  readonly asOf?: string;
}

export interface AlignmentReport {
  /** The summary (score, OKRs, objectives, key results, features, findings) — see core/alignment/summary.ts. */
  readonly summary: unknown;
  /** The same report as Markdown, with a Mermaid diagram. */
  readonly markdown: string;
}

/**
 * `northstar/alignmentReport`: runs the alignment check over the whole workspace, publishes its
 * findings for every file (open or not), and answers the report.
 */
export const AlignmentReportRequest = new RequestType<AlignmentReportParams, AlignmentReport, void>('northstar/alignmentReport');

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
export const NewDocumentRequest = new RequestType<NewDocumentParams, NewDocumentResult | null, void>('northstar/newDocument');

export interface IdsParams {
  readonly kind: string;
}

/** `northstar/ids`: the IDs of one kind defined in the workspace, with their titles. */
export const IdsRequest = new RequestType<IdsParams, { id: string; title?: string }[], void>('northstar/ids');
