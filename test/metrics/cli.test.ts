/**
 * Metric snapshots from the command line: `northstar report` on examples/ shows progress from the
 * snapshot with its source and date, a chart and a table per key result with data, and the stale
 * and disagreeing findings; `northstar check` reports a bad CSV row at its file:line:column.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { ROOT } from '../helpers.js';

function run(args: string[], cwd = ROOT): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'dist', 'cli.cjs'), ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('cli: report on examples/ shows progress from the snapshot, with source, date, chart and table', () => {
  const r = run(['report', 'examples', '--as-of', '2026-11-23']);
  assert.equal(r.status, 0, r.stderr);
  const md = r.stdout;
  // KR-2026Q4.5 writes no current: it comes from the data.
  assert.match(md, /KR-2026Q4\.5\]\([^)]*\) Cut monthly merchant churn from 3\.2% to 2\.8% \| KPI-merchant-churn \| 3\.2% → 3% \(Metabase, 2026-10-31\) → 2\.8% \| 50% \|/);
  // A written current is kept, the data next to it.
  assert.match(md, /182 → 191 \(written; data 186\.4, Stripe Sigma, 2026-10-31\) → 205/);
  for (const id of ['KR-2026Q4.1', 'KR-2026Q4.4', 'KR-2026Q4.5', 'KR-2026Q4.6']) {
    assert.match(md, new RegExp(`#### ${id.replace(/\./g, '\\.')} — data\\n\\n!\\[Chart of ${id.replace(/\./g, '\\.')}[^\\]]*\\]\\(data:image/svg\\+xml;utf8,%3Csvg`), `a chart for ${id}`);
  }
  assert.match(md, /\| Date \| Value \|\n\|---\|---\|\n\| 2026-08-31 \| 3\.3% \|/);
  assert.match(md, /The latest data point of KPI-merchant-nps is from 2026-09-30, 54 days before 2026-11-23/);
  assert.match(md, /KR-2026Q4\.6 says current 191, but the latest data point of KPI-payment-volume is 186\.4 \(Stripe Sigma, 2026-10-31\)/);
});

test('cli: check reports bad CSV rows at file:line:column and goes on with the rest', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'northstar-cli-metrics-'));
  try {
    fs.cpSync(path.join(ROOT, 'examples'), dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'metrics', 'late.csv'), 'kpi,date,value\nKPI-merchant-churn,2026-11-31,2.9%\nKPI-merchant-churn,2026-11-15,2.9 percent\nKPI-merchant-churn,2026-10-31,3.1%\n');
    const r = run(['check', '.', '--as-of', '2026-11-23'], dir);
    assert.equal(r.status, 1, r.stderr);
    assert.ok(r.stdout.includes('metrics/late.csv:2:20  error  `2026-11-31` is not a date: expected an ISO date such as `2026-05-01` (YYYY-MM-DD).  metric-invalid-row'), r.stdout);
    assert.ok(r.stdout.includes('metrics/late.csv:3:31  error  `2.9 percent` is not a number'), r.stdout);
    // Another file (earlier by path) already gives that date another value.
    assert.ok(r.stdout.includes('metrics/late.csv:4:31  error  KPI-merchant-churn has two values for 2026-10-31: 3.0% in finance.csv line 12 (which is used) and 3.1% here. Keep one.  metric-duplicate-date'), r.stdout);
    // The rest of the check goes on: the documents' findings are all there.
    assert.ok(r.stdout.includes('examples/prds/saved-cards.prd.md') || r.stdout.includes('prds/saved-cards.prd.md:59:13  error'), r.stdout);
    const json = JSON.parse(run(['check', '.', '--as-of', '2026-11-23', '--format', 'json'], dir).stdout) as { files: { path: string; diagnostics: { code: string; range: { startLine: number } }[] }[] };
    const late = json.files.find((f) => f.path === 'metrics/late.csv');
    assert.ok(late, 'the CSV is in the JSON output');
    assert.deepEqual(late.diagnostics.map((d) => [d.code, d.range.startLine]), [['metric-invalid-row', 2], ['metric-invalid-row', 3], ['metric-duplicate-date', 4]]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
