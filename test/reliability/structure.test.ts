/**
 * The structure-aware fuzzer (issue 12, docs/RELIABILITY.md §8): spec documents around one region
 * that nests every Markdown container — block quotes, bullet and ordered lists (on one line and
 * as indented ladders), block HTML, emphasis, strong, strikethrough, links, images, brackets,
 * parentheses, inline HTML, tables whose cells nest inline, code fences, headings and front
 * matter inside containers, deep YAML in the front matter — 10 to 100,000 deep (log-scale),
 * mixed (a block quote inside a list inside a block quote…). fast-check with fixed seeds.
 *
 * Properties, in process (analyzeDocument, with and without the guarded worker parser; each case
 * in a thread with a 1 MB stack and a time budget, so that a hang or a crash is that case's
 * failure), through the CLI as a process, and through the language server over stdio:
 * - the pipeline never throws and never crashes the process or hangs;
 * - every range is inside the document, on UTF-16 boundaries (assertRangesSane);
 * - a document not read in full carries at most a few read-limit diagnostics (parse-failed,
 *   nesting-too-deep, document-too-large), each with a message, at offset 0 or in the deep region;
 * - the feature headings before and after the deep region (and their `- kpi:`) are found
 *   whenever the Markdown was read (no parse-failed / document-too-large);
 * - the front matter is always read.
 *
 * `npm test`: the fixed deep cases + STRUCTURE_RUNS (default 100) generated cases in process,
 * the CLI on 6 deep files and one folder of 20 generated files, the server on 3 deep documents.
 * `npm run fuzz` (FUZZ_RUNS=100000): that many generated cases in process and every 100th through
 * the CLI (in folders of 50). Figures are printed with FUZZ_RUNS or STRUCTURE_REPORT=1.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import fc from 'fast-check';
import { ROOT } from '../helpers.js';
import { TestClient } from '../lsp/lspClient.js';
import { Harness, READ_LIMIT_CODES, UNREAD_CODES, median, runCli, type Mode, type Summary } from './analysisHarness.js';
import { BLOCK_KINDS, INLINE_KINDS, YAML_KINDS, buildCase, single, specArb, type Case } from './structureGen.js';

const FUZZ = process.env.FUZZ_RUNS !== undefined;
const RUNS = Number(process.env.STRUCTURE_RUNS ?? process.env.FUZZ_RUNS ?? 100);
const REPORT = FUZZ || process.env.STRUCTURE_REPORT === '1';
/** Per case with the guarded parser, whose own watchdog stops remark at 5 s: generous on a shared 2-core machine. */
const BUDGET_MS = Number(process.env.STRUCTURE_BUDGET_MS ?? 30000);
/** Per case without it (remark, when needed, runs in the calling thread with no watchdog). */
const PLAIN_BUDGET_MS = Number(process.env.STRUCTURE_PLAIN_BUDGET_MS ?? 30000);
const CLI_BOUND_MS = Number(process.env.STRUCTURE_CLI_BOUND_MS ?? 60000);
const MODES: Mode[] = ['plain', 'guarded'];
/** With FUZZ_RUNS: every case with the guarded parser (the CLI's and the server's path), every 10th also without. Two analysing threads. */
const PLAIN_EVERY = Number(process.env.STRUCTURE_PLAIN_EVERY ?? (FUZZ ? 10 : 1));
const WORKERS = Number(process.env.STRUCTURE_WORKERS ?? 2);
const log = (s: string) => {
  if (REPORT) console.log(s);
};

/**
 * Cases still failing when this suite was written, reported to the parser work of issue 12
 * (docs/RELIABILITY.md §9): they still run, and report as todo subtests until fixed.
 */
const IMAGES = 'without the guard, remark in the calling thread is superlinear on nested images (1,000 deep, 14 KB: 4–20 s); reported to the lead (issue 12)';
const KNOWN_FIXED: Record<string, string> = {
  // Only run without the guard with FUZZ_RUNS.
  'image x100000': IMAGES,
  'span x100000': 'without the guard, remark in the calling thread takes 10–15 s and more on `<span>` ×57,652 (750 KB); reported to the lead (issue 12)',
  'span x100000 unclosed': 'without the guard, remark in the calling thread takes 10–15 s and more on `<span>` ×100,000 unclosed; reported to the lead (issue 12)',
  'parens x100000 unclosed': 'without the guard, remark in the calling thread takes over 90 s on `[a](` ×100,000; reported to the lead (issue 12)',
  'div-md x100000': 'without the guard, remark in the calling thread takes 27 s on `<div>` + blank line ×100,000 (1.5 MB); reported to the lead (issue 12)',
};
/** By index in the default sample (STRUCTURE_RUNS=100, seed 4412); with FUZZ_RUNS every failure counts. */
const KNOWN_GENERATED: Record<number, string> = { 12: IMAGES, 96: IMAGES };

