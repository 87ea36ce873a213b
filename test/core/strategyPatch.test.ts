/** The strategy patched after an edit equals the strategy built from scratch (speed never costs correctness). */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { analyzeDocument } from '../../server/src/core/analysis.js';
import { WorkspaceIndex } from '../../server/src/core/index/workspaceIndex.js';
import { buildStrategy, strategyOf, type Strategy } from '../../server/src/core/alignment/strategy.js';
import { findMarkdownFiles } from '../../server/src/node/host.js';
import { ROOT, schemas } from '../helpers.js';

function plain(s: Strategy): unknown {
  const conv = (v: unknown): unknown => (v instanceof Map ? Object.fromEntries([...v].map(([k, x]) => [k, conv(x)])) : Array.isArray(v) ? v.map(conv) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, k === 'values' ? conv(x) : conv(x)])) : v);
  return conv(s);
}

test('edits in prose, properties and headings: the patched strategy equals a fresh build', () => {
  const files = findMarkdownFiles([path.join(ROOT, 'examples')]);
  const texts = new Map(files.map((f) => [`file://${f}`, fs.readFileSync(f, 'utf8')]));
  const uris = [...texts.keys()].filter((u) => /\.(prd|okr|brief)\.md$/.test(u));
  fc.assert(
    fc.property(fc.array(fc.tuple(fc.constantFrom(...uris), fc.nat(), fc.constantFrom('x', ' more prose ', '\n', 'FEAT-', '- effort: 3\n', '', '## Goals\n')), { minLength: 1, maxLength: 6 }), (edits) => {
      const index = new WorkspaceIndex();
      const current = new Map(texts);
      for (const [u, t] of current) index.set(analyzeDocument(u, t, schemas()));
      strategyOf(index, schemas(), '2026-11-23');
      for (const [u, at, insert] of edits) {
        const t = current.get(u)!;
        const o = at % (t.length + 1);
        const next = t.slice(0, o) + insert + t.slice(o);
        current.set(u, next);
        index.set(analyzeDocument(u, next, schemas()));
        const patched = strategyOf(index, schemas(), '2026-11-23');
        const fresh = buildStrategy(index, schemas(), '2026-11-23');
        assert.deepEqual(plain(patched), plain(fresh));
      }
    }),
    { numRuns: 60, seed: 99 },
  );
});
