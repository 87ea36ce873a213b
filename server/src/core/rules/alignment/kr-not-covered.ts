/** kr-not-covered: a key result of a current OKR whose KPI no planned feature moves. */
import type { Finding } from './context.js';
import { defineRule } from '../rule.js';

export const krNotCovered = defineRule<'kr-not-covered', { keyResult: string; kpi: string }>({
  code: 'kr-not-covered',
  severity: 'warning',
  summary: 'A key result of a current OKR whose KPI no planned feature moves.',
  group: 'alignment',
  check: {
    kind: 'alignment',
    run: (c): Finding[] =>
      c.keyResults
        .filter((kr) => kr.okr?.current && kr.kpi && !(c.strategy.plannedByKpi.get(kr.kpi) ?? []).length)
        .map((kr) => ({ uri: kr.uri, diagnostic: krNotCovered.report(kr.entity.idSpan, `No planned feature moves ${kr.kpi}, the KPI of ${kr.id}: plan work for it or revisit the key result.`, { keyResult: kr.id, kpi: kr.kpi! }) })),
  },
});
