/** feature-after-kr-period: a planned feature released after the end of the period of a key result it serves. */
import type { Finding } from './context.js';
import { defineRule } from '../rule.js';
import { releaseSpan } from './context.js';

export const featureAfterKrPeriod = defineRule<'feature-after-kr-period', { feature: string; keyResult: string; periodEnd: string }>({
  code: 'feature-after-kr-period',
  severity: 'warning',
  summary: 'A feature released after the end of the period of a key result it serves.',
  group: 'alignment',
  check: {
    kind: 'alignment',
    run: (c): Finding[] =>
      c.planned.flatMap((f) =>
        c.verdict(f).late.map((kr) => {
          const end = kr.okr!.period!.end;
          return {
            uri: f.uri,
            diagnostic: featureAfterKrPeriod.report(releaseSpan(c.index, f), `${f.id} ships ${f.release}${f.releaseFromPrd ? ' (its PRD’s release)' : ''}, after ${kr.id}’s period ends on ${end}.`, { feature: f.id, keyResult: kr.id, periodEnd: end }),
          };
        }),
      ),
  },
});
