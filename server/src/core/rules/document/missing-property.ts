/** missing-property: an entity lacks a required property (ajv `required` on /entities/...). */
import type { EntityKind } from '../../ids.js';
import type { Diagnostic } from '../../diagnostics.js';
import { defineRule } from '../rule.js';
import { firstSentence, notSetMessage } from './schemaText.js';

export const missingProperty = defineRule<'missing-property', { property: string; entity: string }>({
  code: 'missing-property',
  severity: 'error',
  summary: 'An entity lacks a required property.',
  group: 'document',
  check: {
    kind: 'schema',
    fromSchemaError: (e): Diagnostic | undefined => {
      if (e.err.keyword !== 'required' || !e.path.startsWith('/entities/')) return undefined;
      const missing = String((e.err.params as { missingProperty: string }).missingProperty);
      const ent = e.place.entity ?? '';
      const owner = e.registry.entitySchema(e.type, e.path.split('/')[2] as EntityKind);
      const ps = owner ? e.registry.propertySchema(owner, missing) : undefined;
      // Written, but as a placeholder (`TBD`) or empty: not set yet, at the value.
      const written = e.places.get(`${e.path}/${missing}`);
      // A placeholder (`TBD`) is a decision still to make: a reminder. Left empty, it is the rule's severity.
      if (written?.value) return missingProperty.report(written.value, notSetMessage(missing, written.raw ?? '', ps), { property: missing, entity: ent }, written.raw?.trim() ? { severity: 'information' } : {});
      const desc = typeof ps?.description === 'string' ? ` ${firstSentence(ps.description)}` : '';
      return missingProperty.report(e.place.anchor, `${ent} has no \`${missing}\`.${desc ? ` Expected:${desc}` : ''}`, { property: missing, entity: ent });
    },
  },
});
