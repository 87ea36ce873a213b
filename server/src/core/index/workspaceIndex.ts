/**
 * The workspace index: every ID definition and reference of every document, kept per document
 * and updated one document at a time (never rebuilt on a keystroke). Holds models, not syntax
 * trees. Knows nothing of files or editors: the host feeds it analyses and removes documents.
 */
import type { Analysis } from '../analysis.js';
import { idKind, type IdKind } from '../ids.js';
import type { Entity } from '../model/types.js';
import { nearest } from '../text/similar.js';
import type { Span } from '../text/lineIndex.js';

export interface Definition {
  readonly id: string;
  readonly kind: IdKind;
  readonly uri: string;
  readonly span: Span;
  /** The entity, for KPI/FEAT/OBJ/KR/PERSONA definitions. */
  readonly entity?: Entity;
  /** The ID is derived (no ID is written in the text): it never makes a duplicate, and a written ID wins over it. */
  readonly derived?: boolean;
}

export interface Location {
  readonly uri: string;
  readonly span: Span;
}

export class WorkspaceIndex {
  private readonly docs = new Map<string, Analysis>();
  private readonly defs = new Map<string, Definition[]>();
  private readonly refs = new Map<string, Location[]>();
  /** Bumped on every change; lets callers cache what they derive. */
  generation = 0;
  /** Bumped only when the set of defined IDs changes (not when prose is typed). */
  definitionsVersion = 0;

  get size(): number {
    return this.docs.size;
  }

  uris(): IterableIterator<string> {
    return this.docs.keys();
  }

  documents(): IterableIterator<Analysis> {
    return this.docs.values();
  }

  get(uri: string): Analysis | undefined {
    return this.docs.get(uri);
  }

  set(a: Analysis): void {
    const before = this.docs.get(a.uri);
    const sameIds = before !== undefined && before.isSpec === a.isSpec && idsKey(before) === idsKey(a);
    const version = this.definitionsVersion;
    this.remove(a.uri);
    if (sameIds) this.definitionsVersion = version;
    this.docs.set(a.uri, a);
    const m = a.model;
    if (m.docId && m.type) this.addDef({ id: m.docId.id, kind: idKind(m.docId.id)!, uri: a.uri, span: m.docId.span });
    // Only spec documents define IDs; in plain Markdown an ID heading is a mention like any other.
    const mentions = [...m.references.map((r) => ({ id: r.id, span: r.span }))];
    for (const e of m.entities) {
      if (a.isSpec) this.addDef({ id: e.id, kind: e.kind, uri: a.uri, span: e.idSpan, entity: e, ...(e.idDerived ? { derived: true } : {}) });
      else mentions.push({ id: e.id, span: e.idSpan });
    }
    for (const r of mentions) {
      const list = this.refs.get(r.id) ?? [];
      list.push({ uri: a.uri, span: r.span });
      this.refs.set(r.id, list);
    }
    this.generation++;
    if (!sameIds) this.definitionsVersion++;
  }

  remove(uri: string): void {
    const old = this.docs.get(uri);
    if (!old) return;
    this.docs.delete(uri);
    this.definitionsVersion++;
    const ids = new Set<string>([...old.model.entities.map((e) => e.id), ...(old.model.docId ? [old.model.docId.id] : [])]);
    for (const id of ids) {
      const left = (this.defs.get(id) ?? []).filter((d) => d.uri !== uri);
      if (left.length) this.defs.set(id, left);
      else this.defs.delete(id);
    }
    for (const id of new Set([...old.model.references.map((r) => r.id), ...old.model.entities.map((e) => e.id)])) {
      const left = (this.refs.get(id) ?? []).filter((l) => l.uri !== uri);
      if (left.length) this.refs.set(id, left);
      else this.refs.delete(id);
    }
    this.generation++;
  }

  private addDef(d: Definition): void {
    const list = this.defs.get(d.id) ?? [];
    // Written definitions first: `definition(id)` answers a written one when there is one.
    const firstDerived = d.derived ? -1 : list.findIndex((x) => x.derived);
    if (firstDerived < 0) list.push(d);
    else list.splice(firstDerived, 0, d);
    this.defs.set(d.id, list);
  }

  definitions(id: string): readonly Definition[] {
    return this.defs.get(id) ?? [];
  }

  /** The one definition of an ID (the first, when it is duplicated). */
  definition(id: string): Definition | undefined {
    return this.defs.get(id)?.[0];
  }

  references(id: string): readonly Location[] {
    return this.refs.get(id) ?? [];
  }

  allDefinitions(): Definition[] {
    return [...this.defs.values()].flat();
  }

  private idsCache: { generation: number; byKind: Map<string, string[]> } | undefined;

  /** Every defined ID (of one kind), sorted; computed once per generation. */
  definedIds(kind?: IdKind): string[] {
    if (this.idsCache?.generation !== this.definitionsVersion) this.idsCache = { generation: this.definitionsVersion, byKind: new Map() };
    const key = kind ?? '*';
    let ids = this.idsCache.byKind.get(key);
    if (!ids) {
      ids = [];
      for (const [id, d] of this.defs) if (!kind || d[0]?.kind === kind) ids.push(id);
      ids.sort();
      this.idsCache.byKind.set(key, ids);
    }
    return ids;
  }

  entity(id: string): Entity | undefined {
    return this.definition(id)?.entity;
  }

  private nearCache: { generation: number; byId: Map<string, string | undefined> } | undefined;

  /** "Did you mean": the nearest defined ID of the same kind, memoised per generation. */
  suggestion(id: string, kind: IdKind): string | undefined {
    if (this.nearCache?.generation !== this.definitionsVersion) this.nearCache = { generation: this.definitionsVersion, byId: new Map() };
    if (this.nearCache.byId.has(id)) return this.nearCache.byId.get(id);
    const near = nearest(id, this.definedIds(kind));
    this.nearCache.byId.set(id, near);
    return near;
  }
}

/** The IDs a document defines, as one comparable key (its own ID, then its entities in order). */
export function idsKey(a: Analysis): string {
  return `${a.model.docId?.id ?? ''}|${a.model.entities.map((e) => e.id).join(',')}`;
}
