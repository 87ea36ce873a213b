/**
 * The request handlers: each looks up the analysis, asks the service, converts the answer.
 * Every handler goes through `handle`: a cancelled request answers RequestCancelled, an
 * exception answers that request with an error (logged) and nothing else breaks.
 */
import { CodeActionKind, ErrorCodes, LSPErrorCodes, ResponseError, type CancellationToken, type Connection } from 'vscode-languageserver/node';
import type { Analysis } from '../core/analysis.js';
import type { NorthstarService } from '../core/service.js';
import type { IdKind } from '../core/ids.js';
import { ASSIGN_IDS_KIND, toCodeAction, toCodeLens, toCompletion, toDocumentLink, toDocumentSymbol, toHover, toLocations, toLspDiagnostic, toRange, toWorkspaceEdit, toWorkspaceSymbol } from './convert.js';
import { AlignmentReportRequest, DocumentInfoRequest, IdsRequest, NewDocumentRequest, StrategyTreeRequest, type AlignmentReport, type DocumentInfo, type Request } from './protocol.js';
import { textHash } from '../node/modelCache.js';
import { fileUri } from '../node/host.js';
import type { OpenDocuments } from './openDocuments.js';
import type { Publisher } from './publisher.js';

const FIX_ALL = `${CodeActionKind.SourceFixAll}.northstar`;

