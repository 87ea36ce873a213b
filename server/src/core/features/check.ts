/** The whole-workspace check behind `northstar check`: document and workspace diagnostics per file. */
import { applySuppressions } from '../analysis.js';
import { compareDiagnostics, type Diagnostic } from '../diagnostics.js';
import type { WorkspaceIndex } from '../index/workspaceIndex.js';

export interface FileResult {
  readonly uri: string;
  readonly diagnostics: readonly Diagnostic[];
}

/** All diagnostics of one document: its own plus those that need the workspace. */
export function diagnosticsFor(index: WorkspaceIndex, uri: string): Diagnostic[] {
  const a = index.get(uri);
  if (!a) return [];
  const ws = applySuppressions(index.workspaceDiagnostics(uri), a.model, a.lines);
  return [...a.diagnostics, ...ws].sort(compareDiagnostics);
}

export function checkWorkspace(index: WorkspaceIndex): FileResult[] {
  return [...index.uris()].sort().map((uri) => ({ uri, diagnostics: diagnosticsFor(index, uri) }));
}
