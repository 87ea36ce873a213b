// Real-editor end-to-end helpers: code-server (VS Code 1.99.3 for the web, with a real Node
// extension host) driven through Debian's /usr/bin/chromium by playwright-core.
//
// Install everything first with scripts/e2e/install.sh (idempotent, cached outside the repo).
// Plain ESM, no TypeScript, no dependencies besides playwright-core.
//
// Every UI helper WAITS on UI state (selectors, text) with a timeout; none sleeps a fixed time.
//
// Typical use:
//   import { withSession } from './lib.mjs';
//   await withSession({ files: { 'a.md': '# hi\n' }, screenshotDir }, async (s) => {
//     await s.step('trust the folder', () => handleWorkspaceTrust(s.page, { trust: true }));
//     ...
//   });

import { spawn, execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const CODE_SERVER_VERSION = '4.99.4';
export const PLAYWRIGHT_CORE_VERSION = '1.65.1';
export const CHROMIUM = process.env.NORTHSTAR_CHROMIUM || '/usr/bin/chromium';
export const CACHE = process.env.NORTHSTAR_E2E_CACHE || path.join(os.homedir(), '.cache', 'northstar-e2e');
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
/** Default per-wait timeout (ms); NORTHSTAR_E2E_TIMEOUT overrides. */
export const DEFAULT_TIMEOUT = Number(process.env.NORTHSTAR_E2E_TIMEOUT || 20_000);

const HERE = path.dirname(fileURLToPath(import.meta.url));
const INSTALL_HINT = `run: bash ${path.relative(process.cwd(), path.join(HERE, '../../scripts/e2e/install.sh')) || 'scripts/e2e/install.sh'}`;

// Settings written to <user-data-dir>/User/settings.json unless overridden: keep the workbench quiet
// and deterministic (no welcome page, no tips, no network).
export const DEFAULT_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.ignoreRecommendations': true,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'chat.commandCenter.enabled': false,
};

const log = (...a) => console.log('[e2e]', ...a);

// --------------------------------------------------------------------------------------------
// Locating the installed tools
// --------------------------------------------------------------------------------------------

/** Path of the code-server binary installed by scripts/e2e/install.sh. */
export function codeServerBin() {
  const bin = process.env.NORTHSTAR_CODE_SERVER || path.join(CACHE, `code-server-${CODE_SERVER_VERSION}`, 'bin', 'code-server');
  if (!fs.existsSync(bin)) throw new Error(`code-server not found at ${bin}; ${INSTALL_HINT}`);
  return bin;
}

let playwrightPromise;
/**
 * playwright-core: NORTHSTAR_PLAYWRIGHT_CORE (a package dir), else the project's own
 * node_modules (if it ever becomes a devDependency), else the install.sh cache.
 */
export function loadPlaywright() {
  playwrightPromise ??= (async () => {
    const candidates = [];
    if (process.env.NORTHSTAR_PLAYWRIGHT_CORE) candidates.push(path.join(process.env.NORTHSTAR_PLAYWRIGHT_CORE, 'package.json'));
    candidates.push(path.join(HERE, 'package.json')); // resolves through the repo's node_modules
    candidates.push(path.join(CACHE, `playwright-core-${PLAYWRIGHT_CORE_VERSION}`, 'package.json'));
    const errors = [];
    for (const from of candidates) {
      try {
        const req = createRequire(from);
        const id = from.endsWith(path.join('playwright-core', 'package.json')) ? path.dirname(from) : 'playwright-core';
        const pw = req(id);
        pw.northstarResolvedFrom = path.dirname(req.resolve(`${id}/package.json`));
        return pw;
      } catch (e) {
        errors.push(`${from}: ${e.code || e.message}`);
      }
    }
    throw new Error(`playwright-core not found (${errors.join('; ')}); ${INSTALL_HINT}`);
  })();
  return playwrightPromise;
}

// --------------------------------------------------------------------------------------------
// Small utilities
// --------------------------------------------------------------------------------------------

export async function makeTempDir(prefix = 'northstar-e2e-') {
  // Keep it short: code-server puts a unix socket in the user-data-dir (108-byte path limit).
  return fsp.mkdtemp(path.join(os.tmpdir(), prefix));
}

/** Writes { 'rel/path': 'content' } under dir. */
export async function writeFiles(dir, files) {
  for (const [rel, content] of Object.entries(files)) {
    const p = path.join(dir, rel);
    await fsp.mkdir(path.dirname(p), { recursive: true });
    await fsp.writeFile(p, content);
  }
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

function httpGet(url, timeoutMs = 2000) {
  return new Promise((resolve, reject) => {
    const req = http.get(url, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode, body }));
    });
    req.on('error', reject);
    req.setTimeout(timeoutMs, () => req.destroy(new Error('timeout')));
  });
}

function tail(file, lines = 30) {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

function slug(s) {
  return String(s).toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 80) || 'step';
}