export function registerHandlers(connection: Connection, service: NorthstarService, open: OpenDocuments, publisher: Publisher, folders: () => readonly string[], indexed: Promise<void>): void {
  const linesOf = (uri: string) => service.get(uri)?.lines;
  const versionOf = (uri: string) => open.documents.get(uri)?.version ?? null;

  function handle<P, R>(name: string, f: (p: P) => Promise<R>): (p: P, token: CancellationToken) => Promise<R | ResponseError<void>> {
    return async (p, token) => {
      const cancelled = () => new ResponseError<void>(LSPErrorCodes.RequestCancelled, `${name} cancelled`);
      // One turn of the event loop first: a cancellation already on its way is read before the work starts.
      await new Promise((r) => setImmediate(r));
      if (token.isCancellationRequested) return cancelled();
      try {
        const r = await f(p);
        return token.isCancellationRequested ? cancelled() : r;
      } catch (e) {
        if (e instanceof ResponseError) return e as ResponseError<void>;
        connection.console.error(`${name} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
        return new ResponseError(ErrorCodes.InternalError, `Northstar: ${name} failed: ${e instanceof Error ? e.message : String(e)}`);
      }
    };
  }
  /** A handler on one document at one position: null when the document is unknown. */
  function at<P extends { textDocument: { uri: string }; position: { line: number; character: number } }, R>(name: string, f: (a: Analysis, offset: number, p: P) => R) {
    return handle(name, async (p: P) => {
      const a = await open.analysis(p.textDocument.uri);
      return a ? f(a, a.lines.offsetAt(p.position), p) : null;
    });
  }
  function on<P extends { textDocument: { uri: string } }, R>(name: string, f: (a: Analysis, p: P) => R) {
    return handle(name, async (p: P) => {
      const a = await open.analysis(p.textDocument.uri);
      return a ? f(a, p) : null;
    });
  }

  connection.onHover(at('hover', (a, o) => {
    const h = service.hover(a, o);
    return h ? toHover(h, a.lines) : null;
  }));
  connection.onCompletion(at('completion', (a, o) => {
    const c = service.completion(a, o);
    return { isIncomplete: c.isIncomplete, items: c.items.map((x) => toCompletion(x, a.lines)) };
  }));
  connection.onDefinition(at('definition', (a, o) => toLocations(service.definition(a, o), linesOf)));
  connection.onReferences(at('references', (a, o, p) => toLocations(service.references(a, o, p.context.includeDeclaration), linesOf)));
  connection.onPrepareRename(at('prepareRename', (a, o) => {
    const r = service.prepareRename(a, o);
    if ('error' in r) throw new ResponseError(ErrorCodes.InvalidRequest, r.error);
    return { range: toRange(a.lines, r.span), placeholder: r.placeholder };
  }));
  connection.onRenameRequest(at('rename', (a, o, p) => {
    const r = service.rename(a, o, p.newName);
    if ('error' in r) throw new ResponseError(ErrorCodes.InvalidRequest, r.error);
    return toWorkspaceEdit(r.edits, linesOf, versionOf);
  }));
  connection.onDocumentSymbol(on('documentSymbol', (a) => service.documentSymbols(a).map((s) => toDocumentSymbol(s, a.lines))));
  connection.onWorkspaceSymbol(handle('workspaceSymbol', async (p: { query: string }) => service.workspaceSymbols(p.query).flatMap((s) => {
    const l = linesOf(s.uri);
    return l ? [toWorkspaceSymbol(s, l)] : [];
  })));
  connection.onCodeLens(on('codeLens', (a) => service.codeLenses(a).map((c) => toCodeLens(c, a.uri, a.lines))));
  connection.onDocumentLinks(on('documentLinks', (a) => service.documentLinks(a).map((l) => toDocumentLink(l, a.lines))));
  connection.onCodeAction(on('codeAction', (a, p) => {
    if (!open.documents.get(a.uri)) return null;
    const only = p.context.only;
    const wants = (kind: string) => !only || only.some((o) => kind === o || kind.startsWith(`${o}.`));
    const range = { start: a.lines.offsetAt(p.range.start), end: a.lines.offsetAt(p.range.end) };
    const actions = service.codeActions(a, range, { quickFixes: wants(CodeActionKind.QuickFix) || wants(CodeActionKind.RefactorRewrite), fixAll: wants(FIX_ALL), assignIds: only?.some((o) => ASSIGN_IDS_KIND === o || ASSIGN_IDS_KIND.startsWith(`${o}.`)) ?? false });
    const toDiag = (d: Parameters<typeof toLspDiagnostic>[0]) => toLspDiagnostic(d, a.lines, linesOf);
    return actions.filter((x) => wants(x.kind === 'source.fixAll' ? FIX_ALL : x.kind === 'source.assignIds' ? ASSIGN_IDS_KIND : x.kind)).map((x) => toCodeAction(x, linesOf, versionOf, toDiag));
  }));

  const onRequest = <P, R>(req: Request<P, R>, name: string, f: (p: P) => Promise<R>) => connection.onRequest(req.method, handle(name, f));

  onRequest(DocumentInfoRequest, 'documentInfo', async (p): Promise<DocumentInfo | null> => {
    const a = await open.analysis(p.uri);
    const info = a && service.documentInfo(a.uri);
    const doc = open.documents.get(p.uri);
    return info ? { ...info, ...(doc ? { version: doc.version } : {}), textHash: textHash(doc ? doc.getText() : a.text) } : null;
  });
  onRequest(NewDocumentRequest, 'newDocument', async (p) => {
    const doc = service.newDocument(p);
    const folder = doc.folder ?? (folders()[0] ? fileUri(folders()[0]!) : '');
    return folder ? { folder, fileName: doc.fileName, text: doc.text, id: doc.id } : null;
  });
  onRequest(IdsRequest, 'ids', async (p) => service.ids(p.kind as IdKind));
  onRequest(StrategyTreeRequest, 'strategyTree', async (p) => {
    // The view shows the whole workspace: it waits until every file is read.
    await indexed;
    const text = (x: unknown) => (typeof x === 'string' && x.length <= 200 ? x : undefined);
    return service.strategyTree({ ...(text(p?.owner) ? { owner: text(p.owner)! } : {}), ...(text(p?.period) ? { period: text(p.period)! } : {}), ...(text(p?.stage) ? { stage: text(p.stage)! } : {}) });
  });
  onRequest(AlignmentReportRequest, 'alignmentReport', async (p): Promise<AlignmentReport> => {
    // The report is about the whole workspace: it waits until every file is read.
    await indexed;
    const options = { ...service.checkOptions, ...(p.asOf && /^\d{4}-\d{2}-\d{2}$/.test(p.asOf) ? { asOf: p.asOf } : {}) };
    const root = folders()[0] ? fileUri(folders()[0]!) : undefined;
    const path = (uri: string) => (root && uri.startsWith(`${root}/`) ? decodeURIComponent(uri.slice(root.length + 1)) : uri);
    const r = service.alignmentReport(path, options);
    for (const uri of r.uris) if (!open.documents.get(uri)) publisher.published.add(uri);
    publisher.publishAll();
    return { summary: r.summary, markdown: r.markdown, map: r.map, svg: r.svg, html: r.html, charts: r.charts };
  });
}
