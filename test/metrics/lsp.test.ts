/**
 * Metric snapshots in the language server (a real LSP client over stdio): the CSV files of an
 * examples-like workspace are read at start; a bad row is published on the CSV at its line; the
 * key results show the stale and disagreeing findings; the hover says where the number came from
 * and shows the trend; a CSV fixed on disk clears its problems.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from '../helpers.js';
import { TestClient } from '../lsp/lspClient.js';

const BAD = ['kpi,date,value,source', 'KPI-merchant-activation,2026-11-20,41.4%,Amplitude', 'KPI-merchant-activation,2026-11-31,41.5%,Amplitude', 'KPI-merchant-activation,2026-11-21,lots,Amplitude', 'KPI-merchant-activatoin,2026-11-22,41.6%,Amplitude', ''].join('\n');

test('lsp: CSV findings at their lines, key-result findings, hover with source and trend', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'northstar-metrics-'));
  fs.cpSync(path.join(ROOT, 'examples'), dir, { recursive: true });
  const badPath = path.join(dir, 'metrics', 'late-rows.csv');
  fs.writeFileSync(badPath, BAD);
  const c = await TestClient.start(dir);
  try {
    c.conn.onRequest('workspace/configuration', (p: { items: { section?: string }[] }) => p.items.map((i) => (i.section === 'northstar' ? { asOf: '2026-11-23' } : null)));
    await c.notify('workspace/didChangeConfiguration', { settings: {} });
    const badUri = pathToFileURL(badPath).href;
    const csv = await c.diagnostics(badUri, (p) => p.diagnostics.length >= 3);
    const byCode = (code: string) => csv.diagnostics.filter((d) => d.code === code);
    assert.deepEqual(
      byCode('metric-invalid-row').map((d) => [d.range.start.line, d.range.start.character, d.range.end.character]),
      [
        [2, 24, 34],
        [3, 35, 39],
      ],
    );
    const unknown = byCode('metric-unknown-kpi');
    assert.equal(unknown.length, 1);
    assert.equal(unknown[0]!.range.start.line, 4);
    assert.match(String(unknown[0]!.message), /did you mean KPI-merchant-activation\?/);
    assert.equal(unknown[0]!.severity, 2);

    const okrPath = path.join(dir, 'okrs', '2026-Q4.okr.md');
    const okrUri = pathToFileURL(okrPath).href;
    const okr = await c.diagnostics(okrUri, (p) => p.diagnostics.some((d) => d.code === 'metric-stale') && p.diagnostics.some((d) => d.code === 'current-disagrees-with-metrics'));
    const stale = okr.diagnostics.find((d) => d.code === 'metric-stale')!;
    assert.match(String(stale.message), /KPI-merchant-nps is from 2026-09-30/);

    const text = fs.readFileSync(okrPath, 'utf8');
    await c.open(okrUri, text);
    const lines = text.split('\n');
    const line = lines.findIndex((l) => l.startsWith('| KR-2026Q4.5 |'));
    const hover = await c.request<{ contents: { value: string } }>('textDocument/hover', { textDocument: { uri: okrUri }, position: { line, character: 4 } });
    assert.match(hover.contents.value, /3% \(Metabase, 2026-10-31\)/);
    assert.match(hover.contents.value, /\*\*Trend\*\* [▁▂▃▄▅▆▇█]{3}/);
    // The activation KR reads the newest valid row of the new file (2026-11-20).
    const act = lines.findIndex((l) => l.startsWith('### KR-2026Q4.3'));
    const actHover = await c.request<{ contents: { value: string } }>('textDocument/hover', { textDocument: { uri: okrUri }, position: { line: act, character: 6 } });
    assert.match(actHover.contents.value, /41% \(written; data 41\.4% \(Amplitude, 2026-11-20\)\)/);

    // Fixed on disk: the CSV's problems are cleared.
    fs.writeFileSync(badPath, BAD.split('\n').slice(0, 2).join('\n'));
    await c.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: badUri, type: 2 }] });
    await c.diagnostics(badUri, (p) => p.diagnostics.length === 0);
    // Deleted: the data point is gone from the hover.
    fs.rmSync(badPath);
    await c.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: badUri, type: 3 }] });
    const after = await c.request<{ contents: { value: string } }>('textDocument/hover', { textDocument: { uri: okrUri }, position: { line: act, character: 6 } });
    assert.match(after.contents.value, /data 41\.1% \(Amplitude, 2026-11-15\)/);
  } finally {
    await c.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
