/**
 * The client side of vscode-markdown-languageserver (the server behind VS Code's Markdown
 * support), as VS Code's markdown-language-features extension implements it:
 *
 * - `markdown/parse`: the server asks the *client* for markdown-it tokens (VS Code parses in the
 *   extension host with its own markdown-it, including the front-matter plugin). We do the same
 *   with markdown-it 14 + markdown-it-front-matter, `html: true`, and send the token array as JSON.
 * - `markdown/fs/readFile`: file bytes as a JSON array of numbers (`Array.from(bytes)`), exactly
 *   as VS Code sends them; `markdown/fs/stat`, `markdown/fs/readDirectory`.
 * - `markdown/findMarkdownFilesInWorkspace`: every *.md file under the workspace folder.
 * - `markdown/fs/watcher/create|delete`: acknowledged, nothing watched (the corpus does not change).
 * - settings arrive by `workspace/didChangeConfiguration` (the server does not pull them).
 *
 * The time the client spends tokenizing is recorded (`parseMs`): in VS Code it is spent in the
 * extension host, outside the server process, but on the same machine and on the path of every
 * result the server computes.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { LspClient, now } from './lsp.mjs';

const require = createRequire(import.meta.url);
const HERE = path.dirname(fileURLToPath(import.meta.url));
export const MDLS_MAIN = path.join(HERE, '..', 'node_modules', 'vscode-markdown-languageserver', 'dist', 'node', 'workerMain.js');

/** VS Code's defaults, except that validation (off by default in VS Code) is switched on. */
export const MDLS_SETTINGS = {
  markdown: {
    server: { log: 'off' },
    preferredMdPathExtensionStyle: 'auto',
    suggest: { paths: { enabled: true, includeWorkspaceHeaderCompletions: 'onDoubleHash' } },
    occurrencesHighlight: { enabled: false },
    validate: {
      enabled: true,
      referenceLinks: { enabled: 'warning' },
      fragmentLinks: { enabled: 'warning' },
      fileLinks: { enabled: 'warning', markdownFragmentLinks: 'inherit' },
      ignoredLinks: [],
      unusedLinkDefinitions: { enabled: 'hint' },
      duplicateLinkDefinitions: { enabled: 'warning' },
    },
  },
};

let md;
function markdownIt() {
  if (!md) {
    const MarkdownIt = require('markdown-it');
    const frontMatter = require('markdown-it-front-matter');
    md = MarkdownIt({ html: true });
    md.use(frontMatter, () => {});
  }
  return md;
}

// As VS Code's engine does before tokenizing.
const UNICODE_NEWLINE_REGEX = /\u2028|\u2029/g;

export function listMarkdownFiles(dir) {
  const out = [];
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (e.name === 'node_modules' || e.name.startsWith('.')) continue;
      const full = path.join(d, e.name);
      if (e.isDirectory()) walk(full);
      else if (e.isFile() && /\.md$/i.test(e.name)) out.push(full);
    }
  };
  walk(dir);
  return out;
}

/** Start the server and wire up the client side. */
export function startMdls(folder) {
  const c = new LspClient(process.execPath, [MDLS_MAIN, '--stdio'], {
    name: 'vscode-markdown-languageserver',
    keepNotifications: (m) => m !== 'textDocument/publishDiagnostics',
  });
  const stats = { parseCalls: 0, parseMs: 0, readFileCalls: 0, readFileBytes: 0, statCalls: 0, findFilesMs: 0 };
  c.stats = stats;
  const fileOf = (uri) => fileURLToPath(uri);
  c.onRequest('markdown/parse', (p) => {
    const t = now();
    const text = typeof p.text === 'string' ? p.text : fs.readFileSync(fileOf(p.uri), 'utf8');
    const tokens = markdownIt().parse(text.replace(UNICODE_NEWLINE_REGEX, ''), {});
    stats.parseCalls++;
    stats.parseMs += now() - t;
    return tokens;
  });
  c.onRequest('markdown/fs/readFile', (p) => {
    const b = fs.readFileSync(fileOf(p.uri));
    stats.readFileCalls++;
    stats.readFileBytes += b.length;
    return Array.from(b);
  });
  c.onRequest('markdown/fs/stat', (p) => {
    stats.statCalls++;
    try {
      return { isDirectory: fs.statSync(fileOf(p.uri)).isDirectory() };
    } catch {
      return null;
    }
  });
  c.onRequest('markdown/fs/readDirectory', (p) =>
    fs.readdirSync(fileOf(p.uri), { withFileTypes: true }).map((e) => [e.name, { isDirectory: e.isDirectory() }]),
  );
  c.onRequest('markdown/findMarkdownFilesInWorkspace', () => {
    const t = now();
    const r = listMarkdownFiles(folder).map((f) => pathToFileURL(f).href);
    stats.findFilesMs += now() - t;
    return r;
  });
  c.onRequest('markdown/fs/watcher/create', () => null);
  c.onRequest('markdown/fs/watcher/delete', () => null);
  c.onRequest('workspace/configuration', (p) => p.items.map(() => null));
  c.onRequest('client/registerCapability', () => null);
  c.onRequest('window/workDoneProgress/create', () => null);
  c.onRequest('workspace/diagnostic/refresh', () => null);
  return c;
}

export async function initializeMdls(c, folder) {
  const uri = pathToFileURL(folder).href;
  const init = await c.request('initialize', {
    processId: process.pid,
    clientInfo: { name: 'northstar-bench' },
    rootUri: uri,
    workspaceFolders: [{ uri, name: path.basename(folder) }],
    capabilities: {
      workspace: { configuration: true, workspaceFolders: true, diagnostics: { refreshSupport: true }, didChangeConfiguration: { dynamicRegistration: true } },
      textDocument: {
        synchronization: { dynamicRegistration: true, didSave: true },
        diagnostic: { dynamicRegistration: true, relatedDocumentSupport: true },
        publishDiagnostics: { relatedInformation: true, versionSupport: true },
        hover: { contentFormat: ['markdown', 'plaintext'] },
        documentSymbol: { hierarchicalDocumentSymbolSupport: true },
      },
      window: { workDoneProgress: true },
    },
    initializationOptions: { markdownFileExtensions: ['md'] },
  });
  c.notify('initialized', {});
  c.notify('workspace/didChangeConfiguration', { settings: MDLS_SETTINGS });
  return init;
}
