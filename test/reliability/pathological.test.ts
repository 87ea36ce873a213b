/**
 * cmark's pathological inputs against Northstar (issue 12, docs/RELIABILITY.md §2).
 *
 * Source: commonmark/cmark, test/pathological_tests.py, at commit
 * 54b2be567c735162d8d84125200cfda032073b1a (HEAD of the stored snapshot; the file last changed in
 * 64efa3b3b3d35f2ffb604b57a8a9c89047cb420b, 2026-03-01). Every input of its `pathological` and
 * `pathological_cmark` tables is rebuilt here with the same generator and the same size, plus the
 * "many references" input the file keeps commented out (an allowed failure there). cmark runs each
 * input in a process and fails it after TIMEOUT = 5 s; we hold Northstar to the same 5 s.
 *
 * Each input is the body of a PRD (a front matter block first, so validation runs too) and is:
 * - analysed in process as the CLI and the server do it — analyzeDocument with the guarded worker
 *   parser (createGuardedParser(out/server/src/node/parseWorker.js)) — in a thread with a 1 MB
 *   stack: it returns within 5 s, never throws, every range is sane, the front matter is read, at
 *   most a few read-limit diagnostics (parse-failed, nesting-too-deep, document-too-large);
 * - checked by the CLI as a process (`node dist/cli.cjs check FILE --format json`): exit 0 or 1,
 *   valid JSON, within CLI_BOUND_MS (process start included);
 * - opened in the language server over stdio: hover in another document answers within the 5 s,
 *   the input's diagnostics are published within 15 s, the server stays alive.
 * The per-input times are printed (the table in docs/RELIABILITY.md).
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from '../helpers.js';
import { TestClient } from '../lsp/lspClient.js';
import { Harness, READ_LIMIT_CODES, runCli } from './analysisHarness.js';

const BOUND_MS = 5000;
const CLI_BOUND_MS = Number(process.env.PATHOLOGICAL_CLI_BOUND_MS ?? 15000);
const HEAD = '---\ntype: prd\nid: PRD-p\ntitle: Pathological\nowner: o\nstatus: draft\nbrief: BRIEF-p\nrelease: 2026-Q4\n---\n\n';

const rep = (s: string, n: number) => s.repeat(n);
const range = (a: number, b: number) => Array.from({ length: b - a }, (_, i) => a + i);

/** cmark's hash_collisions(): 25,000 reference labels whose cmark refmap hash is 0 mod 16. */
function hashCollisions(): string {
  const REFMAP_SIZE = 16;
  const COUNT = 25000;
  const badhash = (ref: string) => {
    let h = 0;
    for (let i = 0; i < ref.length; i++) {
      const a = (h << 6) >>> 0;
      const b = (h << 16) >>> 0;
      const x = ref.charCodeAt(i) + a + b - h;
      h = ((x % 2 ** 32) + 2 ** 32) % 2 ** 32;
    }
    return h % REFMAP_SIZE === 0;
  };
  const collisions: string[] = [];
  for (let i = 0; collisions.length < COUNT; i++) if (badhash(`x${i}`)) collisions.push(`x${i}`);
  const bad = collisions[0]!;
  return collisions
    .slice(1)
    .map((k) => `[${k}]: /url\n\n[${bad}]\n\n`)
    .join('');
}

