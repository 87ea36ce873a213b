/**
 * The workspace index: every ID definition and reference of every document, kept per document
 * and updated one document at a time (never rebuilt on a keystroke). Holds models, not syntax
 * trees. Knows nothing of files or editors: the host feeds it analyses and removes documents.
 */
import type { Analysis } from '../analysis.js';
import { DerivedKeys } from './derivedKeys.js';
import { findIds, idKind, type IdKind } from '../ids.js';
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

/**
 * A reference by name: a property whose key expects an ID (`kpi`, `key_results`, `objective`,
 * `persona`, `brief`, `depends_on`) holding a name instead (`**KPI**: Weekly active teams`).
 */
export interface NameReference {
  readonly uri: string;
  /** The name as written, and where. */
  readonly text: string;
  readonly span: Span;
  /** The property's key, and the kind of ID it expects. */
  readonly key: string;
  readonly kind: IdKind;
  /** The entity whose property it is. */
  readonly entity: string;
}

/** What a name resolves to: one definition, several (never a silent link), or none. */
export type NameResolution =
  | { readonly status: 'resolved'; readonly definition: Definition }
  | { readonly status: 'ambiguous'; readonly definitions: readonly Definition[] }
  | { readonly status: 'none' };

/** The property keys that expect an ID, and the kind they expect. */
export const ID_KEYS: Readonly<Record<string, IdKind>> = {
  kpi: 'KPI',
  kpis: 'KPI',
  metric: 'KPI',
  key_result: 'KR',
  key_results: 'KR',
  kr: 'KR',
  krs: 'KR',
  objective: 'OBJ',
  objectives: 'OBJ',
  persona: 'PERSONA',
  personas: 'PERSONA',
  brief: 'BRIEF',
  depends_on: 'FEAT',
};

