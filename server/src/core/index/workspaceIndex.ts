/**
 * The workspace index: every ID definition and reference of every document, kept per document
 * and updated one document at a time (never rebuilt on a keystroke). Holds models, not syntax
 * trees. Knows nothing of files or editors: the host feeds it analyses and removes documents.
 */
import type { Analysis } from '../analysis.js';
import { diag, type Diagnostic, type RelatedInfo } from '../diagnostics.js';
import { KIND_NAMES, idKind, type IdKind } from '../ids.js';
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
    this.remove(a.uri);
    this.docs.set(a.uri, a);
    const m = a.model;
    if (m.docId && m.type) this.addDef({ id: m.docId.id, kind: idKind(m.docId.id)!, uri: a.uri, span: m.docId.span });
    // Only spec documents define IDs; in plain Markdown an ID heading is a mention like any other.
    const mentions = [...m.references.map((r) => ({ id: r.id, span: r.span }))];
    for (const e of m.entities) {
      if (a.isSpec) this.addDef({ id: e.id, kind: e.kind, uri: a.uri, span: e.idSpan, entity: e });
      else mentions.push({ id: e.id, span: e.idSpan });
    }
    for (const r of mentions) {
      const list = this.refs.get(r.id) ?? [];
      list.push({ uri: a.uri, span: r.span });
      this.refs.set(r.id, list);
    }
    this.generation++;
  }

  remove(uri: string): void {
    const old = this.docs.get(uri);
    if (!old) return;
    this.docs.delete(uri);
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
    list.push(d);
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

  definedIds(kind?: IdKind): string[] {
    const out: string[] = [];
    for (const [id, d] of this.defs) if (!kind || d[0]?.kind === kind) out.push(id);
    return out.sort();
  }

  entity(id: string): Entity | undefined {
    return this.definition(id)?.entity;
  }

  /** Diagnostics of one document that need the whole workspace: duplicates and unresolved references. */
  workspaceDiagnostics(uri: string): Diagnostic[] {
    const a = this.docs.get(uri);
    if (!a || !a.isSpec) return [];
    const out: Diagnostic[] = [];
    const ownDefs: { id: string; span: Span }[] = [...(a.model.docId ? [a.model.docId] : []), ...a.model.entities.map((e) => ({ id: e.id, span: e.idSpan }))];
    for (const d of ownDefs) {
      const all = this.definitions(d.id);
      if (all.length < 2) continue;
      const others = all.filter((o) => !(o.uri === uri && o.span.start === d.span.start));
      const related: RelatedInfo[] = others.map((o) => ({ uri: o.uri, span: o.span, message: `${d.id} is also defined here` }));
      out.push(diag('duplicate-id', d.span, `${d.id} is defined ${all.length} times; an ID is defined exactly once in the workspace.`, { related, data: { id: d.id } }));
    }
    for (const r of a.model.references) {
      if (this.defs.has(r.id)) continue;
      const near = nearest(r.id, this.definedIds(r.kind));
      out.push(
        diag('unresolved-reference', r.span, `${r.id} is not defined anywhere in the workspace${near ? `. Did you mean ${near}?` : ` (no ${KIND_NAMES[r.kind]} has this ID).`}`, {
          data: { id: r.id, kind: r.kind, ...(near ? { suggestion: near } : {}) },
        }),
      );
    }
    return out;
  }
}
