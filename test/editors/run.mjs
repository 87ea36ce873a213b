#!/usr/bin/env node
// Real editors as LSP clients of northstar-language-server (dist/server.cjs --stdio):
// Neovim (0.7+) and Emacs + Eglot, each on a fresh temp copy of examples/.
//
//   node test/editors/run.mjs                 the README snippet check + both editors
//   node test/editors/run.mjs nvim            one editor (nvim | emacs), no snippet check
//   node test/editors/run.mjs --snippet       only: README-snippet.md == the tested configuration
//   options: --keep (keep the temp dirs), --skip-missing (an editor that is not installed is
//            reported as SKIP instead of failing)
//   env: NORTHSTAR_EDITOR_TIMEOUT_MS (per wait inside an editor, default 20000; the whole
//        editor process gets 3x that plus 10 s)
//
// Exit status: 0 all passed, 1 a check failed, 2 bad usage / not built / editor missing.
// Install the editors with scripts/editors/install.sh; build with `npm run build`.
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..', '..');
const SERVER = path.join(ROOT, 'dist', 'server.cjs');
const EXAMPLES = path.join(ROOT, 'examples');
const SNIPPET = path.join(HERE, 'README-snippet.md');
const WAIT_MS = Number(process.env.NORTHSTAR_EDITOR_TIMEOUT_MS) || 20000;
const PROCESS_MS = 3 * WAIT_MS + 10000;

/** The checks each editor must report as PASS (prefixes of its PASS lines). */
const REQUIRED = [
  'diagnostics: invalid-value',
  'diagnostics: unresolved KPI-checkout-convrsion',
  'hover on FEAT-saved-cards',
  'completion after "- kpi: "',
  'definition of KPI-checkout-conversion',
];

const EDITORS = {
  nvim: {
    title: 'Neovim',
    bin: 'nvim',
    script: path.join(HERE, 'nvim-test.lua'),
    marker: 'northstar neovim config',
    fence: 'lua',
    // -c runs after startup; the test defines the configuration, then :edit's the PRD.
    args: (script) => ['--headless', '--clean', '-c', `luafile ${script.replace(/([ \\%#|"])/g, '\\$1')}`],
  },
  emacs: {
    title: 'Emacs + Eglot',
    bin: 'emacs',
    script: path.join(HERE, 'emacs-test.el'),
    marker: 'northstar emacs config',
    fence: 'elisp',
    // -q, not -Q: Debian's elpa-* packages live in site-lisp, which -Q skips.
    args: (script) => ['--batch', '-q', '-l', script],
  },
};

function usage(message) {
  console.error(`run.mjs: ${message}\nusage: node test/editors/run.mjs [nvim|emacs ...] [--snippet] [--keep] [--skip-missing]`);
  process.exit(2);
}

const argv = process.argv.slice(2);
const flags = new Set(argv.filter((a) => a.startsWith('--')));
for (const f of flags) if (!['--keep', '--skip-missing', '--snippet'].includes(f)) usage(`unknown option ${f}`);
const names = argv.filter((a) => !a.startsWith('--'));
for (const n of names) if (!EDITORS[n]) usage(`unknown editor "${n}"`);
const selected = flags.has('--snippet') && !names.length ? [] : names.length ? names : Object.keys(EDITORS);

function installed(bin) {
  const r = spawnSync(bin, ['--version'], { stdio: 'ignore', timeout: 15000 });
  return r.status === 0;
}

function dedent(text) {
  const lines = text.split('\n');
  const indent = Math.min(...lines.filter((l) => l.trim()).map((l) => l.match(/^ */)[0].length));
  return lines.map((l) => l.slice(indent)).join('\n');
}

/** The lines strictly between `BEGIN <marker>` and `END <marker>` comment lines, dedented. */
function configBlock(file, marker) {
  const text = fs.readFileSync(file, 'utf8');
  const m = text.match(new RegExp(`^[ \\t]*(?:--|;;) BEGIN ${marker}\\n([\\s\\S]*?)^[ \\t]*(?:--|;;) END ${marker}$`, 'm'));
  if (!m) throw new Error(`${path.relative(ROOT, file)} has no BEGIN/END ${marker} markers`);
  return dedent(m[1]).replace(/\n+$/, '\n');
}

/** README-snippet.md must show each editor's configuration exactly as its test runs it. */
function checkSnippet() {
  const snippet = fs.readFileSync(SNIPPET, 'utf8');
  let ok = true;
  for (const ed of Object.values(EDITORS)) {
    const want = configBlock(ed.script, ed.marker);
    const blocks = [...snippet.matchAll(new RegExp('^```' + ed.fence + '\\n([\\s\\S]*?)^```$', 'gm'))].map((m) => m[1]);
    const same = blocks.some((b) => b === want);
    console.log(`${same ? 'PASS' : 'FAIL'} README-snippet.md shows the ${ed.title} configuration that ${path.basename(ed.script)} runs`);
    if (!same) {
      ok = false;
      console.log(`--- expected a \`\`\`${ed.fence} block with exactly:\n${want}--- found ${blocks.length} \`\`\`${ed.fence} block(s)`);
    }
  }
  return ok;
}

