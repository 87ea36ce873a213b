/**
 * no-id-yet: an entity Northstar reads without a written ID (a heading under Features, a table
 * row, a bullet with a metric or key-result label). It takes part under a derived ID; this hint
 * says which ID and offers to write it (rules/fixes.ts `writeIdEdit`). "Assign IDs in this
 * document" writes them all (features/codeActions.ts `assignIds`).
 */
import type { Diagnostic } from '../../diagnostics.js';
import { KIND_NAMES } from '../../ids.js';
import { one, writeIdEdit } from '../fixes.js';
import { defineRule } from '../rule.js';

export interface NoIdYetData {
  /** The derived ID that would be written. */
  readonly id: string;
}

export const noIdYet = defineRule<'no-id-yet', NoIdYetData>({
  code: 'no-id-yet',
  severity: 'hint',
  summary: 'An entity read without a written ID: it has a derived ID until one is written.',
  group: 'document',
  check: {
    kind: 'document',
    run: (model): Diagnostic[] =>
      model.entities
        .filter((e) => e.idDerived)
        .map((e) => noIdYet.report(e.idSpan, `No ID yet: ${e.id} would be written for this ${KIND_NAMES[e.kind]}${e.title ? ` (“${e.title}”)` : ''}.`, { id: e.id })),
  },
  fix: (_ctx, a, d, data) => {
    const e = a.model.entities.find((x) => x.id === data.id && x.idDerived);
    const edit = e ? writeIdEdit(a.text, e) : undefined;
    return edit ? [{ title: `Write the ID ${data.id}`, kind: 'quickfix', edits: one(a.uri, [edit]), fixes: [d], preferred: true, safe: false }] : [];
  },
});
