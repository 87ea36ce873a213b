#!/usr/bin/env node
/**
 * The Northstar benchmark: one command measures everything and writes bench/RESULTS.md and
 * bench/results.json.
 *
 *   node bench/run.mjs            full run: both corpora (2,000 files each), the 20,000-file scale
 *                                 runs, profiles
 *   node bench/run.mjs --quick    smoke test (200 files, 1,000 for scale, fewer runs, edits, requests)
 *   node bench/run.mjs --help     every option
 *
 * It installs the peers into bench/node_modules when missing, builds Northstar (`npm run -s
 * build`, skip with --no-build), generates the corpora when missing (bench/.corpus/ from
 * generate.mjs, the "regular" corpus; bench/.corpus-real/ from generate-real.mjs, the
 * real-document style of issue 12; each reused while its generator and parameters are
 * unchanged), then runs each section on each corpus in turn:
 *
 *   cold      server start -> workspace indexed / workspace diagnostics / diagnostics for every
 *             file, Northstar and vscode-markdown-languageserver side by side (interleaved runs)
 *   warm      Northstar started twice on the same `initializationOptions.cacheDir`
 *   session   one Northstar session on the indexed workspace: hover / completion / definition /
 *             references, then keystroke -> published diagnostics on the 15 KB, 1 MB and 5 MB PRDs
 *   cli       `northstar check` of the corpus vs markdownlint-cli2 (hyperfine when installed),
 *             with peak RSS from /usr/bin/time
 *   profile   node --cpu-prof on `check` and on the server's cold index, summarised (top self time)
 *   scale     a 20,000-file workspace from the same generator, Northstar alone: indexed, peak RSS
 *
 * Waits are bounded (--index-timeout, --cli-timeout, --scale-timeout): a measure that does not
 * finish is reported as "> the bound", so a slow corpus cannot stall the whole run.
 * No test asserts any of these numbers: this is a benchmark, not a test.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync, spawn } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as regularGen from './generate.mjs';
import * as realGen from './generate-real.mjs';
import { summarizeProfileDir } from './lib/profile.mjs';
import { probeConstructs } from './lib/constructs.mjs';
import { now } from './lib/lsp.mjs';
import { summarize, roundDeep } from './lib/stats.mjs';
import { startNorthstar, initializeNorthstar, waitIndexed, openDoc, readDebounce, debounceDelays, requestPositions, spread, middleProseLine, INDEXED_RE } from './lib/northstar.mjs';
import { startMdls, initializeMdls, listMarkdownFiles, MDLS_MAIN } from './lib/mdls.mjs';
import { renderResults } from './lib/report.mjs';

const { AS_OF } = regularGen;
/** The two corpora: bench/generate.mjs (regular) and bench/generate-real.mjs (real-document style). */
const CORPORA = {
  regular: { label: 'Regular corpus', gen: regularGen, script: 'bench/generate.mjs' },
  real: { label: 'Real-style corpus', gen: realGen, script: 'bench/generate-real.mjs' },
};
const SECTIONS = ['cold', 'warm', 'session', 'cli', 'profile', 'scale', 'constructs'];

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..');

const USAGE = `node bench/run.mjs [options]

  --quick                 smoke test: 200 files, 2 cold runs, 1 warm run, 3 CLI runs, 30 edits,
                          40 requests of each kind, 20 s keystroke budget per document
  --files N               corpus files (default 2000)          --size-kb N   average file size (15)
  --large-mb A,B          single large PRDs in MB (1,5)        --seed N      corpus seed (1)
  --runs N                cold-start runs (5)                  --warm-runs N warm-start runs (3)
  --cli-runs N            CLI runs per tool (5)                --edits N     edits per document (200)
  --requests N            requests per kind (200)
  --keystroke-budget S    stop editing a document after S seconds, with at least 5 edits (120)
  --corpora LIST          corpora: regular,real (default both: every section runs on each)
  --only LIST             sections, in this order: cold,warm,session,cli,profile,scale,constructs
                          (default all; constructs runs once, on the regular corpus's 15 KB PRD)
  --scale / --no-scale    the 20,000-file scale run (Northstar alone; on by default)
  --scale-files N         files in the scale workspace (20000; 1000 with --quick)
  --scale-timeout S       give up waiting for the scale index after S seconds (600)
  --cli-budget S          stop timing a CLI tool after S seconds, with at least 1 run (300)
  --cli-timeout S         kill one Northstar CLI run after S seconds, report "> S" (300; 120 quick)
  --peer-cli-timeout S    the same for markdownlint-cli2 (900; 300 quick): the ratio needs its time
  --peer-diag-timeout S   bound the peer server's every-file diagnostics (default: --index-timeout)
  --no-cli-cache          skip the \`check --cache-dir\` rows (saves two or three CLI runs)
  --index-timeout S       stop waiting for a server's "indexed" log after S seconds and report
                          "> S" (240; 60 quick); then the corpus gets one cold run, no warm
                          start, and its session and profiles use the related workspace (the
                          briefs, OKRs and PRDs of the products the measured PRDs belong to)
  (profiles run on the whole workspace, or on the related workspace when indexing timed out)
  --no-peers              Northstar only
  --no-build              use dist/ as it is
  --northstar DIR         the Northstar checkout to measure (default: the one this bench is in)
  --out-dir DIR           where RESULTS.md and results.json go (default bench/, or
                          bench/.out/quick/ with --quick)
  --report-only           re-render RESULTS.md from results.json in --out-dir
  --idle-wait S           before each section and each cold/warm run, wait at most S seconds
                          for other processes to use < --idle-threshold cores (default 0.5);
                          S = 10 by default (at most 5 before each run), 0 with --quick
`;