/** A name as compared: case, emphasis, punctuation and spacing ignored. */
export function normalizeName(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[*_`~]/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** Values that say "not set", never a name. */
const NOT_SET = /^(?:tbd|tba|n\/?a|none|-+|\?+|—|–)$/i;

export class WorkspaceIndex {
  private readonly docs = new Map<string, Analysis>();
  private readonly defs = new Map<string, Definition[]>();
  /** Mentions of each ID, by document: dropping a document deletes its entries, never filters a list. */
  private readonly refs = new Map<string, Map<string, Location[]>>();
  /** Normalised entity titles (and `name` properties, document titles) -> their definitions. */
  private readonly names = new Map<string, Definition[]>();
  /** The names each document added to `names` (so that removing it touches only those). */
  private readonly namesOf = new Map<string, Set<string>>();
  /** The references by name of each document. */
  private readonly nameRefs = new Map<string, NameReference[]>();
  /** Documents indexed by the index-only pass (core/index/indexPass.ts), not yet by a full analysis. */
  private readonly indexOnly = new Set<string>();
  /** The document key each document's derived IDs use, unique in the workspace. */
  private readonly derivedKeys = new DerivedKeys();
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

  /**
   * Puts a document's analysis in the index (replacing the one before). `indexOnly`: the analysis
   * holds a model from the index-only pass — its definitions and references answer requests, but
   * nothing may be reported from it; a later `set` of the full analysis replaces it.
   */
  set(a: Analysis, indexOnly = false): void {
    // Derived IDs unique in the workspace: the documents sharing its document key are re-keyed (derivedKeys.ts).
    const others = this.derivedKeys.place(a.uri, a);
    a = this.derivedKeys.keyed(a);
    this.put(a, indexOnly);
    this.rekey(others);
  }

  /** Re-keys the derived IDs of documents whose group changed. */
  private rekey(uris: readonly string[]): void {
    for (const u of uris) {
      const b = this.docs.get(u);
      const k = b ? this.derivedKeys.keyed(b) : undefined;
      if (k && k !== b) this.put(k, this.indexOnly.has(u));
    }
  }

  private put(a: Analysis, indexOnly: boolean): void {
    const before = this.docs.get(a.uri);
    const sameIds = before !== undefined && before.isSpec === a.isSpec && idsKey(before) === idsKey(a);
    const version = this.definitionsVersion;
    this.drop(a.uri);
    if (sameIds) this.definitionsVersion = version;
    this.docs.set(a.uri, a);
    if (indexOnly) this.indexOnly.add(a.uri);
    const m = a.model;
    if (m.docId && m.type) this.addDef({ id: m.docId.id, kind: idKind(m.docId.id)!, uri: a.uri, span: m.docId.span });
    // Only spec documents define IDs; in plain Markdown an ID heading is a mention like any other.
    const mentions = [...m.references.map((r) => ({ id: r.id, span: r.span }))];
    for (const e of m.entities) {
      if (a.isSpec) this.addDef({ id: e.id, kind: e.kind, uri: a.uri, span: e.idSpan, entity: e, ...(e.idDerived ? { derived: true } : {}) });
      else mentions.push({ id: e.id, span: e.idSpan });
    }
    if (a.isSpec) this.addNames(a);
    for (const r of mentions) {
      let byUri = this.refs.get(r.id);
      if (!byUri) this.refs.set(r.id, (byUri = new Map()));
      const list = byUri.get(a.uri);
      if (list) list.push({ uri: a.uri, span: r.span });
      else byUri.set(a.uri, [{ uri: a.uri, span: r.span }]);
    }
    this.generation++;
    if (!sameIds) this.definitionsVersion++;
  }

  remove(uri: string): void {
    const others = this.derivedKeys.place(uri, undefined);
    this.drop(uri);
    this.rekey(others);
  }

  private drop(uri: string): void {
    const old = this.docs.get(uri);
    if (!old) return;
    this.docs.delete(uri);
    this.indexOnly.delete(uri);
    this.definitionsVersion++;
    const ids = new Set<string>([...old.model.entities.map((e) => e.id), ...(old.model.docId ? [old.model.docId.id] : [])]);
    for (const id of ids) {
      const left = (this.defs.get(id) ?? []).filter((d) => d.uri !== uri);
      if (left.length) this.defs.set(id, left);
      else this.defs.delete(id);
    }
    for (const name of this.namesOf.get(uri) ?? []) {
      const list = this.names.get(name);
      if (!list) continue;
      const left = list.filter((d) => d.uri !== uri);
      if (left.length) this.names.set(name, left);
      else this.names.delete(name);
    }
    this.namesOf.delete(uri);
    this.nameRefs.delete(uri);
    for (const id of new Set([...old.model.references.map((r) => r.id), ...old.model.entities.map((e) => e.id)])) {
      const byUri = this.refs.get(id);
      if (byUri?.delete(uri) && byUri.size === 0) this.refs.delete(id);
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

  /** The names a spec document gives its entities, and the names its properties use for IDs. */
  private addNames(a: Analysis): void {
    const m = a.model;
    let own = this.namesOf.get(a.uri);
    const addName = (text: string | undefined, d: Definition | undefined) => {
      const n = text ? normalizeName(text) : '';
      if (!n || !d) return;
      if (!own) this.namesOf.set(a.uri, (own = new Set()));
      own.add(n);
      const list = this.names.get(n) ?? [];
      if (!list.includes(d)) list.push(d);
      this.names.set(n, list);
    };
    if (m.docId) addName(m.title?.text ?? stringField(m, 'title'), this.defs.get(m.docId.id)?.find((d) => d.uri === a.uri));
    const refs: NameReference[] = [];
    for (const e of m.entities) {
      const def = this.defs.get(e.id)?.find((d) => d.uri === a.uri && d.entity === e);
      addName(e.title, def);
      for (const p of e.properties) {
        if (p.key === 'name' || p.key === 'title') addName(p.raw, def);
        const kind = ID_KEYS[p.key];
        if (!kind) continue;
        for (const it of p.items) {
          const text = it.text.trim();
          if (!text || NOT_SET.test(text) || findIds(text).length || !normalizeName(text)) continue;
          refs.push({ uri: a.uri, text, span: it.span, key: p.key, kind, entity: e.id });
        }
      }
    }
    if (refs.length) this.nameRefs.set(a.uri, refs);
  }

  /** Whether a document's entry is still the index-only pass's (no full analysis yet). */
  isIndexOnly(uri: string): boolean {
    return this.indexOnly.has(uri);
  }

  /** How many documents are indexed by the index-only pass only. */
  get indexOnlyCount(): number {
    return this.indexOnly.size;
  }

  /** The references by name of a document (properties that hold a name where an ID is expected). */
  nameReferences(uri: string): readonly NameReference[] {
    return this.nameRefs.get(uri) ?? [];
  }

  /** Whether any document refers to an entity by name (the strategy then resolves names on every build). */
  get hasNameReferences(): boolean {
    return this.nameRefs.size > 0;
  }

  /** The definitions of one kind whose title or name is `text` (case, emphasis and punctuation ignored). */
  byName(text: string, kind: IdKind): Definition[] {
    return (this.names.get(normalizeName(text)) ?? []).filter((d) => d.kind === kind);
  }

  /** What a reference by name points at: one definition, several (ambiguous), or none. */
  resolveName(r: Pick<NameReference, 'text' | 'kind'>): NameResolution {
    const found = this.byName(r.text, r.kind);
    // One entity restated under one written ID is still one; a derived ID is one entity per document
    // (two documents can derive the same ID: never link to the other one silently).
    const keyOf = (d: Definition) => (d.derived ? `${d.id}|${d.uri}` : d.id);
    const distinct = new Map<string, Definition>();
    for (const d of found) if (!distinct.has(keyOf(d))) distinct.set(keyOf(d), d);
    const list = [...distinct.values()];
    if (list.length === 1) return { status: 'resolved', definition: list[0]! };
    if (list.length > 1) return { status: 'ambiguous', definitions: list };
    return { status: 'none' };
  }

  /** The IDs an entity's properties name (resolved uniquely), with where each name is written. */
  resolvedNames(uri: string, entity: string, keys: readonly string[]): { id: string; span: Span }[] {
    const out: { id: string; span: Span }[] = [];
    for (const r of this.nameReferences(uri)) {
      if (r.entity !== entity || !keys.includes(r.key)) continue;
      const res = this.resolveName(r);
      if (res.status === 'resolved') out.push({ id: res.definition.id, span: r.span });
    }
    return out;
  }

  definitions(id: string): readonly Definition[] {
    return this.defs.get(id) ?? [];
  }

  /** The one definition of an ID (the first, when it is duplicated). */
  definition(id: string): Definition | undefined {
    return this.defs.get(id)?.[0];
  }

  references(id: string): readonly Location[] {
    const byUri = this.refs.get(id);
    if (!byUri) return [];
    if (byUri.size === 1) return byUri.values().next().value!;
    return [...byUri.values()].flat();
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

function stringField(m: Analysis['model'], key: string): string | undefined {
  const v = m.frontMatter?.fields.find((f) => f.key === key)?.value;
  return typeof v === 'string' ? v : undefined;
}

/** The IDs a document defines, as one comparable key (its own ID, then its entities in order). */
export function idsKey(a: Analysis): string {
  return `${a.model.docId?.id ?? ''}|${a.model.entities.map((e) => e.id).join(',')}`;
}
