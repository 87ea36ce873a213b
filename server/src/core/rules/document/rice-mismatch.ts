/** rice-mismatch: a written RICE score more than 5% away from reach × impact × confidence / effort. */
import type { Diagnostic } from '../../diagnostics.js';
import { entityValues, num } from '../../schema/entityValues.js';
import { defineRule, replaceRange } from '../rule.js';

export const RICE_TOLERANCE = 0.05;

export function riceOf(reach: number, impact: number, confidence: number, effort: number): number {
  return (reach * impact * confidence) / effort;
}

export function formatNumber(n: number): string {
  if (Number.isInteger(n)) return String(n);
  return String(Math.round(n * 100) / 100);
}

export const riceMismatch = defineRule<'rice-mismatch', { expected: number }>({
  code: 'rice-mismatch',
  severity: 'warning',
  summary: 'A written RICE score more than 5% away from reach × impact × confidence / effort.',
  group: 'document',
  check: {
    kind: 'document',
    run: (model, registry) => {
      const out: Diagnostic[] = [];
      const type = model.type;
      if (!type) return out;
      for (const e of model.entities) {
        if (e.kind !== 'FEAT' || !registry.entitySchema(type, e.kind)) continue;
        // The same reading of the properties as validation and the strategy use.
        const props = entityValues(e, type, registry, model.priorityScale);
        const rice = num(props.get('rice'));
        const reach = num(props.get('reach'));
        const impact = num(props.get('impact'));
        const confidence = num(props.get('confidence'));
        const effort = num(props.get('effort'));
        if (rice === undefined || reach === undefined || impact === undefined || confidence === undefined || effort === undefined || !(effort > 0)) continue;
        const expected = riceOf(reach, impact, confidence, effort);
        const off = expected === 0 ? rice !== 0 : Math.abs(rice - expected) / Math.abs(expected) > RICE_TOLERANCE;
        if (!off) continue;
        out.push(
          riceMismatch.report(
            props.get('rice')!.valueSpan,
            `RICE is written as ${formatNumber(rice)}, but reach × impact × confidence / effort = ${formatNumber(reach)} × ${formatNumber(impact)} × ${formatNumber(confidence)} / ${formatNumber(effort)} = ${formatNumber(expected)}.`,
            { expected: Math.round(expected * 100) / 100 },
          ),
        );
      }
      return out;
    },
  },
  fix: (_ctx, a, d, data) => [replaceRange(a, d, `Recompute RICE: ${data.expected}`, String(data.expected), true)],
});
