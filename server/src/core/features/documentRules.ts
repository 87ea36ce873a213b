/** Checks within one document that the schema cannot express: RICE arithmetic, due dates. */
import { diag, type Diagnostic } from '../diagnostics.js';
import type { DocumentModel } from '../model/types.js';
import { parsePeriod } from '../model/values.js';
import { coerceScalar } from '../schema/coerce.js';
import type { SchemaRegistry } from '../schema/registry.js';
import { canonicalKey } from '../schema/validate.js';

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
    const owner = registry.entitySchema(type, e.kind);
    if (!owner) continue;
    const props = new Map<string, { raw: string; value: unknown; span: import('../text/lineIndex.js').Span }>();
    for (const p of e.properties) {
      const key = canonicalKey(p.key, owner.schema);
      if (props.has(key)) continue;
      props.set(key, { raw: p.raw, value: coerceScalar(p.raw, registry.propertySchema(owner, key)), span: p.valueSpan });
    }
    if (e.kind === 'FEAT') {
      const num = (k: string) => {
        const v = props.get(k)?.value;
        return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
      };
      const rice = num('rice');
      const reach = num('reach');
      const impact = num('impact');
      const confidence = num('confidence');
      const effort = num('effort');
      if (rice !== undefined && reach !== undefined && impact !== undefined && confidence !== undefined && effort !== undefined && effort > 0) {
        const expected = riceOf(reach, impact, confidence, effort);
        const off = expected === 0 ? rice !== 0 : Math.abs(rice - expected) / Math.abs(expected) > RICE_TOLERANCE;
        if (off) {
          out.push(
            diag(
              'rice-mismatch',
              props.get('rice')!.span,
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
        out.push(diag('due-outside-period', due.span, `${e.id} is due ${due.raw}, outside the period ${String(periodField?.value)} (${period.start} to ${period.end}).`));
      }
    }
  }
  return out;
}
