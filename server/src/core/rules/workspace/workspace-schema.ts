/**
 * workspace-schema: a workspace schema (northstar.schemas) cannot be used; the bundled schema is
 * used instead. Found by the host when it loads the schemas (node/host.ts loadWorkspaceSchemas);
 * the server publishes `workspaceSchemaDiagnostic(problem)` on the schema file.
 */
import type { Diagnostic } from '../../diagnostics.js';
import { span } from '../../text/lineIndex.js';
import { defineRule } from '../rule.js';

export const workspaceSchema = defineRule<'workspace-schema'>({
  code: 'workspace-schema',
  severity: 'warning',
  summary: 'A workspace schema (northstar.schemas) cannot be used; the bundled schema is used instead.',
  group: 'workspace',
  check: { kind: 'reported', where: 'the host loading northstar.schemas (node/host.ts, lsp/server.ts)' },
});

/** The diagnostic on a workspace schema file that cannot be used (at its start). */
export function workspaceSchemaDiagnostic(problem: { readonly message: string; readonly type: string }): Diagnostic {
  return workspaceSchema.report(span(0, 0), `${problem.message} The bundled ${problem.type} schema is used instead.`, undefined);
}
