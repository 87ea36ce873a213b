/** Driving the Northstar language server from the benchmark. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { LspClient } from './lsp.mjs';

export const INDEXED_RE = /indexed (\d+) Markdown files in (\d+) ms/;

/**
 * Spawn `node <serverPath> --stdio`, answer the client-side requests it makes (settings, dynamic
 * registration) and send `initialize` as VS Code does.
 * @param {{ serverPath: string, folder: string, asOf: string, cacheDir?: string, watchUris?: Set<string>, nodeArgs?: string[] }} o
 */
export function startNorthstar(o) {
  const watch = o.watchUris ?? new Set();
  const c = new LspClient(process.execPath, [...(o.nodeArgs ?? []), o.serverPath, '--stdio'], {
    name: 'northstar',
    // Keep the publishes of the documents we look at; count the rest.
    keepNotifications: (m, p) => m !== 'textDocument/publishDiagnostics' || watch.has(p.uri),
  });
  c.watch = watch;
  c.publishCount = 0;
  c.onNotification('textDocument/publishDiagnostics', () => c.publishCount++);
  c.onRequest('workspace/configuration', (p) =>
    p.items.map((i) => (i.section === 'northstar' ? { asOf: o.asOf, rules: {} } : i.section === 'files' ? { exclude: {} } : null)),
  );
  c.onRequest('client/registerCapability', () => null);
  c.onRequest('client/unregisterCapability', () => null);
  c.onRequest('window/workDoneProgress/create', () => null);
  c.onRequest('workspace/codeLens/refresh', () => null);
  c.onRequest('workspace/diagnostic/refresh', () => null);
  c.onRequest('window/showMessageRequest', () => null);
  return c;
}

export async function initializeNorthstar(c, o) {
  const uri = pathToFileURL(o.folder).href;
  const init = await c.request('initialize', {
    processId: process.pid,
    clientInfo: { name: 'northstar-bench' },
    rootUri: uri,
    workspaceFolders: [{ uri, name: path.basename(o.folder) }],
    capabilities: {
      workspace: { configuration: true, workspaceFolders: true, didChangeWatchedFiles: { dynamicRegistration: true }, didChangeConfiguration: { dynamicRegistration: true } },
      textDocument: {
        synchronization: { dynamicRegistration: true, didSave: true },
        publishDiagnostics: { relatedInformation: true, versionSupport: true, codeDescriptionSupport: true, dataSupport: true },
        hover: { contentFormat: ['markdown', 'plaintext'] },
        completion: { completionItem: { snippetSupport: true, documentationFormat: ['markdown', 'plaintext'] }, contextSupport: true },
        definition: { linkSupport: false },
        references: {},
      },
      window: { workDoneProgress: true },
    },
    initializationOptions: o.cacheDir ? { cacheDir: o.cacheDir } : {},
  });
  c.notify('initialized', {});
  return init;
}

export function waitIndexed(c, timeoutMs) {
  return c.waitFor((n) => n.method === 'window/logMessage' && INDEXED_RE.test(n.params?.message ?? ''), timeoutMs, '"indexed N Markdown files" log');
}

export function openDoc(c, file, version = 1) {
  const uri = pathToFileURL(file).href;
  c.watch.add(uri);
  c.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'markdown', version, text: fs.readFileSync(file, 'utf8') } });
  return uri;
}

/**
 * The debounce the server waits after a change, read from its source: a fixed DEBOUNCE_MS, or
 * the adaptive form `Math.min(DEBOUNCE_MS, Math.max(FLOOR, FACTOR * lastCost))` (the delay
 * follows the cost of the document's last analysis). 150 ms fixed when nothing is found.
 */
