/**
 * Scope lists. Under a scope section — `In Scope (Must Have)`, `### Must Have (MVP)`, `Out of
 * Scope (Future Releases)`, `Won't Have`, `Potential Features (Not MVP)` — a checklist entry
 * (`- [ ] Feature 1`) or a marked item (`- ❌ Workout tracking (V2+)`) is a feature a reader plans
 * or defers; out of scope, it is a feature that will not be built this time (priority `wont`).
 * Plain bullets there are a list of excluded areas, not features.
 *
 * One exception decides per list: a prioritisation list whose items name entities defined
 * elsewhere in the document (`**Must Have:**` / `- [x] Human-in-the-Loop Review Points`, the
 * features table above) defines nothing — it gives those entities their priorities (mentions.ts).
 * So the items of a list become features only when none of them names another entity.
 */
import type { Property } from '../types.js';
import { nameWords, type PriorityMention } from './mentions.js';

/** A scope item read from a list, waiting for the end of the document to know whether it names another entity. */
export interface ScopeItem<C> {
  /** The list (or section) it belongs to: the decision is per list. */
  readonly group: number;
  /** The name it gives (without its box, mark and release qualifier). */
  readonly name: string;
  /** The feature it is when its list names no other entity. */
  readonly candidate: C;
  /** The priority of its section or label, or `wont` out of scope. */
  readonly priority?: Property;
}

interface Titled {
  readonly kind: string;
  readonly title: string;
}

/** The phrase of a scope title that says "out of scope" (`EXPLICITLY OUT OF SCOPE`, `Not MVP`, `Future Releases`), with its offset in the title. */
export function outOfScopePhrase(title: string): { index: number; text: string } | undefined {
  const m = /\bout[\s-]of[\s-]scope\b|\bnot\s+(?:in\s+)?(?:mvp|scope|included)\b|\bwon[’']?t[\s-]?haves?\b|\bwill not have\b|\bdeferred\b|\bpost[\s-]?mvp\b|\bfuture\s+(?:releases?|phases?|versions?|features?|scope|enhancements?)\b|\bexcluded\b/i.exec(title);
  return m ? { index: m.index, text: m[0] } : undefined;
}

/** The name a scope item gives: no box or mark, no trailing release qualifier (`(V1.5)`, `(V2+ - requires mobile apps)`). */
export function scopeItemName(line: string): string {
  return line
    .replace(/^\s*(?:\[[ xX]\]\s*)?[\p{Extended_Pictographic}\uFE0F\u200d\u2610-\u2612\u2714-\u2718\u274C]*\s*/u, '')
    .replace(/\s*\([^()]*\)\s*$/, '')
    .trim();
}

/**
 * The features among the scope items: every item of a list none of whose items names another
 * entity (a FEAT candidate), in document order. The items of the other lists become priority
 * mentions of the entity they name.
 */
export function resolveScopeItems<C>(items: readonly ScopeItem<C>[], entities: readonly Titled[], mentions: PriorityMention[]): ScopeItem<C>[] {
  const naming = new Set<number>();
  if (items.length) {
    // The same test as namesMatch (the words of one name contain the other's, the shorter at least half
    // the longer), through an index of the features' words so that a long list against a long table
    // stays linear in what the names share.
    const features = entities.filter((e) => e.kind === 'FEAT').map((e) => {
      const w = nameWords(e.title);
      return { length: w.length, distinct: new Set(w).size };
    });
    const posting = new Map<string, number[]>();
    entities
      .filter((e) => e.kind === 'FEAT')
      .forEach((e, f) => {
        for (const w of new Set(nameWords(e.title))) (posting.get(w) ?? posting.set(w, []).get(w)!).push(f);
      });
    const hits = new Map<number, number>();
    for (const it of items) {
      if (naming.has(it.group)) continue;
      const w = nameWords(it.name);
      if (!w.length) continue;
      const distinct = new Set(w);
      hits.clear();
      for (const x of distinct) for (const f of posting.get(x) ?? []) hits.set(f, (hits.get(f) ?? 0) + 1);
      for (const [f, n] of hits) {
        const e = features[f]!;
        const [small, large] = e.length <= w.length ? [e.length, w.length] : [w.length, e.length];
        const contained = e.length <= w.length ? n === e.distinct : n === distinct.size;
        if (contained && small * 2 >= large) {
          naming.add(it.group);
          break;
        }
      }
    }
  }
  const out: ScopeItem<C>[] = [];
  for (const it of items) {
    if (!naming.has(it.group)) out.push(it);
    else if (it.priority) mentions.push({ name: it.name, priority: it.priority });
  }
  return out;
}
