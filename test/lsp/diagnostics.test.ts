/** The real server over stdio, driven by a real JSON-RPC client (vscode-jsonrpc). */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from '../helpers.js';
import { TestClient, type LspDiagnostic } from './lspClient.js';

const BAD_PRD = `---
type: prd
id: PRD-lsp
title: "LSP test
owner: Ana
---

# LSP test

## Problem

x

## Goals

x

## Non-goals

x

## FEAT-lsp-one: A feature in the wrong place

- priority: mandatory
- kpi: KPI-nowhere
- colour: blue

## Success metrics

x

## Release plan

x
`;

function brief(d: LspDiagnostic): string {
  const r = d.range;
  return `${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character} ${String(d.code)}`;
}

test('server over stdio: bad priority, missing Features, broken YAML, unknown key — each at its exact range', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'northstar-lsp-'));
  const client = await TestClient.start(dir);
  try {
    const uri = pathToFileURL(path.join(dir, 'bad.prd.md')).href;
    await client.open(uri, BAD_PRD, 7);
    const p = await client.diagnostics(uri, (x) => x.version === 7 && x.diagnostics.some((d) => d.code === 'unresolved-reference'));
    assert.equal(p.version, 7);
    const got = p.diagnostics.map(brief);
    // Broken YAML at the unterminated quote (line 3, from the quote to the end of the line).
    assert.ok(got.includes('3:7-3:16 yaml-syntax'), got.join('\n'));
    // Missing Features section, on the document title.
    assert.ok(got.includes('7:2-7:10 missing-section'), got.join('\n'));
    // Invalid priority: the value only.
    assert.ok(got.includes('23:12-23:21 invalid-value'), got.join('\n'));
    // Unknown key: the key only.
    assert.ok(got.includes('25:2-25:8 unknown-key'), got.join('\n'));
    // A feature outside Features.
    assert.ok(got.includes('21:3-21:15 misplaced-entity'), got.join('\n'));
    // Unresolved reference, needs the workspace.
    assert.ok(got.includes('24:7-24:18 unresolved-reference'), got.join('\n'));
    for (const d of p.diagnostics) {
      assert.equal(d.source, 'northstar');
      assert.match(d.codeDescription?.href ?? '', /RULES\.md#[a-z-]+$/);
      assert.ok(d.message.length > 10);
    }
    const priority = p.diagnostics.find((d) => d.code === 'invalid-value')!;
    assert.match(priority.message, /expected `must`, `should`, `could` or `wont`/);
    // Edit the value (incremental change) and the diagnostic goes away, for the new version.
    await client.change(uri, 8, [{ range: { start: { line: 23, character: 12 }, end: { line: 23, character: 21 } }, text: 'must' }]);
    const after = await client.diagnostics(uri, (x) => x.version === 8);
    assert.ok(!after.diagnostics.some((d) => d.code === 'invalid-value'), after.diagnostics.map(brief).join('\n'));
    const info = await client.request<{ type?: string; id?: string }>('northstar/documentInfo', { uri });
    assert.equal(info.type, 'prd');
  } finally {
    await client.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('server indexes the workspace: references resolve across files, a deleted definition turns them unresolved', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'northstar-lsp-'));
  fs.cpSync(path.join(ROOT, 'examples'), dir, { recursive: true });
  const client = await TestClient.start(dir);
  try {
    const prd = path.join(dir, 'prds', 'saved-cards.prd.md');
    const uri = pathToFileURL(prd).href;
    await client.open(uri, fs.readFileSync(prd, 'utf8'));
    const p = await client.diagnostics(uri, (x) => x.diagnostics.some((d) => d.code === 'unresolved-reference'));
    const unresolved = p.diagnostics.filter((d) => d.code === 'unresolved-reference');
    // Only the deliberate typo: every other KPI is defined in the brief, in another file.
    assert.deepEqual(unresolved.map((d) => d.message.split(' ')[0]), ['KPI-checkout-convrsion']);
    assert.match(unresolved[0]!.message, /Did you mean KPI-checkout-conversion\?/);
    // Delete the brief on disk and tell the server: its KPIs become unresolved here.
    const briefPath = path.join(dir, 'product', 'parcel.brief.md');
    fs.rmSync(briefPath);
    await client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(briefPath).href, type: 3 }] });
    const after = await client.diagnostics(uri, (x) => x.diagnostics.filter((d) => d.code === 'unresolved-reference').length > 1);
    assert.ok(after.diagnostics.some((d) => d.code === 'unresolved-reference' && d.message.startsWith('KPI-checkout-conversion ')));
  } finally {
    await client.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a plain Markdown file gets no diagnostics', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'northstar-lsp-'));
  const client = await TestClient.start(dir);
  try {
    const uri = pathToFileURL(path.join(dir, 'notes.md')).href;
    await client.open(uri, '# Notes\n\nFEAT-nothing and KPI-nowhere.\n\n## Features\n\n- priority: nonsense\n');
    const p = await client.diagnostics(uri);
    assert.deepEqual(p.diagnostics, []);
    const info = await client.request<{ type?: string } | null>('northstar/documentInfo', { uri });
    assert.equal(info?.type, undefined);
  } finally {
    await client.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
