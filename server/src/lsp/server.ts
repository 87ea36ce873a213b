/**
 * The language server: glue between the LSP connection and the pure core. Each handler looks
 * up the document, calls the core, converts the answer. Run it with `--stdio` (any LSP client)
 * or `--node-ipc` (VS Code).
 */
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  createConnection,
  CodeActionKind,
  LSPErrorCodes,
  type CancellationToken,
  ProposedFeatures,
  TextDocuments,
  TextDocumentSyncKind,
  DidChangeWatchedFilesNotification,
  FileChangeType,
  ResponseError,
  ErrorCodes,
  type Connection,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { analysisFromModel, analyzeDocument, type Analysis } from '../core/analysis.js';
import { diagnosticsFor, type CheckOptions } from '../core/features/check.js';
import { WorkspaceIndex } from '../core/index/workspaceIndex.js';
import { SchemaRegistry } from '../core/schema/registry.js';
import { bundledSchemasDir, findMarkdownFiles, isMarkdownPath, loadSchemaSet, loadWorkspaceSchemas, packageVersion, readMarkdownFile, fileUri } from '../node/host.js';
import { makeFileFilter } from '../node/fileFilter.js';
import { ModelCache, analyzeThroughCache, textHash } from '../node/modelCache.js';
import { createGuardedParser, parseWorkerFile } from '../node/guardedParser.js';
import { toCodeAction, toCodeLens, toCompletion, toDocumentLink, toDocumentSymbol, toHover, toLocations, toLspDiagnostic, toWorkspaceEdit, toWorkspaceSymbol } from './convert.js';
import type { FeatureContext } from '../core/features/context.js';
import { provideHover } from '../core/features/hover.js';
import { isIncomplete, provideCompletion } from '../core/features/completion.js';
import { provideDefinition, provideReferences } from '../core/features/navigation.js';
import { prepareRename, rename } from '../core/features/rename.js';
import { documentSymbols, workspaceSymbols } from '../core/features/symbols.js';
import { provideCodeLenses } from '../core/features/codeLens.js';
import { provideDocumentLinks } from '../core/features/documentLinks.js';
import { fixAll, provideCodeActions } from '../core/features/codeActions.js';
import { newDocument } from '../core/features/templates.js';
import { todayIso } from '../core/model/values.js';
import { AlignmentReportRequest, DocumentInfoRequest, IdsRequest, NewDocumentRequest, type AlignmentReport, type DocumentInfo } from './protocol.js';
import { reportableUris } from '../core/features/check.js';
import { strategyOf } from '../core/alignment/strategy.js';
import { summarize } from '../core/alignment/summary.js';
import { renderMarkdownReport } from '../core/alignment/report.js';
import { docsUrl, type Severity } from '../core/diagnostics.js';

const DEBOUNCE_MS = 150;

