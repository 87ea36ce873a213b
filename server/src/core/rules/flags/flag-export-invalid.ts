/** flag-export-invalid: a LaunchDarkly flag export that cannot be read (not JSON, no `items`, a flag without a key). Reported when the export is read (flags/diagnostics.ts). */
import { defineRule } from '../rule.js';

export const flagExportInvalid = defineRule<'flag-export-invalid'>({
  code: 'flag-export-invalid',
  severity: 'error',
  summary: 'A LaunchDarkly flag export (`metrics/launchdarkly*.json`) that is not the JSON of GET /api/v2/flags/{projectKey}, or has a flag without a key or twice.',
  group: 'flags',
  check: { kind: 'reported', where: 'the flag exports (flags/diagnostics.ts)' },
});
