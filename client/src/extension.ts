/**
 * The VS Code client: starts the Northstar language server for Markdown files and shows what
 * it says. No domain logic lives here.
 */
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';

/** The answer of the server's `northstar/documentInfo` request (see docs/ARCHITECTURE.md). */
interface DocumentInfo {
  type?: string;
  typeSource?: 'frontmatter' | 'filename';
  id?: string;
  title?: string;
  errors: number;
  warnings: number;
}

export interface NorthstarApi {
  /** The running client; tests wait on its state instead of sleeping. */
  readonly client: () => LanguageClient;
}

const TYPE_LABEL: Record<string, string> = { brief: 'Product brief', prd: 'PRD', okr: 'OKRs' };

let client: LanguageClient | undefined;

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
    synchronize: { fileEvents: vscode.workspace.createFileSystemWatcher('**/*.{md,markdown}') },
  };
  client = new LanguageClient('northstar', 'Northstar', serverOptions, clientOptions);

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
      info = await client.sendRequest<DocumentInfo | null>('northstar/documentInfo', { uri: editor.document.uri.toString() });
    } catch {
      info = null;
    }
    if (mine !== seq) return;
    if (info?.type) {
      status.text = `$(milestone) ${TYPE_LABEL[info.type] ?? info.type}${info.id ? ` · ${info.id}` : ''}`;
      const problems = info.errors + info.warnings;
      status.tooltip = `Northstar: ${TYPE_LABEL[info.type] ?? info.type} (type from ${info.typeSource === 'filename' ? 'the file name' : 'the front matter'})${problems ? ` — ${info.errors} error(s), ${info.warnings} warning(s)` : ' — no problems'}`;
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
  );

  await client.start();
  void updateStatus();
  return { client: () => client! };
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
