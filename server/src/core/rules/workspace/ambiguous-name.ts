/**
 * ambiguous-name: a property that expects an ID names an entity by title, and two or more
 * entities of that kind have that title. Northstar never links it silently: the finding lists
 * them, and offers to write each one's ID.
 */
import type { Diagnostic, RelatedInfo } from '../../diagnostics.js';
import { KIND_NAMES } from '../../ids.js';
import { defineRule, replaceRange } from '../rule.js';
import { listIds } from '../list.js';

export interface AmbiguousNameData {
  readonly name: string;
  readonly ids: readonly string[];
}

export const ambiguousName = defineRule<'ambiguous-name', AmbiguousNameData>({
  code: 'ambiguous-name',
  severity: 'error',
  summary: 'A property names an entity by a title that two or more entities of that kind have.',
  group: 'workspace',
  check: {
    kind: 'workspace',
    run: (index, a): Diagnostic[] =>
      index.nameReferences(a.uri).flatMap((r) => {
        const res = index.resolveName(r);
        if (res.status !== 'ambiguous') return [];
        const ids = res.definitions.map((d) => d.id);
        const related: RelatedInfo[] = res.definitions.map((d) => ({ uri: d.uri, span: d.span, message: `${d.id} is named “${d.entity?.title ?? r.text}”` }));
        return [ambiguousName.report(r.span, `\`${r.text}\` names ${ids.length} ${KIND_NAMES[r.kind]}s (${listIds(ids)}): write the ID of the one you mean.`, { name: r.text, ids }, { related })];
      }),
  },
  fix: (_ctx, a, d, data) => data.ids.slice(0, 5).map((id) => replaceRange(a, d, `Write the ID ${id}`, id, false, false)),
});
