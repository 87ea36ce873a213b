/** unresolved-reference: a reference to an ID defined nowhere in the workspace. */
import type { Diagnostic } from '../../diagnostics.js';
import { KIND_NAMES, type IdKind } from '../../ids.js';
import { kpiStubs } from '../fixes.js';
import { defineRule, replaceRange } from '../rule.js';

export interface UnresolvedReferenceData {
  readonly id: string;
  readonly kind: IdKind;
  /** The nearest defined ID of the same kind. */
  readonly suggestion?: string;
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
      for (const r of a.model.references) {
        if (index.definitions(r.id).length) continue;
        const near = index.suggestion(r.id, r.kind);
        out.push(
          unresolvedReference.report(r.span, `${r.id} is not defined anywhere in the workspace${near ? `. Did you mean ${near}?` : ` (no ${KIND_NAMES[r.kind]} has this ID).`}`, {
            id: r.id,
            kind: r.kind,
            ...(near ? { suggestion: near } : {}),
          }),
        );
      }
      return out;
    },
  },
  fix: (ctx, a, d, data) => [...(data.suggestion ? [replaceRange(a, d, `Change to ${data.suggestion}`, data.suggestion, true, false)] : []), ...(data.kind === 'KPI' ? kpiStubs(ctx, a, data.id, d) : [])],
});