export function startServer(connection: Connection = createConnection(ProposedFeatures.all)): void {
  const documents = new TextDocuments(TextDocument);
  const index = new WorkspaceIndex();
  const bundled = loadSchemaSet(bundledSchemasDir(path.dirname(fileURLToPath(import.meta.url))));
  let registry = new SchemaRegistry(bundled);
  // remark (for what the fast path does not read) runs under a watchdog in a worker thread.
  const workerFile = parseWorkerFile(path.dirname(fileURLToPath(import.meta.url)));
  const guarded = workerFile ? createGuardedParser(workerFile) : undefined;
  const analyze = (uri: string, text: string, version?: number) => analyzeDocument(uri, text, registry, version, guarded ? { parse: guarded } : {});
  /** Untrusted workspaces (VS Code's Restricted Mode) never get their own schemas read. */
  let trusted = true;
  const pending = new Map<string, NodeJS.Timeout>();
  let folders: string[] = [];
  let watchDynamically = false;

  const log = (m: string) => connection.console.log(m);
  /** Settings (northstar.asOf, northstar.rules), read from the client when it supports it. */
  let settings: Settings = {};
  let filesExclude: Record<string, unknown> = {};
  let configurationSupported = false;
  const asOf = () => (settings.asOf && /^\d{4}-\d{2}-\d{2}$/.test(settings.asOf) ? settings.asOf : todayIso());
  const ctx = (): FeatureContext => ({ index, registry, asOf: asOf() });
  const checkOptions = (): CheckOptions => ({ asOf: asOf(), ...(settings.rules ? { severities: settings.rules } : {}) });
  let indexed = false;
  /** Closed files whose findings are shown since the alignment check ran. */
  const published = new Set<string>();

  async function loadSettings(): Promise<void> {
    if (!configurationSupported) return;
    try {
      const [cfg, files] = (await connection.workspace.getConfiguration([{ section: 'northstar' }, { section: 'files' }])) as [Settings | null, { exclude?: Record<string, unknown> } | null];
      const before = JSON.stringify(settings.schemas ?? {});
      settings = cfg ?? {};
      filesExclude = files?.exclude ?? {};
      if (JSON.stringify(settings.schemas ?? {}) !== before) reloadSchemas();
    } catch (e) {
      log(`could not read settings: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  for (const p of registry.problems) connection.console.error(`schema ${p.type}: ${p.message}`);

  const schemaProblemUris = new Set<string>();

  /** Workspace schemas (northstar.schemas) replace the bundled ones per type; any failure falls back. */
  function reloadSchemas(): void {
    const wanted = settings.schemas ?? {};
    if (!Object.keys(wanted).length && registry.schemas === bundled) return;
    for (const uri of schemaProblemUris) void connection.sendDiagnostics({ uri, diagnostics: [] });
    schemaProblemUris.clear();
    let set = bundled;
    if (!trusted && Object.keys(wanted).length) {
      log('Restricted Mode: northstar.schemas is ignored until the workspace is trusted.');
    } else if (Object.keys(wanted).length) {
      const loaded = loadWorkspaceSchemas(folders, wanted, bundled);
      for (const p of loaded.problems) {
        log(p.message);
        void connection.window.showWarningMessage(`Northstar: ${p.message} The bundled ${p.type} schema is used instead.`);
        if (p.file) {
          const uri = fileUri(p.file);
          schemaProblemUris.add(uri);
          void connection.sendDiagnostics({ uri, diagnostics: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, severity: 2, source: 'northstar', code: 'workspace-schema', codeDescription: { href: docsUrl('workspace-schema') }, message: `${p.message} The bundled ${p.type} schema is used instead.` }] });
        }
      }
      set = loaded.set;
    }
    let next = new SchemaRegistry(set);
    if (next.problems.length) {
      for (const p of next.problems) void connection.window.showWarningMessage(`Northstar: the ${p.type} schema does not compile (${p.message}); the bundled schemas are used instead.`);
      next = new SchemaRegistry(bundled);
    }
    registry = next;
    // Re-analyse what the index holds with the new schemas.
    for (const a of [...index.documents()]) index.set(analyze(a.uri, a.text, a.version));
    cache = undefined; // models from other schemas: the next start rebuilds the cache under a new key
    publishAll();
  }

  function fileFilter(): (root: string, rel: string, isDir: boolean) => boolean {
    const cache = new Map<string, (rel: string, isDir: boolean) => boolean>();
    return (root, rel, isDir) => {
      let f = cache.get(root);
      if (!f) {
        f = makeFileFilter(root, { ...(settings.include ? { include: settings.include } : {}), ...(settings.exclude ? { exclude: settings.exclude } : {}), filesExclude });
        cache.set(root, f);
      }
      return f(rel, isDir);
    };
  }

  function accepted(file: string): boolean {
    const root = folders.find((f) => file === f || file.startsWith(f + path.sep));
    return !root || fileFilter()(root, path.relative(root, file), false);
  }

  /** Parse once per (uri, version). */
  function analysisOf(doc: TextDocument): Analysis {
    const cur = index.get(doc.uri);
    if (cur && cur.version === doc.version && cur.text.length === doc.getText().length) return cur;
    const a = analyze(doc.uri, doc.getText(), doc.version);
    index.set(a);
    return a;
  }

  function linesOf(uri: string) {
    return index.get(uri)?.lines;
  }

  function publish(uri: string): void {
    const doc = documents.get(uri);
    const a = doc ? analysisOf(doc) : index.get(uri);
    if (!a) {
      if (published.delete(uri)) void connection.sendDiagnostics({ uri, diagnostics: [] });
      return;
    }
    // Until the workspace is indexed, what needs the workspace (unresolved references, alignment)
    // would be wrong: publish the document's own diagnostics only.
    const found = indexed ? diagnosticsFor(index, registry, uri, checkOptions()) : a.diagnostics;
    const diagnostics = found.map((d) => toLspDiagnostic(d, a.lines, linesOf));
    void connection.sendDiagnostics({ uri, ...(doc ? { version: doc.version } : {}), diagnostics });
  }

  /** After the index changed, workspace diagnostics of other documents may have changed too. */
  function publishAll(): void {
    const uris = new Set([...documents.all().map((d) => d.uri), ...published]);
    for (const uri of uris) publish(uri);
  }

  /** How long the last analysis of each document took: the debounce adapts to it. */
  const lastCost = new Map<string, number>();

  function schedule(uri: string): void {
    const t = pending.get(uri);
    if (t) clearTimeout(t);
    // Cheap documents are analysed almost at once; expensive ones wait for a pause in typing.
    const delay = Math.min(DEBOUNCE_MS, Math.max(10, 2 * (lastCost.get(uri) ?? 0)));
    pending.set(
      uri,
      setTimeout(() => {
        pending.delete(uri);
        guard(`analyse ${uri}`, () => {
          const doc = documents.get(uri);
          if (!doc) return;
          const before = definedIdsKey(index.get(uri));
          const started = performance.now();
          const a = analysisOf(doc);
          void a.diagnostics;
          lastCost.set(uri, performance.now() - started);
          if (definedIdsKey(a) !== before) publishAll();
          else publish(uri);
        });
      }, delay),
    );
  }

  function guard(what: string, f: () => void): void {
    try {
      f();
    } catch (e) {
      connection.console.error(`${what} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    }
  }

  /** The persistent model cache (initializationOptions.cacheDir), and the hashes seen this session. */
  let cache: ModelCache | undefined;
  let cacheDir: string | undefined;
  const seenHashes = new Set<string>();

  function loadFromDisk(file: string): void {
    const uri = fileUri(file);
    if (documents.get(uri)) return; // an open buffer always wins over the file on disk
    const r = readMarkdownFile(file);
    if (r.text === undefined) {
      index.remove(uri);
      if (r.skipped) log(`skipped ${file}: ${r.skipped}`);
      return;
    }
    index.set(analyzeThroughCache(cache, uri, r.text, analyze, (u, t, m) => analysisFromModel(u, t, m, registry), seenHashes));
  }

  async function indexWorkspace(): Promise<void> {
    const started = Date.now();
    if (cacheDir) {
      const schemasDir = bundledSchemasDir(path.dirname(fileURLToPath(import.meta.url)));
      cache = new ModelCache(cacheDir, ModelCache.keyOf(packageVersion(schemasDir), registry.schemas));
      const r = cache.load();
      if (r.problem) log(`model cache not used (${r.problem}); rebuilding it`);
    }
    const files = findMarkdownFiles(folders, fileFilter());
    for (let i = 0; i < files.length; i++) {
      guard(`index ${files[i]}`, () => loadFromDisk(files[i]!));
      if (i % 20 === 19) await new Promise((r) => setImmediate(r));
    }
    indexed = true;
    cache?.save(seenHashes);
    log(`indexed ${files.length} Markdown files in ${Date.now() - started} ms${cache ? ' (with the model cache)' : ''}`);
    publishAll();
  }

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    folders = (params.workspaceFolders ?? []).map((f) => fileURLToPath(f.uri));
    if (!folders.length && params.rootUri) folders = [fileURLToPath(params.rootUri)];
    watchDynamically = Boolean(params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration);
    configurationSupported = Boolean(params.capabilities.workspace?.configuration);
    const init = params.initializationOptions as { trusted?: boolean; cacheDir?: string } | undefined;
    trusted = init?.trusted !== false;
    // The cache is read when indexing starts (after initialize has answered, and with the schemas
    // the settings chose: they are part of its key).
    if (typeof init?.cacheDir === 'string' && init.cacheDir) cacheDir = init.cacheDir;
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
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, `${CodeActionKind.SourceFixAll}.northstar`, CodeActionKind.RefactorRewrite], resolveProvider: false },
      },
      serverInfo: { name: 'northstar-language-server', version: '0.1.0' },
    };
  });

  connection.onInitialized(() => {
    if (watchDynamically) {
      void connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: '**/*.{md,markdown}' }] });
    }
    void loadSettings().then(() => indexWorkspace());
  });

  connection.onDidChangeConfiguration(() => {
    void loadSettings().then(() => guard('settings', publishAll));
  });

  documents.onDidOpen((e) => guard('open', () => {
    analysisOf(e.document);
    publishAll();
  }));
  documents.onDidChangeContent((e) => schedule(e.document.uri));
  documents.onDidClose((e) =>
    guard('close', () => {
      const uri = e.document.uri;
      const t = pending.get(uri);
      if (t) clearTimeout(t);
      pending.delete(uri);
      if (!published.has(uri)) void connection.sendDiagnostics({ uri, diagnostics: [] });
      if (uri.startsWith('file:')) loadFromDisk(fileURLToPath(uri));
      else index.remove(uri);
      publishAll();
    }),
  );

  connection.onDidChangeWatchedFiles((p) =>
    guard('watched files', () => {
      for (const c of p.changes) {
        if (!c.uri.startsWith('file:') || documents.get(c.uri)) continue;
        const file = fileURLToPath(c.uri);
        if (c.type === FileChangeType.Deleted) {
          // A deleted folder arrives as one event for the folder.
          for (const uri of [...index.uris()]) if (uri === c.uri || uri.startsWith(c.uri.endsWith('/') ? c.uri : `${c.uri}/`)) index.remove(uri);
        } else if (isMarkdownPath(file) && accepted(file)) {
          loadFromDisk(file);
        }
      }
      publishAll();
    }),
  );

  connection.onRequest(DocumentInfoRequest, (params): DocumentInfo | null => {
    try {
      const doc = documents.get(params.uri);
      const a = doc ? analysisOf(doc) : index.get(params.uri);
      if (!a) return null;
      const all = diagnosticsFor(index, registry, params.uri, checkOptions());
      const m = a.model;
      return {
        ...(m.type ? { type: m.type } : {}),
        ...(m.typeSource ? { typeSource: m.typeSource } : {}),
        ...(m.docId ? { id: m.docId.id } : {}),
        ...(m.title ? { title: m.title.text } : {}),
        errors: all.filter((d) => d.severity === 'error').length,
        warnings: all.filter((d) => d.severity === 'warning').length,
        ...(doc ? { version: doc.version } : {}),
        textHash: textHash(doc ? doc.getText() : a.text),
      };
    } catch (e) {
      throw new ResponseError(ErrorCodes.InternalError, e instanceof Error ? e.message : String(e));
    }
  });


  /** The analysis a request works on: the open buffer, else the indexed file. */
  function docFor(uri: string): Analysis | undefined {
    const doc = documents.get(uri);
    return doc ? analysisOf(doc) : index.get(uri);
  }

  /**
   * Every request goes through here: a cancelled request answers RequestCancelled, an exception
   * answers that request with an error (logged) and nothing else breaks.
   */
  function handle<P, R>(name: string, f: (p: P, token: CancellationToken) => R): (p: P, token: CancellationToken) => R | ResponseError<void> {
    return (p, token) => {
      if (token.isCancellationRequested) return new ResponseError(LSPErrorCodes.RequestCancelled, `${name} cancelled`);
      try {
        return f(p, token);
      } catch (e) {
        if (e instanceof ResponseError) return e as ResponseError<void>;
        connection.console.error(`${name} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
        return new ResponseError(ErrorCodes.InternalError, `Northstar: ${name} failed: ${e instanceof Error ? e.message : String(e)}`);
      }
    };
  }

  connection.onHover(
    handle('hover', (p) => {
      const a = docFor(p.textDocument.uri);
      if (!a) return null;
      const h = provideHover(ctx(), a, a.lines.offsetAt(p.position));
      return h ? toHover(h, a.lines) : null;
    }),
  );
  connection.onCompletion(
    handle('completion', (p) => {
      const a = docFor(p.textDocument.uri);
      if (!a) return null;
      const items = provideCompletion(ctx(), a, a.lines.offsetAt(p.position));
      return { isIncomplete: isIncomplete(items), items: items.map((c) => toCompletion(c, a.lines)) };
    }),
  );
  connection.onDefinition(
    handle('definition', (p) => {
      const a = docFor(p.textDocument.uri);
      return a ? toLocations(provideDefinition(ctx(), a, a.lines.offsetAt(p.position)), linesOf) : null;
    }),
  );
  connection.onReferences(
    handle('references', (p) => {
      const a = docFor(p.textDocument.uri);
      return a ? toLocations(provideReferences(ctx(), a, a.lines.offsetAt(p.position), p.context.includeDeclaration), linesOf) : null;
    }),
  );
  connection.onPrepareRename(
    handle('prepareRename', (p) => {
      const a = docFor(p.textDocument.uri);
      if (!a) return null;
      const r = prepareRename(ctx(), a, a.lines.offsetAt(p.position));
      if ('error' in r) throw new RenameRefused(r.error);
      return { range: { start: a.lines.positionAt(r.span.start), end: a.lines.positionAt(r.span.end) }, placeholder: r.placeholder };
    }),
  );
  connection.onRenameRequest(
    handle('rename', (p) => {
      const a = docFor(p.textDocument.uri);
      if (!a) return null;
      const r = rename(ctx(), a, a.lines.offsetAt(p.position), p.newName);
      if ('error' in r) throw new RenameRefused(r.error);
      return toWorkspaceEdit(r.edits, linesOf, (uri) => documents.get(uri)?.version ?? null);
    }),
  );
  connection.onDocumentSymbol(
    handle('documentSymbol', (p) => {
      const a = docFor(p.textDocument.uri);
      return a ? documentSymbols(a).map((s) => toDocumentSymbol(s, a.lines)) : null;
    }),
  );
  connection.onWorkspaceSymbol(
    handle('workspaceSymbol', (p) =>
      workspaceSymbols(ctx(), p.query).flatMap((s) => {
        const l = linesOf(s.uri);
        return l ? [toWorkspaceSymbol(s, l)] : [];
      }),
    ),
  );
  connection.onCodeLens(
    handle('codeLens', (p) => {
      const a = docFor(p.textDocument.uri);
      return a ? provideCodeLenses(ctx(), a).map((c) => toCodeLens(c, a.uri, a.lines)) : null;
    }),
  );
  connection.onDocumentLinks(
    handle('documentLinks', (p) => {
      const a = docFor(p.textDocument.uri);
      return a ? provideDocumentLinks(ctx(), a).map((l) => toDocumentLink(l, a.lines)) : null;
    }),
  );

  connection.onCodeAction(
    handle('codeAction', (p) => {
      const doc = documents.get(p.textDocument.uri);
      if (!doc) return null;
      const a = analysisOf(doc);
      const diags = diagnosticsFor(index, registry, a.uri, checkOptions());
      const range = { start: a.lines.offsetAt(p.range.start), end: a.lines.offsetAt(p.range.end) };
      const only = p.context.only;
      const wants = (kind: string) => !only || only.some((o) => kind === o || kind.startsWith(`${o}.`));
      const actions = wants(CodeActionKind.QuickFix) || wants(CodeActionKind.RefactorRewrite) ? provideCodeActions(ctx(), a, range, diags) : [];
      const all = wants(`${CodeActionKind.SourceFixAll}.northstar`) ? fixAll(ctx(), a, diags) : undefined;
      const versionOf = (uri: string) => documents.get(uri)?.version ?? null;
      const toDiag = (d: Parameters<typeof toLspDiagnostic>[0]) => toLspDiagnostic(d, a.lines, linesOf);
      return [...actions, ...(all ? [all] : [])]
        .filter((x) => wants(x.kind === 'source.fixAll' ? `${CodeActionKind.SourceFixAll}.northstar` : x.kind))
        .map((x) => toCodeAction(x, linesOf, versionOf, toDiag));
    }),
  );

  connection.onRequest(
    NewDocumentRequest,
    handle('newDocument', (p) => {
      const doc = newDocument(ctx(), p);
      // Where the workspace keeps such documents: the folder holding most of them.
      const counts = new Map<string, number>();
      for (const a of index.documents()) if (a.model.type === p.type) {
        const dir = a.uri.slice(0, a.uri.lastIndexOf('/'));
        counts.set(dir, (counts.get(dir) ?? 0) + 1);
      }
      const best = [...counts].sort((x, y) => y[1] - x[1] || x[0].localeCompare(y[0]))[0]?.[0];
      const folder = best ?? (folders[0] ? fileUri(folders[0]) : '');
      return folder ? { folder, fileName: doc.fileName, text: doc.text, id: doc.id } : null;
    }),
  );

  connection.onRequest(
    IdsRequest,
    handle('ids', (p) =>
      index.definedIds(p.kind as Parameters<typeof index.definedIds>[0]).map((id) => {
        const d = index.definition(id);
        const title = d?.entity?.title ?? index.get(d?.uri ?? '')?.model.title?.text;
        return { id, ...(title ? { title } : {}) };
      }),
    ),
  );

  connection.onRequest(
    AlignmentReportRequest,
    handle('alignmentReport', (p): AlignmentReport => {
      const opts = { ...checkOptions(), ...(p.asOf && /^\d{4}-\d{2}-\d{2}$/.test(p.asOf) ? { asOf: p.asOf } : {}) };
      const uris = reportableUris(index, registry, opts);
      const findings = uris.flatMap((uri) => diagnosticsFor(index, registry, uri, opts).map((d) => ({ uri, diagnostic: d })));
      for (const uri of uris) if (!documents.get(uri)) published.add(uri);
      publishAll();
      const strategy = strategyOf(index, registry, opts.asOf);
      const summary = summarize(strategy, index, findings);
      const root = folders[0] ? fileUri(folders[0]) : undefined;
      const markdown = renderMarkdownReport(summary, strategy, { path: (uri) => (root && uri.startsWith(`${root}/`) ? decodeURIComponent(uri.slice(root.length + 1)) : uri) });
      return { summary, markdown };
    }),
  );

  documents.listen(connection);
  connection.listen();
}

/** A refusal the user should read (shown as the request's error message). */
class RenameRefused extends ResponseError<void> {
  constructor(message: string) {
    super(ErrorCodes.InvalidRequest, message);
  }
}

interface Settings {
  asOf?: string;
  rules?: Record<string, Severity | 'off'>;
  include?: string[];
  exclude?: string[];
  schemas?: Partial<Record<'brief' | 'prd' | 'okr', string>>;
}

function definedIdsKey(a: Analysis | undefined): string {
  if (!a) return '';
  return [a.model.docId?.id ?? '', ...a.model.entities.map((e) => e.id)].join(',');
}
