/**
 * The extension-tests entry point (`--extensionTestsPath`): VS Code's extension host requires
 * this module and awaits `run()`; a rejection means "tests failed".
 *
 * Bundled by test/vscode/build.mjs to out/vscode-test/index.cjs, next to the bundled suite files
 * (out/vscode-test/suite/*.test.cjs), which it hands to mocha (TDD UI). Used by
 *   - test/vscode/runTest.ts (@vscode/test-electron, `npm run test:vscode`) and
 *   - test/vscode/run-in-code-server.mjs (code-server's extension host, `npm run test:vscode:code-server`).
 *
 * Environment (set by either runner, passed to the extension host):
 *   NORTHSTAR_VSCODE_TEST_RESULTS  write a JSON report there (stats, passes, failures)
 *   NORTHSTAR_VSCODE_TEST_GREP     only run tests whose title matches (mocha --grep)
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Mocha from 'mocha';

export interface TestResult {
  title: string;
  fullTitle: string;
  file?: string;
  durationMs?: number;
  state: 'passed' | 'failed' | 'pending';
  error?: { message: string; stack?: string };
}

export interface SuiteReport {
  /** Where the report comes from, e.g. "vscode 1.99.3 (code-server), extension host pid 123". */
  host: string;
  stats: { suites: number; tests: number; passes: number; failures: number; pending: number; durationMs: number };
  tests: TestResult[];
}

const HERE = path.dirname(fileURLToPath(import.meta.url));

/** The bundled suite files next to this bundle, sorted. */
function suiteFiles(): string[] {
  const dir = path.join(HERE, 'suite');
  if (!fs.existsSync(dir)) throw new Error(`no bundled suite in ${dir}: run node test/vscode/build.mjs`);
  return fs.readdirSync(dir).filter((f) => f.endsWith('.test.cjs')).sort().map((f) => path.join(dir, f));
}

function hostName(): string {
  try {
    // Loaded lazily (and with require: the extension host serves `vscode` to CommonJS only), so
    // that this module also loads outside VS Code.
    const vscode = require('vscode') as typeof import('vscode');
    return `VS Code ${vscode.version} (${vscode.env.appName}, ${vscode.env.appHost}, remote: ${vscode.env.remoteName ?? 'none'}, ` +
      `workspace ${vscode.workspace.isTrusted ? 'trusted' : 'untrusted'}), extension host pid ${process.pid}, node ${process.version}`;
  } catch (e) {
    return `node ${process.version}, pid ${process.pid} (no vscode API: ${e instanceof Error ? e.message : String(e)})`;
  }
}

export async function run(): Promise<void> {
  const resultsPath = process.env.NORTHSTAR_VSCODE_TEST_RESULTS;
  const grep = process.env.NORTHSTAR_VSCODE_TEST_GREP;
  const mocha = new Mocha({ ui: 'tdd', color: false, timeout: 120_000, reporter: 'spec', ...(grep ? { grep } : {}) });
  const files = suiteFiles();
  for (const f of files) mocha.addFile(f);

  const tests: TestResult[] = [];
  const started = Date.now();
  const rel = (file?: string) => (file ? path.relative(HERE, file) : undefined);
  const failures = await new Promise<number>((resolve, reject) => {
    try {
      const runner = mocha.run((n) => resolve(n));
      runner.on('pass', (t) => tests.push({ title: t.title, fullTitle: t.fullTitle(), file: rel(t.file), durationMs: t.duration, state: 'passed' }));
      runner.on('pending', (t) => tests.push({ title: t.title, fullTitle: t.fullTitle(), file: rel(t.file), state: 'pending' }));
      runner.on('fail', (t, err: unknown) => {
        const e = err instanceof Error ? err : new Error(String(err));
        tests.push({ title: t.title, fullTitle: t.fullTitle(), file: rel(t.file), durationMs: t.duration, state: 'failed', error: { message: e.message, ...(e.stack ? { stack: e.stack } : {}) } });
      });
    } catch (e) {
      reject(e instanceof Error ? e : new Error(String(e)));
    }
  });

  if (resultsPath) {
    const report: SuiteReport = {
      host: hostName(),
      stats: {
        suites: new Set(tests.map((t) => t.fullTitle.slice(0, -t.title.length))).size,
        tests: tests.length,
        passes: tests.filter((t) => t.state === 'passed').length,
        failures: tests.filter((t) => t.state === 'failed').length,
        pending: tests.filter((t) => t.state === 'pending').length,
        durationMs: Date.now() - started,
      },
      tests,
    };
    fs.mkdirSync(path.dirname(resultsPath), { recursive: true });
    fs.writeFileSync(`${resultsPath}.tmp`, JSON.stringify(report, null, 2));
    fs.renameSync(`${resultsPath}.tmp`, resultsPath);
  }
  if (failures > 0) throw new Error(`${failures} of ${tests.length} extension-host test(s) failed`);
  if (tests.length === 0) throw new Error(`no tests ran (files: ${files.join(', ')}${grep ? `; grep ${grep}` : ''})`);
}
