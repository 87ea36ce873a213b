/**
 * Derived IDs unique in the workspace. A document's derived IDs carry its document key
 * (`FEAT-search.quick-search`, ids.ts `documentKey`: its front matter ID, else its file or folder
 * name). Two documents can have the same key — `team-a/search/prd.md` and `team-b/search/prd.md`,
 * or the same spec-kit `specs/001-x/spec.md` in two roots — and their derived IDs would then be one
 * entity in the index and the alignment. Here the documents that derive IDs are grouped by key; in
 * a group of two or more, each document's key is qualified by the shortest part of its path that no
 * other member shares (`team-a.search`, `team-b.search`). A document alone with its key keeps it,
 * so adding an unrelated file changes no derived ID; a document that joins or leaves a group
 * re-keys only that group. The analysis is re-keyed in place of being read again (`rekeyAnalysis`).
 */
import type { Analysis } from '../analysis.js';
import type { Diagnostic } from '../diagnostics.js';
import { documentKey, idPattern, slugify } from '../ids.js';
import type { DocumentModel } from '../model/types.js';

export class DerivedKeys {
  /** URI -> the key its derived IDs are made with when it is alone (documents that derive IDs only). */
  private readonly baseOf = new Map<string, string>();
  private readonly groups = new Map<string, Set<string>>();
  /** Per key shared by two or more documents: each member's qualified key (dropped when the group changes). */
  private readonly keysOf = new Map<string, Map<string, string>>();
  /** The key a re-keyed analysis's derived IDs use. */
  private readonly keyOf = new WeakMap<Analysis, string>();

  /**
   * Puts a document in the group of its key (or takes it out: `a` undefined, or an analysis that
   * neither derives IDs nor has IDs written from them); answers the other documents whose key may
   * have changed.
   */
  place(uri: string, a: Analysis | undefined): string[] {
    // A document holds its key while it derives IDs with it, or has written IDs made with it (Assign IDs), so another's derived IDs never equal them.
    const key = a && a.isSpec ? documentKey(uri, a.model.docId?.id) : undefined;
    const base = key !== undefined && a!.model.entities.some((e) => e.idDerived || e.id.startsWith(`${e.kind}-${key}.`)) ? key : undefined;
    const old = this.baseOf.get(uri);
    if (old === base) return [];
    if (old !== undefined) this.keysOf.delete(old);
    if (base !== undefined) this.keysOf.delete(base);
    const affected: string[] = [];
    if (old !== undefined) {
      const g = this.groups.get(old)!;
      g.delete(uri);
      if (g.size) affected.push(...g);
      else this.groups.delete(old);
      this.baseOf.delete(uri);
    }
    if (base !== undefined) {
      const g = this.groups.get(base) ?? new Set<string>();
      affected.push(...g);
      g.add(uri);
      this.groups.set(base, g);
      this.baseOf.set(uri, base);
    }
    return affected;
  }

  /** The key a document's derived IDs use in this workspace; undefined when it derives none. */
  keyFor(uri: string): string | undefined {
    const base = this.baseOf.get(uri);
    if (base === undefined) return undefined;
    const g = this.groups.get(base)!;
    if (g.size < 2) return base;
    let keys = this.keysOf.get(base);
    if (!keys) this.keysOf.set(base, (keys = groupKeys(base, [...g])));
    return keys.get(uri);
  }

  /** The analysis with its derived IDs under the key the workspace gives it (the same object when it has it). */
  keyed(a: Analysis): Analysis {
    const want = this.keyFor(a.uri);
    if (want === undefined) return a;
    const has = this.keyOf.get(a) ?? documentKey(a.uri, a.model.docId?.id);
    if (has === want) return a;
    const b = rekeyAnalysis(a, has, want);
    if (b !== a) this.keyOf.set(b, want);
    return b;
  }
}

