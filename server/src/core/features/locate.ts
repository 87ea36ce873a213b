/** What is at an offset: an ID (definition or reference), a front matter key or value, a property key or value. */
import type { Analysis } from '../analysis.js';
import type { Entity } from '../model/types.js';
import type { Span } from '../text/lineIndex.js';

export type Target =
  | { readonly kind: 'id'; readonly id: string; readonly span: Span; readonly definition: boolean }
  | { readonly kind: 'frontMatterKey'; readonly key: string; readonly span: Span }
  | { readonly kind: 'frontMatterValue'; readonly key: string; readonly span: Span; readonly value: unknown }
  | { readonly kind: 'propertyKey'; readonly entity: Entity; readonly key: string; readonly span: Span }
  | { readonly kind: 'propertyValue'; readonly entity: Entity; readonly key: string; readonly span: Span; readonly raw: string };

const inside = (s: Span, o: number) => o >= s.start && o <= s.end;

export function locate(a: Analysis, offset: number): Target | undefined {
  const m = a.model;
  if (m.docId && inside(m.docId.span, offset)) return { kind: 'id', id: m.docId.id, span: m.docId.span, definition: true };
  for (const e of m.entities) if (inside(e.idSpan, offset)) return { kind: 'id', id: e.id, span: e.idSpan, definition: a.isSpec };
  for (const r of m.references) if (inside(r.span, offset)) return { kind: 'id', id: r.id, span: r.span, definition: false };
  for (const f of m.frontMatter?.fields ?? []) {
    if (inside(f.keySpan, offset)) return { kind: 'frontMatterKey', key: f.key, span: f.keySpan };
    if (inside(f.valueSpan, offset) && f.valueSpan !== f.keySpan) return { kind: 'frontMatterValue', key: f.key, span: f.valueSpan, value: f.value };
  }
  for (const e of m.entities) {
    if (!inside(e.span, offset)) continue;
    for (const p of e.properties) {
      if (inside(p.keySpan, offset)) return { kind: 'propertyKey', entity: e, key: p.key, span: p.keySpan };
      if (inside(p.valueSpan, offset)) return { kind: 'propertyValue', entity: e, key: p.key, span: p.valueSpan, raw: p.raw };
    }
  }
  return undefined;
}

/** The innermost entity whose section contains the offset. */
export function entityAt(a: Analysis, offset: number): Entity | undefined {
  let best: Entity | undefined;
  for (const e of a.model.entities) if (offset >= e.span.start && offset <= e.span.end && (!best || e.span.start >= best.span.start)) best = e;
  return best;
}
