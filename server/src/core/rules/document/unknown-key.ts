/** unknown-key: a front matter key or entity property the schema does not know (ajv `additionalProperties`). */
import { canonicalKey, esc } from '../../schema/validate.js';
import { nearest } from '../../text/similar.js';
import type { Diagnostic } from '../../diagnostics.js';
import { defineRule, replaceRange } from '../rule.js';
import { listComma } from '../list.js';

export interface UnknownKeyData {
  readonly key: string;
  /** The nearest known key (canonical), when one is near. */
  readonly suggestion?: string;
  readonly known: string[];
  /** The entity whose property it is (absent for a front matter key). */
  readonly entity?: string;
}

export const unknownKey = defineRule<'unknown-key', UnknownKeyData>({
  code: 'unknown-key',
  severity: 'warning',
  summary: 'A front matter key or entity property the schema does not know.',
  group: 'document',
  check: {
    kind: 'schema',
    fromSchemaError: (e): Diagnostic | undefined => {
      if (e.err.keyword !== 'additionalProperties') return undefined;
      const extra = String((e.err.params as { additionalProperty: string }).additionalProperty);
      const p = e.places.get(`${e.path}/${esc(extra)}`) ?? e.place;
      const props = Object.keys((e.parent.properties ?? {}) as object).filter((k) => k !== 'id' && k !== 'key_results');
      const aliases = Object.keys((e.parent['x-northstar-key-aliases'] ?? {}) as object);
      const near = nearest(extra, [...props, ...aliases]);
      const canonical = near ? canonicalKey(near, e.parent) : undefined;
      const where = e.path.startsWith('/frontMatter') ? `front matter key \`${extra}\`` : `property \`${extra}\` of ${e.place.entity ?? 'this entity'}`;
      const hint = canonical ? ` Did you mean \`${canonical}\`?` : ` Known: ${listComma(props, 20)}.`;
      return unknownKey.report(p.key ?? p.anchor, `Unknown ${where}.${hint}`, { key: extra, ...(canonical ? { suggestion: canonical } : {}), known: props, ...(!e.path.startsWith('/frontMatter') && e.place.entity ? { entity: e.place.entity } : {}) });
    },
  },
  fix: (_ctx, a, d, data) => (data.suggestion ? [replaceRange(a, d, `Rename \`${data.key}\` to \`${data.suggestion}\``, data.suggestion, true)] : []),
});
