/**
 * Rename an ID across the workspace: only IDs can be renamed; the new name must be a valid ID of
 * the same kind and not taken; every definition and reference in every file changes, nothing else.
 */
import type { Analysis } from '../analysis.js';
import { ID_EXACT, idKind, withArticle } from '../ids.js';
import type { Span } from '../text/lineIndex.js';
import type { FeatureContext } from './context.js';
import { locate } from './locate.js';

import type { TextEdit } from './edits.js';
export type { TextEdit } from './edits.js';

export type RenameResult = { readonly edits: Map<string, TextEdit[]> } | { readonly error: string };

export function prepareRename(ctx: FeatureContext, a: Analysis, offset: number): { span: Span; placeholder: string } | { error: string } {
  const t = locate(a, offset);
  if (!t || t.kind !== 'id') return { error: 'Only an ID (KPI-…, FEAT-…, OBJ-…, KR-…, PERSONA-…, BRIEF-…, PRD-…, OKR-…) can be renamed.' };
  if (!ctx.index.definitions(t.id).length) return { error: `${t.id} is not defined anywhere in the workspace, so there is nothing to rename.` };
  return { span: t.span, placeholder: t.id };
}

export function rename(ctx: FeatureContext, a: Analysis, offset: number, newName: string): RenameResult {
  const prep = prepareRename(ctx, a, offset);
  if ('error' in prep) return prep;
  const oldId = prep.placeholder;
  const name = newName.trim();
  const kind = idKind(oldId)!;
  if (!ID_EXACT.test(name)) return { error: `\`${name}\` is not a valid ID: write ${kind}- then letters and digits, with single \`-\`, \`_\` or \`.\` between them.` };
  if (idKind(name) !== kind) return { error: `${oldId} is ${withArticle(kind)}: the new ID must start with ${kind}-.` };
  if (name === oldId) return { edits: new Map() };
  if (ctx.index.definitions(name).length) return { error: `${name} is already defined; IDs are unique across the workspace.` };
  const edits = new Map<string, TextEdit[]>();
  const add = (uri: string, span: Span) => {
    const list = edits.get(uri) ?? [];
    if (!list.some((e) => e.span.start === span.start)) list.push({ span, newText: name });
    edits.set(uri, list);
  };
  for (const d of ctx.index.definitions(oldId)) add(d.uri, d.span);
  for (const r of ctx.index.references(oldId)) add(r.uri, r.span);
  for (const list of edits.values()) list.sort((x, y) => x.span.start - y.span.start);
  return { edits };
}
