/** Checks within one document that the schema cannot express: RICE arithmetic, due dates. */
import { diag, type Diagnostic } from '../diagnostics.js';
import type { DocumentModel } from '../model/types.js';
import { parsePeriod } from '../model/values.js';
import { entityValues, num } from '../schema/entityValues.js';
import type { SchemaRegistry } from '../schema/registry.js';

export const RICE_TOLERANCE = 0.05;

export function riceOf(reach: number, impact: number, confidence: number, effort: number): number {
  return (reach * impact * confidence) / effort;
}

export function formatNumber(n: number): string {
  if (Number.isInteger(n)) return String(n);
  return String(Math.round(n * 100) / 100);
}

export function documentRules(model: DocumentModel, registry: SchemaRegistry): Diagnostic[] {
  const out: Diagnostic[] = [];
  const type = model.type;
  if (!type) return out;
  for (const e of model.entities) {
    if (!registry.entitySchema(type, e.kind)) continue;
    // The same reading of the properties as validation and the strategy use.
    const props = entityValues(e, type, registry);
    if (e.kind === 'FEAT') {
      const rice = num(props.get('rice'));
      const reach = num(props.get('reach'));
      const impact = num(props.get('impact'));
      const confidence = num(props.get('confidence'));
      const effort = num(props.get('effort'));
      if (rice !== undefined && reach !== undefined && impact !== undefined && confidence !== undefined && effort !== undefined && effort > 0) {
        const expected = riceOf(reach, impact, confidence, effort);
        const off = expected === 0 ? rice !== 0 : Math.abs(rice - expected) / Math.abs(expected) > RICE_TOLERANCE;
        if (off) {
          out.push(
            diag(
              'rice-mismatch',
              props.get('rice')!.valueSpan,
              `RICE is written as ${formatNumber(rice)}, but reach × impact × confidence / effort = ${formatNumber(reach)} × ${formatNumber(impact)} × ${formatNumber(confidence)} / ${formatNumber(effort)} = ${formatNumber(expected)}.`,
              { data: { expected: Math.round(expected * 100) / 100 } },
            ),
          );
        }
      }
    }
    if (e.kind === 'KR' && type === 'okr') {
      const due = props.get('due');
      const periodField = model.frontMatter?.fields.find((f) => f.key === 'period');
      const period = parsePeriod(periodField?.value);
      const dueDay = parsePeriod(due?.value);
      if (due && period && dueDay && (dueDay.start < period.start || dueDay.start > period.end)) {
        out.push(diag('due-outside-period', due.valueSpan, `${e.id} is due ${due.raw}, outside the period ${String(periodField?.value)} (${period.start} to ${period.end}).`));
      }
    }
  }
  return out;
}
