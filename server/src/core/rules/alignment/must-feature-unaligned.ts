/** must-feature-unaligned: a planned must-have that moves no KPI, or none a key result of a current OKR measures. */
import type { Finding } from './context.js';
import { defineRule } from '../rule.js';
import { kpiSpan } from './context.js';
import { listComma } from '../list.js';

export const mustFeatureUnaligned = defineRule<'must-feature-unaligned', { feature: string; reason: 'no-kpi' | 'not-aligned' }>({
  code: 'must-feature-unaligned',
  severity: 'error',
  summary: 'A must-have feature that moves no KPI, or none a current key result measures.',
  group: 'alignment',
  check: {
    kind: 'alignment',
    run: (c): Finding[] =>
      c.planned.flatMap((f) => {
        const v = c.verdict(f);
        if (!v.must) return [];
        if (v.status === 'no-kpi') return [{ uri: f.uri, diagnostic: mustFeatureUnaligned.report(f.entity.idSpan, `${f.id} is a must-have that moves no KPI: add \`kpi:\` with the KPI it should move.`, { feature: f.id, reason: 'no-kpi' }) }];
        if (v.status === 'unaligned') {
          const msg = `no key result of a current OKR (${c.currentNames}) measures ${listComma(f.kpis.map((k) => k.id))}`;
          return [{ uri: f.uri, diagnostic: mustFeatureUnaligned.report(kpiSpan(f), `${f.id} is a must-have, but ${msg}.`, { feature: f.id, reason: 'not-aligned' }) }];
        }
        return [];
      }),
  },
});
