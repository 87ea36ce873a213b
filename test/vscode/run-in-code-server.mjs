// Runs the extension-host suite (test/vscode/suite, bundled to out/vscode-test) inside
// code-server's real Node extension host — the same files `npm run test:vscode` gives
// @vscode/test-electron, the same `run()` entry point, the same way of loading them:
//
//   npm run test:vscode:code-server    # build + bundle, then this script
//   node test/vscode/run-in-code-server.mjs   # reuse dist/ and out/vscode-test/
//
// How: VS Code for the web (which code-server serves) reads extension-development options from
// the workbench URL's `payload` query parameter, as @vscode/test-web uses them:
//   [["extensionDevelopmentPath", "vscode-remote://<host>/<repo>"],
//    ["extensionTestsPath", "vscode-remote://<host>/<repo>/out/vscode-test/index.cjs"]]
// so the remote (Node) extension host loads this repo as the extension under development and,
// once started, requires index.cjs and awaits its run() — exactly like `code
// --extensionDevelopmentPath --extensionTestsPath`. When run() settles, the workbench calls
// window.codeAutomationExit(code), which this script exposes through playwright. The extension
// host only starts when a window connects, hence Chromium (test/e2e/lib.mjs, scripts/e2e/install.sh).
//
// The extension host inherits code-server's environment: NORTHSTAR_VSCODE_TEST_RESULTS tells
// index.cjs where to write its JSON report (checked below: the report must appear there).
//
// Env: NORTHSTAR_VSCODE_TEST_GREP (mocha grep), NORTHSTAR_VSCODE_TEST_TIMEOUT (ms for the whole
// run, default 240000), NORTHSTAR_E2E_KEEP=1 (keep the temp dir), NORTHSTAR_E2E_HEADFUL=1.
// Exit code: 0 if every test passed, 1 if a test failed, 2 if the run did not happen.

import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CODE_SERVER_VERSION, DEFAULT_TIMEOUT, SEL, launchBrowser, makeTempDir, startCodeServer, step, waitForWorkbench, writeUserSettings,
} from '../e2e/lib.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '../..');
const TESTS = path.join(ROOT, 'out', 'vscode-test', 'index.cjs');
const RUN_TIMEOUT = Number(process.env.NORTHSTAR_VSCODE_TEST_TIMEOUT || 240_000);
const KEEP = process.env.NORTHSTAR_E2E_KEEP === '1';
const SLOW = Math.max(DEFAULT_TIMEOUT, 60_000); // UI waits on a loaded machine
const log = (...a) => console.log('[vscode-test:code-server]', ...a);

class Fatal extends Error {}