/** Polls fn() until it returns a truthy value; returns that value. Throws a message on timeout. */
export async function waitUntil(fn, { timeout = DEFAULT_TIMEOUT, interval = 100, message = 'condition' } = {}) {
  const deadline = Date.now() + timeout;
  let lastErr;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      lastErr = e;
    }
    if (Date.now() > deadline) {
      throw new Error(`Timed out after ${timeout} ms waiting for ${message}${lastErr ? ` (last error: ${lastErr.message})` : ''}`);
    }
    await new Promise((r) => setTimeout(r, interval));
  }
}

// --------------------------------------------------------------------------------------------
// Process cleanup: every server we start is its own process group and is killed on exit/signals.
// --------------------------------------------------------------------------------------------

const liveServers = new Set();
const liveBrowsers = new Set();
const liveTempDirs = new Set(); // session temp dirs to remove if we are killed
let handlersInstalled = false;
let shuttingDown = false;

function killGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false;
  }
}

function installExitHandlers() {
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.on('exit', () => {
    for (const s of liveServers) killGroup(s.pid, 'SIGKILL');
    for (const d of liveTempDirs) fs.rmSync(d, { recursive: true, force: true });
  });
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.once(sig, async () => {
      shuttingDown = true;
      log(`${sig}: shutting down`);
      await Promise.allSettled([...liveBrowsers].map((b) => b.close()));
      await Promise.allSettled([...liveServers].map((s) => s.stop()));
      process.exit(128 + (os.constants.signals[sig] || 1));
    });
  }
}

// --------------------------------------------------------------------------------------------
// code-server
// --------------------------------------------------------------------------------------------

/** Writes VS Code user settings into <userDataDir>/User/settings.json (merged over DEFAULT_SETTINGS). */
export async function writeUserSettings(userDataDir, settings = {}) {
  const dir = path.join(userDataDir, 'User');
  await fsp.mkdir(dir, { recursive: true });
  await fsp.writeFile(path.join(dir, 'settings.json'), JSON.stringify({ ...DEFAULT_SETTINGS, ...settings }, null, 2));
}

/**
 * Installs a .vsix into extensionsDir with `code-server --install-extension` (do it before
 * starting the server). Returns the CLI output.
 */
export async function installExtension(vsixPath, { extensionsDir, userDataDir, timeout = 120_000 } = {}) {
  if (!extensionsDir || !userDataDir) throw new Error('installExtension needs extensionsDir and userDataDir');
  const vsix = path.resolve(vsixPath);
  if (!fs.existsSync(vsix)) throw new Error(`vsix not found: ${vsix}`);
  const args = ['--user-data-dir', userDataDir, '--extensions-dir', extensionsDir, '--force', '--install-extension', vsix];
  return new Promise((resolve, reject) => {
    execFile(codeServerBin(), args, { timeout, env: { ...process.env } }, (err, stdout, stderr) => {
      const out = `${stdout}${stderr}`;
      if (err || /failed|error/i.test(out)) {
        reject(new Error(`code-server --install-extension ${vsix} failed: ${err ? err.message : ''}\n${out}`));
      } else {
        resolve(out.trim());
      }
    });
  });
}

/** `code-server --list-extensions --show-versions` for an extensions dir. */
export async function listExtensions({ extensionsDir, userDataDir }) {
  return new Promise((resolve, reject) => {
    execFile(codeServerBin(), ['--user-data-dir', userDataDir, '--extensions-dir', extensionsDir, '--list-extensions', '--show-versions'],
      { timeout: 60_000 }, (err, stdout, stderr) => (err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(stdout.split('\n').filter(Boolean))));
  });
}

/**
 * Starts code-server on a free 127.0.0.1 port, in its own process group, and waits until it
 * answers HTTP (/healthz). Returns { url, port, pid, logFile, folder, stop() }.
 */
