/** Go to definition and find references, for IDs in spec documents and in plain Markdown alike, and for names where an ID is expected. */
import type { Analysis } from '../analysis.js';
import type { FeatureContext, Location } from './context.js';
import { locate } from './locate.js';

/** The ID at an offset: an ID written there, or the one a name there resolves to (`kpi: Weekly active teams`). */
function idAt(ctx: FeatureContext, a: Analysis, offset: number): string | undefined {
  const t = locate(a, offset);
  if (t?.kind === 'id') return t.id;
  const r = ctx.index.nameReferences(a.uri).find((x) => offset >= x.span.start && offset <= x.span.end);
  if (!r) return undefined;
  const res = ctx.index.resolveName(r);
  return res.status === 'resolved' ? res.definition.id : undefined;
}

export function provideDefinition(ctx: FeatureContext, a: Analysis, offset: number): Location[] {
  const t = locate(a, offset);
  if (t?.kind === 'id') return ctx.index.definitions(t.id).map((d) => ({ uri: d.uri, span: d.span }));
  // A name that two entities have goes to both: the editor lists them (never one silently).
  const r = ctx.index.nameReferences(a.uri).find((x) => offset >= x.span.start && offset <= x.span.end);
  if (!r) return [];
  const res = ctx.index.resolveName(r);
  if (res.status === 'resolved') return [{ uri: res.definition.uri, span: res.definition.span }];
  if (res.status === 'ambiguous') return res.definitions.map((d) => ({ uri: d.uri, span: d.span }));
  return [];
}

export function provideReferences(ctx: FeatureContext, a: Analysis, offset: number, includeDeclaration: boolean): Location[] {
  const id = idAt(ctx, a, offset);
  if (!id) return [];
  // References by ID, and by name (properties that name the entity instead of writing its ID).
  const byName: Location[] = [];
  for (const uri of ctx.index.uris())
    for (const r of ctx.index.nameReferences(uri)) {
      const res = ctx.index.resolveName(r);
      if (res.status === 'resolved' && res.definition.id === id) byName.push({ uri, span: r.span });
    }
  const refs = [...ctx.index.references(id).map((r) => ({ uri: r.uri, span: r.span })), ...byName];
  const defs = includeDeclaration ? ctx.index.definitions(id).map((d) => ({ uri: d.uri, span: d.span })) : [];
  return [...defs, ...refs].sort((x, y) => x.uri.localeCompare(y.uri) || x.span.start - y.span.start);
}
