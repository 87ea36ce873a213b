/** The outline of a document (sections and entities) and workspace symbols (every ID). */
import type { Analysis } from '../analysis.js';
import { KIND_NAMES, type IdKind } from '../ids.js';
import type { Entity } from '../model/types.js';
import type { Span } from '../text/lineIndex.js';
import type { FeatureContext } from './context.js';

export type SymbolKind = 'document' | 'section' | IdKind;

export interface DocumentSymbol {
  readonly name: string;
  readonly detail?: string;
  readonly kind: SymbolKind;
  readonly span: Span;
  readonly selection: Span;
  readonly children: DocumentSymbol[];
}

/** The outline holds at most this many symbols (then a notice). */
export const MAX_SYMBOLS = 5000;

/**
 * An entity's outline entry: a written ID names it (its title as detail); an entity read without
 * one is named by its title, with its kind and derived ID as detail.
 */
function entityLabel(e: Entity): { name: string; detail?: string } {
  if (!e.idDerived) return { name: e.id, ...(e.title ? { detail: e.title } : {}) };
  const kind = KIND_NAMES[e.kind];
  return { name: e.title || e.id, detail: `${kind[0]!.toUpperCase()}${kind.slice(1)} · ${e.id} (no ID written)` };
}

export function documentSymbols(a: Analysis): DocumentSymbol[] {
  const total = a.model.sections.length + a.model.entities.length;
  if (total > MAX_SYMBOLS) {
    // Too many for an outline anyone reads: the first ones, flat, and a notice.
    const flat = [
      ...a.model.sections.map((s) => ({ name: s.title, kind: 'section' as const, span: s.span, selection: s.titleSpan, children: [] })),
      ...a.model.entities.map((e) => ({ ...entityLabel(e), kind: e.kind, span: e.span, selection: e.idSpan, children: [] })),
    ]
      .sort((x, y) => x.span.start - y.span.start)
      .slice(0, MAX_SYMBOLS);
    return [...flat, { name: `… ${total - MAX_SYMBOLS} more not shown`, kind: 'document', span: { start: a.text.length, end: a.text.length }, selection: { start: a.text.length, end: a.text.length }, children: [] }];
  }
  const roots: DocumentSymbol[] = [];
  const sections = a.model.sections.map((s) => ({ name: s.title, kind: 'section' as const, span: s.span, selection: s.titleSpan, children: [] as DocumentSymbol[] }));
  const byId = new Map<string, DocumentSymbol>();
  const entitySymbols = a.model.entities.map((e) => {
    const sym: DocumentSymbol = { ...entityLabel(e), kind: e.kind, span: e.span, selection: e.idSpan, children: [] };
    byId.set(e.id, sym);
    return { e, sym };
  });
  for (const { e, sym } of entitySymbols) {
    const parent = e.parent ? byId.get(e.parent) : undefined;
    if (parent && parent !== sym) {
      parent.children.push(sym);
      continue;
    }
    const sec = sections.find((s) => e.span.start >= s.span.start && e.span.start < s.span.end && s.selection.start !== e.idSpan.start);
    if (sec && !(e.depth === 2)) sec.children.push(sym);
    else roots.push(sym);
  }
  // Objectives are level-2 headings, so they are sections too: keep the entity, drop the section.
  for (const s of sections) if (!a.model.entities.some((e) => e.depth === 2 && e.span.start === s.span.start)) roots.push(s);
  return roots.sort((x, y) => x.span.start - y.span.start);
}

export interface WorkspaceSymbol {
  readonly name: string;
  readonly detail?: string;
  readonly kind: IdKind;
  readonly uri: string;
  readonly span: Span;
}

export function workspaceSymbols(ctx: FeatureContext, query: string, limit = 500): WorkspaceSymbol[] {
  const q = query.toLowerCase();
  const out: WorkspaceSymbol[] = [];
  for (const d of ctx.index.allDefinitions()) {
    const title = d.entity?.title ?? ctx.index.get(d.uri)?.model.title?.text;
    if (q && !fuzzy(q, d.id.toLowerCase()) && !(title && title.toLowerCase().includes(q))) continue;
    out.push({ name: d.id, ...(title ? { detail: title } : {}), kind: d.kind, uri: d.uri, span: d.span });
    if (out.length >= limit) break;
  }
  return out.sort((x, y) => x.name.localeCompare(y.name));
}

function fuzzy(q: string, s: string): boolean {
  let i = 0;
  for (const c of s) if (c === q[i]) i++;
  return i === q.length;
}