export async function startCodeServer({
  folder,
  userDataDir,
  extensionsDir,
  logFile,
  workspaceTrust = true, // false adds --disable-workspace-trust
  extraArgs = [],
  env = {},
  timeout = 60_000,
} = {}) {
  if (!folder || !userDataDir || !extensionsDir) throw new Error('startCodeServer needs folder, userDataDir, extensionsDir');
  installExitHandlers();
  const bin = codeServerBin();
  await fsp.mkdir(userDataDir, { recursive: true });
  await fsp.mkdir(extensionsDir, { recursive: true });
  logFile ??= path.join(userDataDir, '..', 'code-server.log');
  // Our own config file, so code-server does not create/read ~/.config/code-server/config.yaml.
  const configFile = path.join(userDataDir, '..', 'code-server-config.yaml');
  await fsp.writeFile(configFile, 'auth: none\n');

  let lastError;
  for (let attempt = 1; attempt <= 3; attempt++) {
    const port = await freePort();
    const args = [
      '--config', configFile,
      '--bind-addr', `127.0.0.1:${port}`,
      '--auth', 'none',
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-getting-started-override',
      ...(workspaceTrust ? [] : ['--disable-workspace-trust']),
      '--user-data-dir', userDataDir,
      '--extensions-dir', extensionsDir,
      ...extraArgs,
      folder,
    ];
    const out = fs.openSync(logFile, 'a');
    fs.writeSync(out, `\n=== ${new Date().toISOString()} ${bin} ${args.join(' ')}\n`);
    const child = spawn(bin, args, {
      detached: true, // own process group: stop() kills the whole tree (extension host included)
      stdio: ['ignore', out, out],
      env: { ...process.env, ...env },
    });
    fs.closeSync(out);
    let exited = null;
    const exitPromise = new Promise((resolve) => child.once('exit', (code, signal) => resolve((exited = { code, signal }))));

    const server = {
      url: `http://127.0.0.1:${port}`,
      port,
      pid: child.pid,
      logFile,
      folder,
      userDataDir,
      extensionsDir,
      async stop() {
        if (!liveServers.has(server)) return;
        liveServers.delete(server);
        killGroup(child.pid, 'SIGTERM');
        const done = await Promise.race([exitPromise.then(() => true), new Promise((r) => setTimeout(() => r(false), 5000))]);
        // The main process may be gone while children (extension host, pty host) linger.
        killGroup(child.pid, 'SIGKILL');
        if (!done) await exitPromise;
      },
    };
    liveServers.add(server);

    try {
      await waitUntil(async () => {
        if (exited) throw Object.assign(new Error(`code-server exited early (${JSON.stringify(exited)})`), { fatal: true });
        const res = await httpGet(`${server.url}/healthz`);
        return res.status === 200;
      }, { timeout, interval: 150, message: `code-server on port ${port} to answer /healthz` });
      log(`code-server ${CODE_SERVER_VERSION} up at ${server.url} (pid ${child.pid}, log ${logFile})`);
      return server;
    } catch (e) {
      lastError = e;
      await server.stop();
      if (!/EADDRINUSE/.test(tail(logFile, 10))) break; // only a port race is worth a retry
    }
  }
  throw new Error(`${lastError.message}\n--- ${logFile} (tail) ---\n${tail(logFile)}`);
}

// --------------------------------------------------------------------------------------------
// Browser
// --------------------------------------------------------------------------------------------

