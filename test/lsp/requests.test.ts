/** Every LSP request Northstar serves, over stdio with a real JSON-RPC client, on the examples. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from '../helpers.js';
import { TestClient } from './lspClient.js';

type Range = { start: { line: number; character: number }; end: { line: number; character: number } };

test('hover, completion, definition, references, rename, symbols, code lens, links and code actions over stdio', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'northstar-req-'));
  fs.cpSync(path.join(ROOT, 'examples'), dir, { recursive: true });
  const c = await TestClient.start(dir);
  try {
    const prdPath = path.join(dir, 'prds', 'saved-cards.prd.md');
    const uri = pathToFileURL(prdPath).href;
    const text = fs.readFileSync(prdPath, 'utf8');
    await c.open(uri, text);
    await c.diagnostics(uri, (x) => x.diagnostics.some((d) => d.code === 'unresolved-reference'));
    const td = { textDocument: { uri } };
    const lines = text.split('\n');
    const at = (needle: string, delta = 1) => {
      const line = lines.findIndex((l) => l.includes(needle));
      assert.ok(line >= 0, needle);
      return { line, character: lines[line]!.indexOf(needle) + delta };
    };

    const hover = await c.request<{ contents: { kind: string; value: string }; range: Range }>('textDocument/hover', { ...td, position: at('### FEAT-saved-cards', 6) });
    assert.equal(hover.contents.kind, 'markdown');
    assert.match(hover.contents.value, /KPI-saved-card-usage/);
    assert.match(hover.contents.value, /KR-2026Q4\.2/);

    // Completion after `kpi: ` on a new property line: exactly the workspace's KPIs.
    const line = at('- rice: 32000').line + 1;
    await c.change(uri, 2, [{ range: { start: { line, character: 0 }, end: { line, character: 0 } }, text: '- kpi: \n' }]);
    const list = await c.request<{ isIncomplete: boolean; items: { label: string }[] }>('textDocument/completion', { ...td, position: { line, character: 7 } });
    assert.equal(list.isIncomplete, false);
    const items = list.items;
    const labels = items.map((i) => i.label).sort();
    assert.deepEqual(labels, ['KPI-active-merchants', 'KPI-card-dispute-rate', 'KPI-checkout-conversion', 'KPI-merchant-activation', 'KPI-merchant-churn', 'KPI-merchant-nps', 'KPI-net-revenue', 'KPI-payment-volume', 'KPI-saved-card-usage']);
    await c.change(uri, 3, [{ range: { start: { line, character: 0 }, end: { line: line + 1, character: 0 } }, text: '' }]);

    const def = await c.request<{ uri: string; range: Range }[]>('textDocument/definition', { ...td, position: at('- kpi: KPI-saved-card-usage', 10) });
    assert.equal(def[0]!.uri, pathToFileURL(path.join(dir, 'product', 'parcel.brief.md')).href);
    assert.equal(def[0]!.range.start.line, 79);

    const refs = await c.request<{ uri: string }[]>('textDocument/references', { ...td, position: at('- kpi: KPI-saved-card-usage', 10), context: { includeDeclaration: true } });
    assert.equal(refs.length, 7);

    const prep = await c.request<{ placeholder: string }>('textDocument/prepareRename', { ...td, position: at('- kpi: KPI-saved-card-usage', 10) });
    assert.equal(prep.placeholder, 'KPI-saved-card-usage');
    await assert.rejects(c.request('textDocument/prepareRename', { ...td, position: at('## Problem', 4) }), /Only an ID/);
    const edit = await c.request<{ documentChanges: { textDocument: { uri: string }; edits: { newText: string }[] }[] }>('textDocument/rename', { ...td, position: at('- kpi: KPI-saved-card-usage', 10), newName: 'KPI-stored-card-share' });
    const files = edit.documentChanges.map((d) => path.relative(dir, new URL(d.textDocument.uri).pathname)).sort();
    assert.deepEqual(files, ['notes/roadmap-notes.md', 'okrs/2026-Q4.okr.md', 'prds/saved-cards.prd.md', 'product/parcel.brief.md']);
    assert.equal(edit.documentChanges.flatMap((d) => d.edits).length, 7);
    await assert.rejects(c.request('textDocument/rename', { ...td, position: at('- kpi: KPI-saved-card-usage', 10), newName: 'KPI-checkout-conversion' }), /already defined/);

    const symbols = await c.request<{ name: string; children?: { name: string }[] }[]>('textDocument/documentSymbol', td);
    const features = symbols.find((s) => s.name === 'Features')!;
    assert.ok(features.children!.some((s) => s.name === 'FEAT-saved-cards'));
    const ws = await c.request<{ name: string }[]>('workspace/symbol', { query: 'KPI-checkout' });
    assert.ok(ws.some((s) => s.name === 'KPI-checkout-conversion'));

    const okrUri = pathToFileURL(path.join(dir, 'okrs', '2026-Q4.okr.md')).href;
    await c.open(okrUri, fs.readFileSync(path.join(dir, 'okrs', '2026-Q4.okr.md'), 'utf8'));
    const lenses = await c.request<{ command: { title: string } }[]>('textDocument/codeLens', { textDocument: { uri: okrUri } });
    assert.ok(lenses.some((l) => /moved by \d+ features? · \d+%/.test(l.command.title)), JSON.stringify(lenses.map((l) => l.command.title)));

    const links = await c.request<{ target: string }[]>('textDocument/documentLink', td);
    assert.ok(links.some((l) => l.target.includes('parcel.brief.md#L')));

    const pub = await c.diagnostics(uri, (x) => x.diagnostics.some((d) => d.code === 'invalid-value'));
    const d = pub.diagnostics.find((x) => x.code === 'invalid-value')!;
    const actions = await c.request<{ title: string; kind: string }[]>('textDocument/codeAction', { ...td, range: d.range, context: { diagnostics: [d] } });
    assert.ok(actions.some((a) => a.title === 'Change to `must`' && a.kind === 'quickfix'));

    const report = await c.request<{ summary: { score: number }; markdown: string; map: { nodes: { id: string; uri?: string; line?: number }[] }; svg: string; html: string }>('northstar/alignmentReport', { asOf: '2026-11-23' });
    assert.equal(report.summary.score, 85);
    assert.match(report.markdown, /```mermaid/);
    // The strategy map: laid out, drawn, and in the HTML page; a node knows its source.
    const node = report.map.nodes.find((n) => n.id === 'FEAT-saved-cards');
    assert.ok(node?.uri?.endsWith('/prds/saved-cards.prd.md') && node.line === 42, JSON.stringify(node));
    assert.ok(report.svg.startsWith('<svg') && report.svg.includes('data-id="FEAT-saved-cards"'));
    assert.ok(report.html.startsWith('<!DOCTYPE html>') && report.html.includes('data-id="FEAT-saved-cards"'));
    // After the check, findings of files that are not open are published too.
    const closed = pathToFileURL(path.join(dir, 'prds', 'local-payments.prd.md')).href;
    const p = await c.diagnostics(closed, (x) => x.diagnostics.some((dd) => dd.code === 'feature-after-kr-period'));
    assert.ok(p.diagnostics.length >= 3);
  } finally {
    await c.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
