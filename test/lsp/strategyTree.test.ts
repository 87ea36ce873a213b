/** `northstar/strategyTree` (the Northstar view) over stdio with a real JSON-RPC client, on the examples. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ROOT } from '../helpers.js';
import { TestClient } from './lspClient.js';
import type { StrategyTree, TreeNode } from '../../server/src/core/features/tree.js';

function* walk(nodes: readonly TreeNode[]): Generator<TreeNode> {
  for (const n of nodes) {
    yield n;
    if (n.children) yield* walk(n.children);
  }
}

test('northstar/strategyTree: the whole workspace once indexed, filters applied, malformed filters ignored', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'northstar-tree-'));
  fs.cpSync(path.join(ROOT, 'examples'), dir, { recursive: true });
  const c = await TestClient.start(dir);
  try {
    // No document is open: the answer waits for the index and covers every file.
    const tree = await c.request<StrategyTree>('northstar/strategyTree', {});
    assert.deepEqual(tree.roots.map((r) => r.label), ['OKRs', 'Roadmap', 'Unaligned', 'Uncovered']);
    const feat = [...walk(tree.roots)].find((n) => n.id === 'FEAT-saved-cards');
    assert.ok(feat?.target?.uri.endsWith('/prds/saved-cards.prd.md') && feat.target.line === 41 && feat.verdict === 'aligned', JSON.stringify(feat));
    assert.ok(tree.counts.documents >= 7, `documents: ${tree.counts.documents}`);
    assert.ok(tree.filters.owners.includes('Maya Chen'));
    const filtered = await c.request<StrategyTree>('northstar/strategyTree', { period: '2027-Q1' });
    assert.deepEqual(filtered.active, { period: '2027-Q1' });
    assert.equal(filtered.counts.features, 3);
    const odd = await c.request<StrategyTree>('northstar/strategyTree', { owner: 42, period: ['x'], stage: 'x'.repeat(1000) });
    assert.deepEqual(odd.active, {});
    assert.equal(odd.counts.features, tree.counts.features);
  } finally {
    await c.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
