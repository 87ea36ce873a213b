/** wrong-reference-kind: an ID of another kind where a reference is expected (ajv `pattern` with `x-northstar-ref`). */
import { idKind, withArticle } from '../../ids.js';
import type { Diagnostic } from '../../diagnostics.js';
import { defineRule } from '../rule.js';
import { expectedOf, patternRule } from './schemaText.js';

export const wrongReferenceKind = defineRule<'wrong-reference-kind', { key: string; expectedKind: string }>({
  code: 'wrong-reference-kind',
  severity: 'error',
  summary: 'A reference of the wrong kind (a FEAT where a KPI is expected).',
  group: 'document',
  check: {
    kind: 'schema',
    fromSchemaError: (e): Diagnostic | undefined => {
      if (e.err.keyword !== 'pattern' || patternRule(e) !== 'wrong-reference-kind') return undefined;
      const id = e.raw.trim();
      return wrongReferenceKind.report(e.place.value ?? e.place.anchor, `${id} is ${withArticle(idKind(id)!)}, but \`${e.name}\` expects ${expectedOf(e)}.`, { key: e.name, expectedKind: String(e.parent['x-northstar-ref']) });
    },
  },
});
