/**
 * reference-by-name: a property that expects an ID names the entity instead
 * (`**KPI**: Weekly active teams`), and exactly one entity of that kind has that title or name.
 * The index resolves it (index/workspaceIndex.ts `resolveName`), so hover, definition, the
 * alignment check and the verdict follow it; this hint offers to write the ID.
 */
import type { Diagnostic } from '../../diagnostics.js';
import { KIND_NAMES } from '../../ids.js';
import { defineRule } from '../rule.js';

export interface ReferenceByNameData {
  readonly id: string;
  readonly name: string;
}

export const referenceByName = defineRule<'reference-by-name', ReferenceByNameData>({
  code: 'reference-by-name',
  severity: 'hint',
  summary: 'A property names an entity by its title instead of its ID; it is read as that ID.',
  group: 'workspace',
  check: {
    kind: 'workspace',
    run: (index, a): Diagnostic[] =>
      index.nameReferences(a.uri).flatMap((r) => {
        const res = index.resolveName(r);
        if (res.status !== 'resolved') return [];
        const d = res.definition;
        const title = d.entity?.title;
        return [referenceByName.report(r.span, `\`${r.text}\` is read as ${d.id}, the ${KIND_NAMES[r.kind]}${title ? ` “${title}”` : ''}: write the ID to keep the link if the title changes.`, { id: d.id, name: r.text })];
      }),
  },
  fix: (_ctx, a, d, data) => {
    // The emphasis around a name (`*Weekly active teams*`) goes too: an ID is written plain.
    let { start, end } = d.span;
    while (start > 0 && (a.text[start - 1] === '*' || a.text[start - 1] === '_') && a.text[end] === a.text[start - 1]) {
      start--;
      end++;
    }
    return [{ title: `Write the ID ${data.id}`, kind: 'quickfix', edits: new Map([[a.uri, [{ span: { start, end }, newText: data.id }]]]), fixes: [d], preferred: true, safe: true }];
  },
});
