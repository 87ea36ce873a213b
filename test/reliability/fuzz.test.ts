/**
 * Fuzzing with fast-check, fixed seeds: the parse -> model -> diagnostics pipeline, position
 * conversion and the edit builder. `npm test` runs 1,000 cases each; `npm run fuzz` runs
 * FUZZ_RUNS=100000 (figures in docs/RELIABILITY.md).
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { analyzeDocument } from '../../server/src/core/analysis.js';
import { LineIndex } from '../../server/src/core/text/lineIndex.js';
import { applyEdits, withoutOverlaps, type TextEdit } from '../../server/src/core/features/edits.js';
import { assertRangesSane, schemas } from '../helpers.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 1000);
const report = (name: string, n: number) => {
  if (process.env.FUZZ_RUNS) console.log(`fuzz ${name}: ${n} cases, 0 failures`);
};

/** Markdown-ish text: the characters that drive block and inline parsing, IDs, Unicode. */
const piece = fc.oneof(
  fc.constantFrom('\n', '\r\n', '\n\n', ' ', '  ', '    ', '\t', '#', '## ', '### FEAT-a: ', '- ', '* ', '1. ', '> ', '|', '| ID | Name |\n|---|---|\n', '---\n', '```', '~~~', '`', '**', '_', '[', ']', '(', ')', '<!--', '-->', '<', '>', '\\', 'priority: ', 'kpi: ', 'KPI-x', 'FEAT-b', 'KR-2026Q4.1', 'type: prd\n', '🚀', '中文', '\uFEFF', '\u0000', 'é', ':'),
  fc.string({ maxLength: 6 }),
);
const markdownish = fc.array(piece, { maxLength: 60 }).map((p) => p.join(''));
const withFrontMatter = fc.tuple(fc.constantFrom('', '---\ntype: prd\nid: PRD-f\n---\n', '---\ntype: okr\n', '---\r\ntype: brief\r\n---\r\n'), markdownish).map(([a, b]) => a + b);

test('fuzz: the pipeline never throws, ranges stay inside the document on UTF-16 boundaries, output is deterministic, fast path == remark', () => {
  fc.assert(
    fc.property(withFrontMatter, fc.constantFrom('f.prd.md', 'f.md', 'f.okr.md'), (text, name) => {
      const a = analyzeDocument(`file:///fuzz/${name}`, text, schemas());
      assertRangesSane(a);
      const b = analyzeDocument(`file:///fuzz/${name}`, text, schemas());
      assert.deepEqual(a.diagnostics, b.diagnostics);
      {
        const full = analyzeDocument(`file:///fuzz/${name}`, text, schemas(), undefined, { remarkOnly: true });
        assert.deepEqual(a.model, full.model);
      }
    }),
    { numRuns: RUNS, seed: 1123 },
  );
  report('pipeline', RUNS);
});

test('fuzz: position conversion round-trips and never splits a surrogate pair', () => {
  const text = fc.array(fc.constantFrom('a', '\n', '\r', '\r\n', '🚀', '中', ' '), { maxLength: 80 }).map((x) => x.join(''));
  fc.assert(
    fc.property(text, fc.nat(), (t, n) => {
      const li = new LineIndex(t);
      const o = n % (t.length + 1);
      const p = li.positionAt(o);
      const back = li.offsetAt(p);
      assert.ok(back <= o && back >= 0);
      if (!(t[o - 1] === '\r' && t[o] === '\n')) assert.equal(back, li.clamp(o));
      const c = t.charCodeAt(back);
      assert.ok(!(c >= 0xdc00 && c <= 0xdfff && back > 0), `split at ${back}`);
      assert.ok(p.line < li.lineCount);
    }),
    { numRuns: RUNS, seed: 2234 },
  );
  report('positions', RUNS);
});

test('fuzz: the edit builder keeps non-overlapping edits and changes nothing outside them', () => {
  const editArb = (len: number) => fc.array(fc.tuple(fc.nat({ max: len }), fc.nat({ max: 5 }), fc.string({ maxLength: 4 })), { maxLength: 8 });
  fc.assert(
    fc.property(
      fc.string({ maxLength: 60 }).chain((t) => fc.tuple(fc.constant(t), editArb(t.length))),
      ([t, raw]) => {
        const edits: TextEdit[] = raw.map(([s, l, x]) => ({ span: { start: s, end: Math.min(t.length, s + l) }, newText: x }));
        const kept = withoutOverlaps(edits);
        for (let i = 1; i < kept.length; i++) assert.ok(kept[i]!.span.start >= kept[i - 1]!.span.end || (kept[i]!.span.start === kept[i]!.span.end && kept[i - 1]!.span.end <= kept[i]!.span.start));
        const out = applyEdits(t, kept);
        const removed = kept.reduce((n, e) => n + (e.span.end - e.span.start), 0);
        const added = kept.reduce((n, e) => n + e.newText.length, 0);
        assert.equal(out.length, t.length - removed + added);
        if (kept.length) {
          assert.equal(out.slice(0, kept[0]!.span.start), t.slice(0, kept[0]!.span.start));
          const tail = t.length - kept[kept.length - 1]!.span.end;
          assert.equal(out.slice(out.length - tail), t.slice(t.length - tail));
        } else assert.equal(out, t);
      },
    ),
    { numRuns: RUNS, seed: 3345 },
  );
  report('edits', RUNS);
});
