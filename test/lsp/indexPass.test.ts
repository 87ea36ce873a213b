/**
 * The cold index in two passes, over stdio: right after the "indexed" log (the index-only pass),
 * workspace symbols and definition answer for closed files; once the full analysis has run
 * ("analysed" log), closed files get exactly the problems a full analysis of the workspace gives,
 * and the answers are the same as before.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { analyzeDocument } from '../../server/src/core/analysis.js';
import { todayIso } from '../../server/src/core/model/values.js';
import { parseMarkdown } from '../../server/src/core/parse/markdown.js';
import { NorthstarService } from '../../server/src/core/service.js';
import { fileUri, findMarkdownFiles, findMetricFiles } from '../../server/src/node/host.js';
import { ROOT, schemas } from '../helpers.js';
import { TestClient } from './lspClient.js';

type Range = { start: { line: number; character: number }; end: { line: number; character: number } };

/** Waits on the server's log lines: `logged(re)` resolves with the first line matching `re` (or one already logged). */
function logWaiter(c: TestClient): (re: RegExp) => Promise<string> {
  const waiting: { re: RegExp; resolve: (line: string) => void }[] = [];
  c.conn.onNotification('window/logMessage', (p: { message: string }) => {
    c.logs.push(p.message);
    for (const w of waiting.splice(0)) {
      if (w.re.test(p.message)) w.resolve(p.message);
      else waiting.push(w);
    }
  });
  return (re) => {
    const have = c.logs.find((l) => re.test(l));
    return have ? Promise.resolve(have) : new Promise((resolve) => waiting.push({ re, resolve }));
  };
}

test('workspace symbols and definition answer for closed files after the index-only pass; the full analysis then publishes what a full analysis gives', { timeout: 180_000 }, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'northstar-index-'));
  fs.cpSync(path.join(ROOT, 'examples'), dir, { recursive: true });
  // More files than the examples, so that the full analysis is still running for some of them.
  const prd = fs.readFileSync(path.join(dir, 'prds', 'saved-cards.prd.md'), 'utf8');
  fs.mkdirSync(path.join(dir, 'more'));
  for (let i = 0; i < 40; i++) fs.writeFileSync(path.join(dir, 'more', `copy-${i}.prd.md`), prd.replace(/PRD-saved-cards/g, `PRD-copy-${i}`).replace(/FEAT-saved-cards/g, `FEAT-copy-${i}`));
  const c = await TestClient.start(dir);
  try {
    const logged = logWaiter(c);
    const indexedLog = logged(/^indexed \d+ Markdown files in \d+ ms/);
    const analysedLog = logged(/^analysed \d+ Markdown files/);
    assert.match(await indexedLog, /^indexed 49 Markdown files/);

    const briefUri = pathToFileURL(path.join(dir, 'product', 'parcel.brief.md')).href;
    const prdUri = pathToFileURL(path.join(dir, 'prds', 'saved-cards.prd.md')).href;
    const lines = prd.split('\n');
    const kpiLine = lines.findIndex((l) => l.includes('- kpi: KPI-saved-card-usage'));
    const ask = async () => {
      const symbols = await c.request<{ name: string; location: { uri: string; range: Range } }[]>('workspace/symbol', { query: 'KPI-saved-card-usage' });
      const copies = await c.request<{ name: string; location: { uri: string } }[]>('workspace/symbol', { query: 'FEAT-copy-39' });
      const def = await c.request<{ uri: string; range: Range }[]>('textDocument/definition', { textDocument: { uri: prdUri }, position: { line: kpiLine, character: lines[kpiLine]!.indexOf('KPI-') + 3 } });
      return { symbols: symbols.filter((s) => s.name.startsWith('KPI-saved-card-usage')).map((s) => ({ uri: s.location.uri, line: s.location.range.start.line })), copies: copies.filter((s) => s.name.startsWith('FEAT-copy-39')).map((s) => s.location.uri), def: def.map((d) => ({ uri: d.uri, line: d.range.start.line })) };
    };
    const early = await ask();
    assert.deepEqual(early.symbols, [{ uri: briefUri, line: 79 }]);
    assert.deepEqual(early.copies, [pathToFileURL(path.join(dir, 'more', 'copy-39.prd.md')).href]);
    assert.deepEqual(early.def, [{ uri: briefUri, line: 79 }]);

    assert.match(await analysedLog, /^analysed 49 Markdown files/);
    assert.deepEqual(await ask(), early);

    // What a full analysis of the workspace reports for every closed file, published.
    const service = new NorthstarService(schemas(), { asOf: todayIso(), parse: parseMarkdown });
    for (const f of findMarkdownFiles([dir])) service.update(analyzeDocument(fileUri(f), fs.readFileSync(f, 'utf8'), schemas(), undefined, { parse: parseMarkdown }));
    for (const f of findMetricFiles([dir])) service.setDataFile(fileUri(f), fs.readFileSync(f, 'utf8'));
    const expected = service.reportableUris();
    assert.ok(expected.includes(prdUri) && expected.length > 40);
    const key = (ds: { code?: string | number; range: Range }[]) => ds.map((d) => `${d.code}@${d.range.start.line}:${d.range.start.character}`).sort().join(' ');
    for (const uri of expected) {
      const lines = service.linesOf(uri)!;
      const want = key(service.diagnostics(uri).map((d) => ({ code: d.code, range: { start: lines.positionAt(d.span.start), end: lines.positionAt(d.span.end) } })));
      await c.diagnostics(uri, (p) => key(p.diagnostics) === want);
    }
  } finally {
    await c.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
