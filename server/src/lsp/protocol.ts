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
