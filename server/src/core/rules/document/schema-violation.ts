/** schema-violation: any other schema rule the document breaks — every ajv error no other unit claims. */
import type { Diagnostic } from '../../diagnostics.js';
import { defineRule } from '../rule.js';

export const schemaViolation = defineRule<'schema-violation'>({
  code: 'schema-violation',
  severity: 'error',
  summary: 'Any other schema rule the document breaks.',
  group: 'document',
  check: {
    kind: 'schema',
    fromSchemaError: (e): Diagnostic | undefined => {
      if (e.err.keyword === 'required') return schemaViolation.report(e.place.anchor, `Missing \`${String((e.err.params as { missingProperty: string }).missingProperty)}\`.`, undefined);
      return schemaViolation.report(e.place.value ?? e.place.anchor, `\`${e.name || 'document'}\` ${e.err.message ?? 'breaks the schema'}.`, undefined);
    },
  },
});
