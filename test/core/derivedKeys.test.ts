/**
 * Derived IDs unique in the workspace (core/index/derivedKeys.ts): documents with the same document
 * key are qualified by the shortest part of their path no other shares; a document alone keeps its
 * key, so an unrelated file changes nothing, and a document leaving the group gives the key back.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { analyzeDocument } from '../../server/src/core/analysis.js';
import { WorkspaceIndex } from '../../server/src/core/index/workspaceIndex.js';
import { qualifiedKey } from '../../server/src/core/index/derivedKeys.js';
import { diagnosticsFor } from '../../server/src/core/features/check.js';
import { schemas } from '../helpers.js';

const prd = (title: string) => `---\ntype: prd\ntitle: ${title}\n---\n\n# ${title}\n\n## Features\n\n### Quick search\n\n- priority: should\n`;
const ids = (index: WorkspaceIndex, uri: string) => index.get(uri)!.model.entities.map((e) => e.id);

test('two documents with one key get distinct derived IDs; an unrelated file changes none; leaving gives the key back', () => {
  const index = new WorkspaceIndex();
  const a = 'file:///ws/team-a/search/prd.md';
  const b = 'file:///ws/team-b/search/prd.md';
  index.set(analyzeDocument(a, prd('A'), schemas()));
  assert.deepEqual(ids(index, a), ['FEAT-search.quick-search']);
  index.set(analyzeDocument('file:///ws/team-a/billing/prd.md', prd('Billing'), schemas()));
  assert.deepEqual(ids(index, a), ['FEAT-search.quick-search'], 'an unrelated file changes no derived ID');
  index.set(analyzeDocument(b, prd('B'), schemas()));
  assert.deepEqual(ids(index, a), ['FEAT-team-a.search.quick-search']);
  assert.deepEqual(ids(index, b), ['FEAT-team-b.search.quick-search']);
  assert.equal(index.definitions('FEAT-team-a.search.quick-search').length, 1, 'not merged');
  // The hints name the ID that would be written, and its fix writes it.
  const hint = diagnosticsFor(index, schemas(), a, { asOf: '2026-11-23' }).find((d) => d.code === 'no-id-yet');
  assert.match(hint!.message, /FEAT-team-a\.search\.quick-search/);
  assert.equal(hint!.data?.['id'], 'FEAT-team-a.search.quick-search');
  // Typing in b keeps both keys (no churn), removing b gives a its key back.
  index.set(analyzeDocument(b, prd('B2'), schemas()));
  assert.deepEqual(ids(index, a), ['FEAT-team-a.search.quick-search']);
  index.remove(b);
  assert.deepEqual(ids(index, a), ['FEAT-search.quick-search']);
});

test('a derived ID never equals an ID another document wrote with the same key (Assign IDs)', () => {
  const index = new WorkspaceIndex();
  const a = 'file:///ws/team-a/search/prd.md';
  const b = 'file:///ws/team-b/search/prd.md';
  // team-a wrote its IDs while it was alone with the key; team-b, added later, derives its own.
  index.set(analyzeDocument(a, prd('A').replace('### Quick search', '### FEAT-search.quick-search: Quick search'), schemas()));
  index.set(analyzeDocument(b, prd('B'), schemas()));
  assert.deepEqual(ids(index, a), ['FEAT-search.quick-search']);
  assert.deepEqual(ids(index, b), ['FEAT-team-b.search.quick-search']);
  assert.equal(index.definitions('FEAT-search.quick-search').length, 1);
});

test('qualifiedKey: the shortest distinguishing part of the path, shared parts left out', () => {
  const g = ['file:///r/root-a/specs/001-x/spec.md', 'file:///r/root-b/specs/001-x/spec.md'];
  assert.equal(qualifiedKey(g[0]!, '001-x', g), 'root-a.001-x');
  const three = ['file:///r1/t/search/prd.md', 'file:///r1/u/search/prd.md', 'file:///r2/t/search/prd.md'];
  const keys = three.map((u) => qualifiedKey(u, 'search', three));
  assert.equal(new Set(keys).size, 3, keys.join(', '));
  assert.equal(keys[1], 'u.search');
  const same = ['file:///d/search.prd.md', 'file:///d/search.brief.md'];
  assert.notEqual(qualifiedKey(same[0]!, 'search', same), qualifiedKey(same[1]!, 'search', same));
});
