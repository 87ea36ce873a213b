/** dependency-order: a planned feature that depends on one released later, or dropped. */
import { defineRule } from '../rule.js';
import type { Finding } from './context.js';

export const dependencyOrder = defineRule<'dependency-order', { feature: string; dependency: string }>({
  code: 'dependency-order',
  severity: 'warning',
  summary: 'A feature that depends on one released later, or dropped.',
  group: 'alignment',
  check: {
    kind: 'alignment',
    run: (c): Finding[] => {
      const out: Finding[] = [];
      for (const f of c.planned) {
        // A feature that moves no KPI is reported for that alone.
        if (c.verdict(f).status === 'no-kpi') continue;
        for (const dep of f.dependsOn) {
          const d = c.strategy.features.get(dep.id);
          if (!d) continue;
          const data = { feature: f.id, dependency: d.id };
          if (d.status === 'dropped') out.push({ uri: f.uri, diagnostic: dependencyOrder.report(dep.span, `${f.id} depends on ${d.id}, which was dropped.`, data) });
          else if (d.status !== 'shipped' && d.releasePeriod && f.releasePeriod && d.releasePeriod.end > f.releasePeriod.end)
            out.push({ uri: f.uri, diagnostic: dependencyOrder.report(dep.span, `${f.id} (${f.release}) depends on ${d.id}, which ships later (${d.release}).`, data) });
        }
      }
      return out;
    },
  },
});