function runEditor(key) {
  const ed = EDITORS[key];
  const base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), `northstar-${key}-`)));
  const workspace = path.join(base, 'workspace');
  const state = path.join(base, 'state'); // the editor's XDG dirs (Neovim's lsp.log), outside the workspace
  fs.cpSync(EXAMPLES, workspace, { recursive: true });
  fs.mkdirSync(state);
  const useTimeout = spawnSync('timeout', ['--version'], { stdio: 'ignore' }).status === 0;
  const secs = Math.ceil(PROCESS_MS / 1000);
  const cmd = useTimeout ? 'timeout' : ed.bin;
  const args = useTimeout ? ['-k', '5', String(secs), ed.bin, ...ed.args(ed.script)] : ed.args(ed.script);
  const env = {
    ...process.env,
    NORTHSTAR_REPO: ROOT,
    NORTHSTAR_EDITOR_TIMEOUT_MS: String(WAIT_MS),
    XDG_STATE_HOME: path.join(state, 'state'),
    XDG_CACHE_HOME: path.join(state, 'cache'),
    XDG_DATA_HOME: path.join(state, 'data'),
  };
  console.log(`--- ${ed.title}: ${[cmd, ...args].join(' ')}\n    (cwd ${workspace})`);
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: workspace, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d) => {
      stdout += d;
      process.stdout.write(d.replace(/^(?=.)/gm, `[${key}] `));
    });
    child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    // A second guard in case `timeout` is missing or does not manage to kill the editor.
    const guard = setTimeout(() => child.kill('SIGKILL'), PROCESS_MS + 10000);
    child.on('close', (code, signal) => {
      clearTimeout(guard);
      const ms = Date.now() - started;
      const lines = stdout.split('\n');
      const problems = [];
      if (code !== 0) problems.push(code === 124 ? `timed out after ${secs} s` : `exit status ${code ?? signal}`);
      for (const l of lines) if (l.startsWith('FAIL ')) problems.push(l);
      for (const r of REQUIRED) if (!lines.some((l) => l.startsWith(`PASS ${r}`))) problems.push(`no PASS line for "${r}"`);
      if (!lines.some((l) => l.startsWith('RESULT '))) problems.push('no RESULT line (the editor stopped early?)');
      const ok = problems.length === 0;
      if (!ok) {
        if (stderr.trim()) console.log(`[${key}] stderr:\n${stderr.replace(/^/gm, `[${key}]   `)}`);
        const log = ['state/nvim/lsp.log', 'cache/nvim/lsp.log'].map((p) => path.join(state, p)).find((p) => fs.existsSync(p));
        if (log) console.log(`[${key}] ${log}:\n${fs.readFileSync(log, 'utf8').slice(-4000).replace(/^/gm, `[${key}]   `)}`);
      }
      console.log(`${ok ? 'PASS' : 'FAIL'} ${ed.title} (${ms} ms)${ok ? '' : `: ${problems.join('; ')}`}`);
      if (flags.has('--keep')) console.log(`    kept ${base}`);
      else fs.rmSync(base, { recursive: true, force: true });
      resolve({ key, ok, ms });
    });
  });
}

if (!fs.existsSync(SERVER)) {
  console.error(`run.mjs: ${path.relative(ROOT, SERVER)} is missing: run \`npm run build\` first`);
  process.exit(2);
}

const t0 = Date.now();
let failed = false;
let missing = false;
if ((flags.has('--snippet') || !names.length) && !checkSnippet()) failed = true;
const results = [];
for (const key of selected) {
  const ed = EDITORS[key];
  if (!installed(ed.bin)) {
    const msg = `${ed.title}: \`${ed.bin}\` is not installed (bash scripts/editors/install.sh)`;
    if (flags.has('--skip-missing')) console.log(`SKIP ${msg}`);
    else {
      console.log(`FAIL ${msg}`);
      missing = true;
    }
    continue;
  }
  const r = await runEditor(key);
  results.push(r);
  if (!r.ok) failed = true;
}
const summary = results.map((r) => `${EDITORS[r.key].title} ${r.ok ? 'passed' : 'FAILED'} in ${r.ms} ms`).join(', ');
console.log(`=== editors: ${failed || missing ? 'FAIL' : 'PASS'}${summary ? ` — ${summary}` : ''} (total ${Date.now() - t0} ms)`);
process.exit(failed ? 1 : missing ? 2 : 0);
