/** parse-failed: The Markdown could not be parsed; only the front matter was read. Reported by the analysis pipeline (analysis.ts). */
import { defineRule } from '../rule.js';

export const parseFailed = defineRule<'parse-failed'>({
  code: 'parse-failed',
  severity: 'error',
  summary: 'The Markdown could not be parsed (or parsing was stopped by the watchdog); only the front matter was read.',
  group: 'document',
  check: { kind: 'reported', where: 'the analysis pipeline (analysis.ts)' },
});
