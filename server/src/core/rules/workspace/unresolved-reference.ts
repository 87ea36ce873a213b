/** unresolved-reference: a reference to an ID defined nowhere in the workspace. */
import type { Diagnostic } from '../../diagnostics.js';
import { KIND_NAMES, type IdKind } from '../../ids.js';
import { normalizeName } from '../../index/workspaceIndex.js';
import { proseIdsAreMentions } from '../../model/adoption.js';
import { kpiStubs } from '../fixes.js';
import { defineRule, replaceRange } from '../rule.js';

export interface UnresolvedReferenceData {
  readonly id: string;
  readonly kind: IdKind;
  /** The nearest defined ID of the same kind. */
  readonly suggestion?: string;
  /** The reference is a name (no ID and no entity of that title): nothing to create from it. */
  readonly byName?: boolean;
}

export const unresolvedReference = defineRule<'unresolved-reference', UnresolvedReferenceData>({
  code: 'unresolved-reference',
  severity: 'error',
  summary: 'A reference to an ID defined nowhere in the workspace.',
  group: 'workspace',
  check: {
    kind: 'workspace',
    run: (index, a) => {
      const out: Diagnostic[] = [];
      const mentions = proseIdsAreMentions(a.model);
      for (const r of a.model.references) {
        if (index.definitions(r.id).length) continue;
        if (mentions && r.context === 'prose') continue;
        const near = index.suggestion(r.id, r.kind);
        out.push(
          unresolvedReference.report(r.span, `${r.id} is not defined anywhere in the workspace${near ? `. Did you mean ${near}?` : ` (no ${KIND_NAMES[r.kind]} has this ID).`}`, {
            id: r.id,
            kind: r.kind,
            ...(near ? { suggestion: near } : {}),
          }),
        );
      }
      // A name where an ID is expected that no entity has as its title (resolved and ambiguous names are other units').
      for (const r of index.nameReferences(a.uri)) {
        if (index.resolveName(r).status !== 'none') continue;
        const words = normalizeName(r.text).split(' ');
        const near = index.definedIds(r.kind).find((id) => words.every((w) => normalizeName(index.definition(id)?.entity?.title ?? '').includes(w)));
        const name = KIND_NAMES[r.kind];
        out.push(
          unresolvedReference.report(
            r.span,
            `\`${r.text}\` is neither ${name === 'objective' || name === 'OKR document' ? 'an' : 'a'} ${name} ID nor the title of one in the workspace: write the ${r.kind}- ID${near ? ` (did you mean ${near}?)` : ''} or the ${name}'s exact title.`,
            { id: r.text, kind: r.kind, byName: true, ...(near ? { suggestion: near } : {}) },
          ),
        );
      }
      return out;
    },
  },
  fix: (ctx, a, d, data) => [...(data.suggestion ? [replaceRange(a, d, `Change to ${data.suggestion}`, data.suggestion, true, false)] : []), ...(data.kind === 'KPI' && !data.byName ? kpiStubs(ctx, a, data.id, d) : [])],
});
