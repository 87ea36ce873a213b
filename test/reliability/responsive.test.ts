/**
 * The server keeps answering while a large document is parsed: remark runs in a worker and is
 * awaited, so a request on another document is answered first; and an analysis whose document
 * changed again is cancelled, the newer version analysed instead. Ordered by events, not by time.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from '../helpers.js';
import { TestClient } from '../lsp/lspClient.js';

/** A spec document the fast path hands to remark, and that takes remark a few seconds. */
function slowDocument(): string {
  const lines = ['---', 'type: prd', 'id: PRD-slow', '---', '', '# Slow', ''];
  // One region (no heading) of loose list items (a second paragraph each), which the scanner leaves to remark: about a second of parsing.
  for (let i = 0; i < 6000; i++) lines.push(`- Item ${i} with *emphasis*, \`code\` and a [link](https://example.com/${i}).`, '', `  A second paragraph ${i}: a loose item.`);
  return `${lines.join('\n')}\n`;
}

test('while a slow document is parsed, hover in another document is answered first; a newer version cancels the older analysis', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'northstar-resp-'));
  fs.cpSync(path.join(ROOT, 'examples'), dir, { recursive: true });
  const c = await TestClient.start(dir);
  try {
    const prd = path.join(dir, 'prds', 'saved-cards.prd.md');
    const prdUri = pathToFileURL(prd).href;
    const prdText = fs.readFileSync(prd, 'utf8');
    await c.open(prdUri, prdText);
    await c.diagnostics(prdUri, (p) => p.diagnostics.some((d) => d.code === 'unresolved-reference'));

    const events: string[] = [];
    const bigUri = pathToFileURL(path.join(dir, 'slow.prd.md')).href;
    const big = slowDocument();
    const published = c.diagnostics(bigUri).then((p) => {
      events.push('big published');
      return p;
    });
    await c.open(bigUri, big, 1);
    await c.change(bigUri, 2, [{ text: `${big}\n` }]);
    const line = prdText.split('\n').findIndex((l) => l.startsWith('### FEAT-saved-cards'));
    const hover = await c.request<{ contents: { value: string } } | null>('textDocument/hover', { textDocument: { uri: prdUri }, position: { line, character: 6 } });
    events.push('hover answered');
    assert.match(hover!.contents.value, /KPI-saved-card-usage/);
    const p = await published;
    assert.deepEqual(events, ['hover answered', 'big published']);
    // The first publication is of version 2: version 1 was never finished.
    assert.equal(p.version, 2);
    assert.ok(c.logs.some((m) => m.includes('slow.prd.md (version 1) cancelled')), c.logs.join('\n'));
  } finally {
    await c.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
