/**
 * Northstar's language features through the real `vscode` API (extension host, real
 * LanguageClient, real server process), on a temp copy of examples/.
 * Expected values are the ones the LSP-level fixtures record (test/fixtures/features/*.snap).
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import {
  codeOf, fileUri, fmtDiagnostics, hoverText, labelOf, SUITE_TIMEOUT, northstar, openDoc, positionOf, relPath, waitForDiagnostics,
} from '../helpers.js';

const PRD = 'prds/saved-cards.prd.md';
const BRIEF = 'product/parcel.brief.md';
const ALL_KPIS = [
  'KPI-active-merchants', 'KPI-card-dispute-rate', 'KPI-checkout-conversion', 'KPI-merchant-activation',
  'KPI-merchant-churn', 'KPI-merchant-nps', 'KPI-net-revenue', 'KPI-payment-volume', 'KPI-saved-card-usage',
];

suite('Northstar language features (vscode API)', function () {
  this.timeout(SUITE_TIMEOUT);

  suiteSetup(async () => {
    await northstar();
  });

  test('diagnostics of prds/saved-cards.prd.md: invalid-value (line 59) and unresolved-reference (line 91)', async () => {
    const doc = await openDoc(PRD);
    const has = (ds: readonly vscode.Diagnostic[], line0: number, code: string) => ds.some((d) => d.range.start.line === line0 && codeOf(d) === code);
    const ds = await waitForDiagnostics(doc.uri, (d) => has(d, 58, 'invalid-value') && has(d, 90, 'unresolved-reference'),
      `invalid-value at line 59 and unresolved-reference at line 91 of ${PRD}`);
    const invalid = ds.find((d) => d.range.start.line === 58 && codeOf(d) === 'invalid-value')!;
    assert.equal(invalid.severity, vscode.DiagnosticSeverity.Error);
    assert.match(invalid.message, /`mandatory` is not a valid priority/);
    const unresolved = ds.find((d) => d.range.start.line === 90 && codeOf(d) === 'unresolved-reference')!;
    assert.equal(unresolved.severity, vscode.DiagnosticSeverity.Error);
    assert.match(unresolved.message, /KPI-checkout-convrsion/);
    // The same three the CLI reports for this file (node dist/cli.cjs check examples --as-of 2026-11-23).
    assert.equal(fmtDiagnostics(ds), '59:13 invalid-value, 79:33 dependency-order, 91:8 unresolved-reference');
  });

  test('hover on the FEAT-saved-cards heading shows its KPI and key result', async () => {
    const doc = await openDoc(PRD);
    const pos = positionOf(doc, '### FEAT-saved-cards', { offset: 8 });
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, pos);
    const text = hoverText(hovers ?? []);
    assert.ok(text.includes('KPI-saved-card-usage'), `hover lacks KPI-saved-card-usage: ${text}`);
    assert.ok(text.includes('KR-2026Q4.2'), `hover lacks KR-2026Q4.2: ${text}`);
    assert.ok(text.includes('FEAT-saved-cards'), `hover lacks the feature itself: ${text}`);
  });

  test('completion after "- kpi: " on a new line of a feature offers the KPIs, no features', async () => {
    const doc = await openDoc(PRD);
    const onDisk = doc.getText();
    // A new line at the end of FEAT-address-book's property list (line 99: "- rice: 24000"), as the e2e suite types it.
    const after = positionOf(doc, '- rice: 24000').line;
    const typed = '- kpi: ';
    const edit = new vscode.WorkspaceEdit();
    edit.insert(doc.uri, doc.lineAt(after).range.end, `\n${typed}`);
    assert.ok(await vscode.workspace.applyEdit(edit), 'the edit was not applied');
    try {
      assert.equal(doc.lineAt(after + 1).text, typed);
      const at = new vscode.Position(after + 1, typed.length);
      const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, at);
      const items = list?.items ?? [];
      // VS Code's own Markdown snippets are always offered; everything else must be a KPI.
      const ours = items.filter((i) => i.kind !== vscode.CompletionItemKind.Snippet).map(labelOf);
      const all = items.map(labelOf);
      assert.ok(ours.includes('KPI-checkout-conversion'), `KPI-checkout-conversion not offered; offered: ${JSON.stringify(all)}`);
      assert.deepEqual(all.filter((l) => l.startsWith('FEAT-')), [], 'features offered where a KPI is expected');
      assert.deepEqual(ours.filter((l) => !l.startsWith('KPI-')), [], 'only KPIs (and snippets) should be offered after "kpi:"');
      assert.deepEqual([...ours].sort(), ALL_KPIS, 'the KPIs of the workspace');
    } finally {
      // Back to the file on disk: undo the insertion, then revert so the editor is not dirty.
      const undo = new vscode.WorkspaceEdit();
      undo.delete(doc.uri, new vscode.Range(doc.lineAt(after).range.end, doc.lineAt(after + 1).range.end));
      await vscode.workspace.applyEdit(undo);
      await vscode.window.showTextDocument(doc, { preview: false });
      await vscode.commands.executeCommand('workbench.action.files.revert');
    }
    assert.equal(doc.getText(), onDisk, 'the completion edit was not reverted');
    assert.equal(doc.isDirty, false, `${PRD} is still dirty after reverting`);
  });

  test('go to definition of KPI-checkout-conversion lands in the brief, line 79', async () => {
    const doc = await openDoc(PRD);
    const pos = positionOf(doc, '- kpi: KPI-saved-card-usage, KPI-checkout-conversion', { offset: '- kpi: KPI-saved-card-usage, '.length + 4 });
    const defs = await vscode.commands.executeCommand<(vscode.Location | vscode.LocationLink)[]>('vscode.executeDefinitionProvider', doc.uri, pos);
    assert.ok(defs?.length, 'no definition');
    const targets = defs.map((d) => ('targetUri' in d ? { uri: d.targetUri, range: d.targetSelectionRange ?? d.targetRange } : { uri: d.uri, range: d.range }));
    assert.deepEqual(targets.map((t) => `${relPath(t.uri)}:${t.range.start.line}`), [`${BRIEF}:78`]);
    const brief = await vscode.workspace.openTextDocument(fileUri(BRIEF));
    assert.ok(brief.lineAt(78).text.startsWith('| KPI-checkout-conversion |'), `line 79 of the brief: ${brief.lineAt(78).text}`);
  });

  test('rename KPI-saved-card-usage: edits exactly the 7 references in 4 files', async () => {
    const doc = await openDoc(BRIEF);
    const pos = positionOf(doc, '| KPI-saved-card-usage | Saved', { offset: 2 + 14 });
    const newName = 'KPI-stored-card-share';
    const edit = await vscode.commands.executeCommand<vscode.WorkspaceEdit>('vscode.executeDocumentRenameProvider', doc.uri, pos, newName);
    assert.ok(edit, 'no rename edit');
    // 1-based, end exclusive, as in test/fixtures/features/rename-kpi.snap.
    const got = edit.entries()
      .flatMap(([uri, edits]) => edits.map((e) => {
        assert.equal(e.newText, newName);
        const r = e.range;
        return `${relPath(uri)}:${r.start.line + 1}:${r.start.character + 1}-${r.end.line + 1}:${r.end.character + 1}`;
      }))
      .sort();
    assert.deepEqual(got, [
      'notes/roadmap-notes.md:23:3-23:23',
      'okrs/2026-Q4.okr.md:34:8-34:28',
      'prds/saved-cards.prd.md:114:3-114:23',
      'prds/saved-cards.prd.md:44:8-44:28',
      'prds/saved-cards.prd.md:75:33-75:53',
      'prds/saved-cards.prd.md:91:32-91:52',
      'product/parcel.brief.md:80:3-80:23',
    ]);
    assert.deepEqual([...new Set(edit.entries().map(([uri]) => relPath(uri)))].sort(),
      ['notes/roadmap-notes.md', 'okrs/2026-Q4.okr.md', 'prds/saved-cards.prd.md', 'product/parcel.brief.md']);
  });
});
