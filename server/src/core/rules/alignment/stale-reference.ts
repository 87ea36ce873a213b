/** stale-reference: planned work that refers to an archived document or a closed OKR. */
import { defineRule } from '../rule.js';
import type { Finding } from './context.js';

export const staleReference = defineRule<'stale-reference', { id: string }>({
  code: 'stale-reference',
  severity: 'warning',
  summary: 'Planned work that refers to an archived document or a closed OKR.',
  group: 'alignment',
  check: {
    kind: 'alignment',
    run: (c): Finding[] => {
      const out: Finding[] = [];
      for (const uri of new Set(c.planned.map((f) => f.uri))) {
        const a = c.index.get(uri);
        if (!a) continue;
        for (const r of a.model.references) {
          if (r.kind !== 'BRIEF' && r.kind !== 'PRD' && r.kind !== 'OKR') continue;
          const doc = c.strategy.docs.get(r.id);
          if (!doc || doc.uri === uri) continue;
          const stale = doc.status === 'archived' ? 'archived' : doc.type === 'okr' && doc.status === 'closed' ? 'closed' : undefined;
          if (stale) out.push({ uri, diagnostic: staleReference.report(r.span, `Planned work here refers to ${r.id}, which is ${stale}.`, { id: r.id }) });
        }
      }
      return out;
    },
  },
});
