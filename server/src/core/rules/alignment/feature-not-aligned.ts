/** feature-not-aligned: a planned feature (not a must-have) whose KPIs no key result of a current OKR measures. */
import type { Finding } from './context.js';
import { defineRule } from '../rule.js';
import { kpiSpan } from './context.js';
import { listComma } from '../list.js';

export const featureNotAligned = defineRule<'feature-not-aligned', { feature: string }>({
  code: 'feature-not-aligned',
  severity: 'warning',
  summary: 'A planned feature whose KPIs no key result of a current OKR measures.',
  group: 'alignment',
  check: {
    kind: 'alignment',
    run: (c): Finding[] =>
      c.planned
        .filter((f) => c.verdict(f).status === 'unaligned' && !c.verdict(f).must)
        .map((f) => ({
          uri: f.uri,
          diagnostic: featureNotAligned.report(kpiSpan(f), `${f.id} is planned, but no key result of a current OKR (${c.currentNames}) measures ${listComma(f.kpis.map((k) => k.id))}.`, { feature: f.id }),
        })),
  },
});
