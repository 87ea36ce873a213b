/**
 * Priorities given by name. A prioritisation list — bullets under a priority label
 * (`**Must Have (all shipped in v3.0):**` / `- [x] Human-in-the-Loop Review Points`) — often names
 * entities defined elsewhere in the document (a row `| Human-in-the-Loop | … |` of the features
 * table). Such a bullet defines nothing; it gives the entity it names that priority.
 *
 * A name matches an entity's title case-insensitively when the words of one contain the words of
 * the other (a prefix is a special case), plurals folded and parenthesised asides dropped, and the
 * shorter name has at least half the words of the longer one. Only a unique match counts: a name
 * that fits two entities, or none, gives nothing (and is no entity, so it makes no finding).
 */
import type { Property } from '../types.js';

export interface PriorityMention {
  /** The name as the bullet writes it, without its decorations and asides. */
  readonly name: string;
  /** The priority of the label the bullet sits under (its ranges are the label's). */
  readonly priority: Property;
}

/** What the matching needs of an entity. */
export interface Named {
  readonly title: string;
  readonly properties: Property[];
}

/** A word as the matching compares it: lower case, a plural `s` folded (`Skills` = `Skill`). */
function stem(w: string): string {
  return w.length > 3 && w.endsWith('s') && !w.endsWith('ss') ? w.slice(0, -1) : w;
}

/** The words of a name: no parenthesised aside, split at anything that is no letter or digit (`Human-in-the-Loop` is four words). */
export function nameWords(name: string): string[] {
  return name
    .toLowerCase()
    .replace(/\([^)]*\)|\[[^\]]*\]/g, ' ')
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean)
    .map(stem);
}

/** Whether two names name the same thing: one's words contain the other's, and the shorter has at least half the words of the longer. */
export function namesMatch(a: string, b: string): boolean {
  const wa = nameWords(a);
  const wb = nameWords(b);
  if (!wa.length || !wb.length) return false;
  const [small, large] = wa.length <= wb.length ? [wa, wb] : [wb, wa];
  const set = new Set(large);
  return small.every((w) => set.has(w)) && small.length * 2 >= large.length;
}

/** Whether two names have the same words (case, plurals and asides aside): one entity named twice. */
export function sameName(a: string, b: string): boolean {
  const wa = new Set(nameWords(a));
  const wb = new Set(nameWords(b));
  return wa.size > 0 && wa.size === wb.size && [...wa].every((w) => wb.has(w));
}

/**
 * Gives each mention's priority to the one entity it names, when that entity takes a priority and
 * has none yet (its own line, or an earlier mention, wins). Returns the entities given one.
 */
export function applyPriorityMentions<T extends Named>(entities: readonly T[], mentions: readonly PriorityMention[], takesPriority: (e: T) => boolean): T[] {
  const given: T[] = [];
  for (const m of mentions) {
    const hits = entities.filter((e) => takesPriority(e) && namesMatch(e.title, m.name));
    if (hits.length !== 1) continue;
    const e = hits[0]!;
    if (e.properties.some((p) => p.key === 'priority')) continue;
    e.properties.push(m.priority);
    given.push(e);
  }
  return given;
}
