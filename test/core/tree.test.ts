/**
 * The Northstar view's tree (core/features/tree.ts), data-driven: every case of
 * test/fixtures/tree/cases.json (examples/ and small inline workspaces, with and without
 * filters) is rendered as text and compared with its snapshot, and checked against what the
 * rest of Northstar says: the verdicts, the summary's unaligned work and uncovered key results,
 * and the line each node opens.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import test from 'node:test';
import { strategyTree, type TreeFilter, type TreeNode } from '../../server/src/core/features/tree.js';
import { strategyOf } from '../../server/src/core/alignment/strategy.js';
import { summarize } from '../../server/src/core/alignment/summary.js';
import { featureVerdict } from '../../server/src/core/alignment/verdict.js';
import { loadCase, type WorkspaceCase } from '../fixtureWorkspace.js';
import { expectSnapshot, FIXTURES } from '../helpers.js';

interface TreeCase extends Omit<WorkspaceCase, 'file'> {
  name: string;
  filter?: TreeFilter;
}

const dir = path.join(FIXTURES, 'tree');
const cases = JSON.parse(fs.readFileSync(path.join(dir, 'cases.json'), 'utf8')) as TreeCase[];

function render(nodes: readonly TreeNode[], depth = 0, out: string[] = []): string[] {
  for (const n of nodes) {
    const where = n.target ? `  → ${n.target.uri.replace('file:///ws/', '')}:${n.target.line + 1}:${n.target.character + 1}` : '';
    out.push(`${'  '.repeat(depth)}[${n.icon}] ${n.label}${n.description ? ` — ${n.description}` : ''}${where}`);
    if (n.children) render(n.children, depth + 1, out);
  }
  return out;
}

function* walk(nodes: readonly TreeNode[]): Generator<TreeNode> {
  for (const n of nodes) {
    yield n;
    if (n.children) yield* walk(n.children);
  }
}

for (const c of cases) {
  test(`tree: ${c.name}`, () => {
    const { ctx } = loadCase({ ...c, file: '' });
    const tree = strategyTree(ctx, c.filter ?? {});
    const text = [
      `as of ${tree.asOf}; filter ${JSON.stringify(tree.active)}`,
      `owners: ${tree.filters.owners.join(', ')}`,
      `periods: ${tree.filters.periods.join(', ')}`,
      `stages: ${tree.filters.stages.join(', ')}`,
      ...render(tree.roots),
      '',
    ].join('\n');
    expectSnapshot(path.join(dir, `${c.name}.snap`), text);

    // Keys are unique; every node the user can click opens the line where its ID is written.
    const keys = new Set<string>();
    for (const n of walk(tree.roots)) {
      assert.ok(!keys.has(n.key), `duplicate key ${n.key}`);
      keys.add(n.key);
      if (n.target && n.id) {
        const a = ctx.index.get(n.target.uri);
        assert.ok(a, `${n.key} opens a document that is not indexed`);
        const line = a.text.split(/\r?\n/)[n.target.line] ?? '';
        assert.equal(line.slice(n.target.character, n.target.character + n.id.length), n.id, `${n.key} opens ${n.target.line + 1}:${n.target.character + 1}, which is not its ID`);
      }
    }
    const s = strategyOf(ctx.index, ctx.registry, ctx.asOf);
    // Every feature node shows the one verdict.
    for (const n of walk(tree.roots)) {
      if (n.kind !== 'feature') continue;
      const f = s.features.get(n.id!);
      assert.ok(f, `${n.id} is not a feature of the strategy`);
      assert.equal(n.verdict, featureVerdict(s, f).status, `${n.key}: the tree's verdict differs from featureVerdict`);
    }
    if (c.filter) return;
    // Unfiltered: the roadmap holds every feature once; Unaligned and Uncovered agree with the summary.
    const roadmap = tree.roots.find((r) => r.key === 'roadmap')!;
    const onRoadmap = [...walk(roadmap.children ?? [])].filter((n) => n.kind === 'feature').map((n) => n.id).sort();
    assert.deepEqual(onRoadmap, [...s.features.keys()].sort(), 'the roadmap does not hold every feature exactly once');
    const summary = summarize(s, ctx.index, []);
    const unaligned = (tree.roots.find((r) => r.key.startsWith('unaligned'))!.children ?? []).filter((n) => n.kind === 'feature').map((n) => n.id).sort();
    assert.deepEqual(unaligned, summary.unaligned.map((f) => f.id).sort(), 'Unaligned differs from the summary');
    const uncovered = (tree.roots.find((r) => r.key.startsWith('uncovered'))!.children ?? []).filter((n) => n.kind === 'keyResult').map((n) => n.id).sort();
    const summaryUncovered = summary.okrs.flatMap((o) => o.objectives.flatMap((ob) => ob.keyResults.filter((k) => !k.covered).map((k) => k.id)));
    for (const id of summaryUncovered) assert.ok(uncovered.includes(id), `${id} is uncovered in the summary but not in the tree`);
  });
}

test('tree: a filter with a value nobody uses shows the groups with a message, never throws', () => {
  const { ctx } = loadCase({ workspace: 'examples', file: '' });
  for (const filter of [{ owner: 'Nobody' }, { period: '1999-Q1' }, { period: 'not a period' }, { stage: 'nope' }]) {
    const tree = strategyTree(ctx, filter);
    assert.deepEqual(tree.roots.map((r) => r.label), ['OKRs', 'Roadmap', 'Unaligned', 'Uncovered']);
    assert.equal(tree.counts.features, 0, `${JSON.stringify(filter)} still shows features`);
  }
});
