/**
 * invalid-config: the workspace's config file (northstar.config.json or .northstar.json) has a
 * mistake: not JSON, an unknown key, a bad glob, an unknown rule or severity, a bad date. Found by
 * the host when it reads the file (node/config.ts); the CLI prints it as `file:line:col`, the
 * server publishes `invalidConfigDiagnostic(problem)` on the config file.
 */
import type { Diagnostic } from '../../diagnostics.js';
import { span } from '../../text/lineIndex.js';
import { defineRule } from '../rule.js';

export const invalidConfig = defineRule<'invalid-config'>({
  code: 'invalid-config',
  severity: 'error',
  summary: 'The workspace config file (northstar.config.json) has a mistake; that entry, or the whole file when it is not JSON, is ignored.',
  group: 'workspace',
  check: { kind: 'reported', where: 'the host reading northstar.config.json (node/config.ts, cli/main.ts, lsp/configuration.ts)' },
});

/** The diagnostic at a config problem's range (UTF-16 offsets into the config file). */
export function invalidConfigDiagnostic(problem: { readonly message: string; readonly start: number; readonly end: number; readonly fatal: boolean }): Diagnostic {
  return invalidConfig.report(span(problem.start, problem.end), problem.fatal ? `${problem.message}. The config file is ignored until this is fixed.` : `${problem.message}. This entry is ignored.`, undefined);
}
