/**
 * Runs the extension-host suite (test/vscode/suite) in a downloaded VS Code with
 * @vscode/test-electron: `npm run test:vscode` (builds, bundles, then runs out/vscode-test/runTest.cjs).
 *
 * Opens a temp copy of examples/ (with test/vscode/workspace-settings.json as its
 * .vscode/settings.json), loads this repo as the extension under development and
 * out/vscode-test/index.cjs as the tests.
 *
 * Environment:
 *   NORTHSTAR_VSCODE_EXECUTABLE  use this VS Code (no download)
 *   NORTHSTAR_VSCODE_VERSION     version to download (default 1.99.3, what code-server 4.99.4 bundles; or "stable")
 *   NORTHSTAR_VSCODE_TEST_CACHE  where downloads go (default ~/.cache/northstar-e2e/vscode-test)
 *   NORTHSTAR_VSCODE_TEST_GREP   only tests whose title matches
 *   NORTHSTAR_E2E_KEEP=1         keep the temp workspace and user data
 * Without a display (Linux CI), run it under `xvfb-run -a`.
 *
 * Where VS Code cannot be downloaded (no route to update.code.visualstudio.com) it stops within
 * seconds with exit code 2 and says so; `npm run test:vscode:code-server` runs the same suite
 * in code-server's extension host instead.
 */
import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { download, runTests } from '@vscode/test-electron';
import type { SuiteReport } from './index.js';

const HERE = path.dirname(fileURLToPath(import.meta.url)); // out/vscode-test (bundled) or test/vscode
const ROOT = path.resolve(HERE, '../..');
const VERSION = process.env.NORTHSTAR_VSCODE_VERSION || '1.99.3';
const CACHE = process.env.NORTHSTAR_VSCODE_TEST_CACHE || path.join(os.homedir(), '.cache', 'northstar-e2e', 'vscode-test');
const UPDATE_API = 'https://update.code.visualstudio.com/api/releases/stable';
const log = (...a: unknown[]) => console.log('[vscode-test]', ...a);

/** Resolves when update.code.visualstudio.com answers (any HTTP status), rejects on a network error within `ms`. */
function probe(url: string, ms: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = https.get(url, { timeout: ms }, (res) => {
      res.resume();
      resolve();
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${ms} ms`)));
    req.on('error', reject);
  });
}

/** A complete earlier download of VERSION in CACHE (test-electron marks it with an `is-complete` file). */
function cachedInstall(): string | undefined {
  if (!fs.existsSync(CACHE)) return undefined;
  return fs.readdirSync(CACHE).find((d) => d.startsWith('vscode-') && d.endsWith(`-${VERSION}`) && fs.existsSync(path.join(CACHE, d, 'is-complete')));
}

async function vscodeExecutable(): Promise<string> {
  const given = process.env.NORTHSTAR_VSCODE_EXECUTABLE;
  if (given) {
    if (!fs.existsSync(given)) throw Object.assign(new Error(`NORTHSTAR_VSCODE_EXECUTABLE=${given} does not exist`), { exitCode: 2 });
    return given;
  }
  const cached = cachedInstall();
  if (!cached) {
    try {
      await probe(UPDATE_API, 5000);
    } catch (e) {
      throw Object.assign(new Error([
        `cannot download VS Code ${VERSION}: ${new URL(UPDATE_API).host} is unreachable (${e instanceof Error ? e.message : String(e)}).`,
        '  This machine is offline for VS Code downloads. Options:',
        '  - npm run test:vscode:code-server   runs the same suite in code-server\'s extension host (scripts/e2e/install.sh)',
        '  - NORTHSTAR_VSCODE_EXECUTABLE=/path/to/code npm run test:vscode   uses a VS Code that is already installed',
      ].join('\n')), { exitCode: 2 });
    }
  }
  log(cached ? `using cached VS Code ${VERSION} in ${path.join(CACHE, cached)}` : `downloading VS Code ${VERSION} into ${CACHE}`);
  return download({ version: VERSION, cachePath: CACHE, timeout: 30_000 });
}

/** A temp copy of examples/ with the suite's workspace settings; answers { tmp, workspace }. */
function prepareWorkspace(): { tmp: string; workspace: string } {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'northstar-vscode-'));
  const workspace = path.join(tmp, 'workspace');
  fs.cpSync(path.join(ROOT, 'examples'), workspace, { recursive: true });
  fs.mkdirSync(path.join(workspace, '.vscode'), { recursive: true });
  fs.copyFileSync(path.join(ROOT, 'test', 'vscode', 'workspace-settings.json'), path.join(workspace, '.vscode', 'settings.json'));
  return { tmp, workspace };
}

function printReport(file: string): SuiteReport | undefined {
  if (!fs.existsSync(file)) return undefined;
  const report = JSON.parse(fs.readFileSync(file, 'utf8')) as SuiteReport;
  const s = report.stats;
  log(`${report.host}: ${s.passes} passing, ${s.failures} failing, ${s.pending} pending (${s.durationMs} ms)`);
  return report;
}

async function main(): Promise<number> {
  const t0 = Date.now();
  const testsPath = path.join(ROOT, 'out', 'vscode-test', 'index.cjs');
  for (const f of [path.join(ROOT, 'dist', 'client.cjs'), path.join(ROOT, 'dist', 'server.cjs'), testsPath]) {
    if (!fs.existsSync(f)) throw Object.assign(new Error(`${path.relative(ROOT, f)} is missing: run npm run build && node test/vscode/build.mjs`), { exitCode: 2 });
  }
  const executable = await vscodeExecutable();
  const { tmp, workspace } = prepareWorkspace();
  const results = path.join(tmp, 'results.json');
  try {
    log(`VS Code ${executable}; workspace ${workspace}`);
    const code = await runTests({
      vscodeExecutablePath: executable,
      extensionDevelopmentPath: ROOT,
      extensionTestsPath: testsPath,
      extensionTestsEnv: {
        NORTHSTAR_VSCODE_TEST_RESULTS: results,
        ...(process.env.NORTHSTAR_VSCODE_TEST_GREP ? { NORTHSTAR_VSCODE_TEST_GREP: process.env.NORTHSTAR_VSCODE_TEST_GREP } : {}),
      },
      // (test-electron adds --no-sandbox --disable-gpu-sandbox --disable-updates --skip-welcome
      // --skip-release-notes --disable-workspace-trust itself.)
      launchArgs: [
        workspace,
        '--disable-extensions', // only built-ins and the extension under development
        '--disable-gpu',
        '--user-data-dir', path.join(tmp, 'user-data'),
        '--extensions-dir', path.join(tmp, 'extensions'),
      ],
    });
    const report = printReport(results);
    if (!report) log(`VS Code exited with code ${code} but the suite wrote no report to ${results}`);
    log(`done in ${((Date.now() - t0) / 1000).toFixed(1)} s (exit code ${code})`);
    return code === 0 && report && report.stats.failures === 0 ? 0 : 1;
  } catch (e) {
    printReport(results);
    throw e;
  } finally {
    if (process.env.NORTHSTAR_E2E_KEEP === '1') log(`kept ${tmp}`);
    else fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().then((code) => process.exit(code), (e: unknown) => {
  console.error(`[vscode-test] ${e instanceof Error ? e.message : String(e)}`);
  process.exit(typeof (e as { exitCode?: unknown })?.exitCode === 'number' ? (e as { exitCode: number }).exitCode : 1);
});
