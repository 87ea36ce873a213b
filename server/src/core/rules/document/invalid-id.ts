/**
 * invalid-id: an ID of the wrong form — ajv `pattern` errors whose expected value is an ID, and
 * ID headings the model extraction cannot read (model/extract.ts).
 */
import type { Diagnostic } from '../../diagnostics.js';
import { defineRule } from '../rule.js';
import { expectedOf, patternRule } from './schemaText.js';

export const invalidId = defineRule<'invalid-id', { key: string; entity?: string } | undefined>({
  code: 'invalid-id',
  severity: 'error',
  summary: 'An ID of the wrong form or the wrong kind for where it is defined.',
  group: 'document',
  check: {
    kind: 'schema',
    fromSchemaError: (e): Diagnostic | undefined => {
      if (e.err.keyword !== 'pattern' || patternRule(e) !== 'invalid-id') return undefined;
      return invalidId.report(e.place.value ?? e.place.anchor, `Expected ${expectedOf(e)} for \`${e.name}\`, got \`${e.raw}\`.`, { key: e.name, ...(e.place.entity ? { entity: e.place.entity } : {}) });
    },
  },
});
