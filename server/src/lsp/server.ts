/**
 * The language server: wires the LSP connection to the core service. Configuration, the
 * workspace on disk, the open buffers, publishing and the request handlers each live in a
 * module of their own; this file only starts them and routes the lifecycle events.
 * Run it with `--stdio` (any LSP client) or `--node-ipc` (VS Code).
 */
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createConnection, CodeActionKind, ProposedFeatures, TextDocuments, TextDocumentSyncKind, DidChangeWatchedFilesNotification, type Connection, type InitializeResult } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { NorthstarService } from '../core/service.js';
import { SchemaRegistry } from '../core/schema/registry.js';
import { todayIso } from '../core/model/values.js';
import { bundledSchemasDir, loadSchemaSet } from '../node/host.js';
import { createGuardedParser, parseWorkerFile } from '../node/guardedParser.js';
import { Configuration } from './configuration.js';
import { Indexer } from './indexer.js';
import { OpenDocuments } from './openDocuments.js';
import { Publisher } from './publisher.js';
import { registerHandlers } from './handlers.js';

export function startServer(connection: Connection = createConnection(ProposedFeatures.all)): void {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const schemasDir = bundledSchemasDir(here);
  const bundled = loadSchemaSet(schemasDir);
  // remark (for what the fast path does not read) runs under a watchdog in worker threads.
  const workerFile = parseWorkerFile(here);
  const guarded = workerFile ? createGuardedParser(workerFile) : undefined;
  const service = new NorthstarService(new SchemaRegistry(bundled), { asOf: todayIso(), ...(guarded ? { parse: guarded, parseAsync: guarded.parseAsync } : {}) });
  for (const p of service.registry.problems) connection.console.error(`schema ${p.type}: ${p.message}`);

  const documents = new TextDocuments(TextDocument);
  const open = new OpenDocuments(documents, service, (m) => connection.console.log(m));
  const publisher = new Publisher(connection, open, service);
  const config = new Configuration(connection, service, bundled);
  const indexer = new Indexer(connection, open, service, config, schemasDir);
  let watchDynamically = false;

  /** Events may arrive in any state: a failure is logged, never thrown at the connection. */
  const guard = (what: string, f: () => unknown) => {
    try {
      void Promise.resolve(f()).catch((e: unknown) => logFailure(what, e));
    } catch (e) {
      logFailure(what, e);
    }
  };
  const logFailure = (what: string, e: unknown) => connection.console.error(`${what} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  /** Whose problems are shown: the whole workspace's (once indexed), or open files only. */
  let scope: 'workspace' | 'openFiles' | undefined;
  const applyScope = () => {
    if (!publisher.indexed) return;
    const wanted = config.settings.problems === 'openFiles' ? 'openFiles' : 'workspace';
    if (wanted === 'workspace') publisher.showWorkspace(service.reportableUris());
    else if (scope !== 'openFiles') publisher.showOpenFilesOnly();
    scope = wanted;
  };
  const settingsChanged = async () => {
    if (await config.load()) indexer.dropCache();
    if (publisher.indexed) indexer.loadMetrics();
    applyScope();
    publisher.publishAll();
  };

  connection.onInitialize((params): InitializeResult => {
    config.folders = (params.workspaceFolders ?? []).map((f) => fileURLToPath(f.uri));
    if (!config.folders.length && params.rootUri) config.folders = [fileURLToPath(params.rootUri)];
    watchDynamically = Boolean(params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration);
    config.supported = Boolean(params.capabilities.workspace?.configuration);
    const init = params.initializationOptions as { trusted?: boolean; cacheDir?: string } | undefined;
    config.trusted = init?.trusted !== false;
    // The cache is read when indexing starts (after initialize has answered, and with the schemas
    // the settings chose: they are part of its key).
    if (typeof init?.cacheDir === 'string' && init.cacheDir) indexer.cacheDir = init.cacheDir;
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
        hoverProvider: true,
        completionProvider: { triggerCharacters: [':', ' ', '-', ',', '#'], resolveProvider: false },
        definitionProvider: true,
        referencesProvider: true,
        renameProvider: { prepareProvider: true },
        documentSymbolProvider: { label: 'Northstar' },
        workspaceSymbolProvider: true,
        codeLensProvider: { resolveProvider: false },
        documentLinkProvider: { resolveProvider: false },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, `${CodeActionKind.SourceFixAll}.northstar`, 'source.assignIds.northstar', CodeActionKind.RefactorRewrite], resolveProvider: false },
      },
      serverInfo: { name: 'northstar-language-server', version: '0.1.0' },
    };
  });

  let markIndexed: () => void = () => undefined;
  const indexed = new Promise<void>((resolve) => (markIndexed = resolve));
  connection.onInitialized(() =>
    guard('start', async () => {
      try {
        if (watchDynamically) await connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: '**/*.{md,markdown}' }, { globPattern: '**/{northstar.config.json,.northstar.json}' }, { globPattern: '**/*.csv' }, { globPattern: '**/*launchdarkly*.json' }] });
        await config.load();
        await indexer.indexWorkspace();
      } finally {
        publisher.indexed = true;
        markIndexed();
      }
      applyScope();
      publisher.publishAll();
    }),
  );
  connection.onDidChangeConfiguration(() => guard('settings', settingsChanged));

  documents.onDidOpen((e) => guard('open', async () => {
    await open.analysis(e.document.uri);
    publisher.publishAll();
  }));
  documents.onDidChangeContent((e) => publisher.schedule(e.document.uri));
  documents.onDidClose((e) =>
    guard('close', async () => {
      const uri = e.document.uri;
      publisher.cancel(uri);
      open.forget(uri);
      if (!publisher.published.has(uri)) void connection.sendDiagnostics({ uri, diagnostics: [] });
      await indexer.closed(uri);
      publisher.publishAll();
    }),
  );
  connection.onDidChangeWatchedFiles((p) => guard('watched files', async () => {
    // The config file changed: read it again (types by glob, P-scale, rules, include/exclude).
    if (p.changes.some((c) => config.isConfigFile(c.uri))) {
      await settingsChanged();
      // Its include/exclude may have changed: drop the files no longer read, read the ones that now are.
      for (const uri of [...service.index.uris()]) if (uri.startsWith('file:') && !open.documents.get(uri) && !config.accepted(fileURLToPath(uri))) service.remove(uri);
      await indexer.indexWorkspace();
    }
    await indexer.changed(p.changes);
    applyScope();
    publisher.publishAll();
  }));

  registerHandlers(connection, service, open, publisher, () => config.folders, indexed);
  documents.listen(connection);
  connection.listen();
}
