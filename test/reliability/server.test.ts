/**
 * Reliability of the language server over stdio: staleness, synchronisation, cancellation,
 * exceptions in handlers, files changing on disk, renames and deleted folders.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import fc from 'fast-check';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { CancellationTokenSource } from 'vscode-jsonrpc/node';
import { ROOT } from '../helpers.js';
import { TestClient } from '../lsp/lspClient.js';

const hash = (t: string) => crypto.createHash('sha1').update(t).digest('base64url');

async function withServer(f: (c: TestClient, dir: string) => Promise<void>): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'northstar-rel-'));
  fs.cpSync(path.join(ROOT, 'examples'), dir, { recursive: true });
  const c = await TestClient.start(dir);
  try {
    await f(c, dir);
  } finally {
    await c.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

test('1,000 random incremental edits leave the server text identical to the client text', async () => {
  await withServer(async (c, dir) => {
    const file = path.join(dir, 'prds', 'saved-cards.prd.md');
    const uri = pathToFileURL(file).href;
    let doc = TextDocument.create(uri, 'markdown', 1, fs.readFileSync(file, 'utf8'));
    await c.open(uri, doc.getText(), 1);
    const edits = fc.sample(fc.tuple(fc.nat(), fc.nat({ max: 20 }), fc.constantFrom('', 'x', '\n', 'FEAT-', '🚀', '中文', '\r\n', '- kpi: KPI-a\n', '## Goals\n', '`')), { numRuns: 1000, seed: 7 });
    let version = 1;
    for (const [at, len, insert] of edits) {
      const text = doc.getText();
      const start = at % (text.length + 1);
      const end = Math.min(text.length, start + len);
      const range = { start: doc.positionAt(start), end: doc.positionAt(end) };
      version++;
      doc = TextDocument.update(doc, [{ range, text: insert }], version);
      await c.change(uri, version, [{ range, text: insert }]);
    }
    const info = await c.request<{ version: number; textHash: string }>('northstar/documentInfo', { uri });
    assert.equal(info.version, version);
    assert.equal(info.textHash, hash(doc.getText()));
    // Diagnostics carry the version they were computed for.
    const p = await c.diagnostics(uri, (x) => x.version === version);
    assert.equal(p.version, version);
  });
});

test('a quick fix is versioned: computed for one version, refused (by version) once the document moved on', async () => {
  await withServer(async (c, dir) => {
    const file = path.join(dir, 'prds', 'saved-cards.prd.md');
    const uri = pathToFileURL(file).href;
    await c.open(uri, fs.readFileSync(file, 'utf8'), 5);
    const pub = await c.diagnostics(uri, (x) => x.diagnostics.some((d) => d.code === 'invalid-value'));
    const d = pub.diagnostics.find((x) => x.code === 'invalid-value')!;
    const actions = await c.request<{ title: string; edit: { documentChanges: { textDocument: { uri: string; version: number | null } }[] } }[]>('textDocument/codeAction', { textDocument: { uri }, range: d.range, context: { diagnostics: [d] } });
    assert.ok(actions.length > 0);
    for (const a of actions) for (const ch of a.edit.documentChanges) if (ch.textDocument.uri === uri) assert.equal(ch.textDocument.version, 5, a.title);
    // A client applies a WorkspaceEdit only to the version it names: after an edit the versions differ.
    await c.change(uri, 6, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '' }]);
    const again = await c.request<typeof actions>('textDocument/codeAction', { textDocument: { uri }, range: d.range, context: { diagnostics: [d] } });
    for (const a of again) for (const ch of a.edit.documentChanges) if (ch.textDocument.uri === uri) assert.equal(ch.textDocument.version, 6);
  });
});

test('a cancelled request answers RequestCancelled; an exception in a handler answers an error and nothing else breaks', async () => {
  await withServer(async (c, dir) => {
    const uri = pathToFileURL(path.join(dir, 'prds', 'saved-cards.prd.md')).href;
    await c.open(uri, fs.readFileSync(path.join(dir, 'prds', 'saved-cards.prd.md'), 'utf8'));
    const source = new CancellationTokenSource();
    const pending = c.conn.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 41, character: 6 } }, source.token);
    source.cancel();
    await assert.rejects(pending, (e: { code?: number }) => e.code === -32800);
    await assert.rejects(c.request('textDocument/hover', {}), (e: { code?: number; message?: string }) => e.code === -32603 && /hover failed/.test(e.message ?? ''));
    const h = await c.request<{ contents: { value: string } }>('textDocument/hover', { textDocument: { uri }, position: { line: 41, character: 6 } });
    assert.match(h.contents.value, /KPI-saved-card-usage/);
  });
});

test('an open buffer wins over the file on disk; a case-only rename and a deleted folder are followed', async () => {
  await withServer(async (c, dir) => {
    const file = path.join(dir, 'prds', 'saved-cards.prd.md');
    const uri = pathToFileURL(file).href;
    const text = fs.readFileSync(file, 'utf8');
    await c.open(uri, text, 1);
    await c.diagnostics(uri, (x) => x.diagnostics.some((d) => d.code === 'unresolved-reference'));
    // The file changes on disk while open: the buffer wins.
    fs.writeFileSync(file, text.replace('priority: mandatory', 'priority: must'));
    await c.notify('workspace/didChangeWatchedFiles', { changes: [{ uri, type: 2 }] });
    const info = await c.request<{ textHash: string }>('northstar/documentInfo', { uri });
    assert.equal(info.textHash, hash(text));
    // Case-only rename of the brief: its KPIs stay defined (under the new name).
    const brief = path.join(dir, 'product', 'parcel.brief.md');
    const renamed = path.join(dir, 'product', 'Parcel.brief.md');
    fs.renameSync(brief, renamed);
    await c.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(brief).href, type: 3 }, { uri: pathToFileURL(renamed).href, type: 1 }] });
    const def = await c.request<{ uri: string }[]>('textDocument/definition', { textDocument: { uri }, position: { line: 43, character: 10 } });
    assert.equal(def[0]?.uri, pathToFileURL(renamed).href);
    // Deleting the folder of OKRs: one event for the folder removes every document in it.
    fs.rmSync(path.join(dir, 'okrs'), { recursive: true });
    await c.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(path.join(dir, 'okrs')).href, type: 3 }] });
    const hover = await c.request<{ contents: { value: string } }>('textDocument/hover', { textDocument: { uri }, position: { line: 41, character: 6 } });
    assert.doesNotMatch(hover.contents.value, /KR-2026Q4/);
  });
});
