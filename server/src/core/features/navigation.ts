/** Go to definition and find references, for IDs in spec documents and in plain Markdown alike. */
import type { Analysis } from '../analysis.js';
import type { FeatureContext, Location } from './context.js';
import { locate } from './locate.js';

export function provideDefinition(ctx: FeatureContext, a: Analysis, offset: number): Location[] {
  const t = locate(a, offset);
  if (!t || t.kind !== 'id') return [];
  return ctx.index.definitions(t.id).map((d) => ({ uri: d.uri, span: d.span }));
}

export function provideReferences(ctx: FeatureContext, a: Analysis, offset: number, includeDeclaration: boolean): Location[] {
  const t = locate(a, offset);
  if (!t || t.kind !== 'id') return [];
  const refs = ctx.index.references(t.id).map((r) => ({ uri: r.uri, span: r.span }));
  const defs = includeDeclaration ? ctx.index.definitions(t.id).map((d) => ({ uri: d.uri, span: d.span })) : [];
  return [...defs, ...refs].sort((x, y) => x.uri.localeCompare(y.uri) || x.span.start - y.span.start);
}
