/**
 * invalid-value: a value the schema does not allow — ajv `enum`, `const`, `type`, `format`,
 * `pattern` (not an ID), ranges, item counts, empty strings. Also reported by the front matter
 * reader for a key that is not a plain word (without data).
 */
import { defineRule, replaceRange, type CodeAction } from '../rule.js';
import { nearest } from '../../text/similar.js';
import { article, expectedOf, listWords, patternRule } from './schemaText.js';
import type { Analysis } from '../../analysis.js';
import type { Diagnostic } from '../../diagnostics.js';

export interface ChoiceData {
  /** The allowed values (an enum). */
  readonly expected?: readonly unknown[];
  /** The nearest allowed value. */
  readonly suggestion?: string;
}

export interface InvalidValueData extends ChoiceData {
  readonly key: string;
  readonly limit?: number;
  readonly count?: number;
}

/** "Change to `x`": the suggestion (preferred), then each allowed value when there are few. Shared with unknown-type. */
export function choiceFixes(a: Analysis, d: Diagnostic, data: ChoiceData | undefined): CodeAction[] {
  const out: CodeAction[] = [];
  const suggestion = data?.suggestion;
  if (suggestion) out.push(replaceRange(a, d, `Change to \`${suggestion}\``, suggestion, true));
  const expected = data?.expected ?? [];
  if (expected.length <= 8) for (const v of expected) if (String(v) !== suggestion) out.push(replaceRange(a, d, `Change to \`${String(v)}\``, String(v), false, false));
  return out;
}

const RANGE_WORDS: Record<string, string> = { minimum: 'at least', maximum: 'at most', exclusiveMinimum: 'above', exclusiveMaximum: 'below' };

export const invalidValue = defineRule<'invalid-value', InvalidValueData | undefined>({
  code: 'invalid-value',
  severity: 'error',
  summary: 'A value the schema does not allow (wrong enum value, type, format or range).',
  group: 'document',
  check: {
    kind: 'schema',
    fromSchemaError: (e): Diagnostic | undefined => {
      const { err, place, name, raw } = e;
      const at = place.value ?? place.anchor;
      switch (err.keyword) {
        case 'enum':
        case 'const': {
          const allowed = err.keyword === 'enum' ? ((err.params as { allowedValues: unknown[] }).allowedValues ?? []) : [(err.params as { allowedValue: unknown }).allowedValue];
          // Nothing written yet: say so, and what may go there.
          if (!raw.trim()) return invalidValue.report(at, `${name} is empty: ${allowed.map(String).join(', ').replace(/, ([^,]*)$/, ' or $1')}.`, { expected: allowed, key: name });
          const near = typeof raw === 'string' && raw ? nearest(raw, allowed.map(String)) : undefined;
          const hint = near ? ` Did you mean \`${near}\`?` : '';
          return invalidValue.report(at, `\`${raw}\` is not a valid ${name}: expected ${listWords(allowed)}.${hint}`, { expected: allowed, ...(near ? { suggestion: near } : {}), key: name });
        }
        case 'type': {
          const t = String((err.params as { type: string }).type).replace(',', ' or ');
          const expected = typeof e.parent['x-northstar-expected'] === 'string' ? e.parent['x-northstar-expected'] : article(t);
          if (!raw.trim()) return invalidValue.report(at, `${name} is empty: expected ${expected}.`, { key: name });
          return invalidValue.report(at, `Expected ${expected} for \`${name}\`, got \`${raw}\`.`, { key: name });
        }
        case 'format':
        case 'pattern':
          if (err.keyword === 'pattern' && patternRule(e) !== 'invalid-value') return undefined;
          if (!raw.trim()) return invalidValue.report(at, `${name} is empty: expected ${expectedOf(e)}.`, { key: name });
          return invalidValue.report(at, `Expected ${expectedOf(e)} for \`${name}\`, got \`${raw}\`.`, { key: name });
        case 'minimum':
        case 'maximum':
        case 'exclusiveMinimum':
        case 'exclusiveMaximum': {
          const limit = (err.params as { limit: number }).limit;
          const shown = raw.trim().endsWith('%') ? `${Math.round(limit * 100)}%` : String(limit);
          return invalidValue.report(at, `\`${name}\` must be ${RANGE_WORDS[err.keyword]} ${shown}, got \`${raw}\`.`, { key: name, limit });
        }
        case 'minItems':
        case 'maxItems': {
          if (name === 'key_results') {
            const count = e.model.entities.filter((k) => k.kind === 'KR' && k.parent === place.entity).length;
            return invalidValue.report(place.anchor, `An objective has one to five key results; ${place.entity} has ${count}.`, { key: name, count });
          }
          const limit = (err.params as { limit: number }).limit;
          return invalidValue.report(at, `\`${name}\` needs ${err.keyword === 'minItems' ? 'at least' : 'at most'} ${limit} item${limit === 1 ? '' : 's'}.`, { key: name });
        }
        case 'minLength':
          return invalidValue.report(at, `\`${name}\` is empty.`, { key: name });
        default:
          return undefined;
      }
    },
  },
  fix: (_ctx, a, d, data) => choiceFixes(a, d, data),
});
