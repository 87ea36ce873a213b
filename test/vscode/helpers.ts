/**
 * Shared helpers of the extension-host suite (test/vscode/suite/*.test.ts). They run inside
 * VS Code's extension host, against a temp copy of examples/ opened as the workspace folder.
 * Every wait here is on an event (client state, diagnostics) with a deadline — no fixed sleeps.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { State } from 'vscode-languageclient/node';
import type { NorthstarApi } from '../../client/src/extension.js';

export const EXTENSION_ID = 'northstar-pm.northstar';
/** The date the examples are written for (see test/vscode/workspace-settings.json). */
export const AS_OF = '2026-11-23';
/**
 * Deadline of a single wait (ms): the first one includes the server start and the workspace
 * index. Mocha's per-test/hook timeout (SUITE_TIMEOUT) is larger, so a wait fails with its own message.
 */
export const WAIT_MS = Number(process.env.NORTHSTAR_VSCODE_TEST_WAIT || 30_000);
export const SUITE_TIMEOUT = 4 * WAIT_MS;

// vscode-languageclient's State enum (type-only import: the suite does not bundle the client library).
const RUNNING: State.Running = 2 as State.Running;
const STATE_NAMES: Record<number, string> = { 1: 'Stopped', 2: 'Running', 3: 'Starting' };

/** The workspace folder (a copy of examples/). */
export function workspaceRoot(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('No workspace folder is open: the suite must run on a copy of examples/.');
  return folder.uri;
}

/** URI of a workspace-relative path like `prds/saved-cards.prd.md`. */
export function fileUri(rel: string): vscode.Uri {
  return vscode.Uri.joinPath(workspaceRoot(), ...rel.split('/'));
}

/** Workspace-relative path (forward slashes) of a URI in the workspace folder. */
export function relPath(uri: vscode.Uri): string {
  const root = workspaceRoot().path.replace(/\/$/, '');
  return uri.path.startsWith(`${root}/`) ? uri.path.slice(root.length + 1) : uri.toString();
}

/**
 * Resolves when `check()` answers a value (checked now and on every `event`), rejects after
 * `timeoutMs` with `describe()` in the message.
 */
export function waitFor<T>(
  what: string,
  event: vscode.Event<unknown>,
  check: () => T | undefined,
  { timeoutMs = WAIT_MS, describe = () => '' }: { timeoutMs?: number; describe?: () => string } = {},
): Promise<T> {
  const now = check();
  if (now !== undefined) return Promise.resolve(now);
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      sub.dispose();
      const seen = describe();
      reject(new Error(`Timed out after ${timeoutMs} ms waiting for ${what}${seen ? `; last seen: ${seen}` : ''}`));
    }, timeoutMs);
    const sub = event(() => {
      let v: T | undefined;
      try {
        v = check();
      } catch (e) {
        clearTimeout(timer);
        sub.dispose();
        reject(e instanceof Error ? e : new Error(String(e)));
        return;
      }
      if (v === undefined) return;
      clearTimeout(timer);
      sub.dispose();
      resolve(v);
    });
  });
}

let apiPromise: Promise<NorthstarApi> | undefined;

/**
 * Activates Northstar (as VS Code would on opening a spec workspace) and waits until its
 * language client is running. Answers the extension's API.
 */
export function northstar(): Promise<NorthstarApi> {
  apiPromise ??= (async () => {
    const ext = vscode.extensions.getExtension<NorthstarApi>(EXTENSION_ID);
    assert.ok(ext, `extension ${EXTENSION_ID} is not loaded (installed: ${vscode.extensions.all.filter((e) => !e.id.startsWith('vscode.')).map((e) => e.id).join(', ') || 'none besides built-ins'})`);
    if (!vscode.workspace.isTrusted) {
      // The suite checks Northstar in a trusted workspace. A runner either starts VS Code with
      // --disable-workspace-trust (runTest.ts) or answers the trust dialog (run-in-code-server.mjs);
      // on the grant Northstar restarts its client (its listener runs before this one), and the
      // wait for "Running" below then waits for that restart.
      await waitFor('the workspace to be trusted (answer "Do you trust the authors…?")',
        vscode.workspace.onDidGrantWorkspaceTrust as vscode.Event<unknown>, () => (vscode.workspace.isTrusted ? true : undefined),
        { timeoutMs: 2 * WAIT_MS });
    }
    const api = await ext.activate();
    assert.equal(typeof api?.client, 'function', 'activate() must return the NorthstarApi ({ client, checkAlignment })');
    const client = api.client();
    await waitFor('the Northstar language client to be running', client.onDidChangeState as vscode.Event<unknown>,
      () => (client.state === RUNNING ? true : undefined),
      { describe: () => `state ${STATE_NAMES[client.state] ?? client.state}` });
    return api;
  })();
  return apiPromise;
}

/** Opens a workspace file in an editor (as a user would) and answers its document. */
export async function openDoc(rel: string): Promise<vscode.TextDocument> {
  const doc = await vscode.workspace.openTextDocument(fileUri(rel));
  await vscode.window.showTextDocument(doc, { preview: false });
  return doc;
}

/**
 * Position of character `offset` of the `occurrence`-th (0-based) appearance of `text` in the
 * document. Throws if the text is not there.
 */
export function positionOf(doc: vscode.TextDocument, text: string, { occurrence = 0, offset = 0 } = {}): vscode.Position {
  const all = doc.getText();
  let at = -1;
  for (let i = 0; i <= occurrence; i++) {
    at = all.indexOf(text, at + 1);
    if (at < 0) throw new Error(`${JSON.stringify(text)} (occurrence ${occurrence}) is not in ${relPath(doc.uri)}`);
  }
  return doc.positionAt(at + offset);
}

/** The diagnostic's code as a string (VS Code turns code + codeDescription into { value, target }). */
export function codeOf(d: vscode.Diagnostic): string {
  const c = d.code;
  return typeof c === 'object' && c !== null ? String(c.value) : String(c ?? '');
}

/** Northstar's diagnostics of a file (source "northstar"), sorted by line and code. */
export function northstarDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'northstar')
    .sort((a, b) => a.range.start.line - b.range.start.line || codeOf(a).localeCompare(codeOf(b)));
}

export const fmtDiagnostics = (ds: readonly vscode.Diagnostic[]): string =>
  ds.length ? ds.map((d) => `${d.range.start.line + 1}:${d.range.start.character + 1} ${codeOf(d)}`).join(', ') : '(none)';

/** Waits (on onDidChangeDiagnostics) until Northstar's diagnostics of `uri` satisfy `ok`. */
export function waitForDiagnostics(uri: vscode.Uri, ok: (ds: vscode.Diagnostic[]) => boolean, what: string): Promise<vscode.Diagnostic[]> {
  return waitFor(what, vscode.languages.onDidChangeDiagnostics as vscode.Event<unknown>, () => {
    const ds = northstarDiagnostics(uri);
    return ok(ds) ? ds : undefined;
  }, { describe: () => fmtDiagnostics(northstarDiagnostics(uri)) });
}

/** Plain text of hover contents (MarkdownString, MarkedString or string). */
export function hoverText(hovers: readonly vscode.Hover[]): string {
  return hovers.flatMap((h) => h.contents).map((c) => (typeof c === 'string' ? c : c.value)).join('\n---\n');
}

/** A completion item's label as a string. */
export const labelOf = (item: vscode.CompletionItem): string => (typeof item.label === 'string' ? item.label : item.label.label);
