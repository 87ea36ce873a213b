/** The findings of a LaunchDarkly flag export, at their place in the JSON: what reading found. */
import type { Diagnostic } from '../diagnostics.js';
import { flagExportInvalid } from '../rules/flags/flag-export-invalid.js';
import type { FlagFile } from './launchdarkly.js';

export function flagExportDiagnostics(file: FlagFile): Diagnostic[] {
  return file.problems.map((p) => flagExportInvalid.report(p.span, p.message, undefined)).sort((a, b) => a.span.start - b.span.start);
}
