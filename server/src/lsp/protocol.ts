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
