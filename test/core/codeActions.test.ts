/**
 * Quick fixes as data: each test/fixtures/codeActions/<name>.json names a workspace, a cursor
 * and the action to choose (by title); the snapshot holds the offered titles and every changed
 * document's full text after the edit. Plus a randomized test over generated documents: fixes
 * never overlap, change nothing outside their ranges, and the result still parses.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { analyzeDocument } from '../../server/src/core/analysis.js';
import { WorkspaceIndex } from '../../server/src/core/index/workspaceIndex.js';
import { diagnosticsFor } from '../../server/src/core/features/check.js';
import { fixAll, provideCodeActions } from '../../server/src/core/features/codeActions.js';
import { applyEdits } from '../../server/src/core/features/edits.js';
import { FIXTURES, expectSnapshot, schemas, assertRangesSane } from '../helpers.js';
import { BASE, loadCase, type WorkspaceCase } from '../fixtureWorkspace.js';

interface Case extends WorkspaceCase {
  /** The title of the action to apply (exact), or "fix all". */
  action: string;
}

const dir = path.join(FIXTURES, 'codeActions');
for (const name of fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
  test(`code action: ${name.replace(/\.json$/, '')}`, () => {
    const c = JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8')) as Case;
    const { ctx, uri, offset } = loadCase(c);
    const a = ctx.index.get(uri)!;
    const diags = diagnosticsFor(ctx.index, ctx.registry, uri, { asOf: ctx.asOf });
    const actions = provideCodeActions(ctx, a, { start: offset, end: offset }, diags);
    const all = fixAll(ctx, a, diags);
    const offered = [...actions.map((x) => `${x.preferred ? '* ' : '  '}${x.title} [${x.kind}]`), ...(all ? [`  ${all.title} [${all.kind}]`] : [])];
    const chosen = c.action === 'fix all' ? all : actions.find((x) => x.title === c.action);
    assert.ok(chosen, `no action "${c.action}"; offered:\n${offered.join('\n')}`);
    const out = [`offered:\n${offered.join('\n')}`, ''];
    for (const [u, edits] of [...chosen.edits].sort(([x], [y]) => x.localeCompare(y))) {
      const before = ctx.index.get(u)!.text;
      const after = applyEdits(before, edits);
      out.push(`=== ${u.slice(BASE.length + 1)} after "${chosen.title}"`, after);
      // The fixed diagnostics are gone from the document's own diagnostics.
      const re = analyzeDocument(u, after, schemas());
      assertRangesSane(re);
    }
    expectSnapshot(path.join(dir, name.replace(/\.json$/, '.snap')), out.join('\n'));
  });
}

// ---- randomized: generated documents with mistakes, every safe fix applied ------------------

const word = fc.stringMatching(/^[a-z]{3,8}$/);
const priority = fc.constantFrom('must', 'should', 'could', 'wont', 'mst', 'Must have', 'mandatory', 'shuold');
const feature = fc.record({ id: word, priority, kpi: fc.constantFrom('KPI-a', 'KPI-b', 'KPI-x', ''), rice: fc.option(fc.integer({ min: 1, max: 5000 })), key: fc.constantFrom('priority', 'prioirty', 'staus', 'effort') });
const doc = fc.record({
  crlf: fc.boolean(),
  sections: fc.subarray(['Problem', 'Goals', 'Non-goals', 'Success metrics', 'Release plan']),
  fmKeys: fc.subarray(['title', 'owner', 'status', 'brief', 'release', 'ownr']),
  features: fc.array(feature, { maxLength: 4 }),
  trailingNewline: fc.boolean(),
});

test('randomized: fixes never overlap, touch only their ranges, and leave a parseable document', () => {
  fc.assert(
    fc.property(doc, (d) => {
      const eol = d.crlf ? '\r\n' : '\n';
      const fm = ['---', 'type: prd', 'id: PRD-gen', ...d.fmKeys.map((k) => `${k}: ${k === 'brief' ? 'BRIEF-gen' : k === 'release' ? '2026-Q4' : k === 'status' ? 'draft' : 'x'}`), '---'];
      const body: string[] = ['', '# Generated', ''];
      const secs = [...d.sections];
      secs.splice(Math.min(secs.length, 2), 0, 'Features');
      for (const s of secs) {
        body.push(`## ${s}`, '');
        if (s === 'Features')
          d.features.forEach((f, i) => {
            body.push(`### FEAT-${f.id}${i}: Feature ${i}`, '', `- ${f.key}: ${f.key === 'effort' ? '2' : f.priority}`);
            if (f.kpi) body.push(`- kpi: ${f.kpi}`);
            if (f.rice !== null) body.push('- reach: 100', '- impact: 1', '- confidence: 50%', '- effort: 1', `- rice: ${f.rice}`);
            body.push('');
          });
        else body.push('Text.', '');
      }
      const text = [...fm, ...body].join(eol) + (d.trailingNewline ? eol : '');
      const index = new WorkspaceIndex();
      const uri = `${BASE}/gen.prd.md`;
      index.set(analyzeDocument(uri, text, schemas()));
      const ctx = { index, registry: schemas(), asOf: '2026-11-23' };
      const a = index.get(uri)!;
      const diags = diagnosticsFor(index, ctx.registry, uri, { asOf: ctx.asOf });
      const candidates = [...provideCodeActions(ctx, a, { start: 0, end: text.length }, diags), ...[fixAll(ctx, a, diags)].filter((x) => x !== undefined)];
      for (const action of candidates) {
        const edits = action.edits.get(uri);
        if (!edits) continue;
        const after = applyEdits(text, edits); // throws on overlap
        // Nothing outside the edited ranges changed: the text before the first and after the last edit is intact.
        const sorted = [...edits].sort((x, y) => x.span.start - y.span.start);
        assert.equal(after.slice(0, sorted[0]!.span.start), text.slice(0, sorted[0]!.span.start));
        const tail = text.length - sorted[sorted.length - 1]!.span.end;
        assert.equal(after.slice(after.length - tail), text.slice(text.length - tail));
        assertRangesSane(analyzeDocument(uri, after, schemas()));
        if (action.kind === 'source.fixAll') {
          // Applying fix-all leaves none of the safe problems it fixed.
          const again = analyzeDocument(uri, after, schemas());
          for (const f of action.fixes) if (f.code === 'missing-section') assert.ok(!again.diagnostics.some((x) => x.code === 'missing-section' && x.message === f.message), `still: ${f.message}\n${after}`);
        }
      }
    }),
    { numRuns: 300, seed: 20261123 },
  );
});
