/**
 * The VS Code client: starts the Northstar language server for Markdown files and shows what
 * it says. No domain logic lives here.
 */
import * as vscode from 'vscode';
import { CloseAction, ErrorAction, LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import type { AlignmentSummary } from '../../server/src/core/alignment/summary.js';
import { AlignmentPanel } from './alignmentView.js';
import { newDocument, taskProvider } from './commands.js';
import { registerMcpServers } from './mcp.js';
import { assignIdsInActiveDocument } from './assignIds.js';
import { StrategyView } from './tree/strategyView.js';
import { createSampleWorkspace } from './tree/sample.js';
import { AlignmentReportRequest, DocumentInfoRequest, send, type AlignmentReport, type DocumentInfo } from './protocol.js';


export interface NorthstarApi {
  /** The running client; tests wait on its state instead of sleeping. */
  readonly client: () => LanguageClient;
  /** Runs the alignment check (as the command does) and answers the summary. */
  readonly checkAlignment: () => Promise<AlignmentSummary | undefined>;
}

const TYPE_LABEL: Record<string, string> = { brief: 'Product brief', prd: 'PRD', okr: 'OKRs' };

let client: LanguageClient | undefined;
let crashes: number[] = [];

export async function activate(context: vscode.ExtensionContext): Promise<NorthstarApi> {
  const output = vscode.window.createOutputChannel('Northstar', { log: true });
  const serverModule = context.asAbsolutePath('dist/server.cjs');
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { language: 'markdown', scheme: 'file' },
      { language: 'markdown', scheme: 'untitled' },
    ],
    outputChannel: output,
    // A crashed server is restarted, again and again, unless it crashes in a loop (10 times in 3 minutes).
    errorHandler: {
      error: () => ({ action: ErrorAction.Continue }),
      closed: () => {
        const now = Date.now();
        crashes = crashes.filter((t) => now - t < 180_000);
        crashes.push(now);
        if (crashes.length > 10) {
          void vscode.window.showErrorMessage('Northstar: the language server crashed 10 times in 3 minutes and was not restarted. See the Northstar output, then run "Northstar: Restart Language Server".');
          return { action: CloseAction.DoNotRestart };
        }
        output.appendLine(`The language server stopped; restarting it (${crashes.length} in the last 3 minutes).`);
        return { action: CloseAction.Restart };
      },
    },
    // Storage VS Code gives the extension: the language server keeps its model cache there.
    initializationOptions: { trusted: vscode.workspace.isTrusted, cacheDir: (context.storageUri ?? context.globalStorageUri).fsPath },
    synchronize: { fileEvents: vscode.workspace.createFileSystemWatcher('**/*.{md,markdown}'), configurationSection: 'northstar' },
    middleware: {
      // A quick fix also runs northstar.quickFixApplied (no-op), so that the walkthrough's step completes.
      provideCodeActions: async (document, range, ctx, token, next) => {
        const actions = await next(document, range, ctx, token);
        for (const a of actions ?? []) if (a instanceof vscode.CodeAction && !a.command && a.kind && vscode.CodeActionKind.QuickFix.contains(a.kind)) a.command = { command: 'northstar.quickFixApplied', title: 'Quick fix applied' };
        return actions;
      },
    },
  };
  client = new LanguageClient('northstar', 'Northstar', serverOptions, clientOptions);
  const strategyView = new StrategyView(context, () => client);
  context.subscriptions.push(
    strategyView,
    client.onDidChangeState(() => strategyView.schedule()),
    vscode.commands.registerCommand('northstar.quickFixApplied', () => undefined),
    vscode.commands.registerCommand('northstar.createSampleWorkspace', (parent?: vscode.Uri) => createSampleWorkspace(context, parent instanceof vscode.Uri ? parent : undefined)),
  );

  const status = vscode.window.createStatusBarItem('northstar.documentType', vscode.StatusBarAlignment.Right, 100);
  status.name = 'Northstar document type';
  status.command = 'workbench.actions.view.problems';
  context.subscriptions.push(status, output);

  let seq = 0;
  async function updateStatus(): Promise<void> {
    const editor = vscode.window.activeTextEditor;
    if (!editor || editor.document.languageId !== 'markdown' || !client?.isRunning()) {
      status.hide();
      return;
    }
    const mine = ++seq;
    let info: DocumentInfo | null = null;
    try {
      info = await send(client, DocumentInfoRequest, { uri: editor.document.uri.toString() });
    } catch {
      info = null;
    }
    if (mine !== seq) return;
    void vscode.commands.executeCommand('setContext', 'northstar.isSpecDocument', Boolean(info?.type));
    if (info?.type) {
      status.text = `$(milestone) ${TYPE_LABEL[info.type] ?? info.type}${info.id ? ` · ${info.id}` : ''}`;
      const problems = info.errors + info.warnings;
      status.tooltip = `Northstar: ${TYPE_LABEL[info.type] ?? info.type} (type from ${info.typeSource === 'filename' ? 'the file name' : info.typeSource === 'config' ? 'northstar.config.json' : 'the front matter'})${problems ? ` — ${info.errors} error(s), ${info.warnings} warning(s)` : ' — no problems'}`;
    } else {
      status.text = '$(markdown) Not a spec document';
      status.tooltip = 'Northstar: add `type: brief`, `type: prd` or `type: okr` to the front matter (or name the file *.prd.md) to check it.';
    }
    status.show();
  }

  context.subscriptions.push(
    vscode.window.onDidChangeActiveTextEditor(() => void updateStatus()),
    vscode.languages.onDidChangeDiagnostics((e) => {
      const active = vscode.window.activeTextEditor?.document.uri.toString();
      if (active && e.uris.some((u) => u.toString() === active)) void updateStatus();
    }),
    vscode.commands.registerCommand('northstar.restartServer', async () => {
      output.appendLine('Restarting the Northstar language server…');
      await client?.restart();
      void updateStatus();
    }),
    vscode.commands.registerCommand('northstar.showOutput', () => output.show(true)),
    vscode.commands.registerCommand('northstar.showReferences', async (uri: string, line: number, character: number) => {
      const u = vscode.Uri.parse(uri);
      const pos = new vscode.Position(line, character);
      const locations = await vscode.commands.executeCommand<vscode.Location[]>('vscode.executeReferenceProvider', u, pos);
      await vscode.commands.executeCommand('editor.action.showReferences', u, pos, locations ?? []);
    }),
  );

  async function runAlignment(): Promise<AlignmentReport | undefined> {
    if (!client?.isRunning()) return undefined;
    return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Northstar: checking roadmap alignment…' }, () =>
      send(client!, AlignmentReportRequest, {}),
    );
  }
  const panel = new AlignmentPanel(runAlignment, (uri) => vscode.workspace.asRelativePath(vscode.Uri.parse(uri)));
  async function checkAlignment(): Promise<AlignmentSummary | undefined> {
    try {
      const r = await runAlignment();
      if (!r) {
        void vscode.window.showWarningMessage('Northstar: the language server is not running. Try "Northstar: Restart Language Server".');
        return undefined;
      }
      panel.show(r);
      return r.summary;
    } catch (e) {
      void vscode.window.showErrorMessage(`Northstar: the alignment check failed: ${e instanceof Error ? e.message : String(e)}`);
      return undefined;
    }
  }
  context.subscriptions.push(
    vscode.commands.registerCommand('northstar.newBrief', () => newDocument(client, 'brief')),
    vscode.commands.registerCommand('northstar.newPrd', () => newDocument(client, 'prd')),
    vscode.commands.registerCommand('northstar.newOkr', () => newDocument(client, 'okr')),
    vscode.commands.registerCommand('northstar.assignIds', assignIdsInActiveDocument),
    vscode.tasks.registerTaskProvider('northstar', taskProvider(context)),
    vscode.workspace.onDidGrantWorkspaceTrust(async () => {
      output.appendLine('Workspace trusted: restarting the language server to use workspace schemas.');
      await client?.restart();
    }),
    vscode.commands.registerCommand('northstar.checkAlignment', checkAlignment),
    vscode.workspace.onDidSaveTextDocument((d) => {
      if (panel.isOpen && d.languageId === 'markdown') void runAlignment().then((r) => r && panel.show(r));
    }),
  );

  await client.start();
  if (!vscode.workspace.isTrusted) {
    output.appendLine('Restricted Mode: Northstar validates with its bundled schemas; workspace schemas (northstar.schemas) are ignored until you trust this folder.');
    const key = 'northstar.restrictedNoticeShown';
    if (!context.workspaceState.get(key)) {
      void context.workspaceState.update(key, true);
      void vscode.window.showInformationMessage('Northstar runs in Restricted Mode: it checks your documents with its bundled schemas and ignores workspace schemas until you trust this folder.');
    }
  }
  registerMcpServers(context, (m) => output.appendLine(m));
  void vscode.commands.executeCommand('setContext', 'northstar.active', true);
  void updateStatus();
  return { client: () => client!, checkAlignment };
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
