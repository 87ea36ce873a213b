/**
 * One verdict: on every feature of every alignment fixture, the hover's verdict line, the
 * summary (aligned / unaligned work) and the alignment rules agree.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeDocument } from '../../server/src/core/analysis.js';
import { WorkspaceIndex } from '../../server/src/core/index/workspaceIndex.js';
import { strategyOf } from '../../server/src/core/alignment/strategy.js';
import { summarize } from '../../server/src/core/alignment/summary.js';
import { alignmentFindings } from '../../server/src/core/rules/run.js';
import { hoverId } from '../../server/src/core/features/hover.js';
import { findMarkdownFiles, readMarkdownFile } from '../../server/src/node/host.js';
import { FIXTURES, ROOT, schemas } from '../helpers.js';

const dir = path.join(FIXTURES, 'alignment');
const cases = [
  ...fs
    .readdirSync(dir)
    .filter((f) => fs.statSync(path.join(dir, f)).isDirectory())
    .sort()
    .map((name) => ({ name, root: path.join(dir, name), asOf: (JSON.parse(fs.readFileSync(path.join(dir, name, 'case.json'), 'utf8')) as { asOf: string }).asOf })),
  { name: 'examples', root: path.join(ROOT, 'examples'), asOf: '2026-11-23' },
];

const UNALIGNED = new Set(['feature-without-kpi', 'feature-not-aligned', 'must-feature-unaligned']);

for (const c of cases) {
  test(`one verdict: hover, summary and rules agree on every feature of ${c.name}`, () => {
    const index = new WorkspaceIndex();
    for (const f of findMarkdownFiles([c.root])) index.set(analyzeDocument(`file:///ws/${path.relative(c.root, f).split(path.sep).join('/')}`, readMarkdownFile(f).text ?? '', schemas()));
    const s = strategyOf(index, schemas(), c.asOf);
    const findings = alignmentFindings(s, index);
    const summary = summarize(s, index, findings);
    const unaligned = new Set(summary.unaligned.map((f) => f.id));
    assert.ok(s.features.size > 0, 'a fixture with features');
    for (const f of s.features.values()) {
      const hover = hoverId({ index, registry: schemas(), asOf: c.asOf }, f.id) ?? '';
      // The verdict is the hover's first line after the heading.
      const line = hover.split('\n\n')[1] ?? '';
      const mine = findings.filter((x) => (x.diagnostic.data as { feature?: string } | undefined)?.feature === f.id).map((x) => String(x.diagnostic.code));
      const says = line.startsWith('Not planned') ? 'not-planned' : line.includes('Not aligned') ? 'unaligned' : line.includes('Serves') ? 'late' : line.includes('Aligned') ? 'aligned' : `? ${line}`;
      const where = `${c.name} ${f.id}: hover says "${line}", findings [${mine.join(', ')}]`;
      if (says === 'not-planned') {
        assert.ok(!f.planned && mine.length === 0 && !unaligned.has(f.id), where);
        continue;
      }
      assert.ok(f.planned, where);
      // Not aligned in the hover <=> an unaligned finding <=> listed as unaligned work in the summary.
      assert.equal(says === 'unaligned', mine.some((m) => UNALIGNED.has(m)), where);
      assert.equal(says === 'unaligned', unaligned.has(f.id), where);
      // Late in the hover => a late finding; a late finding => late or not aligned in the hover.
      if (says === 'late') assert.ok(mine.includes('feature-after-kr-period'), where);
      if (mine.includes('feature-after-kr-period')) assert.ok(says === 'late' || says === 'unaligned', where);
      if (says === 'aligned') assert.ok(!mine.some((m) => UNALIGNED.has(m) || m === 'feature-after-kr-period'), where);
    }
    assert.equal(summary.aligned, summary.planned - summary.unaligned.length);
  });
}
