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

test('a warm start (the model cache) answers workspace/symbol for every ID right after "indexed", as a cold start does', { timeout: 240_000 }, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'northstar-warm-'));
  const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'northstar-warm-cache-'));
  fs.cpSync(path.join(ROOT, 'examples'), dir, { recursive: true });
  const prd = fs.readFileSync(path.join(dir, 'prds', 'saved-cards.prd.md'), 'utf8');
  fs.mkdirSync(path.join(dir, 'more'));
  for (let i = 0; i < 20; i++) fs.writeFileSync(path.join(dir, 'more', `copy-${i}.prd.md`), prd.replace(/PRD-saved-cards/g, `PRD-copy-${i}`).replace(/FEAT-saved-cards/g, `FEAT-copy-${i}`));
  // Every ID a full analysis of the workspace defines.
  const service = new NorthstarService(schemas(), { asOf: todayIso(), parse: parseMarkdown });
  for (const f of findMarkdownFiles([dir])) service.update(analyzeDocument(fileUri(f), fs.readFileSync(f, 'utf8'), schemas(), undefined, { parse: parseMarkdown }));
  const ids = service.index.definedIds();
  assert.ok(ids.length > 40, `${ids.length} IDs`);
  const symbols = async (c: TestClient) => {
    const out: string[] = [];
    for (const id of ids) {
      const found = await c.request<{ name: string; kind: number; location: { uri: string; range: Range } }[]>('workspace/symbol', { query: id });
      const mine = found.filter((s) => s.name === id || s.name.startsWith(`${id} `) || s.name.startsWith(`${id}:`));
      assert.ok(mine.length > 0, `workspace/symbol answers ${id}`);
      // As a set: the order of one ID's definitions follows the order entries were (re)placed in, which pass 2 changes.
      out.push(...mine.map((s) => `${id} ${s.name} ${s.kind} ${s.location.uri} ${s.location.range.start.line}:${s.location.range.start.character}-${s.location.range.end.line}:${s.location.range.end.character}`).sort());
    }
    return out;
  };
  const start = async () => {
    const c = await TestClient.start(dir, { cacheDir });
    const logged = logWaiter(c);
    const analysed = logged(/^analysed \d+ Markdown files/);
    assert.match(await logged(/^indexed \d+ Markdown files in \d+ ms/), /^indexed 29 Markdown files in \d+ ms \(with the model cache\)/);
    return { c, analysed };
  };
  try {
    const cold = await start();
    let coldEarly: string[];
    try {
      coldEarly = await symbols(cold.c);
      await cold.analysed;
    } finally {
      await cold.c.stop();
    }
    assert.ok(fs.readdirSync(cacheDir).some((f) => f.endsWith('.idx.json')), 'the cold start wrote the cache');
    const warm = await start();
    try {
      // Right after "indexed": the index parts of the cached models answer, as the index-only pass did.
      assert.deepEqual(await symbols(warm.c), coldEarly);
      // Once the cached models have replaced them, the same.
      assert.match(await warm.analysed, /^analysed 29 Markdown files/);
      assert.deepEqual(await symbols(warm.c), coldEarly);
    } finally {
      await warm.c.stop();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(cacheDir, { recursive: true, force: true });
  }
});
