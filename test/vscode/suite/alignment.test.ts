/**
 * "Northstar: Check Roadmap Alignment" through vscode.commands.executeCommand, as of 2026-11-23
 * (the workspace's .vscode/settings.json, see test/vscode/workspace-settings.json).
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { AlignmentSummary } from '../../../server/src/core/alignment/summary.js';
import { AS_OF, SUITE_TIMEOUT, northstar, waitFor } from '../helpers.js';

suite('Northstar alignment command (vscode API)', function () {
  this.timeout(SUITE_TIMEOUT);

  suiteSetup(async () => {
    await northstar();
    const config = () => vscode.workspace.getConfiguration('northstar');
    if (config().get<string>('asOf') !== AS_OF) {
      // Not set by the test workspace: set it for this workspace and wait until VS Code sees it
      // (the language client forwards the change to the server on the same event).
      const changed = waitFor(`northstar.asOf to read ${AS_OF}`, vscode.workspace.onDidChangeConfiguration as vscode.Event<unknown>,
        () => (config().get<string>('asOf') === AS_OF ? true : undefined));
      await config().update('asOf', AS_OF, vscode.ConfigurationTarget.Workspace);
      await changed;
    }
  });

  test(`northstar.checkAlignment resolves to a summary with score 85 as of ${AS_OF}`, async () => {
    assert.equal(vscode.workspace.getConfiguration('northstar').get('asOf'), AS_OF);
    const commands = await vscode.commands.getCommands(true);
    assert.ok(commands.includes('northstar.checkAlignment'), 'northstar.checkAlignment is not registered');
    const summary = await vscode.commands.executeCommand<AlignmentSummary | undefined>('northstar.checkAlignment');
    assert.ok(summary, 'the command answered no summary (is the language server running?)');
    assert.equal(summary.asOf, AS_OF);
    assert.equal(summary.score, 85);
    assert.deepEqual(summary.okrs.map((o) => o.id), ['OKR-2026Q4']);
    assert.ok(summary.findings.some((f) => f.code === 'kr-not-covered' && f.uri.endsWith('/okrs/2026-Q4.okr.md') && f.line === 60),
      `no kr-not-covered finding at okrs/2026-Q4.okr.md:60 among ${JSON.stringify(summary.findings.map((f) => `${f.uri.replace(/^.*\//, '')}:${f.line} ${f.code}`))}`);
  });
});