/** name -> input, in the file's order. */
export const PATHOLOGICAL: [string, () => string][] = [
  ['nested strong emph', () => rep('*a **a ', 32500) + 'b' + rep(' a** a*', 32500)],
  ['many emph closers with no openers', () => rep('a_ ', 32500)],
  ['many emph openers with no closers', () => rep('_a ', 32500)],
  ['many link closers with no openers', () => rep('a]', 32500)],
  ['many link openers with no closers', () => rep('[a', 32500)],
  ['mismatched openers and closers', () => rep('*a_ ', 25000)],
  ['issue #389', () => rep('*a ', 20000) + rep('_a*_ ', 20000)],
  ['openers and closers multiple of 3', () => 'a**b' + rep('c* ', 25000)],
  ['link openers and emph closers', () => rep('[ a_', 25000)],
  ['pattern [ (]( repeated', () => rep('[ (](', 40000)],
  ['pattern ![[]() repeated', () => rep('![[]()', 160000)],
  ['hard link/emph case', () => '**x [a*b**c*](d)'],
  ['nested brackets', () => rep('[', 25000) + 'a' + rep(']', 25000)],
  ['nested block quotes', () => rep('> ', 25000) + 'a'],
  ['deeply nested lists', () => range(0, 500).map((x) => rep('  ', x) + '* a\n').join('')],
  ['U+0000 in input', () => 'abc\u0000de\u0000'],
  ['backticks', () => range(1, 2500).map((x) => 'e' + rep('`', x)).join('')],
  ['unclosed links A', () => rep('[a](<b', 30000)],
  ['unclosed links B', () => rep('[a](b', 30000)],
  ['unclosed <!--', () => '</' + rep('<!--', 300000)],
  ['empty lines in deeply nested lists', () => rep('- ', 30000) + 'x' + rep('\n', 30000)],
  ['empty lines in deeply nested lists in blockquote', () => '> ' + rep('- ', 30000) + 'x\n' + rep('>\n', 30000)],
  ['emph in deep blockquote', () => rep('>', 100000) + rep('a*', 100000)],
  ['reference collisions', hashCollisions],
  // pathological_cmark (cmark checks it with to_commonmark).
  ['nested inlines', () => rep('*', 20000) + 'a' + rep('*', 20000)],
  // Commented out in the file ("many references", an allowed failure there); kept here.
  ['many references (commented out in cmark)', () => range(1, 5000 * 16).map((x) => `[${x}]: u\n`).join('') + rep('[0] ', 5000)],
];

/**
 * Inputs still failing when this suite was written, reported to the parser work of issue 12 (see
 * docs/RELIABILITY.md §9): they run and report as todo until fixed. Key: `in process` or `server`.
 */
const REFERENCES = 'remark is stopped at the size-relative watchdog (2.7 s here) but the analysis still takes 5.4–6.6 s: about 3 s go outside remark (d192977); reported to the lead (issue 12)';
const KNOWN: Record<string, string> = {
  'in process: reference collisions': REFERENCES,
  'in process: many references (commented out in cmark)': `${REFERENCES}; cmark keeps this input commented out (an allowed failure there)`,
};
const known = (where: string, name: string) => (KNOWN[`${where}: ${name}`] ? { todo: KNOWN[`${where}: ${name}`] } : {});

test(`cmark's pathological inputs: the pipeline with the guarded parser returns within ${BOUND_MS / 1000} s, the CLI exits 0 or 1`, async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'northstar-pathological-'));
  const h = new Harness(10000);
  const failures: string[] = [];
  const rows: string[] = [];
  try {
    // Warm up: the schemas and the parse worker are loaded once, as in a running CLI or server.
    await h.analyze('file:///p/warm.prd.md', HEAD + '> a quote\n', ['guarded']);
    for (const [name, make] of PATHOLOGICAL) {
      await t.test(name, known('in process', name), async () => {
        const text = HEAD + make();
        const slug = name.replace(/[^\w]+/g, '-').replace(/^-|-$/g, '');
        const r = await h.analyze(`file:///p/${slug}.prd.md`, text, ['guarded']);
        const s = r.out?.guarded;
        const errs: string[] = [];
        if (r.failure) errs.push(r.failure);
        else if (!s) errs.push('no result');
        else {
          if (s.threw) errs.push(`threw ${s.threw}`);
          if (s.ranges) errs.push(`ranges: ${s.ranges}`);
          if (s.type !== 'prd') errs.push('front matter not read');
          const limits = s.diagnostics.filter((d) => READ_LIMIT_CODES.includes(d.code));
          if (limits.length > 3) errs.push(`${limits.length} read-limit diagnostics`);
          if (limits.some((d) => d.message.length < 20)) errs.push('a read-limit diagnostic without a clear message');
        }
        if (r.ms > BOUND_MS) errs.push(`took ${(r.ms / 1000).toFixed(1)} s, over cmark's ${BOUND_MS / 1000} s`);
        const file = path.join(dir, `${slug}.prd.md`);
        fs.writeFileSync(file, text);
        const cli = await runCli([file], CLI_BOUND_MS, dir);
        if (cli.timedOut) errs.push(`CLI: no exit within ${CLI_BOUND_MS / 1000} s`);
        else if (cli.code !== 0 && cli.code !== 1) errs.push(`CLI: exit ${cli.code}${cli.signal ? ` (${cli.signal})` : ''}: ${cli.stderr.split('\n').slice(0, 2).join(' / ')}`);
        if (!cli.timedOut && !cli.json) errs.push(`CLI: not JSON (${cli.jsonError})`);
        const limits = [...new Set(s?.diagnostics.filter((d) => READ_LIMIT_CODES.includes(d.code)).map((d) => d.code) ?? [])].join('+') || '-';
        rows.push(`| ${name} | ${(text.length - HEAD.length).toLocaleString('en')} | ${s?.parser ?? '?'} | ${(r.ms / 1000).toFixed(2)} s | ${limits} | ${(cli.ms / 1000).toFixed(2)} s, exit ${cli.code} | ${errs.length ? `FAILED: ${errs.join('; ')}` : 'ok'} |`);
        if (errs.length) failures.push(`${name}: ${errs.join('; ')}`);
        fs.rmSync(file);
        assert.deepEqual(errs, []);
      });
    }
  } finally {
    await h.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
    console.log(['| Input | Characters | Parser | In process | Read limit | CLI | Result |', '|---|---|---|---|---|---|---|', ...rows].join('\n'));
    if (failures.length) console.log(failures.join('\n'));
  }
});

