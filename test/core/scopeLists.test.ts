/**
 * Scope lists (model/read/scope.ts): a list under a scope section is features unless one of its
 * items names an entity defined elsewhere (then its items are priority mentions). The decision
 * uses an index of the features' words; it must agree with namesMatch, the one definition of
 * "names the same thing", on any names.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { namesMatch, type PriorityMention } from '../../server/src/core/model/read/mentions.js';
import { resolveScopeItems, scopeItemName, outOfScopePhrase, type ScopeItem } from '../../server/src/core/model/read/scope.js';
import { isMarkedItem, scopeOf } from '../../server/src/core/model/read/roles.js';
import type { Property } from '../../server/src/core/model/types.js';

const priority = (raw: string): Property => ({ key: 'priority', rawKey: 'priority', keySpan: { start: 0, end: 0 }, raw, valueSpan: { start: 0, end: 0 }, items: [] });

/** A small deterministic random generator (tests are data: the same names every run). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

test('the indexed scope-list decision agrees with namesMatch on random names', () => {
  const vocab = ['search', 'searches', 'history', 'offline', 'mode', 'export', 'pdf', 'human-in-the-loop', 'review', 'points', 'skill', 'skills', 'templates', 'a', 'the', '(v2)', 'sync'];
  const r = rng(7);
  const name = () => Array.from({ length: 1 + Math.floor(r() * 4) }, () => vocab[Math.floor(r() * vocab.length)]!).join(' ');
  for (let round = 0; round < 200; round++) {
    const entities = Array.from({ length: Math.floor(r() * 6) }, () => ({ kind: r() < 0.8 ? 'FEAT' : 'KPI', title: name() }));
    const items: ScopeItem<string>[] = Array.from({ length: 1 + Math.floor(r() * 6) }, (_, i) => ({ group: i % 2, name: name(), candidate: `c${i}`, priority: priority('Must Have') }));
    const mentions: PriorityMention[] = [];
    const got = resolveScopeItems(items, entities, mentions).map((it) => it.candidate);
    const naming = new Set(items.filter((it) => entities.some((e) => e.kind === 'FEAT' && namesMatch(e.title, it.name))).map((it) => it.group));
    const want = items.filter((it) => !naming.has(it.group)).map((it) => it.candidate);
    assert.deepEqual(got, want, JSON.stringify({ entities, items: items.map((i) => [i.group, i.name]) }));
    assert.equal(mentions.length, items.length - want.length, 'the items of a naming list are mentions');
  }
});

test('a long scope list against a long features table: features when nothing is named, mentions when one item is', () => {
  const entities = Array.from({ length: 2000 }, (_, i) => ({ kind: 'FEAT', title: `Feature number ${i} alpha` }));
  const items = (names: string[]): ScopeItem<string>[] => names.map((n, i) => ({ group: 1, name: n, candidate: `c${i}` }));
  const plain = items(Array.from({ length: 2000 }, (_, i) => `Item ${i} beta gamma`));
  assert.equal(resolveScopeItems(plain, entities, []).length, 2000);
  const naming = items([...Array.from({ length: 1999 }, (_, i) => `Item ${i} beta gamma`), 'Feature number 7 alpha']);
  assert.equal(resolveScopeItems(naming, entities, []).length, 0);
});

test('scope titles, marked items and item names', () => {
  assert.deepEqual(
    ['In Scope (Must Have)', 'Out of Scope (Future Releases)', "Won't Have (this release)", 'Potential Features (Not MVP)', '## 4. V1.0 MUST HAVE (Lean)', 'Future Enhancements', 'Scope Summary', 'Core Features', 'Risks'].map(scopeOf),
    ['in', 'out', 'out', 'out', 'in', 'out', 'in', undefined, undefined],
  );
  assert.deepEqual(['[ ] Feature 1', '[x] Done', '❌ Workout tracking', '✅ English', 'Plain bullet', '**Bold**: lead'].map(isMarkedItem), [true, true, true, true, false, false]);
  assert.deepEqual(['❌ Habit templates library (V1.5)', '[ ] [Feature 2]', '✅ English (en)', 'Health data integrations (V2+ - requires mobile apps)'].map(scopeItemName), ['Habit templates library', '[Feature 2]', 'English', 'Health data integrations']);
  assert.equal(outOfScopePhrase('5. V1.0 EXPLICITLY OUT OF SCOPE')?.text, 'OUT OF SCOPE');
});