/** Known failures become todo subtests (still run, still shown); the rest fail the test. */
async function settle(t: import('node:test').TestContext, failures: { key: string; reason?: string | undefined; msg: string }[]): Promise<string[]> {
  for (const f of failures.filter((x) => x.reason)) await t.test(f.key, { todo: f.reason! }, () => assert.fail(f.msg));
  return failures.filter((x) => !x.reason).map((x) => x.msg);
}

/** What is wrong with one mode's analysis of a case (empty: nothing). */
export function problems(c: Case, s: Summary | undefined): string[] {
  if (!s) return ['no result'];
  const out: string[] = [];
  if (s.threw) return [`threw ${s.threw}`];
  if (s.ranges) out.push(`ranges: ${s.ranges}`);
  const limits = s.diagnostics.filter((d) => READ_LIMIT_CODES.includes(d.code));
  if (limits.length > 3) out.push(`${limits.length} read-limit diagnostics: ${limits.map((d) => `${d.code}@${d.start}`).join(', ')}`);
  for (const d of limits) {
    if (d.message.length < 20) out.push(`${d.code} without a clear message: ${JSON.stringify(d.message)}`);
    if (d.start !== 0 && !(d.start >= c.region.start && d.start <= c.region.end)) out.push(`${d.code} at ${d.start}, neither at 0 nor in the deep region ${c.region.start}-${c.region.end}`);
  }
  if (s.type !== 'prd') out.push(`front matter not read (type ${s.type})`);
  const unread = s.diagnostics.some((d) => UNREAD_CODES.includes(d.code));
  if (!unread) {
    for (const [id, kpi] of [['FEAT-before', 'KPI-before'], ['FEAT-after', 'KPI-after']] as const) {
      const e = s.entities.find((x) => x.id === id);
      if (!e) out.push(`${id} not found, and no diagnostic says the document was not read (diagnostics: ${[...new Set(s.diagnostics.map((d) => d.code))].join(', ')})`);
      else if (!e.props.includes(`kpi=${kpi}`)) out.push(`${id} lost its kpi (${e.props.join(', ')})`);
    }
  }
  return out;
}

interface Figures {
  cases: number;
  maxDepth: number;
  times: number[];
  slowest: { ms: number; label: string }[];
  byLimit: Record<string, number>;
  failures: string[];
  last: string;
}
const newFigures = (): Figures => ({ cases: 0, maxDepth: 0, times: [], slowest: [], byLimit: {}, failures: [], last: '' });

async function check(h: Harness, c: Case, name: string, fig: Figures, modes: Mode[] = MODES): Promise<string[]> {
  fig.cases++;
  fig.maxDepth = Math.max(fig.maxDepth, c.depth);
  const errs: string[] = [];
  let total = 0;
  const per: string[] = [];
  for (const m of modes) {
    const r = await h.analyze(`file:///fuzz/${name}.prd.md`, c.text, [m], m === 'guarded' ? BUDGET_MS : PLAIN_BUDGET_MS);
    total += r.ms;
    per.push(`${m} ${r.ms.toFixed(0)} ms`);
    if (r.failure) {
      errs.push(`${m}: ${r.failure}`);
      continue;
    }
    for (const p of problems(c, r.out?.[m])) errs.push(`${m}: ${p}`);
    const codes = [...new Set((r.out?.[m]?.diagnostics ?? []).filter((d) => READ_LIMIT_CODES.includes(d.code)).map((d) => d.code))];
    const key = `${m}:${codes.join('+') || 'read in full'}`;
    fig.byLimit[key] = (fig.byLimit[key] ?? 0) + 1;
  }
  fig.times.push(total);
  fig.last = per.join(', ');
  lastOf.set(c, fig.last);
  fig.slowest.push({ ms: total, label: `${c.label} (${c.text.length} chars; ${per.join(', ')})` });
  fig.slowest.sort((a, b) => b.ms - a.ms).splice(5);
  return errs;
}

/** Not timed: the schemas, remark and the parse worker are loaded once, as in a running CLI or server. */
const lastOf = new WeakMap<Case, string>();
const warmUp = (h: Harness) => h.analyze('file:///fuzz/warm.prd.md', buildCase({ runs: [{ kind: 'quote', depth: 3, closed: true }], leaf: 'para' }).text.replace('# Structure', '> q\n\n# Structure'), MODES);

