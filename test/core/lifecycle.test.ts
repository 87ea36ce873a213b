/**
 * The product lifecycle: a brief's `stage` (with aliases) is read once, shown by the hover and
 * the report (products grouped by stage), and drives end-of-life-planned-work and
 * launch-without-gtm in the editor's code path and in the CLI.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { analyzeDocument } from '../../server/src/core/analysis.js';
import { WorkspaceIndex } from '../../server/src/core/index/workspaceIndex.js';
import { strategyOf } from '../../server/src/core/alignment/strategy.js';
import { summarize } from '../../server/src/core/alignment/summary.js';
import { renderMarkdownReport } from '../../server/src/core/alignment/report.js';
import { alignmentFindings } from '../../server/src/core/rules/run.js';
import { diagnosticsFor } from '../../server/src/core/features/check.js';
import { provideCodeActions } from '../../server/src/core/features/codeActions.js';
import { hoverId } from '../../server/src/core/features/hover.js';
import { applyEdits } from '../../server/src/core/features/edits.js';
import { findMarkdownFiles, readMarkdownFile } from '../../server/src/node/host.js';
import { FIXTURES, ROOT, schemas } from '../helpers.js';

const AS_OF = '2026-11-23';

function load(name: string) {
  const root = path.join(FIXTURES, 'alignment', name);
  const index = new WorkspaceIndex();
  for (const f of findMarkdownFiles([root])) index.set(analyzeDocument(`file:///ws/${path.basename(f)}`, readMarkdownFile(f).text ?? '', schemas()));
  const ctx = { index, registry: schemas(), asOf: AS_OF };
  const s = strategyOf(index, schemas(), AS_OF);
  const summary = summarize(s, index, alignmentFindings(s, index));
  return { index, ctx, s, summary, report: renderMarkdownReport(summary, s, { path: (u) => u.slice('file:///ws/'.length) }) };
}

test('lifecycle: `stage: sunset` reads as end-of-life; hover and report show it', () => {
  const { s, ctx, summary, report } = load('end-of-life');
  assert.equal(s.docs.get('BRIEF-al')?.stage, 'end-of-life');
  assert.match(hoverId(ctx, 'BRIEF-al') ?? '', /stage end-of-life/);
  assert.match(hoverId(ctx, 'FEAT-al-1') ?? '', /product at end-of-life/);
  assert.deepEqual(summary.products.map((p) => [p.id, p.stage, p.prds, p.planned]), [['BRIEF-al', 'end-of-life', ['PRD-al-eol'], 2]]);
  assert.match(report, /## Products by stage\n\n### end-of-life\n\n- \[BRIEF-al\]/);
});

test('lifecycle: launch-without-gtm sits on the PRD title, and its fix adds a Go-to-market section that clears it', () => {
  const { index, ctx } = load('launch-without-gtm');
  const uri = 'file:///ws/soon.prd.md';
  const a = index.get(uri)!;
  const d = diagnosticsFor(index, schemas(), uri, { asOf: AS_OF }).find((x) => x.code === 'launch-without-gtm');
  assert.ok(d);
  assert.equal(a.text.slice(d.span.start, d.span.end), 'Checkout launch');
  const fix = provideCodeActions(ctx, a, d.span, [d]).find((x) => x.title.includes('Go-to-market'));
  assert.ok(fix, 'a quick fix adds the section');
  index.set(analyzeDocument(uri, applyEdits(a.text, fix.edits.get(uri)!), schemas()));
  assert.ok(!diagnosticsFor(index, schemas(), uri, { asOf: AS_OF }).some((x) => x.code === 'launch-without-gtm'));
  for (const other of ['ready', 'later']) assert.ok(!diagnosticsFor(index, schemas(), `file:///ws/${other}.prd.md`, { asOf: AS_OF }).some((x) => x.code === 'launch-without-gtm'), other);
});

test('lifecycle: the CLI reports both rules', () => {
  for (const [name, code] of [['end-of-life', 'end-of-life-planned-work'], ['launch-without-gtm', 'launch-without-gtm']] as const) {
    const r = spawnSync(process.execPath, [path.join(ROOT, 'dist', 'cli.cjs'), 'check', path.join(FIXTURES, 'alignment', name), '--as-of', AS_OF], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    assert.match(r.stdout, new RegExp(`  ${code}$`, 'm'), r.stdout + r.stderr);
  }
});