function parseArgs(argv) {
  const quick = argv.includes('--quick');
  const o = {
    quick,
    files: quick ? 200 : 2000,
    sizeKb: 15,
    largeMb: [1, 5],
    seed: 1,
    runs: quick ? 2 : 5,
    warmRuns: quick ? 1 : 3,
    cliRuns: quick ? 3 : 5,
    edits: quick ? 30 : 200,
    requests: quick ? 40 : 200,
    keystrokeBudgetS: quick ? 20 : 120,
    only: SECTIONS.slice(),
    corpora: ['regular', 'real'],
    scaleFiles: quick ? 1000 : 20000,
    scaleTimeoutS: quick ? 90 : 240,
    cliBudgetS: quick ? 120 : 300,
    cliTimeoutS: quick ? 120 : 300,
    peerCliTimeoutS: quick ? 300 : 900,
    peerDiagTimeoutS: undefined,
    cliCache: true,
    indexTimeoutS: quick ? 60 : 240,
    peers: true,
    build: true,
    northstar: ROOT,
    outDir: quick ? path.join(HERE, '.out', 'quick') : HERE,
    reportOnly: false,
    idleThreshold: 0.5,
    idleMaxWaitS: quick ? 0 : 10,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const v = () => {
      const x = argv[++i];
      if (x === undefined) throw new Error(`${a} needs a value`);
      return x;
    };
    switch (a) {
      case '--quick': break;
      case '--files': o.files = Number(v()); break;
      case '--size-kb': o.sizeKb = Number(v()); break;
      case '--large-mb': o.largeMb = v().split(',').filter(Boolean).map(Number); break;
      case '--seed': o.seed = Number(v()); break;
      case '--runs': o.runs = Number(v()); break;
      case '--warm-runs': o.warmRuns = Number(v()); break;
      case '--cli-runs': o.cliRuns = Number(v()); break;
      case '--edits': o.edits = Number(v()); break;
      case '--requests': o.requests = Number(v()); break;
      case '--keystroke-budget': o.keystrokeBudgetS = Number(v()); break;
      case '--only': o.only = v().split(',').map((s) => s.trim()).filter(Boolean); break;
      case '--corpora': o.corpora = v().split(',').map((s) => s.trim()).filter(Boolean); break;
      case '--scale': if (!o.only.includes('scale')) o.only.push('scale'); break;
      case '--no-scale': o.only = o.only.filter((x) => x !== 'scale'); break;
      case '--scale-files': o.scaleFiles = Number(v()); break;
      case '--scale-timeout': o.scaleTimeoutS = Number(v()); break;
      case '--cli-budget': o.cliBudgetS = Number(v()); break;
      case '--cli-timeout': o.cliTimeoutS = Number(v()); break;
      case '--peer-cli-timeout': o.peerCliTimeoutS = Number(v()); break;
      case '--peer-diag-timeout': o.peerDiagTimeoutS = Number(v()); break;
      case '--no-cli-cache': o.cliCache = false; break;
      case '--index-timeout': o.indexTimeoutS = Number(v()); break;
      case '--no-peers': o.peers = false; break;
      case '--no-build': o.build = false; break;
      case '--northstar': o.northstar = path.resolve(v()); break;
      case '--out-dir': o.outDir = path.resolve(v()); break;
      case '--report-only': o.reportOnly = true; break;
      case '--idle-threshold': o.idleThreshold = Number(v()); break;
      case '--idle-wait': o.idleMaxWaitS = Number(v()); break;
      case '-h': case '--help': console.log(USAGE); process.exit(0); break;
      default: throw new Error(`unknown option ${a}\n\n${USAGE}`);
    }
  }
  return o;
}

const log = (...a) => console.log(`[${new Date().toISOString().slice(11, 19)}]`, ...a);
const ms = (x) => (typeof x === 'number' && Number.isFinite(x) ? `${x >= 100 ? Math.round(x) : x.toFixed(1)} ms` : String(x));
const loadavg = () => os.loadavg().map((x) => Math.round(x * 100) / 100);

function cpuTimes() {
  try {
    const f = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    const idle = f[3] + (f[4] ?? 0);
    return { idle, total: f.reduce((a, b) => a + b, 0) };
  } catch {
    return undefined;
  }
}

/** How many cores other processes keep busy, sampled over `seconds`. */
async function busyCores(seconds = 2) {
  const a = cpuTimes();
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const b = cpuTimes();
  if (!a || !b || b.total === a.total) return 0;
  return (1 - (b.idle - a.idle) / (b.total - a.total)) * os.cpus().length;
}

/**
 * Wait (at most maxS seconds) until the machine is quiet: other processes using less than
 * `threshold` cores. The machine is shared; this keeps the worst of the noise out.
 */
async function waitIdle(o, what, maxS = o.idleMaxWaitS) {
  if (!(maxS > 0)) return { busy: await busyCores(1), waitedS: 0 };
  const t = now();
  let busy = await busyCores();
  let said = false;
  while (busy > o.idleThreshold && (now() - t) / 1000 < maxS) {
    if (!said) log(`waiting for a quieter machine before ${what}: ${busy.toFixed(2)} cores busy (threshold ${o.idleThreshold}, at most ${maxS} s)`);
    said = true;
    busy = await busyCores();
  }
  const waitedS = Math.round((now() - t) / 1000);
  if (said) log(`${busy <= o.idleThreshold ? 'quiet' : 'still busy'} after ${waitedS} s: ${busy.toFixed(2)} cores busy`);
  return { busy: Math.round(busy * 100) / 100, waitedS, gaveUp: busy > o.idleThreshold };
}

// ---------------------------------------------------------------------------------------------
// Setup: peers, build, machine.