export function readDebounce(root) {
  // The debounce lives in the publisher (it was in server.ts before).
  for (const file of [path.join('server', 'src', 'lsp', 'publisher.ts'), path.join('server', 'src', 'lsp', 'server.ts')]) {
    try {
      const src = fs.readFileSync(path.join(root, file), 'utf8');
      const m = /DEBOUNCE_MS\s*=\s*(\d+)/.exec(src);
      if (m) {
        const a = /Math\.min\(\s*DEBOUNCE_MS\s*,\s*Math\.max\(\s*(\d+(?:\.\d+)?)\s*,\s*(\d+(?:\.\d+)?)\s*\*/.exec(src);
        return { ms: Number(m[1]), adaptive: a ? { floor: Number(a[1]), factor: Number(a[2]) } : undefined, source: file };
      }
    } catch {
      /* not there */
    }
  }
  return { ms: 150, adaptive: undefined, source: 'default (not found in the source)' };
}

/**
 * The debounce each edit waited, as the server computes it. Fixed: DEBOUNCE_MS. Adaptive: from
 * the previous edit's cost, estimated as its latency minus its own delay (the first edit of a
 * document has no cost yet: the floor). An estimate: the server times its analysis only, the
 * latency also holds the diagnostics, the publish and the transport.
 */
export function debounceDelays(latencies, debounce) {
  if (!debounce.adaptive) return latencies.map(() => debounce.ms);
  const out = [];
  let prevCost = 0;
  for (const raw of latencies) {
    const delay = Math.min(debounce.ms, Math.max(debounce.adaptive.floor, debounce.adaptive.factor * prevCost));
    out.push(delay);
    prevCost = Math.max(0, raw - delay);
  }
  return out;
}

const ID_RE = /\b(?:KPI|FEAT|PERSONA|PRD|OKR|BRIEF|KR|OBJ)-[A-Za-z0-9]+(?:[-_.][A-Za-z0-9]+)*/g;

/**
 * Positions for the request benchmarks: IDs (outside code fences and code spans) for hover,
 * definition and references; the position right after `- kpi: ` for completion.
 */
export function requestPositions(text) {
  const lines = text.split('\n');
  const ids = [];
  const completion = [];
  let fence = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (/^\s*(```|~~~)/.test(line)) {
      fence = !fence;
      continue;
    }
    if (fence) continue;
    const m = /^(\s*- kpi: )/.exec(line);
    if (m) completion.push({ line: i, character: m[1].length });
    const noCode = line.replace(/`[^`]*`/g, (s) => ' '.repeat(s.length)).replace(/\]\([^)]*\)/g, (s) => ' '.repeat(s.length));
    for (const x of noCode.matchAll(ID_RE)) {
      let id = x[0];
      if (id.endsWith('.')) id = id.slice(0, -1);
      ids.push({ line: i, character: x.index + Math.floor(id.length / 2), id });
    }
  }
  return { ids, completion };
}

/** Spread `count` picks evenly over `list` (deterministic), cycling when the list is short. */
export function spread(list, count) {
  if (!list.length) return [];
  const out = [];
  const step = list.length / Math.min(count, list.length);
  for (let i = 0; i < count; i++) out.push(list[Math.floor((i * step) % list.length)]);
  return out;
}

/** A prose line near the middle of the document (outside code fences, not a heading, list or table). */
export function middleProseLine(text) {
  const lines = text.split('\n');
  const fenced = new Array(lines.length).fill(false);
  let fence = false;
  for (let i = 0; i < lines.length; i++) {
    if (/^\s*(```|~~~)/.test(lines[i])) {
      fenced[i] = true;
      fence = !fence;
    } else fenced[i] = fence;
  }
  const ok = (i) => !fenced[i] && lines[i].length > 30 && !/^\s*([#>|*+-]|\d+[.)]|---)/.test(lines[i]);
  const mid = Math.floor(lines.length / 2);
  for (let d = 0; d < lines.length; d++) {
    if (mid + d < lines.length && ok(mid + d)) return { line: mid + d, character: lines[mid + d].length };
    if (mid - d >= 0 && ok(mid - d)) return { line: mid - d, character: lines[mid - d].length };
  }
  return { line: mid, character: 0 };
}