/** A path's parts, nearest first: the file name (without extension), then its folders up to the root. */
function partsOf(uri: string): string[] {
  let path = uri;
  try {
    path = decodeURIComponent(uri.replace(/^[a-z][a-z0-9+.-]*:\/*/i, ''));
  } catch {
    // keep it as written
  }
  const parts = path.split(/[\\/]/).filter(Boolean);
  const file = (parts.pop() ?? '').replace(/\.[^.]*$/, '');
  return [file, ...parts.reverse()].map((p) => slugify(p, 24) || '_');
}

/**
 * The key of `uri` in a group of documents with the same `base` key: `base` qualified by the
 * shortest run of its path parts (nearest first) that tells it from every other member, leaving
 * out the parts every member shares (`team-a.search`, `root-b.001-x`).
 */
export function qualifiedKey(uri: string, base: string, members: readonly string[]): string {
  return groupKeys(base, members.includes(uri) ? members : [...members, uri]).get(uri)!;
}

/** Every member's qualified key at once: for k = 1, 2, …, the members whose first k parts no other member has get them (linear per k). */
export function groupKeys(base: string, members: readonly string[]): Map<string, string> {
  const parts = new Map(members.map((m) => [m, partsOf(m)]));
  const depth = Math.max(0, ...[...parts.values()].map((p) => p.length));
  const at = (p: readonly string[], i: number) => p[i] ?? '';
  const first = parts.get(members[0]!)!;
  const shared: boolean[] = [];
  for (let i = 0; i < depth; i++) shared.push([...parts.values()].every((p) => at(p, i) === at(first, i)));
  const out = new Map<string, string>();
  let open = [...members];
  for (let k = 1; k <= depth && open.length; k++) {
    const count = new Map<string, number>();
    const prefix = (m: string) => parts.get(m)!.slice(0, k).join('/') + '/'.repeat(Math.max(0, k - parts.get(m)!.length));
    for (const m of members) count.set(prefix(m), (count.get(prefix(m)) ?? 0) + 1);
    const still: string[] = [];
    for (const m of open) {
      if (count.get(prefix(m)) !== 1) {
        still.push(m);
        continue;
      }
      const own: string[] = [];
      for (let i = 0; i < k; i++) if (!shared[i] || i === k - 1) own.push(at(parts.get(m)!, i) || 'root');
      out.set(m, [...own.reverse(), base].join('.'));
    }
    open = still;
  }
  // Paths that read the same (`Team A` and `team-a`): the member's place in the sorted group.
  const sorted = [...members].sort();
  for (const m of open) out.set(m, `${base}-${sorted.indexOf(m) + 1}`);
  return out;
}

/**
 * An analysis with its derived IDs moved from key `from` to key `to` (`FEAT-search.x` ->
 * `FEAT-team-a.search.x`): its entities, their parents, the references' owning entities, and every
 * message and fix datum that names one. Written IDs are untouched. Diagnostics are re-keyed on
 * first use, like the analysis computes them.
 */
export function rekeyAnalysis(a: Analysis, from: string, to: string): Analysis {
  const ids = new Map<string, string>();
  for (const e of a.model.entities) {
    const prefix = `${e.kind}-${from}.`;
    if (e.idDerived && e.id.startsWith(prefix)) ids.set(e.id, `${e.kind}-${to}.${e.id.slice(prefix.length)}`);
  }
  if (!ids.size) return a;
  const swap = (id: string) => ids.get(id) ?? id;
  const inText = (s: string) => s.replace(idPattern(), (m) => ids.get(m) ?? m);
  const inValue = (v: unknown): unknown => (typeof v === 'string' ? inText(v) : Array.isArray(v) ? v.map(inValue) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, inValue(x)])) : v);
  const inDiagnostic = (d: Diagnostic): Diagnostic => {
    const message = inText(d.message);
    const data = d.data === undefined ? undefined : inValue(d.data);
    return message === d.message && JSON.stringify(data) === JSON.stringify(d.data) ? d : ({ ...d, message, ...(data !== undefined ? { data } : {}) } as Diagnostic);
  };
  const model: DocumentModel = {
    ...a.model,
    entities: a.model.entities.map((e) => (ids.has(e.id) || (e.parent !== undefined && ids.has(e.parent)) ? { ...e, id: swap(e.id), ...(e.parent !== undefined ? { parent: swap(e.parent) } : {}) } : e)),
    references: a.model.references.map((r) => (r.entity !== undefined && ids.has(r.entity) ? { ...r, entity: swap(r.entity) } : r)),
    problems: a.model.problems.map(inDiagnostic),
  };
  // The same analysis (its lazily computed parts included) with the new model.
  const out = Object.create(Object.getPrototypeOf(a), Object.getOwnPropertyDescriptors(a)) as Analysis;
  let diagnostics: readonly Diagnostic[] | undefined;
  Object.defineProperty(out, 'model', { value: model, enumerable: true, configurable: true });
  Object.defineProperty(out, 'diagnostics', { get: () => (diagnostics ??= a.diagnostics.map(inDiagnostic)), enumerable: true, configurable: true });
  return out;
}