function ensurePeers() {
  const need = ['vscode-markdown-languageserver', 'markdownlint-cli2', 'markdown-it', 'markdown-it-front-matter'];
  const missing = need.filter((n) => !fs.existsSync(path.join(HERE, 'node_modules', n, 'package.json')));
  if (!missing.length) return;
  log(`installing the peers into bench/node_modules (${missing.join(', ')} missing)`);
  const lock = fs.existsSync(path.join(HERE, 'package-lock.json'));
  const r = spawnSync('npm', [lock ? 'ci' : 'install', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: HERE, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('npm install in bench/ failed');
}

function peerVersions() {
  const v = (n) => {
    try {
      return JSON.parse(fs.readFileSync(path.join(HERE, 'node_modules', n, 'package.json'), 'utf8')).version;
    } catch {
      return undefined;
    }
  };
  return { 'vscode-markdown-languageserver': v('vscode-markdown-languageserver'), 'vscode-markdown-languageservice': v('vscode-markdown-languageserver/node_modules/vscode-markdown-languageservice') ?? 'bundled', 'markdownlint-cli2': v('markdownlint-cli2'), markdownlint: v('markdownlint'), 'markdown-it': v('markdown-it'), 'markdown-it-front-matter': v('markdown-it-front-matter') };
}

function build(o) {
  log('building Northstar (npm run -s build)');
  const t = now();
  const r = spawnSync('npm', ['run', '-s', 'build'], { cwd: o.northstar, stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0) throw new Error('the build failed; fix it or rerun with --no-build to measure dist/ as it is');
  log(`built in ${((now() - t) / 1000).toFixed(1)} s`);
}

function which(cmd) {
  const r = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

function machine() {
  let cpu = os.cpus()[0]?.model ?? 'unknown';
  try {
    cpu = /model name\s*:\s*(.*)/.exec(fs.readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? cpu;
  } catch {
    /* not Linux */
  }
  const hf = which('hyperfine');
  return {
    cpu,
    cores: os.cpus().length,
    memGB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    hyperfine: hf ? spawnSync(hf, ['--version'], { encoding: 'utf8' }).stdout.trim() : undefined,
    gnuTime: fs.existsSync('/usr/bin/time'),
    loadavgAtStart: loadavg(),
  };
}

/** The commit of the measured checkout, read from .git without running git. */
function gitInfo(root) {
  try {
    const head = fs.readFileSync(path.join(root, '.git', 'HEAD'), 'utf8').trim();
    if (!head.startsWith('ref: ')) return { commit: head };
    const ref = head.slice(5);
    let commit;
    try {
      commit = fs.readFileSync(path.join(root, '.git', ref), 'utf8').trim();
    } catch {
      const packed = fs.readFileSync(path.join(root, '.git', 'packed-refs'), 'utf8');
      commit = packed.split('\n').find((l) => l.endsWith(` ${ref}`))?.split(' ')[0];
    }
    return { branch: ref.replace('refs/heads/', ''), commit };
  } catch {
    return {};
  }
}

function northstarVersion(root) {
  try {
    return JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).version;
  } catch {
    return undefined;
  }
}

function dirBytes(dir) {
  let total = 0;
  let files = 0;
  const walk = (d) => {
    let entries;
    try {
      entries = fs.readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const f = path.join(d, e.name);
      if (e.isDirectory()) walk(f);
      else {
        files++;
        total += fs.statSync(f).size;
      }
    }
  };
  walk(dir);
  return { bytes: total, files };
}

// ---------------------------------------------------------------------------------------------
// Cold / warm start.

/**
 * One Northstar start: spawn -> initialize -> (open the target PRD) -> "indexed" log -> the
 * target's diagnostics including its unresolved reference -> (alignment report: every file's
 * diagnostics). Times are from spawn.
 */
async function northstarStart(ctx, { cacheDir, allDiagnostics = true } = {}) {
  const { o, corpus } = ctx;
  const c = startNorthstar({ serverPath: ctx.serverPath, folder: corpus.folder, asOf: AS_OF, cacheDir });
  const t0 = c.startedAt;
  const r = { cacheDir: Boolean(cacheDir) };
  try {
    const init = await initializeNorthstar(c, { folder: corpus.folder, cacheDir });
    r.initializeMs = init.t - t0;
    const uri = openDoc(c, corpus.prd15k.file);
    const first = c.waitFor((n) => n.method === 'textDocument/publishDiagnostics' && n.params.uri === uri, ctx.timeoutMs, 'first diagnostics');
    first.catch(() => {});
    let idx;
    try {
      idx = await waitIndexed(c, o.indexTimeoutS * 1000);
    } catch (e) {
      if (c.exitInfo) throw e;
      r.indexTimedOut = true;
      r.indexTimeoutS = o.indexTimeoutS;
      r.memAtTimeout = c.memory();
      r.memEnd = r.memAtTimeout;
      r.logs = c.notifications.filter((n) => n.method === 'window/logMessage').map((n) => n.params.message).slice(0, 20);
      return r;
    }
    r.indexedMs = idx.t - t0;
    const m = INDEXED_RE.exec(idx.params.message);
    r.indexedFiles = Number(m[1]);
    r.serverReportedIndexMs = Number(m[2]);
    r.indexedLog = idx.params.message;
    r.memAtIndexed = c.memory();
    r.firstDiagnosticsMs = (await first).t - t0;
    const ws = await c.waitFor(
      (n) => n.method === 'textDocument/publishDiagnostics' && n.params.uri === uri && n.params.diagnostics.some((d) => d.message.includes(corpus.prd15k.unresolvedId)),
      ctx.timeoutMs,
      `diagnostics naming ${corpus.prd15k.unresolvedId}`,
    );
    r.workspaceDiagnosticsMs = ws.t - t0;
    r.targetDiagnostics = ws.params.diagnostics.length;
    r.memAfterWorkspaceDiagnostics = c.memory();
    if (allDiagnostics) {
      const before = c.publishCount;
      const rep = await c.request('northstar/alignmentReport', { asOf: AS_OF }, ctx.timeoutMs);
      r.allDiagnosticsMs = rep.t - t0;
      r.allDiagnosticsPublished = c.publishCount - before;
      r.alignmentFindings = Array.isArray(rep.result?.summary?.findings) ? rep.result.summary.findings.length : undefined;
    }
    r.memEnd = c.memory();
    r.logs = c.notifications.filter((n) => n.method === 'window/logMessage').map((n) => n.params.message).slice(0, 20);
  } finally {
    await c.stop();
  }
  return r;
}

/** vscode-markdown-languageserver: start -> workspace/symbol "" (every file read and parsed) -> every file's pulled diagnostics. */
async function mdlsIndexRun(ctx) {
  const { corpus, o } = ctx;
  const c = startMdls(corpus.folder);
  const t0 = c.startedAt;
  const r = {};
  // The same bound as Northstar's index wait, for the index and again for every file's diagnostics.
  const boundMs = o.indexTimeoutS * 1000;
  try {
    const init = await initializeMdls(c, corpus.folder);
    r.initializeMs = init.t - t0;
    const sym = await c.request('workspace/symbol', { query: '' }, boundMs);
    r.indexedMs = sym.t - t0;
    r.symbols = sym.result?.length ?? 0;
    r.memAtIndexed = c.memory();
    r.clientAtIndexed = { ...c.stats };
    // Diagnostics for every file: open each (as VS Code does for the documents it asks about)
    // and pull its diagnostics, 16 requests in flight.
    const files = listMarkdownFiles(corpus.folder);
    let next = 0;
    let items = 0;
    let withFindings = 0;
    let done = 0;
    const t1 = now();
    const diagBoundMs = (o.peerDiagTimeoutS ?? o.indexTimeoutS) * 1000;
    const worker = async () => {
      while (next < files.length) {
        if (now() - t1 > diagBoundMs) {
          r.allDiagnosticsTimedOut = true;
          break;
        }
        const f = files[next++];
        const uri = pathToFileURL(f).href;
        c.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'markdown', version: 1, text: fs.readFileSync(f, 'utf8') } });
        const d = await c.request('textDocument/diagnostic', { textDocument: { uri } }, ctx.timeoutMs);
        const n = d.result?.items?.length ?? 0;
        items += n;
        if (n) withFindings++;
        done++;
      }
    };
    await Promise.all(Array.from({ length: 16 }, worker));
    if (r.allDiagnosticsTimedOut) {
      r.allDiagnosticsBoundMs = now() - t0;
      r.allDiagnosticsDone = done;
    } else r.allDiagnosticsMs = now() - t0;
    r.allDiagnosticsFiles = files.length;
    r.allDiagnosticsItems = items;
    r.allDiagnosticsFilesWithFindings = withFindings;
    r.client = { ...c.stats };
    r.memEnd = c.memory();
    r.unknownRequests = Object.fromEntries(c.unknownRequests);
  } finally {
    await c.stop();
  }
  return r;
}

/** vscode-markdown-languageserver: start -> open the target PRD -> its pulled diagnostics (broken file and fragment links). */
async function mdlsDocRun(ctx) {
  const { corpus } = ctx;
  const c = startMdls(corpus.folder);
  const t0 = c.startedAt;
  const r = {};
  try {
    const init = await initializeMdls(c, corpus.folder);
    r.initializeMs = init.t - t0;
    const file = corpus.prd15k.file;
    const uri = pathToFileURL(file).href;
    c.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'markdown', version: 1, text: fs.readFileSync(file, 'utf8') } });
    const d = await c.request('textDocument/diagnostic', { textDocument: { uri } }, ctx.timeoutMs);
    r.workspaceDiagnosticsMs = d.t - t0;
    const items = d.result?.items ?? [];
    r.targetDiagnostics = items.length;
    r.codes = [...new Set(items.map((x) => x.code))];
    r.brokenFileLinkFound = items.some((x) => x.code === 'link.no-such-file');
    r.client = { ...c.stats };
    r.memEnd = c.memory();
  } finally {
    await c.stop();
  }
  return r;
}

