/**
 * Problems for the whole workspace: once indexed, closed spec documents have their problems
 * published; an edit that changes what others report re-publishes them (a closed PRD learns that
 * the KPI it names was renamed in the open brief); `northstar.problems: openFiles` clears them.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from '../helpers.js';
import { TestClient } from './lspClient.js';

test('closed documents get their problems once the workspace is indexed, kept current as files change, and cleared for openFiles', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'northstar-ws-'));
  fs.cpSync(path.join(ROOT, 'examples'), dir, { recursive: true });
  const c = await TestClient.start(dir);
  try {
    const prdUri = pathToFileURL(path.join(dir, 'prds', 'saved-cards.prd.md')).href;
    // Never opened: published in the background after indexing.
    const first = await c.diagnostics(prdUri, (p) => p.diagnostics.some((d) => d.code === 'unresolved-reference'));
    assert.ok(!first.diagnostics.some((d) => String(d.message).includes('KPI-saved-card-usage')));

    // Rename the KPI in the open brief (not in the PRD that names it): the closed PRD is re-published.
    const briefPath = path.join(dir, 'product', 'parcel.brief.md');
    const briefUri = pathToFileURL(briefPath).href;
    const brief = fs.readFileSync(briefPath, 'utf8');
    await c.open(briefUri, brief, 1);
    await c.change(briefUri, 2, [{ text: brief.replace('| KPI-saved-card-usage |', '| KPI-stored-card-usage |') }]);
    await c.diagnostics(prdUri, (p) => p.diagnostics.some((d) => d.code === 'unresolved-reference' && String(d.message).includes('KPI-saved-card-usage')));

    // openFiles: the closed PRD's problems are cleared.
    c.conn.onRequest('workspace/configuration', (p: { items: { section?: string }[] }) => p.items.map((i) => (i.section === 'northstar' ? { problems: 'openFiles' } : null)));
    await c.notify('workspace/didChangeConfiguration', { settings: {} });
    await c.diagnostics(prdUri, (p) => p.diagnostics.length === 0);
  } finally {
    await c.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