function fmtMs(ms) {
  return ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${ms} ms`;
}

/** mocha-like listing of the JSON report written by index.cjs. */
function printReport(report) {
  console.log(`\n  ${report.host}\n`);
  let lastSuite = null;
  for (const t of report.tests) {
    const suite = t.fullTitle.slice(0, t.fullTitle.length - t.title.length).trim();
    if (suite !== lastSuite) {
      console.log(`  ${suite || '(root)'}`);
      lastSuite = suite;
    }
    const mark = t.state === 'passed' ? '✔' : t.state === 'pending' ? '-' : '✖';
    console.log(`    ${mark} ${t.title}${t.durationMs !== undefined ? ` (${t.durationMs} ms)` : ''}`);
  }
  const s = report.stats;
  console.log(`\n  ${s.passes} passing (${fmtMs(s.durationMs)})${s.pending ? `\n  ${s.pending} pending` : ''}${s.failures ? `\n  ${s.failures} failing` : ''}\n`);
  report.tests.filter((t) => t.state === 'failed').forEach((t, i) => {
    console.log(`  ${i + 1}) ${t.fullTitle}\n     ${(t.error?.stack || t.error?.message || '').split('\n').join('\n     ')}\n`);
  });
}

async function main() {
  const t0 = Date.now();
  for (const f of [path.join(ROOT, 'dist', 'client.cjs'), path.join(ROOT, 'dist', 'server.cjs'), TESTS]) {
    if (!fs.existsSync(f)) throw new Fatal(`${path.relative(ROOT, f)} is missing: run npm run build && node test/vscode/build.mjs`);
  }
  const tmp = await makeTempDir('nsvt-');
  const workspace = path.join(tmp, 'workspace');
  const userDataDir = path.join(tmp, 'user-data');
  const extensionsDir = path.join(tmp, 'extensions');
  const results = path.join(tmp, 'results.json');
  if (!KEEP) process.on('exit', () => fs.rmSync(tmp, { recursive: true, force: true })); // also on Ctrl+C (lib.mjs exits)
  let server;
  let browser;
  try {
    // The workspace: a copy of examples/ with the suite's settings (northstar.asOf, files.autoSave off).
    await fsp.cp(path.join(ROOT, 'examples'), workspace, { recursive: true });
    await fsp.mkdir(path.join(workspace, '.vscode'), { recursive: true });
    await fsp.copyFile(path.join(HERE, 'workspace-settings.json'), path.join(workspace, '.vscode', 'settings.json'));
    await writeUserSettings(userDataDir); // lib.mjs's quiet defaults (no welcome page, telemetry off, ...)
    await fsp.mkdir(extensionsDir, { recursive: true }); // empty: only built-ins + the extension under development

    server = await startCodeServer({
      folder: workspace, userDataDir, extensionsDir, logFile: path.join(tmp, 'code-server.log'),
      env: {
        NORTHSTAR_VSCODE_TEST_RESULTS: results,
        ...(process.env.NORTHSTAR_VSCODE_TEST_GREP ? { NORTHSTAR_VSCODE_TEST_GREP: process.env.NORTHSTAR_VSCODE_TEST_GREP } : {}),
      },
    });
    browser = await launchBrowser();
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, locale: 'en-US' });
    const page = await context.newPage();
    const consoleLines = [];
    page.on('console', (m) => consoleLines.push(`[${m.type()}] ${m.text()}`));
    page.on('pageerror', (e) => consoleLines.push(`[pageerror] ${e.message}`));

    // The workbench calls window.codeAutomationExit(code, logs) when the tests' run() settles.
    let onExit;
    const exited = new Promise((resolve) => (onExit = resolve));
    await page.exposeFunction('codeAutomationExit', (code) => onExit(Number(code)));

    const authority = new URL(server.url).host; // code-server's remote authority is the Host header
    const remote = (p) => `vscode-remote://${authority}${p.split(path.sep).join('/')}`;
    const payload = [['extensionDevelopmentPath', remote(ROOT)], ['extensionTestsPath', remote(TESTS)]];
    const url = `${server.url}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
    log(`opening ${url}`);
    await page.goto(url);
    await waitForWorkbench(page);
    log(`workbench up after ${fmtMs(Date.now() - t0)}; the extension host runs the suite`);

    // Workspace trust: a window opened for extension tests starts in Restricted Mode without
    // asking (no "Do you trust the authors" dialog), so trust the folder as a user would: click
    // "Restricted Mode" in the status bar (it opens the Workspace Trust editor), then "Trust".
    // The suite waits for the grant (helpers.ts).
    const trust = step('trust the folder', async () => {
      const restricted = page.locator(SEL.statusbar).getByText('Restricted Mode', { exact: true });
      await restricted.first().waitFor({ state: 'visible', timeout: SLOW });
      await restricted.first().click();
      const editor = page.locator('.workspace-trust-editor');
      await editor.waitFor({ state: 'visible', timeout: SLOW });
      await editor.locator('.monaco-button').filter({ hasText: /^Trust$/ }).first().click();
      await restricted.first().waitFor({ state: 'detached', timeout: SLOW });
    }, { page, server, screenshotDir: path.join(ROOT, 'test', 'e2e', 'screenshots') })
      .then(() => null, (e) => e); // handled below, after the suite's outcome

    let timer;
    const timedOut = new Promise((resolve) => (timer = setTimeout(() => resolve('timeout'), RUN_TIMEOUT)));
    const code = await Promise.race([exited, timedOut]);
    clearTimeout(timer);
    const trustError = await trust;
    const elapsed = Date.now() - t0;

    let report;
    if (fs.existsSync(results)) report = JSON.parse(await fsp.readFile(results, 'utf8'));
    if (report) printReport(report);
    if (trustError) throw new Fatal(trustError.message);
    if (code === 'timeout' || !report) {
      const hostLines = consoleLines.filter((l) => /mocha|northstar|extension host|Extension Host|\[Extension Host\]/i.test(l)).slice(-40);
      const serverLog = await fsp.readFile(server.logFile, 'utf8').catch(() => '');
      throw new Fatal([
        code === 'timeout'
          ? `the suite did not finish within ${fmtMs(RUN_TIMEOUT)} (no codeAutomationExit call)`
          : `the extension host exited with code ${code} but wrote no report to ${results} (did NORTHSTAR_VSCODE_TEST_RESULTS reach it?)`,
        '--- browser console (extension host lines) ---', ...hostLines,
        '--- code-server log (tail) ---', serverLog.split('\n').slice(-30).join('\n'),
      ].join('\n'));
    }
    if (!report.stats.tests) log(`no tests ran${process.env.NORTHSTAR_VSCODE_TEST_GREP ? ` (NORTHSTAR_VSCODE_TEST_GREP=${process.env.NORTHSTAR_VSCODE_TEST_GREP})` : ''}`);
    const ok = code === 0 && report.stats.failures === 0 && report.stats.passes > 0;
    log(`code-server ${CODE_SERVER_VERSION}: extension host exit code ${code}; ${report.stats.passes} passed, ${report.stats.failures} failed; ` +
      `suite ${fmtMs(report.stats.durationMs)}, total ${fmtMs(elapsed)}`);
    return ok ? 0 : 1;
  } finally {
    await browser?.close().catch(() => {});
    await server?.stop().catch(() => {});
    if (KEEP) log(`kept ${tmp}`);
    else await fsp.rm(tmp, { recursive: true, force: true }).catch(() => {});
  }
}

main().then((code) => process.exit(code), (e) => {
  console.error(`[vscode-test:code-server] ${e instanceof Fatal ? '' : 'ERROR '}${e?.stack && !(e instanceof Fatal) ? e.stack : e?.message ?? e}`);
  process.exit(2);
});
