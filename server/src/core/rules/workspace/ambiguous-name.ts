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
  /** The entity whose property names it, and the property (one problem with a missing link there). */
  readonly entity?: string;
  readonly key?: string;
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
        // Two documents that derive one ID: say which document each is in.
        const uris = res.definitions.map((d) => d.uri);
        let common = uris[0]!.slice(0, uris[0]!.lastIndexOf('/') + 1);
        while (common && !uris.every((u) => u.startsWith(common))) common = common.slice(0, common.lastIndexOf('/', common.length - 2) + 1);
        const file = (uri: string) => decodeURIComponent(uri.slice(common.length));
        const labels = res.definitions.map((d) => (ids.indexOf(d.id) !== ids.lastIndexOf(d.id) ? `${d.id} in ${file(d.uri)}` : d.id));
        const related: RelatedInfo[] = res.definitions.map((d) => ({ uri: d.uri, span: d.span, message: `${d.id} is named “${d.entity?.title ?? r.text}”` }));
        return [ambiguousName.report(r.span, `\`${r.text}\` names ${ids.length} ${KIND_NAMES[r.kind]}s (${listIds(labels)}): write the ID of the one you mean.`, { name: r.text, ids, entity: r.entity, key: r.key }, { related })];
      }),
  },
  fix: (_ctx, a, d, data) => [...new Set(data.ids)].slice(0, 5).map((id) => replaceRange(a, d, `Write the ID ${id}`, id, false, false)),
});