async function coldSection(ctx, results) {
  const { o } = ctx;
  const ns = [];
  const r0 = [];
  const peer = { index: [], doc: [] };
  for (let i = 0; i < o.runs; i++) {
    if (i) r0.push(await waitIdle(o, `cold run ${i + 1}`, Math.min(5, o.idleMaxWaitS)));
    const r = await northstarStart(ctx);
    ns.push(r);
    if (r.indexTimedOut) log(`cold ${i + 1}/${o.runs} northstar: NOT indexed within ${o.indexTimeoutS} s (RSS then ${Math.round(r.memAtTimeout.rssMB)} MB, peak ${Math.round(r.memAtTimeout.hwmMB)} MB); one run only for this corpus`);
    else log(`cold ${i + 1}/${o.runs} northstar: indexed ${ms(r.indexedMs)} (server says ${r.serverReportedIndexMs} ms for ${r.indexedFiles} files), workspace diagnostics ${ms(r.workspaceDiagnosticsMs)}, every file ${ms(r.allDiagnosticsMs)}, peak RSS ${Math.round(r.memEnd.hwmMB)} MB`);
    if (o.peers) {
      const p = await mdlsIndexRun(ctx);
      peer.index.push(p);
      log(`cold ${i + 1}/${o.runs} vscode-markdown-languageserver: indexed ${ms(p.indexedMs)} (${p.symbols} symbols; client-side parse ${ms(p.clientAtIndexed.parseMs)}), every file ${p.allDiagnosticsTimedOut ? `> ${ms(p.allDiagnosticsBoundMs)} (${p.allDiagnosticsDone} files done at the bound)` : ms(p.allDiagnosticsMs)}, peak RSS ${Math.round(p.memEnd.hwmMB)} MB`);
      const d = await mdlsDocRun(ctx);
      peer.doc.push(d);
      log(`cold ${i + 1}/${o.runs} vscode-markdown-languageserver: opened document's diagnostics ${ms(d.workspaceDiagnosticsMs)} (${d.targetDiagnostics} findings: ${d.codes.join(', ')})`);
    }
    if (r.indexTimedOut) break;
  }
  results.quiet.coldRuns = r0;
  const pick = (runs, f) => summarize(runs.map(f));
  results.northstar.cold = {
    runs: ns,
    initializeMs: pick(ns, (r) => r.initializeMs),
    indexedMs: pick(ns, (r) => r.indexedMs),
    serverReportedIndexMs: pick(ns, (r) => r.serverReportedIndexMs),
    firstDiagnosticsMs: pick(ns, (r) => r.firstDiagnosticsMs),
    workspaceDiagnosticsMs: pick(ns, (r) => r.workspaceDiagnosticsMs),
    allDiagnosticsMs: pick(ns, (r) => r.allDiagnosticsMs),
    rssAtIndexedMB: pick(ns, (r) => r.memAtIndexed?.rssMB),
    peakRssAfterIndexMB: pick(ns, (r) => r.memAfterWorkspaceDiagnostics?.hwmMB),
    peakRssEndMB: pick(ns, (r) => r.memEnd?.hwmMB),
    indexTimedOut: ns.some((r) => r.indexTimedOut),
    indexTimeoutS: o.indexTimeoutS,
    rssAtTimeoutMB: pick(ns, (r) => r.memAtTimeout?.rssMB),
    peakRssAtTimeoutMB: pick(ns, (r) => r.memAtTimeout?.hwmMB),
  };
  if (o.peers) {
    results.peers.mdls.cold = {
      indexRuns: peer.index,
      docRuns: peer.doc,
      initializeMs: pick(peer.index, (r) => r.initializeMs),
      indexedMs: pick(peer.index, (r) => r.indexedMs),
      clientParseMsAtIndexed: pick(peer.index, (r) => r.clientAtIndexed.parseMs),
      workspaceDiagnosticsMs: pick(peer.doc, (r) => r.workspaceDiagnosticsMs),
      allDiagnosticsMs: pick(peer.index, (r) => r.allDiagnosticsMs),
      allDiagnosticsBoundMs: pick(peer.index, (r) => r.allDiagnosticsBoundMs),
      clientParseMsAll: pick(peer.index, (r) => r.client.parseMs),
      rssAtIndexedMB: pick(peer.index, (r) => r.memAtIndexed.rssMB),
      peakRssAtIndexedMB: pick(peer.index, (r) => r.memAtIndexed.hwmMB),
      peakRssEndMB: pick(peer.index, (r) => r.memEnd.hwmMB),
    };
  }
}

