/** missing-field: a required front matter field is missing (ajv `required` on /frontMatter). */
import { insertField } from '../fixes.js';
import type { Diagnostic } from '../../diagnostics.js';
import { defineRule } from '../rule.js';
import { span } from '../../text/lineIndex.js';
import { firstSentence, notSetMessage } from './schemaText.js';

export interface MissingFieldData {
  readonly field: string;
  /** There is no front matter at all: the fix adds the whole block. */
  readonly all?: boolean;
  /** The field is written, as a placeholder (`TBD`) or empty: nothing to insert. */
  readonly notSet?: boolean;
}

export const missingField = defineRule<'missing-field', MissingFieldData>({
  code: 'missing-field',
  severity: 'error',
  summary: 'A required front matter field is missing.',
  group: 'document',
  check: {
    kind: 'schema',
    fromSchemaError: (e): Diagnostic | undefined => {
      if (e.err.keyword !== 'required' || e.path !== '/frontMatter') return undefined;
      const missing = String((e.err.params as { missingProperty: string }).missingProperty);
      if (e.noFrontMatter) {
        const fields = e.registry.frontMatterRequired(e.type).join(', ');
        return missingField.report(span(0, 0), `This ${e.type} has no front matter: start the file with a \`---\` block holding ${fields}.`, { field: missing, all: true });
      }
      // Written, but as a placeholder (`TBD`) or empty: not set yet, at the value.
      const written = e.places.get(`/frontMatter/${missing}`);
      if (written?.value) {
        const raw = written.value.start === written.value.end ? '' : (written.raw ?? '');
        // A placeholder (`TBD`) is a decision still to make: a reminder. Left empty, it is the rule's severity.
        return missingField.report(written.value, notSetMessage(missing, raw, e.registry.frontMatterProperties(e.type)[missing]), { field: missing, notSet: true }, raw.trim() ? { severity: 'information' } : {});
      }
      const desc = e.registry.frontMatterProperties(e.type)[missing]?.description;
      const why = typeof desc === 'string' ? ` (${firstSentence(desc)})` : '';
      return missingField.report(e.place.anchor, `Missing required front matter field \`${missing}\`${why}.`, { field: missing });
    },
  },
  fix: (ctx, a, d, data) => (a.model.type && !data.notSet ? [insertField(ctx, a, a.model.type, data.field, Boolean(data.all), d)] : []),
});