test(`cmark's pathological inputs in the language server: hover in another document within ${BOUND_MS / 1000} s, diagnostics published, the server alive`, async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'northstar-pathological-lsp-'));
  fs.cpSync(path.join(ROOT, 'examples'), dir, { recursive: true });
  const otherPath = path.join(dir, 'prds', 'saved-cards.prd.md');
  const other = pathToFileURL(otherPath).href;
  const otherText = fs.readFileSync(otherPath, 'utf8');
  const line = otherText.split('\n').findIndex((l) => l.startsWith('### FEAT-saved-cards'));
  const failures: string[] = [];
  const rows: string[] = [];
  let c: TestClient | undefined;
  const start = async () => {
    c = await TestClient.start(dir);
    await c.open(other, otherText);
    await c.request('textDocument/hover', { textDocument: { uri: other }, position: { line, character: 6 } });
    return c;
  };
  try {
    for (const [name, make] of PATHOLOGICAL) {
      await t.test(name, known('server', name), async () => {
        const client = c ?? (await start());
        const uri = pathToFileURL(path.join(dir, `${name.replace(/[^\w]+/g, '-')}.prd.md`)).href;
        const t0 = performance.now();
        await client.open(uri, HEAD + make());
        const hover = await Promise.race([
          client.request<{ contents: { value: string } } | null>('textDocument/hover', { textDocument: { uri: other }, position: { line, character: 6 } }),
          new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), BOUND_MS)),
        ]);
        const hoverMs = performance.now() - t0;
        let published = true;
        try {
          await client.diagnostics(uri, () => true, 15000);
        } catch {
          published = false;
        }
        const diagMs = performance.now() - t0;
        const alive = client.proc.exitCode === null && client.proc.signalCode === null;
        const errs: string[] = [];
        if (hover === 'timeout') errs.push(`no hover answer in another document within ${BOUND_MS / 1000} s`);
        else if (!hover || !/KPI-saved-card-usage/.test(hover.contents.value)) errs.push('wrong hover');
        if (!published) errs.push('no diagnostics within 15 s');
        if (!alive) errs.push(`the server died (exit ${client.proc.exitCode}, signal ${client.proc.signalCode})`);
        rows.push(`| ${name} | ${hover === 'timeout' ? `> ${BOUND_MS / 1000} s` : `${hoverMs.toFixed(0)} ms`} | ${published ? `${(diagMs / 1000).toFixed(2)} s` : '> 15 s'} | ${errs.length ? `FAILED: ${errs.join('; ')}` : 'ok'} |`);
        if (errs.length) {
          failures.push(`${name}: ${errs.join('; ')}`);
          // A busy or dead server: the next input gets a fresh one.
          await client.stop();
          c = undefined;
        } else await client.close(uri);
        assert.deepEqual(errs, []);
      });
    }
  } finally {
    await c?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
    console.log(['| Input | Hover elsewhere, from open | Diagnostics | Result |', '|---|---|---|---|', ...rows].join('\n'));
    if (failures.length) console.log(failures.join('\n'));
  }
});
