/**
 * Offers `northstar mcp` to agent mode: one MCP server per workspace folder, run from the
 * extension's own bundled CLI (dist/cli.cjs) with the folder as its root. Feature-detected: the
 * API arrived after VS Code 1.99 (code-server 4.99), where this does nothing. @types/vscode is
 * pinned at 1.91, so the few types used are declared here. No domain logic: the server answers.
 */
import * as vscode from 'vscode';

/** `vscode.McpStdioServerDefinition` (VS Code 1.101+). */
interface McpStdioServerDefinition {
  cwd?: vscode.Uri;
}
type McpStdioServerDefinitionCtor = new (label: string, command: string, args?: string[], env?: Record<string, string | number | null>, version?: string) => McpStdioServerDefinition;

interface McpServerDefinitionProvider {
  readonly onDidChangeMcpServerDefinitions?: vscode.Event<void>;
  provideMcpServerDefinitions(token: vscode.CancellationToken): McpStdioServerDefinition[];
}

interface McpApi {
  readonly lm?: { registerMcpServerDefinitionProvider?: (id: string, provider: McpServerDefinitionProvider) => vscode.Disposable };
  readonly McpStdioServerDefinition?: McpStdioServerDefinitionCtor;
}

/** The id under `contributes.mcpServerDefinitionProviders` in package.json. */
export const MCP_PROVIDER_ID = 'northstar.mcp';

/** Registers the provider where the running VS Code has the API; answers whether it did. */
export function registerMcpServers(context: vscode.ExtensionContext, log: (s: string) => void): boolean {
  const api = vscode as unknown as McpApi;
  const register = api.lm?.registerMcpServerDefinitionProvider;
  const Definition = api.McpStdioServerDefinition;
  if (typeof register !== 'function' || typeof Definition !== 'function') {
    log(`MCP server not offered to agent mode: VS Code ${vscode.version} has no MCP server definition API.`);
    return false;
  }
  const changed = new vscode.EventEmitter<void>();
  const cli = context.asAbsolutePath('dist/cli.cjs');
  const version = String((context.extension.packageJSON as { version?: string }).version ?? '0.0.0');
  const provider: McpServerDefinitionProvider = {
    onDidChangeMcpServerDefinitions: changed.event,
    provideMcpServerDefinitions: () =>
      (vscode.workspace.workspaceFolders ?? [])
        .filter((f) => f.uri.scheme === 'file')
        .map((folder) => {
          const asOf = vscode.workspace.getConfiguration('northstar', folder.uri).get<string>('asOf') ?? '';
          const args = [cli, 'mcp', '--root', folder.uri.fsPath, ...(/^\d{4}-\d{2}-\d{2}$/.test(asOf) ? ['--as-of', asOf] : [])];
          // The extension host's own runtime runs the CLI (Electron as Node in desktop VS Code), so no Node install is needed.
          const d = new Definition(`Northstar: ${folder.name}`, process.execPath, args, { ELECTRON_RUN_AS_NODE: '1' }, version);
          d.cwd = folder.uri;
          return d;
        }),
  };
  context.subscriptions.push(
    changed,
    register.call(api.lm, MCP_PROVIDER_ID, provider),
    vscode.workspace.onDidChangeWorkspaceFolders(() => changed.fire()),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('northstar.asOf')) changed.fire();
    }),
  );
  log('MCP server offered to agent mode (one per workspace folder).');
  return true;
}