const summary = (name: string, f: Figures) =>
  `${name}: ${f.cases} cases, max depth ${f.maxDepth}, median ${median(f.times).toFixed(0)} ms, max ${Math.max(0, ...f.times).toFixed(0)} ms, ${f.failures.length} failures; ${JSON.stringify(f.byLimit)}; slowest: ${f.slowest.map((s) => `${s.ms.toFixed(0)} ms ${s.label}`).join(' | ')}`;

/** Every container alone at 100,000 (or as deep as the size cap allows), a few classic mixes, the issue's repro. */
function fixedCases(): [string, Case][] {
  const cases: [string, Case][] = [['issue 12: 5,000 block quotes', single('quote', 5000)]];
  for (const k of [...BLOCK_KINDS, ...INLINE_KINDS, ...YAML_KINDS]) cases.push([`${k} x100000`, single(k, 100000)]);
  for (const k of INLINE_KINDS) cases.push([`${k} x100000 unclosed`, single(k, 100000, 'para', false)]);
  const mix = (runs: [(typeof BLOCK_KINDS)[number] | (typeof INLINE_KINDS)[number], number][], leaf: Case['spec']['leaf']) => buildCase({ runs: runs.map(([kind, depth]) => ({ kind, depth, closed: true })), leaf });
  cases.push(['quote > bullet > quote > ordered, 100,000 in all, heading inside', mix([['quote', 25000], ['bullet', 25000], ['quote', 25000], ['ordered', 25000]], 'feature-heading')]);
  cases.push(['bullet > quote > strong > link, table cell', mix([['bullet', 3000], ['quote', 3000], ['strong', 20000], ['link', 20000]], 'table')]);
  cases.push(['div-md > quote > em, code fence', mix([['div-md', 2000], ['quote', 5000], ['em', 10000]], 'fence')]);
  cases.push(['ladder > quote, front matter inside', mix([['ladder', 500], ['quote', 500]], 'frontmatter')]);
  cases.push(['64 / 65 block quotes (the nesting bound)', mix([['quote', 65]], 'feature-heading')]);
  return cases;
}

test(`structure fuzzer, in process: fixed deep cases (every container at up to 100,000) with the guarded parser${FUZZ ? ' and without' : ''}`, async (t) => {
  // npm test: the CLI's and the server's path (guarded) on the extremes; the path without the
  // guard runs on them with FUZZ_RUNS (and on the generated sample in both).
  const pool = Array.from({ length: 2 }, () => new Harness(BUDGET_MS));
  const fig = newFigures();
  const cases = fixedCases();
  const failed: { key: string; reason?: string | undefined; msg: string }[] = [];
  let next = 0;
  try {
    await Promise.all(pool.map((h) => warmUp(h)));
    await Promise.all(
      pool.map(async (h) => {
        while (next < cases.length) {
          const [name, c] = cases[next++]!;
          const errs = await check(h, c, name.replace(/[^\w]+/g, '-'), fig, FUZZ ? MODES : ['guarded']);
          log(`  ${name} [${c.label}, ${c.text.length} chars]: ${lastOf.get(c)}${errs.length ? ` FAILED: ${errs.join('; ')}` : ''}`);
          if (errs.length) failed.push({ key: name, reason: KNOWN_FIXED[name], msg: `${name} [${c.label}]: ${errs.join('; ')}` });
        }
      }),
    );
  } finally {
    await Promise.all(pool.map((h) => h.dispose()));
  }
  fig.failures = failed.map((f) => f.msg);
  log(summary('structure fixed cases', fig));
  assert.deepEqual(await settle(t, failed), []);
});