async function warmSection(ctx, results) {
  const { o } = ctx;
  const runs = [];
  if (results.northstar.cold?.indexTimedOut) {
    results.northstar.warm = { skipped: `the cold start did not index this corpus within ${o.indexTimeoutS} s, so no cache could be filled in the time budget` };
    log(`warm: skipped (${results.northstar.warm.skipped})`);
    return;
  }
  for (let i = 0; i < o.warmRuns; i++) {
    if (i) await waitIdle(o, `warm run ${i + 1}`, Math.min(5, o.idleMaxWaitS));
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'northstar-bench-cache-'));
    try {
      const first = await northstarStart(ctx, { cacheDir: dir, allDiagnostics: false });
      if (first.indexTimedOut) {
        results.northstar.warm = { skipped: `the first start (which fills the cache) did not index within ${o.indexTimeoutS} s` };
        return;
      }
      const cache = dirBytes(dir);
      const second = await northstarStart(ctx, { cacheDir: dir, allDiagnostics: false });
      runs.push({ first, second, cache });
      log(`warm ${i + 1}/${o.warmRuns}: first start indexed ${ms(first.indexedMs)}, second ${ms(second.indexedMs)} (workspace diagnostics ${ms(second.workspaceDiagnosticsMs)}); cache dir ${(cache.bytes / 1e6).toFixed(1)} MB in ${cache.files} files`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  results.northstar.warm = {
    runs,
    cacheWritten: runs.some((r) => r.cache.files > 0),
    firstIndexedMs: summarize(runs.map((r) => r.first.indexedMs)),
    indexedMs: summarize(runs.map((r) => r.second.indexedMs)),
    serverReportedIndexMs: summarize(runs.map((r) => r.second.serverReportedIndexMs)),
    workspaceDiagnosticsMs: summarize(runs.map((r) => r.second.workspaceDiagnosticsMs)),
    peakRssAfterIndexMB: summarize(runs.map((r) => r.second.memAfterWorkspaceDiagnostics?.hwmMB)),
    secondTimedOut: runs.some((r) => r.second.indexTimedOut),
    cacheMB: summarize(runs.map((r) => r.cache.bytes / 1e6)),
  };
}

// ---------------------------------------------------------------------------------------------
// The session: requests and keystrokes on the indexed workspace.

async function barrier(c, uri) {
  // Requests are answered in order after the notifications before them are handled.
  await c.request('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 0 } }, 600_000);
}

async function measureRequests(c, uri, text, o) {
  const pos = requestPositions(text);
  const kinds = {
    hover: { method: 'textDocument/hover', positions: spread(pos.ids, o.requests), params: (p) => ({ textDocument: { uri }, position: p }), size: (r) => (r ? 1 : 0) },
    completion: { method: 'textDocument/completion', positions: spread(pos.completion, o.requests), params: (p) => ({ textDocument: { uri }, position: p, context: { triggerKind: 1 } }), size: (r) => (Array.isArray(r) ? r.length : r?.items?.length ?? 0) },
    definition: { method: 'textDocument/definition', positions: spread(pos.ids, o.requests), params: (p) => ({ textDocument: { uri }, position: p }), size: (r) => (Array.isArray(r) ? r.length : r ? 1 : 0) },
    references: { method: 'textDocument/references', positions: spread(pos.ids, o.requests), params: (p) => ({ textDocument: { uri }, position: p, context: { includeDeclaration: true } }), size: (r) => (Array.isArray(r) ? r.length : 0) },
  };
  const out = {};
  for (const [name, k] of Object.entries(kinds)) {
    if (!k.positions.length) {
      out[name] = { n: 0, note: 'no positions found' };
      continue;
    }
    // A few unmeasured requests first (JIT warm-up), then one request at a time.
    for (const p of k.positions.slice(0, 5)) await c.request(k.method, k.params(p));
    const lat = [];
    let empty = 0;
    let items = 0;
    let errors = 0;
    for (const p of k.positions) {
      const t = now();
      try {
        const r = await c.request(k.method, k.params(p), 120_000);
        lat.push(r.t - t);
        const n = k.size(r.result);
        if (!n) empty++;
        items += n;
      } catch {
        errors++;
      }
    }
    out[name] = { ...summarize(lat), distinctPositions: new Set(k.positions.map((p) => `${p.line}:${p.character}`)).size, emptyResults: empty, meanResultSize: lat.length ? items / lat.length : 0, errors };
  }
  return out;
}

async function measureKeystrokes(c, uri, text, o, debounce) {
  const at = middleProseLine(text);
  const typed = 'the quick brown fox jumps over the lazy dog ';
  const budget = o.keystrokeBudgetS * 1000;
  const started = now();
  const lat = [];
  let version = 1;
  let stoppedBy = 'edits';
  for (let i = 0; i < o.edits; i++) {
    if (i >= 5 && now() - started > budget) {
      stoppedBy = 'budget';
      break;
    }
    version++;
    const v = version;
    const pos = { line: at.line, character: at.character + i };
    const wait = c.waitFor((n) => n.method === 'textDocument/publishDiagnostics' && n.params.uri === uri && n.params.version === v, 600_000, `diagnostics for version ${v}`, false);
    const t = now();
    c.notify('textDocument/didChange', { textDocument: { uri, version: v }, contentChanges: [{ range: { start: pos, end: pos }, text: typed[i % typed.length] }] });
    const n = await wait;
    lat.push(n.t - t);
    c.clearNotifications();
  }
  const raw = summarize(lat);
  const delays = debounceDelays(lat, debounce);
  const minus = summarize(lat.map((x, i) => x - delays[i]));
  return { line: at.line + 1, edits: lat.length, stoppedBy, elapsedS: (now() - started) / 1000, raw, minusDebounce: minus, debounceEstimated: Boolean(debounce.adaptive), meanDebounceMs: delays.reduce((s, x) => s + x, 0) / (delays.length || 1), samples: lat };
}

/**
 * The related workspace: the briefs, and the OKR documents and PRDs of the products the 15 KB
 * PRD and the large PRDs belong to (copied, same relative paths), so every reference of the
 * measured documents still resolves. Used when the whole workspace does not index in time.
 */
function relatedWorkspace(corpus) {
  const dir = path.join(corpus.dir, 'related-workspace');
  const products = new Set([corpus.prd15k.path.split('/')[2]]);
  const bigText = corpus.large[0] ? fs.readFileSync(corpus.large[0].file, 'utf8') : '';
  const brief = /\bbrief:\s*BRIEF-(\S+)/.exec(bigText)?.[1];
  if (brief) products.add(brief);
  const stampFile = path.join(dir, '.stamp');
  const stamp = JSON.stringify({ corpus: fs.readFileSync(path.join(corpus.dir, '.stamp.json'), 'utf8'), products: [...products] });
  let files = 0;
  if (!fs.existsSync(stampFile) || fs.readFileSync(stampFile, 'utf8') !== stamp) {
    fs.rmSync(dir, { recursive: true, force: true });
    const copy = (rel) => {
      const from = path.join(corpus.folder, rel);
      if (!fs.existsSync(from)) return;
      fs.cpSync(from, path.join(dir, rel), { recursive: true });
    };
    copy('product');
    for (const p of products) {
      copy(`okrs/${p}`);
      copy(`prds/${p}`);
    }
    fs.writeFileSync(stampFile, stamp);
  }
  files = dirBytes(dir).files - 1;
  return { folder: dir, products: [...products], files, prd15k: { ...corpus.prd15k, file: path.join(dir, corpus.prd15k.path.replace(/^workspace\//, '')) } };
}

async function sessionSection(ctx, results) {
  const { o } = ctx;
  let corpus = ctx.corpus;
  const s = { docs: {} };
  if (results.northstar.cold?.indexTimedOut) {
    const rw = relatedWorkspace(corpus);
    corpus = { ...corpus, folder: rw.folder, prd15k: rw.prd15k };
    s.relatedWorkspace = { files: rw.files, products: rw.products, reason: `the whole workspace did not index within ${o.indexTimeoutS} s` };
    log(`session: the related workspace (${rw.files} files of products ${rw.products.join(', ')}), since the whole one did not index in time`);
  }
  const c = startNorthstar({ serverPath: ctx.serverPath, folder: corpus.folder, asOf: AS_OF });
  try {
    await initializeNorthstar(c, { folder: corpus.folder });
    const idx = await waitIndexed(c, ctx.timeoutMs);
    s.indexedMs = idx.t - c.startedAt;
    s.memAtIndexed = c.memory();
    log(`session: indexed in ${ms(s.indexedMs)}, RSS ${Math.round(s.memAtIndexed.rssMB)} MB`);
    const docs = [
      { key: '15kb', file: corpus.prd15k.file, requests: true },
      ...corpus.large.map((l) => ({ key: `${l.mb}mb`, file: l.file, requests: l.mb <= 1 })),
    ];
    for (const d of docs) {
      const text = fs.readFileSync(d.file, 'utf8');
      const r = { file: path.relative(ctx.corpus.dir, d.file), bytes: Buffer.byteLength(text), lines: text.split('\n').length };
      const t = now();
      const uri = openDoc(c, d.file);
      const opened = await c.waitFor((n) => n.method === 'textDocument/publishDiagnostics' && n.params.uri === uri && n.params.version === 1, ctx.timeoutMs, `diagnostics after opening ${d.key}`);
      // What the server made of the document: a keystroke figure means little if it read only
      // the front matter (document-too-large) or gave up (parse-failed).
      r.openCodes = opened.params.diagnostics.reduce((a, x) => ((a[x.code ?? '?'] = (a[x.code ?? '?'] ?? 0) + 1), a), {});
      // document-too-large also counts the problems past the first 1,000 ("N more problems …
      // not shown"): that document was analysed. Only "front matter only" / a failed parse is not.
      r.notAnalysed = [
        ...(opened.params.diagnostics.some((x) => x.code === 'document-too-large' && /front matter only/.test(x.message)) ? ['document-too-large'] : []),
        ...(r.openCodes['parse-failed'] ? ['parse-failed'] : []),
      ];
      r.openToDiagnosticsMs = now() - t;
      c.clearNotifications();
      if (d.requests) {
        r.requests = await measureRequests(c, uri, text, o);
        const q = r.requests;
        log(`session ${d.key}: hover p95 ${ms(q.hover.p95)}, completion p95 ${ms(q.completion.p95)}, definition p95 ${ms(q.definition.p95)}, references p95 ${ms(q.references.p95)}`);
      }
      r.keystrokes = await measureKeystrokes(c, uri, text, o, ctx.debounce);
      const k = r.keystrokes;
      log(`session ${d.key}: ${k.edits} edits (${k.stoppedBy}), keystroke -> diagnostics p50 ${ms(k.raw.p50)} p95 ${ms(k.raw.p95)} (minus ${ctx.debounce.adaptive ? 'the estimated adaptive' : `${ctx.debounce.ms} ms`} debounce: p50 ${ms(k.minusDebounce.p50)} p95 ${ms(k.minusDebounce.p95)})`);
      c.notify('textDocument/didClose', { textDocument: { uri } });
      c.watch.delete(uri);
      await barrier(c, uri);
      c.clearNotifications();
      r.memAfter = c.memory();
      s.docs[d.key] = r;
    }
    s.memEnd = c.memory();
    log(`session: peak RSS ${Math.round(s.memEnd.hwmMB)} MB`);
  } finally {
    await c.stop();
  }
  results.northstar.session = s;
}

// ---------------------------------------------------------------------------------------------
// CLI: northstar check vs markdownlint-cli2.

function timeOnce(cmd, args, cwd, timeoutS) {
  // Peak RSS from GNU time when it is there, else by polling /proc.
  const gnu = fs.existsSync('/usr/bin/time');
  const tmp = path.join(os.tmpdir(), `northstar-bench-time-${process.pid}-${Date.now()}.txt`);
  return new Promise((resolve) => {
    const t = now();
    // Its own process group, so a timeout ends the tool with GNU time around it (by that group's id).
    const p = gnu ? spawn('/usr/bin/time', ['-f', '%M', '-o', tmp, cmd, ...args], { cwd, detached: true }) : spawn(cmd, args, { cwd, detached: true });
    let timedOut = false;
    const killer = timeoutS
      ? setTimeout(() => {
          timedOut = true;
          try {
            process.kill(-p.pid, 'SIGKILL');
          } catch {
            /* gone */
          }
        }, timeoutS * 1000)
      : undefined;
    let out = '';
    let err = '';
    let peakKb = 0;
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (err += d));
    const poll = gnu
      ? undefined
      : setInterval(() => {
          try {
            const s = fs.readFileSync(`/proc/${p.pid}/status`, 'utf8');
            peakKb = Math.max(peakKb, Number(/VmHWM:\s+(\d+)/.exec(s)?.[1] ?? 0));
          } catch {
            /* exited */
          }
        }, 20);
    p.on('exit', (code) => {
      const wallMs = now() - t;
      if (killer) clearTimeout(killer);
      if (poll) clearInterval(poll);
      if (gnu) {
        try {
          peakKb = Number(fs.readFileSync(tmp, 'utf8').trim().split('\n').pop());
          fs.rmSync(tmp, { force: true });
        } catch {
          /* no number */
        }
      }
      resolve({ code, wallMs, timedOut, peakRssMB: peakKb / 1024 || NaN, stdout: out, stderr: err });
    });
  });
}

async function cliSection(ctx, results) {
  const { o, corpus } = ctx;
  const cwd = corpus.folder;
  const tools = [{ name: 'northstar', cmd: process.execPath, args: [ctx.cliPath, 'check', '.', '--as-of', AS_OF, '--no-color'] }];
  if (o.peers) tools.push({ name: 'markdownlint-cli2', cmd: process.execPath, args: [path.join(HERE, 'node_modules', 'markdownlint-cli2', 'markdownlint-cli2-bin.mjs'), '**/*.md'] });
  const out = { method: undefined, tools: {} };
  // The CLI's model cache, when it has one: a second command that reuses a filled cache.
  const help = spawnSync(process.execPath, [ctx.cliPath, '--help'], { encoding: 'utf8' });
  let cacheDir;
  if (o.cliCache && /--cache-dir/.test(`${help.stdout}${help.stderr}`)) {
    cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'northstar-bench-cli-cache-'));
    const args = [...tools[0].args, '--cache-dir', cacheDir];
    if (results.northstar.cold?.indexTimedOut) {
      out.cacheFill = { skipped: `the server did not index this corpus within ${o.indexTimeoutS} s; a cache-filling check would take as long as the plain one below` };
    } else {
      const fill = await timeOnce(process.execPath, args, cwd, o.cliTimeoutS);
      out.cacheFill = { wallMs: fill.wallMs, timedOut: fill.timedOut, peakRssMB: fill.peakRssMB, cache: dirBytes(cacheDir) };
      log(`cli: northstar --cache-dir: the run that fills the cache took ${ms(fill.wallMs)}${fill.timedOut ? ' (timed out)' : ''} (${(out.cacheFill.cache.bytes / 1e6).toFixed(1)} MB in ${out.cacheFill.cache.files} files)`);
      if (!fill.timedOut) tools.splice(1, 0, { name: 'northstar --cache-dir (warm)', cmd: process.execPath, args });
    }
  }
  try {
    await cliRuns(ctx, tools, cwd, out);
    out.northstarTimedOut = Boolean(out.tools.northstar?.timedOut);
  } finally {
    if (cacheDir) fs.rmSync(cacheDir, { recursive: true, force: true });
  }
  results.cli = out;
}

async function cliRuns(ctx, tools, cwd, out) {
  const { o } = ctx;
  const hf = which('hyperfine');
  if (hf) {
    out.method = `hyperfine -N --warmup 1 --runs ${o.cliRuns} -i (cwd: the workspace folder)`;
    const json = path.join(os.tmpdir(), `northstar-bench-hyperfine-${process.pid}.json`);
    const quote = (s) => (/[\s*'"]/.test(s) ? `'${s.replace(/'/g, `'\\''`)}'` : s);
    const args = ['-N', '--warmup', '1', '--runs', String(o.cliRuns), '-i', '--style', 'basic', '--export-json', json];
    for (const t of tools) args.push('--command-name', t.name, [t.cmd, ...t.args].map(quote).join(' '));
    log(`cli: hyperfine ${tools.map((t) => t.name).join(' vs ')} (${o.cliRuns} runs each)`);
    const r = spawnSync(hf, args, { cwd, encoding: 'utf8', maxBuffer: 64 << 20 });
    if (r.status !== 0) throw new Error(`hyperfine failed: ${r.stderr}`);
    const data = JSON.parse(fs.readFileSync(json, 'utf8'));
    fs.rmSync(json, { force: true });
    for (const res of data.results) {
      const times = res.times.map((s) => s * 1000);
      out.tools[res.command] = { wallMs: summarize(times), exitCodes: [...new Set(res.exit_codes)], userS: res.user, systemS: res.system };
    }
  } else {
    out.method = `own timing (hyperfine not installed): per tool, a first run that is a warm-up when it takes under 30 s and is timed otherwise, then up to ${o.cliRuns} timed runs, stopping after ${o.cliBudgetS} s; a run killed at its timeout is reported as "> timeout"; peak RSS (GNU time) is the median over the timed runs`;
    for (const t of tools) {
      const started = now();
      const times = [];
      const rss = [];
      const codes = new Set();
      const timeoutS = t.name.startsWith('northstar') ? o.cliTimeoutS : o.peerCliTimeoutS;
      let last = await timeOnce(t.cmd, t.args, cwd, timeoutS);
      // The warm-up run matters for short runs (file cache, JIT of the first files); a run over
      // 30 s is timed as it is.
      const warmup = !last.timedOut && last.wallMs < 30_000;
      log(`cli ${t.name}: first run ${ms(last.wallMs)}${last.timedOut ? ` (killed at the ${timeoutS}-s timeout)` : warmup ? ' (warm-up, not counted)' : ' (counted)'}`);
      if (!warmup && !last.timedOut) {
        times.push(last.wallMs);
        rss.push(last.peakRssMB);
        codes.add(last.code);
      }
      for (let i = times.length; i < o.cliRuns && !last.timedOut; i++) {
        if (i >= 1 && (now() - started) / 1000 > o.cliBudgetS) break;
        last = await timeOnce(t.cmd, t.args, cwd, timeoutS);
        if (last.timedOut) break;
        times.push(last.wallMs);
        rss.push(last.peakRssMB);
        codes.add(last.code);
      }
      out.tools[t.name] = { wallMs: summarize(times), exitCodes: [...codes], peakRssMB: summarize(rss).median, timedOut: last.timedOut, timeoutS, last };
    }
  }
  // The findings (and, after hyperfine, peak RSS) from one run of each.
  for (const t of tools) {
    const entry = out.tools[t.name] ?? (out.tools[t.name] = {});
    const r = entry.last ?? (await timeOnce(t.cmd, t.args, cwd));
    delete entry.last;
    entry.peakRssMB ??= r.peakRssMB;
    entry.command = `${t.name.startsWith('northstar') ? 'node dist/cli.cjs' : 'markdownlint-cli2'} ${t.args.slice(1).join(' ').replace(os.tmpdir(), '$TMP')}`;
    if (r.timedOut) entry.findings = `killed after ${entry.timeoutS} s`;
    else if (t.name.startsWith('northstar')) entry.findings = (r.stdout.trim().split('\n').pop() ?? '').trim();
    else entry.findings = (/Summary: .*/.exec(r.stdout + r.stderr)?.[0] ?? '').trim();
    log(`cli ${t.name}: median ${ms(entry.wallMs?.median)} (min ${ms(entry.wallMs?.min)}, max ${ms(entry.wallMs?.max)}), peak RSS ${Math.round(r.peakRssMB)} MB — ${entry.findings}`);
  }
}

// ---------------------------------------------------------------------------------------------

// ---------------------------------------------------------------------------------------------
// Profiles: where the time goes (node --cpu-prof), `check` and the server's cold index.

async function profileSection(ctx, results) {
  const { o } = ctx;
  let corpus = ctx.corpus;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'northstar-bench-prof-'));
  const out = {};
  const slow = Boolean(results.northstar.cold?.indexTimedOut);
  if (slow) {
    // The briefs and one product's PRDs: enough to see where the time goes, in bounded time.
    const rw = relatedWorkspace(corpus);
    const product = rw.products[0];
    const sub = path.join(dir, 'ws');
    fs.cpSync(path.join(rw.folder, 'product'), path.join(sub, 'product'), { recursive: true });
    fs.cpSync(path.join(rw.folder, 'prds', product), path.join(sub, 'prds', product), { recursive: true });
    corpus = { ...corpus, folder: sub };
    out.workspace = `the briefs and the PRDs of product ${product} (${dirBytes(sub).files} files), since the whole workspace did not index within ${o.indexTimeoutS} s; the server's index (the same parse path) is not profiled then`;
  } else out.workspace = `the whole workspace (${corpus.manifest.workspace.files} files)`;
  try {
    const cliDir = path.join(dir, 'cli');
    const args = ['--cpu-prof', '--cpu-prof-dir', cliDir, ctx.cliPath, 'check', '.', '--as-of', AS_OF, '--no-color'];
    log(`profile ${corpus.name}: node --cpu-prof dist/cli.cjs check .`);
    const r = await timeOnce(process.execPath, args, corpus.folder, o.cliTimeoutS);
    out.cli = { timedOut: r.timedOut, command: `node --cpu-prof dist/cli.cjs check . --as-of ${AS_OF}`, wallMs: r.wallMs, peakRssMB: r.peakRssMB, exit: r.code, threads: summarizeProfileDir(cliDir) };
    log(`profile ${corpus.name} cli: ${ms(r.wallMs)}, ${out.cli.threads.length} thread profiles; main-thread top: ${out.cli.threads[0]?.top.slice(0, 3).map((x) => `${x.fn} ${x.pct}%`).join(', ')}`);
    if (slow) {
      results.profile = out;
      return;
    }
    const srvDir = path.join(dir, 'server');
    const c = startNorthstar({ serverPath: ctx.serverPath, folder: corpus.folder, asOf: AS_OF, nodeArgs: ['--cpu-prof', '--cpu-prof-dir', srvDir] });
    try {
      await initializeNorthstar(c, { folder: corpus.folder });
      try {
        const idx = await waitIndexed(c, o.indexTimeoutS * 1000);
        out.server = { what: 'server spawn -> "indexed" log, then shutdown', indexedMs: idx.t - c.startedAt, log: idx.params.message };
      } catch (e) {
        if (c.exitInfo) throw e;
        out.server = { what: `server spawn -> shutdown after ${o.indexTimeoutS} s without the "indexed" log`, timedOut: true, indexedMs: o.indexTimeoutS * 1000 };
      }
    } finally {
      await c.stop(60_000);
    }
    out.server.threads = summarizeProfileDir(srvDir);
    log(`profile ${corpus.name} server: indexed in ${ms(out.server.indexedMs)}; ${out.server.threads.length} thread profiles`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  results.profile = out;
}

// ---------------------------------------------------------------------------------------------
// Constructs: which real-document constructs cost `check` the most (a black-box probe).

async function constructsSection(ctx, results) {
  if (ctx.corpus.name !== 'regular') return;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'northstar-bench-constructs-'));
  try {
    results.constructs = probeConstructs({ cliPath: ctx.cliPath, baseFile: ctx.corpus.prd15k.file, asOf: AS_OF, workDir: dir, log });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// Scale: a 20,000-file workspace, Northstar alone: spawn -> indexed, RSS.

async function scaleSection(ctx, results) {
  const { o } = ctx;
  const corpus = loadCorpus(ctx.corpus.name, o, { files: o.scaleFiles, largeMb: [] });
  // When 2,000 files did not index within --index-timeout, 20,000 will not within 10 s either:
  // a shorter wait still shows how memory grows.
  const timeoutS = results.northstar.cold?.indexTimedOut ? Math.min(o.scaleTimeoutS, 90) : o.scaleTimeoutS;
  const s = { files: corpus.manifest.workspace.files, bytes: corpus.manifest.workspace.bytes, dir: path.relative(HERE, corpus.dir), timeoutS };
  const c = startNorthstar({ serverPath: ctx.serverPath, folder: corpus.folder, asOf: AS_OF });
  let peak = 0;
  const poll = setInterval(() => {
    const m = c.memory();
    if (m.hwmMB > peak) peak = m.hwmMB;
  }, 250);
  try {
    const init = await initializeNorthstar(c, { folder: corpus.folder });
    s.initializeMs = init.t - c.startedAt;
    try {
      const idx = await waitIndexed(c, timeoutS * 1000);
      s.indexedMs = idx.t - c.startedAt;
      const m = INDEXED_RE.exec(idx.params.message);
      s.indexedFiles = Number(m[1]);
      s.serverReportedIndexMs = Number(m[2]);
      s.memAtIndexed = c.memory();
      // Every ID answerable: one workspace/symbol query for the target PRD's ID.
      const id = /\bid:\s*(\S+)/.exec(fs.readFileSync(corpus.prd15k.file, 'utf8'))?.[1];
      const t = now();
      const sym = await c.request('workspace/symbol', { query: id }, 120_000);
      s.symbolQuery = { id, ms: sym.t - t, results: Array.isArray(sym.result) ? sym.result.length : 0 };
    } catch (e) {
      s.timedOut = true;
      s.error = String(e.message ?? e).split('\n')[0];
      s.memAtTimeout = c.memory();
    }
    s.peakRssMB = Math.max(peak, c.memory().hwmMB || 0);
  } finally {
    clearInterval(poll);
    // A server still indexing may not answer shutdown soon: end it (by its pid) after a timeout.
    if (s.timedOut) await c.kill();
    else await c.stop(60_000);
  }
  log(`scale ${ctx.corpus.name}: ${s.files} files (${(s.bytes / 1e6).toFixed(0)} MB) ${s.timedOut ? `not indexed within ${timeoutS} s` : `indexed in ${ms(s.indexedMs)} (server says ${s.serverReportedIndexMs} ms)`}, peak RSS ${Math.round(s.peakRssMB)} MB`);
  results.scale = s;
}

// ---------------------------------------------------------------------------------------------

function loadCorpus(name, o, { files = o.files, largeMb = o.largeMb } = {}) {
  const def = CORPORA[name];
  if (!def) throw new Error(`unknown corpus ${name} (regular, real)`);
  const genOpts = def.gen.parseGenArgs([], { files, sizeKb: o.sizeKb, largeMb, seed: o.seed });
  const manifest = def.gen.ensureCorpus(genOpts, log);
  const dir = genOpts.out ?? def.gen.defaultOutDir(genOpts);
  return {
    name,
    label: def.label,
    script: def.script,
    manifest,
    dir,
    folder: path.join(dir, 'workspace'),
    prd15k: { ...manifest.targets.prd15k, file: path.join(dir, manifest.targets.prd15k.path) },
    large: manifest.targets.large.map((l) => ({ ...l, file: path.join(dir, l.path) })),
  };
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  fs.mkdirSync(o.outDir, { recursive: true });
  const jsonPath = path.join(o.outDir, 'results.json');
  const mdPath = path.join(o.outDir, 'RESULTS.md');
  // Hand-written reasons and next steps (bench/RESULTS-NOTES.md), shown in RESULTS.md as they are.
  const notes = () => {
    try {
      const f = path.join(HERE, 'RESULTS-NOTES.md');
      return { text: fs.readFileSync(f, 'utf8').replace(/^# .*\n/, ''), updated: fs.statSync(f).mtime.toISOString().slice(0, 10) };
    } catch {
      return undefined;
    }
  };
  if (o.reportOnly) {
    fs.writeFileSync(mdPath, renderResults({ ...JSON.parse(fs.readFileSync(jsonPath, 'utf8')), notes: o.quick ? undefined : notes() }));
    log(`wrote ${path.relative(process.cwd(), mdPath)}`);
    return;
  }
  const started = new Date();
  if (o.peers) ensurePeers();
  if (o.build) build(o);
  const serverPath = path.join(o.northstar, 'dist', 'server.cjs');
  const cliPath = path.join(o.northstar, 'dist', 'cli.cjs');
  for (const f of [serverPath, cliPath]) if (!fs.existsSync(f)) throw new Error(`${f} is missing: build Northstar first`);
  const corpora = {};
  for (const name of o.corpora) corpora[name] = loadCorpus(name, o);
  // The scale workspaces too, before anything is timed (generating 20,000 files takes a while).
  if (o.only.includes('scale')) for (const name of o.corpora) loadCorpus(name, o, { files: o.scaleFiles, largeMb: [] });
  const debounce = readDebounce(o.northstar);
  const results = {
    schema: 2,
    date: started.toISOString(),
    command: `node bench/run.mjs ${process.argv.slice(2).join(' ')}`.trim(),
    mode: o.quick ? 'quick' : 'full',
    options: { ...o, northstar: path.relative(HERE, o.northstar) || '..', outDir: path.relative(HERE, o.outDir) || '.' },
    machine: machine(),
    northstar: { version: northstarVersion(o.northstar), git: gitInfo(o.northstar), distBuiltAt: fs.statSync(serverPath).mtime.toISOString(), debounceMs: debounce.ms, debounceAdaptive: debounce.adaptive, debounceSource: debounce.source },
    peerVersions: o.peers ? peerVersions() : {},
    corpora: {},
    errors: [],
  };
  for (const [name, corpus] of Object.entries(corpora)) {
    const m = corpus.manifest;
    results.corpora[name] = {
      label: corpus.label,
      corpus: { dir: path.relative(HERE, corpus.dir), script: corpus.script, asOf: AS_OF, generator: m.generator, workspace: m.workspace, targets: m.targets, mistakes: m.mistakes.byKind },
      northstar: {},
      peers: { mdls: {} },
      quiet: {},
      loadavg: {},
    };
    log(`corpus ${name}: ${m.workspace.files} files, ${(m.workspace.bytes / 1e6).toFixed(1)} MB; target PRD ${m.targets.prd15k.path} (${m.targets.prd15k.bytes} bytes)`);
  }
  log(`machine: ${results.machine.cpu}, ${results.machine.cores} cores, ${results.machine.memGB} GB, Node ${process.version}, load ${results.machine.loadavgAtStart.join(' ')}`);
  const sections = { cold: coldSection, warm: warmSection, session: sessionSection, cli: cliSection, profile: profileSection, scale: scaleSection, constructs: constructsSection };
  const save = () => fs.writeFileSync(jsonPath, JSON.stringify(roundDeep(results), null, 1) + '\n');
  // Section by section, each on every corpus in turn: the corpora are measured under similar load.
  for (const name of o.only) {
    const f = sections[name];
    if (!f) throw new Error(`unknown section ${name}`);
    for (const [cname, corpus] of Object.entries(corpora)) {
      const cr = results.corpora[cname];
      const ctx = { o, corpus, serverPath, cliPath, debounce, timeoutMs: 30 * 60_000 };
      log(`== ${name} (${cname})`);
      const t = now();
      cr.quiet[name] = await waitIdle(o, `the ${name} section (${cname})`);
      cr.loadavg[`${name}Start`] = loadavg();
      try {
        await f(ctx, cr);
      } catch (e) {
        log(`${name} (${cname}) failed: ${e.stack ?? e}`);
        results.errors.push({ section: name, corpus: cname, error: String(e.message ?? e).slice(0, 2000) });
      }
      cr.loadavg[`${name}End`] = loadavg();
      log(`== ${name} (${cname}) done in ${((now() - t) / 1000).toFixed(1)} s`);
      // Save as we go, so an interrupted run still leaves its figures (--report-only renders them).
      save();
    }
  }
  results.durationS = Math.round((Date.now() - started.getTime()) / 1000);
  save();
  fs.writeFileSync(mdPath, renderResults({ ...roundDeep(results), notes: o.quick ? undefined : notes() }));
  log(`wrote ${path.relative(process.cwd(), mdPath)} and ${path.relative(process.cwd(), jsonPath)} (${results.durationS} s)`);
  if (results.errors.length) process.exitCode = 1;
}

main().catch((e) => {
  console.error(e.stack ?? e);
  process.exit(1);
});
