/** due-outside-period: a key result's due date outside its OKR document's period. */
import type { Diagnostic } from '../../diagnostics.js';
import { parsePeriod } from '../../model/values.js';
import { entityValues } from '../../schema/entityValues.js';
import { defineRule } from '../rule.js';

export const dueOutsidePeriod = defineRule<'due-outside-period'>({
  code: 'due-outside-period',
  severity: 'warning',
  summary: "A key result's due date falls outside its OKR document's period.",
  group: 'document',
  check: {
    kind: 'document',
    run: (model, registry) => {
      const out: Diagnostic[] = [];
      if (model.type !== 'okr') return out;
      const periodField = model.frontMatter?.fields.find((f) => f.key === 'period');
      const period = parsePeriod(periodField?.value);
      if (!period) return out;
      for (const e of model.entities) {
        if (e.kind !== 'KR' || !registry.entitySchema('okr', e.kind)) continue;
        const due = entityValues(e, 'okr', registry, model.priorityScale).get('due');
        const dueDay = parsePeriod(due?.value);
        if (due && dueDay && (dueDay.start < period.start || dueDay.start > period.end)) {
          out.push(dueOutsidePeriod.report(due.valueSpan, `${e.id} is due ${due.raw}, outside the period ${String(periodField?.value)} (${period.start} to ${period.end}).`, undefined));
        }
      }
      return out;
    },
  },
});
