/** end-of-life-planned-work: planned work in a PRD whose brief says the product is at end-of-life. */
import type { Finding } from './context.js';
import { defineRule } from '../rule.js';

export const endOfLifePlannedWork = defineRule<'end-of-life-planned-work', { feature: string; brief: string }>({
  code: 'end-of-life-planned-work',
  severity: 'warning',
  summary: 'Planned work in a PRD whose brief puts the product at end-of-life.',
  group: 'alignment',
  check: {
    kind: 'alignment',
    run: (c): Finding[] =>
      c.planned.flatMap((f) => {
        const brief = f.prd?.brief ? c.strategy.docs.get(f.prd.brief) : undefined;
        if (brief?.type !== 'brief' || brief.stage !== 'end-of-life') return [];
        return [
          {
            uri: f.uri,
            diagnostic: endOfLifePlannedWork.report(f.entity.idSpan, `${f.id} is planned work, but ${brief.id} puts the product at end-of-life: drop the feature (\`status: dropped\` or \`priority: wont\`), or change the brief's \`stage\`.`, {
              feature: f.id,
              brief: brief.id,
            }),
          },
        ];
      }),
  },
});
