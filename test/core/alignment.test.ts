/**
 * Alignment as data: each test/fixtures/alignment/<case>/ is a small workspace built to trigger
 * one rule (or none); its findings and summary numbers are compared with <case>/expected.snap.
 * The examples/ report is checked as a snapshot too.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeDocument } from '../../server/src/core/analysis.js';
import { WorkspaceIndex } from '../../server/src/core/index/workspaceIndex.js';
import { checkWorkspace } from '../../server/src/core/features/check.js';
import { strategyOf } from '../../server/src/core/alignment/strategy.js';
import { summarize, type AlignmentSummary } from '../../server/src/core/alignment/summary.js';
import { renderMarkdownReport } from '../../server/src/core/alignment/report.js';
import { findMarkdownFiles, readMarkdownFile } from '../../server/src/node/host.js';
import { FIXTURES, ROOT, expectSnapshot, schemas } from '../helpers.js';

const BASE = 'file:///ws';

function run(dir: string, asOf: string): { index: WorkspaceIndex; text: string; summary: AlignmentSummary; report: string } {
  const index = new WorkspaceIndex();
  for (const f of findMarkdownFiles([dir])) index.set(analyzeDocument(`${BASE}/${path.relative(dir, f).split(path.sep).join('/')}`, readMarkdownFile(f).text ?? '', schemas()));
  const results = checkWorkspace(index, schemas(), { asOf });
  const lines: string[] = [];
  for (const r of results)
    for (const d of r.diagnostics) {
      const p = index.get(r.uri)!.lines.positionAt(d.span.start);
      const a = index.get(r.uri)!;
      lines.push(`${r.uri.slice(BASE.length + 1)}:${p.line + 1}:${p.character + 1} ${d.severity} ${d.code} «${a.text.slice(d.span.start, d.span.end)}» ${d.message}`);
    }
  const strategy = strategyOf(index, schemas(), asOf);
  const summary = summarize(strategy, index, results.flatMap((r) => r.diagnostics.map((d) => ({ uri: r.uri, diagnostic: d }))));
  lines.push('', `score: ${summary.score === null ? 'n/a' : `${summary.score}%`} by ${summary.basis} (${summary.aligned}/${summary.planned} features, ${summary.alignedEffort}/${summary.plannedEffort} person-months)`);
  for (const o of summary.okrs) {
    lines.push(`${o.id} progress ${o.progress === undefined ? 'n/a' : Math.round(o.progress * 100)}%`);
    for (const ob of o.objectives) {
      lines.push(`  ${ob.id} weight ${ob.weight} progress ${ob.progress === undefined ? 'n/a' : Math.round(ob.progress * 100)}%`);
      for (const kr of ob.keyResults) lines.push(`    ${kr.id} ${kr.covered ? 'covered' : 'NOT covered'} by [${kr.features.map((f) => f.id).join(', ')}] effort ${kr.effort} progress ${kr.progress === undefined ? 'n/a' : Math.round(kr.progress * 100)}%`);
    }
  }
  if (summary.otherOkrs.length) lines.push(`not current: ${summary.otherOkrs.map((o) => o.id).join(', ')}`);
  const report = renderMarkdownReport(summary, strategy, { path: (uri) => uri.slice(BASE.length + 1) });
  return { index, text: lines.join('\n'), summary, report };
}

const dir = path.join(FIXTURES, 'alignment');
for (const name of fs.readdirSync(dir).filter((f) => fs.statSync(path.join(dir, f)).isDirectory()).sort()) {
  test(`alignment: ${name}`, () => {
    const c = JSON.parse(fs.readFileSync(path.join(dir, name, 'case.json'), 'utf8')) as { asOf: string };
    expectSnapshot(path.join(dir, name, 'expected.snap'), run(path.join(dir, name), c.asOf).text);
  });
}

test('alignment: the examples/ report (as of a date inside OKR-2026Q4) is a snapshot', () => {
  const r = run(path.join(ROOT, 'examples'), '2026-11-23');
  assert.equal(r.summary.score, 85);
  expectSnapshot(path.join(dir, 'examples-report.md.snap'), r.report);
  expectSnapshot(path.join(dir, 'examples-findings.snap'), r.text);
});

test('alignment: every deliberate mistake of examples/README.md is found at its line', () => {
  const readme = fs.readFileSync(path.join(ROOT, 'examples', 'README.md'), 'utf8');
  const r = run(path.join(ROOT, 'examples'), '2026-11-23');
  const rows = [...readme.matchAll(/^\|\s*\d+\s*\|\s*`([^`]+\.md):(\d+)`\s*\|\s*`([a-z-]+)`/gm)];
  assert.ok(rows.length >= 10, `expected the deliberate-mistakes table in examples/README.md, found ${rows.length} rows`);
  for (const [, file, line, code] of rows) {
    assert.ok(r.text.includes(`${file}:${line}:`) && r.text.split('\n').some((l) => l.startsWith(`${file}:${line}:`) && l.includes(` ${code} `)), `${file}:${line} ${code} not found in:\n${r.text}`);
  }
});