test(`structure fuzzer, in process: ${RUNS} generated documents (seed 4412), with the guarded parser${PLAIN_EVERY > 1 ? `, and every ${PLAIN_EVERY}th without` : ' and without'}`, async (t) => {
  // fc.sample with a fixed seed, then a pool of WORKERS analysing threads (each case bounded).
  const specs = fc.sample(specArb, { numRuns: RUNS, seed: 4412 });
  const fig = newFigures();
  const failed: { key: string; reason?: string | undefined; msg: string }[] = [];
  const t0 = Date.now();
  let next = 0;
  const pool = Array.from({ length: WORKERS }, () => new Harness(BUDGET_MS));
  try {
    await Promise.all(pool.map((h) => warmUp(h)));
    await Promise.all(
      pool.map(async (h) => {
        while (next < specs.length) {
          const i = next++;
          const spec = specs[i]!;
          const c = buildCase(spec);
          const errs = await check(h, c, `case-${i}`, fig, i % PLAIN_EVERY === 0 ? MODES : ['guarded']);
          if (REPORT && fig.cases % 1000 === 0) log(`  ${fig.cases} cases, ${((Date.now() - t0) / 1000).toFixed(0)} s, ${fig.failures.length} failures`);
          // Every failing case is kept with the spec that rebuilds it (buildCase(spec)); the run goes on, for the figures.
          if (errs.length) {
            const msg = `#${i} ${c.label} (${c.text.length} chars): ${errs.join('; ')} — spec ${JSON.stringify(spec)}`;
            fig.failures.push(msg);
            failed.push({ key: `#${i} ${c.label}`, reason: RUNS === 100 ? KNOWN_GENERATED[i] : undefined, msg });
          }
        }
      }),
    );
  } finally {
    await Promise.all(pool.map((h) => h.dispose()));
    log(summary(`structure generated (${((Date.now() - t0) / 1000).toFixed(0)} s, ${WORKERS} threads)`, fig));
    if (REPORT) for (const f of fig.failures.slice(0, 200)) log(`  FAILED ${f}`);
  }
  const left = await settle(t, failed);
  assert.deepEqual(left.slice(0, 20), [], `${left.length} of ${fig.cases} cases failed`);
});

/** The CLI on a file or folder: exit 0 or 1 (never 2, never a signal), valid JSON, within the bound; each file's problems checked like in process. */
async function cliProblems(paths: string[], cases: Map<string, Case>, cwd: string): Promise<{ errs: string[]; ms: number }> {
  const r = await runCli(paths, CLI_BOUND_MS, cwd);
  const errs: string[] = [];
  if (r.timedOut) errs.push(`no exit within ${CLI_BOUND_MS / 1000} s`);
  else if (r.code !== 0 && r.code !== 1) errs.push(`exit ${r.code}${r.signal ? ` (${r.signal})` : ''}: ${r.stderr.split('\n').slice(0, 3).join(' / ')}`);
  if (!r.timedOut && !r.json) errs.push(`not JSON: ${r.jsonError}`);
  for (const f of r.json?.files ?? []) {
    const c = cases.get(path.basename(f.path));
    if (!c) continue;
    const limits = f.diagnostics.filter((d) => READ_LIMIT_CODES.includes(d.code));
    if (limits.length > 3) errs.push(`${f.path}: ${limits.length} read-limit diagnostics`);
    if (limits.some((d) => !d.message || d.message.length < 20)) errs.push(`${f.path}: a read-limit diagnostic without a message`);
  }
  if (r.json) {
    const seen = new Set(r.json.files.map((f) => path.basename(f.path)));
    for (const name of cases.keys()) if (!seen.has(name) && !r.json.skipped.length) errs.push(`${name}: missing from the report`);
  }
  return { errs, ms: r.ms };
}

test('structure fuzzer, CLI as a process: deep files one by one, then a folder of generated files', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'northstar-structure-cli-'));
  const failures: string[] = [];
  try {
    const wanted = new Set(['issue 12: 5,000 block quotes', 'quote x100000', 'bullet x100000', 'em x100000', 'quote > bullet > quote > ordered, 100,000 in all, heading inside', 'yaml-flow-seq x100000']);
    for (const [name, c] of fixedCases().filter(([n]) => wanted.has(n))) {
      const file = `${name.replace(/[^\w]+/g, '-')}.prd.md`;
      fs.writeFileSync(path.join(dir, file), c.text);
      const { errs, ms } = await cliProblems([path.join(dir, file)], new Map([[file, c]]), dir);
      log(`  CLI ${name}: ${ms.toFixed(0)} ms${errs.length ? ` FAILED: ${errs.join('; ')}` : ''}`);
      if (errs.length) failures.push(`${name}: ${errs.join('; ')}`);
    }
    // Generated files, in folders of 50 (20 files in npm test); every 100th case with FUZZ_RUNS.
    const n = FUZZ ? Math.max(20, Math.floor(RUNS / 100)) : 20;
    const specs = fc.sample(specArb, { numRuns: n, seed: 5523 });
    for (let i = 0; i < specs.length; i += 50) {
      const sub = path.join(dir, `batch-${i}`);
      fs.mkdirSync(sub);
      const cases = new Map<string, Case>();
      specs.slice(i, i + 50).forEach((s, j) => {
        const c = buildCase(s);
        const file = `g${i + j}.prd.md`;
        cases.set(file, c);
        fs.writeFileSync(path.join(sub, file), c.text);
      });
      const { errs, ms } = await cliProblems([sub], cases, dir);
      log(`  CLI folder of ${cases.size} generated files: ${ms.toFixed(0)} ms${errs.length ? ` FAILED: ${errs.join('; ')}` : ''}`);
      if (errs.length) {
        // Which file: each one alone.
        for (const [file, c] of cases) {
          const one = await cliProblems([path.join(sub, file)], new Map([[file, c]]), dir);
          if (one.errs.length) failures.push(`${c.label} (${c.text.length} chars): ${one.errs.join('; ')}`);
        }
        if (!failures.length) failures.push(`folder ${sub}: ${errs.join('; ')}`);
      }
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  assert.deepEqual(failures, []);
});

