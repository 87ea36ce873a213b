/** feature-without-kpi: a planned feature (not a must-have) that moves no KPI. */
import type { Finding } from './context.js';
import { defineRule } from '../rule.js';
import { heldToFormat } from '../../model/adoption.js';

export const featureWithoutKpi = defineRule<'feature-without-kpi', { feature: string }>({
  code: 'feature-without-kpi',
  severity: 'warning',
  summary: 'A planned feature that moves no KPI.',
  group: 'alignment',
  check: {
    kind: 'alignment',
    run: (c): Finding[] =>
      c.planned
        .filter((f) => heldToFormat(f.entity) && c.verdict(f).status === 'no-kpi' && !c.verdict(f).must)
        .map((f) => ({ uri: f.uri, diagnostic: featureWithoutKpi.report(f.entity.idSpan, `${f.id} moves no KPI: add \`kpi:\` with the KPI it should move, or make it \`priority: wont\`.`, { feature: f.id }) })),
  },
});