/** Launches Debian's chromium through playwright-core (never downloads a browser). */
export async function launchBrowser({ headless = process.env.NORTHSTAR_E2E_HEADFUL !== '1', args = [] } = {}) {
  installExitHandlers();
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found; ${INSTALL_HINT}`);
  const pw = await loadPlaywright();
  const browser = await pw.chromium.launch({ executablePath: CHROMIUM, headless, args: [...CHROMIUM_ARGS, ...args] });
  log(`chromium ${browser.version()} (${CHROMIUM}) via ${pw.northstarResolvedFrom}`);
  liveBrowsers.add(browser);
  browser.on('disconnected', () => liveBrowsers.delete(browser));
  return browser;
}

/**
 * Opens a new page on the workbench of `folder` and waits for it. Collects console errors and
 * page errors in page.northstarConsole (useful in failure reports).
 */
export async function openWorkbench(browser, server, { folder = server.folder, viewport = { width: 1400, height: 900 }, timeout = 60_000 } = {}) {
  const context = await browser.newContext({ viewport, locale: 'en-US' });
  const page = await context.newPage();
  page.setDefaultTimeout(DEFAULT_TIMEOUT);
  page.northstarConsole = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') page.northstarConsole.push(`[${m.type()}] ${m.text()}`);
  });
  page.on('pageerror', (e) => page.northstarConsole.push(`[pageerror] ${e.message}`));
  await page.goto(`${server.url}/?folder=${encodeURIComponent(folder)}`);
  await waitForWorkbench(page, { timeout });
  return page;
}

// --------------------------------------------------------------------------------------------
// Workbench helpers (VS Code 1.99 DOM)
// --------------------------------------------------------------------------------------------

export const SEL = {
  workbench: '.monaco-workbench',
  statusbar: '.monaco-workbench .part.statusbar',
  editorPart: '.monaco-workbench .part.editor',
  activeEditor: '.part.editor .editor-group-container.active .editor-instance .monaco-editor',
  activeTab: '.part.editor .editor-group-container.active .tabs-container .tab.active',
  dialog: '.monaco-dialog-box',
  quickInput: '.quick-input-widget',
  quickInputBox: '.quick-input-widget .quick-input-box input',
  quickInputRow: '.quick-input-widget .quick-input-list .monaco-list-row',
  markersPanel: '.markers-panel',
  markersRow: '.markers-panel .monaco-list-row',
  hover: '.monaco-editor .monaco-hover:not(.hidden)',
  suggest: '.monaco-editor .suggest-widget.visible',
  suggestRow: '.monaco-editor .suggest-widget.visible .monaco-list-row',
  notification: '.notifications-toasts .notification-toast',
};

/** Waits until the workbench is laid out (status bar, activity bar, editor part visible). */
export async function waitForWorkbench(page, { timeout = 60_000 } = {}) {
  await page.locator(SEL.workbench).waitFor({ state: 'visible', timeout });
  await page.locator(SEL.statusbar).waitFor({ state: 'visible', timeout });
  await page.locator(SEL.editorPart).waitFor({ state: 'visible', timeout });
  await page.locator('.monaco-workbench .part.activitybar, .monaco-workbench .part.sidebar').first().waitFor({ state: 'visible', timeout });
}

/**
 * Answers the workspace-trust dialog ("Do you trust the authors of the files in this folder?").
 * trust=true → "Yes, I trust the authors"; false → "No, I don't trust the authors" (Restricted Mode).
 * Returns true if the dialog was shown and answered; false if it did not appear within timeout
 * and optional=true. Then waits for the status bar to (not) show "Restricted Mode".
 */
export async function handleWorkspaceTrust(page, { trust = true, timeout = DEFAULT_TIMEOUT, optional = false } = {}) {
  const dialog = page.locator(SEL.dialog).filter({ hasText: 'Do you trust the authors' });
  try {
    await dialog.waitFor({ state: 'visible', timeout });
  } catch (e) {
    if (optional) return false;
    throw new Error(`workspace-trust dialog did not appear within ${timeout} ms`);
  }
  const name = trust ? 'Yes, I trust the authors' : "No, I don't trust the authors";
  await dialog.getByRole('button', { name, exact: true }).click();
  await dialog.waitFor({ state: 'detached', timeout });
  const restricted = page.locator(SEL.statusbar).getByText('Restricted Mode', { exact: true });
  if (trust) await restricted.waitFor({ state: 'detached', timeout });
  else await restricted.first().waitFor({ state: 'visible', timeout });
  return true;
}

/** True when the status bar shows the "Restricted Mode" indicator. */
export async function isRestrictedMode(page) {
  return (await page.locator(SEL.statusbar).getByText('Restricted Mode', { exact: true }).count()) > 0;
}

async function closeQuickInput(page) {
  const qi = page.locator(SEL.quickInput);
  if (await qi.isVisible()) {
    await page.keyboard.press('Escape');
    await qi.waitFor({ state: 'hidden' });
  }
}

/**
 * Opens a quick input with `key`, types `text`, waits for a row matching `match(label, aria)`
 * and accepts it (Enter if it is the focused row, otherwise a click). Returns the accepted label.
 */
async function pickFromQuickInput(page, { key, text, match, what, timeout = DEFAULT_TIMEOUT }) {
  const qi = page.locator(SEL.quickInput);
  const input = page.locator(SEL.quickInputBox);
  // A page that takes the focus as it finishes rendering (the walkthrough, a webview) can take the
  // key or close the quick input right after it opened: open it again then, a few times.
  for (let attempt = 1; ; attempt++) {
    const bound = attempt < 4 ? Math.min(timeout, 5000) : timeout;
    await closeQuickInput(page);
    await page.keyboard.press(key);
    try {
      // The key itself can be taken by a page still rendering (the widget never shows): press it again.
      await qi.waitFor({ state: 'visible', timeout: bound });
      await input.waitFor({ state: 'visible', timeout: bound });
      await input.fill(text, { timeout: bound });
      break;
    } catch (e) {
      if (attempt >= 4) throw e;
    }
  }
  let found;
  try {
    found = await waitUntil(async () => {
      if ((await input.inputValue()) !== text) return null;
      const rows = await page.locator(SEL.quickInputRow).evaluateAll((els) =>
        els.map((e, i) => ({
          i,
          label: (e.querySelector('.label-name')?.textContent ?? '').trim(),
          description: (e.querySelector('.label-description')?.textContent ?? '').trim(),
          aria: e.getAttribute('aria-label') ?? '',
          focused: e.classList.contains('focused'),
          index: Number(e.getAttribute('data-index')),
        })));
      return rows.find((r) => match(r)) ?? null;
    }, { timeout, message: `${what} in the quick input (typed "${text}")` });
  } catch (e) {
    const rows = await page.locator(SEL.quickInputRow).evaluateAll((els) => els.map((el) => el.getAttribute('aria-label'))).catch(() => []);
    throw new Error(`${e.message}; rows shown: ${JSON.stringify(rows.slice(0, 10))}`);
  }
  if (!found.focused) {
    // Move the focus to the row with the keyboard (a click can miss a row that re-renders).
    for (let k = 0; k < 30; k++) {
      const focusedLabel = await page.locator(`${SEL.quickInputRow}.focused .label-name`).first().textContent().catch(() => null);
      if ((focusedLabel ?? '').trim() === found.label) break;
      await page.keyboard.press('ArrowDown');
    }
  }
  await page.keyboard.press('Enter');
  // Accepted: the widget closes, or (for commands that open a new picker) its value changes.
  await waitUntil(async () => !(await qi.isVisible()) || (await input.inputValue()) !== text,
    { timeout, message: `the quick input to accept "${found.label}"` });
  return found.label;
}

/**
 * Runs a command from the command palette (F1, type the title, Enter), e.g.
 * runCommand(page, 'View: Toggle Word Wrap'). `title` is typed and must equal the row label
 * (case-insensitive) unless `match` (RegExp or (label, row) => boolean) says otherwise.
 * Returns the accepted label.
 */
export async function runCommand(page, title, { match, timeout = DEFAULT_TIMEOUT } = {}) {
  const accept = match instanceof RegExp ? (r) => match.test(r.label)
    : typeof match === 'function' ? (r) => match(r.label, r)
      : (r) => r.label.toLowerCase() === title.toLowerCase();
  return pickFromQuickInput(page, { key: 'F1', text: `>${title}`, match: accept, what: `command "${title}"`, timeout });
}

/**
 * Opens a file via quick open (Ctrl+P). `file` is a workspace-relative path or a file name; waits
 * until it is the active editor tab with its text rendered.
 */
export async function openFile(page, file, { timeout = DEFAULT_TIMEOUT } = {}) {
  const base = path.posix.basename(file);
  const dir = path.posix.dirname(file);
  const match = (r) => r.label === base && (dir === '.' || r.description.replace(/\\/g, '/').endsWith(dir));
  await pickFromQuickInput(page, { key: 'Control+P', text: file, match, what: `file "${file}"`, timeout });
  await waitUntil(async () => (await page.locator(`${SEL.activeTab} .label-name`).first().textContent()) === base,
    { timeout, message: `"${base}" to become the active editor tab` });
  await page.locator(`${SEL.activeEditor} .view-lines .view-line`).first().waitFor({ state: 'visible', timeout });
}

/** Opens (and focuses) the Problems panel. */
export async function openProblems(page, { timeout = DEFAULT_TIMEOUT } = {}) {
  if (!(await page.locator(SEL.markersPanel).isVisible())) {
    await runCommand(page, 'View: Focus Problems (Errors, Warnings, Infos)', { timeout });
  }
  await page.locator(SEL.markersPanel).waitFor({ state: 'visible', timeout });
}

/**
 * Reads the rows rendered in the Problems panel (it must be open; the tree is virtualized, so a
 * very long list is only partly rendered). Returns
 *   [{ kind: 'file', file, count, text } |
 *    { kind: 'marker', severity ('error'|'warning'|'info'), message, line, column, source, code, file, text }]
 */
export async function readProblems(page) {
  if (!(await page.locator(SEL.markersPanel).isVisible())) throw new Error('Problems panel is not open (call openProblems first)');
  const rows = await page.locator(SEL.markersRow).evaluateAll((els) =>
    els.map((e) => ({
      level: Number(e.getAttribute('aria-level') || 0),
      aria: e.getAttribute('aria-label') || '',
      text: e.innerText,
      icon: e.querySelector('.marker-icon')?.className || '',
      fileLabel: e.querySelector('.resource-label-container .label-name')?.textContent || '',
      message: e.querySelector('.marker-message')?.textContent ?? null,
      source: e.querySelector('.marker-source')?.textContent || '',
      code: e.querySelector('.marker-code')?.textContent || '',
    })));
  let file = null;
  return rows.map((r) => {
    if (r.level === 1) {
      file = r.fileLabel || r.text.split('\n')[0];
      const m = /^(\d+) problems? in file/.exec(r.aria);
      return { kind: 'file', file, count: m ? Number(m[1]) : null, text: r.text };
    }
    // VS Code 1.99: "Error: {msg} at line {l} and character {c}.{related info}[ generated by {source}]"
    const m = /^(Error|Warning|Info|Hint|Problem): ([\s\S]*?) at line (\d+) and character (\d+)\.[\s\S]*?(?: generated by [^\n]*)?$/.exec(r.aria);
    const pos = /\[Ln (\d+), Col (\d+)\]/.exec(r.text); // the row's own "[Ln 59, Col 13]"
    const severity = m && m[1] !== 'Problem' ? m[1].toLowerCase() : (/\b(error|warning|info)\b/.exec(r.icon)?.[1] ?? 'unknown');
    return {
      kind: 'marker',
      severity,
      message: r.message ?? (m ? m[2] : r.text.split('\n')[0]),
      line: m ? Number(m[3]) : pos ? Number(pos[1]) : null,
      column: m ? Number(m[4]) : pos ? Number(pos[2]) : null,
      source: r.source.trim(),
      code: r.code.trim(),
      file,
      text: r.text,
    };
  });
}

/** Polls the Problems panel until predicate(rows) is truthy; returns the rows. */
export async function waitForProblems(page, predicate, { timeout = DEFAULT_TIMEOUT, message = 'Problems panel rows' } = {}) {
  let last = [];
  try {
    return await waitUntil(async () => {
      last = await readProblems(page);
      return predicate(last) ? last : null;
    }, { timeout, interval: 200, message });
  } catch (e) {
    throw new Error(`${e.message}; last rows: ${JSON.stringify(last.map((r) => r.text))}`);
  }
}

/**
 * Finds the on-screen position of `text` in the active editor's rendered lines (the text must be
 * scrolled into view). Returns { x, y } of character `charOffset` of the nth occurrence.
 */
export async function findTextInEditor(page, text, { occurrence = 0, charOffset = 0 } = {}) {
  const pos = await page.locator(SEL.activeEditor).first().evaluate((editor, { text, occurrence, charOffset }) => {
    const lines = [...editor.querySelectorAll('.view-lines .view-line')]
      .sort((a, b) => a.getBoundingClientRect().top - b.getBoundingClientRect().top);
    let seen = 0;
    for (const line of lines) {
      const nodes = [];
      const walker = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
      let n;
      let full = '';
      while ((n = walker.nextNode())) {
        nodes.push({ node: n, start: full.length });
        full += n.textContent;
      }
      full = full.replace(/\u00a0/g, ' '); // the editor renders spaces as NBSP
      let idx = -1;
      while ((idx = full.indexOf(text, idx + 1)) >= 0) {
        if (seen++ < occurrence) continue;
        const target = idx + charOffset;
        const hit = nodes.findLast((x) => x.start <= target);
        const range = document.createRange();
        const off = target - hit.start;
        range.setStart(hit.node, Math.min(off, hit.node.length));
        range.setEnd(hit.node, Math.min(off + 1, hit.node.length));
        const r = range.getBoundingClientRect();
        return { x: r.left + Math.max(r.width, 1) / 2, y: r.top + r.height / 2, left: r.left, right: r.right };
      }
    }
    return null;
  }, { text, occurrence, charOffset });
  if (!pos) throw new Error(`text ${JSON.stringify(text)} (occurrence ${occurrence}) is not rendered in the active editor`);
  return pos;
}

/** Clicks to put the caret before (default) or after `text` in the active editor. */
export async function placeCursor(page, text, { after = false, occurrence = 0 } = {}) {
  const pos = await findTextInEditor(page, text, { occurrence, charOffset: after ? text.length - 1 : 0 });
  await page.mouse.click(after ? pos.right - 0.5 : pos.left + 0.5, pos.y);
}

/**
 * Moves the mouse over `text` in the active editor and returns the hover widget's text once it
 * has content (not "Loading...") and is stable. Use `contains` to wait for specific content.
 * Non-breaking spaces (which rendered Markdown uses) are returned as plain spaces.
 * If no hover shows up (e.g. the language server was not ready when the first request was
 * made, which VS Code does not retry by itself), the mouse leaves and comes back every
 * `retryEvery` ms until the timeout.
 */
export async function hoverText(page, text, { occurrence = 0, charOffset = 1, contains, timeout = DEFAULT_TIMEOUT, retryEvery = 2000 } = {}) {
  const away = async () => {
    const box = await page.locator(SEL.statusbar).boundingBox();
    if (box) await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.locator(SEL.hover).first().waitFor({ state: 'hidden', timeout: 5000 }).catch(() => {});
  };
  const over = async () => {
    const pos = await findTextInEditor(page, text, { occurrence, charOffset: Math.min(charOffset, Math.max(text.length - 1, 0)) });
    await page.mouse.move(pos.x - 2, pos.y);
    await page.mouse.move(pos.x, pos.y, { steps: 2 });
  };
  await away();
  await over();
  let prev = null;
  let stable = 0;
  let lastSeen = '';
  let lastMove = Date.now();
  try {
    return await waitUntil(async () => {
      const texts = await page.locator(SEL.hover).evaluateAll((els) => els.filter((e) => e.checkVisibility()).map((e) => e.innerText.replace(/\u00a0/g, ' ').trim()));
      const t = texts.filter(Boolean).join('\n---\n');
      lastSeen = t;
      if (!t || /^Loading\.\.\.$/m.test(t) || (contains && !t.includes(contains))) {
        prev = null;
        stable = 0;
        if (Date.now() - lastMove > retryEvery) {
          await away();
          await over();
          lastMove = Date.now();
        }
        return null;
      }
      stable = t === prev ? stable + 1 : 0;
      prev = t;
      return stable >= 2 ? t : null; // unchanged for 3 polls (~300 ms)
    }, { timeout, message: `a hover over ${JSON.stringify(text)}${contains ? ` containing ${JSON.stringify(contains)}` : ''}` });
  } catch (e) {
    throw new Error(`${e.message}; last hover text: ${JSON.stringify(lastSeen)}`);
  }
}
export const hoverAt = hoverText;

/**
 * Triggers completion (Ctrl+Space) and returns the labels of the rendered suggestion rows
 * (the list is virtualized: at most ~12 rows are rendered, so narrow with `prefix`).
 * Options: at (text to put the caret after), prefix (typed before triggering).
 * Leaves the widget open; press Escape to close it.
 */
export async function triggerCompletion(page, { at, occurrence = 0, prefix = '', timeout = DEFAULT_TIMEOUT } = {}) {
  if (at !== undefined) await placeCursor(page, at, { after: true, occurrence });
  if (prefix) await page.keyboard.type(prefix);
  await page.keyboard.press('Control+Space');
  const widget = page.locator(SEL.suggest);
  await widget.waitFor({ state: 'visible', timeout });
  let prev = null;
  let stable = 0;
  return waitUntil(async () => {
    const state = await widget.evaluate((w) => ({
      loading: w.innerText.includes('Loading...'),
      message: w.querySelector('.message')?.checkVisibility() ? w.querySelector('.message').textContent : '',
      labels: [...w.querySelectorAll('.monaco-list-row')]
        .sort((a, b) => Number(a.getAttribute('data-index')) - Number(b.getAttribute('data-index')))
        .map((r) => r.querySelector('.label-name')?.textContent ?? r.getAttribute('aria-label') ?? ''),
    })).catch(() => null);
    if (!state || state.loading) return null;
    if (!state.labels.length && /No suggestions/i.test(state.message)) return [];
    if (!state.labels.length) return null;
    const key = state.labels.join('\n');
    stable = key === prev ? stable + 1 : 0;
    prev = key;
    return stable >= 2 ? state.labels : null;
  }, { timeout, message: 'completion suggestions' });
}

/** Texts of the visible notification toasts. */
export async function readNotifications(page) {
  return page.locator(SEL.notification).evaluateAll((els) => els.map((e) => e.innerText.trim()));
}

/** Waits for a notification toast containing `text`; returns its text. */
export async function waitForNotification(page, text, { timeout = DEFAULT_TIMEOUT } = {}) {
  const toast = page.locator(SEL.notification).filter({ hasText: text }).first();
  await toast.waitFor({ state: 'visible', timeout });
  return (await toast.innerText()).trim();
}

/** Saves a PNG of the page to `file` (directories created). */
export async function screenshot(page, file) {
  await fsp.mkdir(path.dirname(path.resolve(file)), { recursive: true });
  await page.screenshot({ path: file });
  return file;
}

/**
 * Runs fn(); on failure saves `<screenshotDir>/FAILED-<step>.png` (+ console log) and throws an
 * error naming the step, the cause, the screenshot and the server log.
 * ctx: { page, screenshotDir, server }.
 */
export async function step(name, fn, { page, screenshotDir = path.join(HERE, 'screenshots'), server } = {}) {
  const t0 = Date.now();
  try {
    const v = await fn();
    log(`ok   ${name} (${Date.now() - t0} ms)`);
    return v;
  } catch (err) {
    const ms = Date.now() - t0;
    const lines = [`E2E step "${name}" failed after ${ms} ms: ${err?.message ?? err}`];
    if (shuttingDown) throw new Error(`E2E step "${name}" interrupted (shutting down)`, { cause: err });
    if (page && !page.isClosed()) {
      const shot = path.join(screenshotDir, `FAILED-${slug(name)}.png`);
      try {
        await screenshot(page, shot);
        lines.push(`  screenshot: ${shot}`);
      } catch (e) {
        lines.push(`  (screenshot failed: ${e.message})`);
      }
      if (page.northstarConsole?.length) {
        const consoleFile = path.join(screenshotDir, `FAILED-${slug(name)}.console.txt`);
        await fsp.writeFile(consoleFile, page.northstarConsole.join('\n')).catch(() => {});
        lines.push(`  browser console: ${consoleFile}`);
      }
    }
    if (server?.logFile) {
      // The session's temp dir (and its log) is removed on close: keep a copy next to the screenshot.
      const copy = path.join(screenshotDir, `FAILED-${slug(name)}.code-server.log`);
      const ok = await fsp.mkdir(screenshotDir, { recursive: true }).then(() => fsp.copyFile(server.logFile, copy)).then(() => true, () => false);
      lines.push(`  server log: ${ok ? copy : server.logFile}`);
    }
    log(`FAIL ${name} (${ms} ms)`);
    throw new Error(lines.join('\n'), { cause: err });
  }
}

// --------------------------------------------------------------------------------------------
// Session: temp folder + user data + extensions + server + browser + page, always cleaned up.
// --------------------------------------------------------------------------------------------

/**
 * Starts everything. Options:
 *   files        { 'rel/path': content } written into a fresh temp workspace folder
 *   folder       an existing folder to open instead (files are then written into it, if given)
 *   vsix         path or list of .vsix files installed before the server starts
 *   settings     user settings merged over DEFAULT_SETTINGS
 *   screenshotDir  where step() failures and s.shot(name) go (default test/e2e/screenshots)
 *   workspaceTrust false → --disable-workspace-trust (no dialog)
 *   keepTemp     keep the temp dir (also NORTHSTAR_E2E_KEEP=1)
 * Returns { tmp, folder, userDataDir, extensionsDir, server, browser, page, step, shot, close }.
 */
export async function startSession(opts = {}) {
  const {
    files = {}, vsix = [], settings = {}, screenshotDir = path.join(HERE, 'screenshots'),
    workspaceTrust = true, keepTemp = process.env.NORTHSTAR_E2E_KEEP === '1', headless, viewport,
  } = opts;
  installExitHandlers();
  const tmp = await makeTempDir();
  if (!keepTemp) liveTempDirs.add(tmp);
  const s = { tmp, screenshotDir, server: null, browser: null, page: null };
  s.close = async () => {
    await s.browser?.close().catch(() => {});
    await s.server?.stop().catch(() => {});
    if (!keepTemp) {
      await fsp.rm(tmp, { recursive: true, force: true }).catch(() => {});
      liveTempDirs.delete(tmp);
    } else log(`kept ${tmp}`);
  };
  try {
    s.folder = opts.folder ? path.resolve(opts.folder) : path.join(tmp, 'workspace');
    s.userDataDir = path.join(tmp, 'user-data');
    s.extensionsDir = path.join(tmp, 'extensions');
    await fsp.mkdir(s.folder, { recursive: true });
    await fsp.mkdir(s.extensionsDir, { recursive: true });
    await writeFiles(s.folder, files);
    await writeUserSettings(s.userDataDir, settings);
    for (const v of [vsix].flat().filter(Boolean)) {
      log(await installExtension(v, { extensionsDir: s.extensionsDir, userDataDir: s.userDataDir }));
    }
    s.server = await startCodeServer({
      folder: s.folder, userDataDir: s.userDataDir, extensionsDir: s.extensionsDir,
      logFile: path.join(tmp, 'code-server.log'), workspaceTrust,
    });
    s.browser = await launchBrowser({ headless });
    s.page = await openWorkbench(s.browser, s.server, { viewport });
  } catch (e) {
    const logTail = s.server ? '' : `\n--- code-server log ---\n${tail(path.join(tmp, 'code-server.log'))}`;
    await s.close();
    throw new Error(`starting the e2e session failed: ${e.message}${logTail}`, { cause: e });
  }
  s.step = (name, fn) => step(name, fn, { page: s.page, screenshotDir, server: s.server });
  s.shot = (name) => screenshot(s.page, path.resolve(screenshotDir, name.endsWith('.png') ? name : `${name}.png`));
  return s;
}

/** startSession + fn(session) + close, whatever happens. Returns fn's result. */
export async function withSession(opts, fn) {
  const s = await startSession(opts);
  try {
    return await fn(s);
  } finally {
    await s.close();
  }
}

/**
 * The bookkeeping of a suite: `run(session, name, fn, { fatal })` runs a step through the
 * session's step() (screenshot and logs on failure) and records it in `results`/`failures`;
 * a fatal step aborts the window (the error is marked `reported`).
 */
export function createRunner() {
  const results = []; // { name, ok, ms }
  const failures = [];
  async function run(s, name, fn, { fatal = false } = {}) {
    const start = Date.now();
    try {
      const v = await s.step(name, fn);
      results.push({ name, ok: true, ms: Date.now() - start });
      return v;
    } catch (e) {
      results.push({ name, ok: false, ms: Date.now() - start });
      failures.push(e.message);
      console.error(`\n${e.message}\n`);
      if (fatal) throw Object.assign(new Error(`aborting this window after "${name}" failed`), { reported: true });
      return undefined;
    }
  }
  return { run, results, failures };
}

// --------------------------------------------------------------------------------------------
// The Outline view (Explorer side bar)
// --------------------------------------------------------------------------------------------

/** The Outline pane of the Explorer side bar. */
export const outlinePane = (page) => page.locator('.part.sidebar .pane').filter({ has: page.locator('.pane-header', { hasText: /outline/i }) }).first();

/**
 * Focuses the Outline view ("Explorer: Focus on Outline View") and waits until it shows at least
 * one symbol of the active editor.
 */
export async function focusOutline(page, { timeout = DEFAULT_TIMEOUT } = {}) {
  await runCommand(page, 'Explorer: Focus on Outline View', { match: /Focus on Outline View$/, timeout });
  await outlinePane(page).locator('.monaco-list-row').first().waitFor({ state: 'visible', timeout })
    .catch(() => { throw new Error('the Outline view shows no symbol'); });
}

/**
 * Every row of the Outline view: { index, level, label, description, icon, expanded }, icon being
 * the symbol kind of its codicon (`class`, `number`, `namespace`, …). The tree is virtualized (only
 * the rows in view are rendered): the view is focused, then paged through from the first row
 * (Home, PageDown) until the row marked as the list's last element has been rendered. Expanded
 * rows only (set `outline.collapseItems: alwaysExpand` to see every symbol).
 */
export async function outlineRows(page, { timeout = DEFAULT_TIMEOUT } = {}) {
  await focusOutline(page, { timeout });
  const list = outlinePane(page).locator('.monaco-list').first();
  const read = () => list.evaluate((l) => [...l.querySelectorAll('.monaco-list-row')].map((r) => ({
    index: Number(r.getAttribute('data-index')),
    last: r.getAttribute('data-last-element') === 'true',
    focused: r.classList.contains('focused'),
    level: Number(r.getAttribute('aria-level') || 0),
    label: (r.querySelector('.label-name')?.textContent ?? '').replace(/\u00a0/g, ' ').trim(),
    description: (r.querySelector('.label-description')?.textContent ?? '').replace(/\u00a0/g, ' ').trim(),
    icon: (/codicon-symbol-([a-z-]+)/.exec([...r.querySelectorAll('[class*="codicon-symbol-"]')].map((e) => e.className).join(' ')) ?? [])[1] ?? '',
    expanded: r.getAttribute('aria-expanded'),
  })));
  const seen = new Map();
  const collect = (rows) => { for (const r of rows) seen.set(r.index, r); return rows; };
  await page.keyboard.press('Home');
  await waitUntil(async () => (await read()).some((r) => r.focused && r.index === 0), { timeout, message: 'the first Outline row to take the focus (Home)' });
  let rows = collect(await read());
  let focused = 0;
  for (let pages = 0; ![...seen.values()].some((r) => r.last) && pages < 500; pages++) {
    const before = focused;
    await page.keyboard.press('PageDown');
    await waitUntil(async () => {
      rows = collect(await read());
      focused = rows.find((r) => r.focused)?.index ?? focused;
      return focused !== before || rows.some((r) => r.last);
    }, { timeout, message: `the Outline focus to move past row ${before} on PageDown` });
  }
  await page.keyboard.press('Home'); // back to the top for whoever looks next
  return [...seen.values()].sort((a, b) => a.index - b.index).map(({ last, focused: f, ...r }) => r);
}