test('structure fuzzer, language server over stdio: deep documents open, the server stays alive and answers hover in another document', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'northstar-structure-lsp-'));
  fs.cpSync(path.join(ROOT, 'examples'), dir, { recursive: true });
  const c = await TestClient.start(dir);
  const failures: string[] = [];
  try {
    const other = pathToFileURL(path.join(dir, 'prds', 'saved-cards.prd.md')).href;
    const otherText = fs.readFileSync(path.join(dir, 'prds', 'saved-cards.prd.md'), 'utf8');
    await c.open(other, otherText);
    const lines = otherText.split('\n');
    const line = lines.findIndex((l) => l.startsWith('### FEAT-saved-cards'));
    const hover = async () => {
      const t0 = performance.now();
      const h = await Promise.race([
        c.request<{ contents: { value: string } } | null>('textDocument/hover', { textDocument: { uri: other }, position: { line, character: 6 } }),
        new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 30000)),
      ]);
      return { h, ms: performance.now() - t0 };
    };
    const deep: [string, Case][] = [
      ['issue 12: 5,000 block quotes', single('quote', 5000)],
      ['100,000 block quotes', single('quote', 100000)],
      ['quote > bullet > em, 100,000 in all', buildCase({ runs: [{ kind: 'quote', depth: 40000, closed: true }, { kind: 'bullet', depth: 40000, closed: true }, { kind: 'em', depth: 20000, closed: true }], leaf: 'feature-heading' })],
    ];
    let version = 1;
    for (const [name, k] of deep) {
      const uri = pathToFileURL(path.join(dir, 'prds', `${name.replace(/[^\w]+/g, '-')}.prd.md`)).href;
      const t0 = performance.now();
      await c.open(uri, k.text, ++version);
      const during = await hover();
      let published: Awaited<ReturnType<typeof c.diagnostics>> | undefined;
      try {
        published = await c.diagnostics(uri, () => true, 60000);
      } catch (e) {
        failures.push(`${name}: ${e instanceof Error ? e.message : String(e)}`);
      }
      const publishMs = performance.now() - t0;
      const after = await hover();
      const alive = c.proc.exitCode === null && c.proc.signalCode === null;
      log(`  LSP ${name}: hover during ${during.ms.toFixed(0)} ms, diagnostics after ${publishMs.toFixed(0)} ms (${[...new Set(published?.diagnostics.map((d) => d.code))].join(', ')}), hover after ${after.ms.toFixed(0)} ms, alive ${alive}`);
      if (!alive) {
        failures.push(`${name}: the server died (exit ${c.proc.exitCode}, signal ${c.proc.signalCode}); log: ${c.logs.slice(-3).join(' / ')}`);
        break;
      }
      for (const [when, r] of [['while it was analysed', during], ['after', after]] as const) {
        if (r.h === 'timeout') failures.push(`${name}: no hover answer ${when} within 30 s`);
        else if (!r.h || !/KPI-saved-card-usage/.test(r.h.contents.value)) failures.push(`${name}: wrong hover ${when}: ${JSON.stringify(r.h)}`);
      }
      const limits = published?.diagnostics.filter((d) => READ_LIMIT_CODES.includes(String(d.code))) ?? [];
      if (limits.length > 3) failures.push(`${name}: ${limits.length} read-limit diagnostics`);
      if (published && !published.diagnostics.some((d) => UNREAD_CODES.includes(String(d.code)))) {
        const symbols = await c.request<{ name: string; children?: { name: string }[] }[]>('textDocument/documentSymbol', { textDocument: { uri } });
        const names = JSON.stringify(symbols);
        for (const id of ['FEAT-before', 'FEAT-after']) if (!names.includes(id)) failures.push(`${name}: ${id} not in the outline, and no diagnostic says why`);
      }
      await c.close(uri);
    }
  } finally {
    await c.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  assert.deepEqual(failures, []);
});
