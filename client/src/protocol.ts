/** Typed requests of Northstar's custom protocol (server/src/lsp/protocol.ts), sent through the client. */
import type { LanguageClient } from 'vscode-languageclient/node';
import type { Request } from '../../server/src/lsp/protocol.js';

export * from '../../server/src/lsp/protocol.js';

export function send<P, R>(client: LanguageClient, request: Request<P, R>, params: P): Promise<R> {
  return client.sendRequest<R>(request.method, params);
}
