/**
 * A worker thread that runs the in-process pipeline (analyzeDocument) for the structure fuzzer
 * and the pathological suite, so that a case that hangs or kills its thread is reported as that
 * case's failure instead of stopping the test run. The thread gets a 1 MB stack, like V8's
 * default on the CLI's and the server's main thread (984 KB), so recursion that would overflow
 * there overflows here too.
 *
 * Modes: `plain` = analyzeDocument(uri, text, schemas) (remark, when needed, in this thread);
 * `guarded` = the same with `{ parse: createGuardedParser(parseWorker) }`, as the CLI and the
 * server call it.
 */
import * as path from 'node:path';
import { parentPort, Worker } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import { analyzeDocument } from '../../server/src/core/analysis.js';
import { createGuardedParser, type GuardedParser } from '../../server/src/node/guardedParser.js';
import { ROOT, assertRangesSane, schemas } from '../helpers.js';

export type Mode = 'plain' | 'guarded';

export interface Summary {
  readonly ms: number;
  readonly parser?: string;
  /** An exception analyzeDocument threw (it must never throw). */
  readonly threw?: string;
  /** What assertRangesSane said. */
  readonly ranges?: string;
  readonly diagnostics: { code: string; start: number; end: number; message: string }[];
  readonly entities: { id: string; props: string[] }[];
  readonly type?: string;
}

export const PARSE_WORKER = path.join(ROOT, 'out', 'server', 'src', 'node', 'parseWorker.js');

let guarded: GuardedParser | undefined;

function run(uri: string, text: string, mode: Mode): Summary {
  const t0 = performance.now();
  try {
    const a = analyzeDocument(uri, text, schemas(), 1, mode === 'guarded' ? { parse: (guarded ??= createGuardedParser(PARSE_WORKER)) } : {});
    const diagnostics = a.diagnostics.map((d) => ({ code: String(d.code), start: d.span.start, end: d.span.end, message: d.message }));
    let ranges: string | undefined;
    try {
      assertRangesSane(a);
    } catch (e) {
      ranges = e instanceof Error ? e.message : String(e);
    }
    const entities = a.model.entities.map((e) => ({ id: e.id, props: e.properties.map((p) => `${p.key}=${a.text.slice(p.valueSpan.start, p.valueSpan.end)}`) }));
    return { ms: performance.now() - t0, parser: a.parser, diagnostics, entities, ...(a.model.type ? { type: a.model.type } : {}), ...(ranges ? { ranges } : {}) };
  } catch (e) {
    return { ms: performance.now() - t0, threw: e instanceof Error ? `${e.name}: ${e.message}` : String(e), diagnostics: [], entities: [] };
  }
}

if (parentPort) {
  parentPort.on('message', (m: { id: number; uri: string; text: string; modes: Mode[] }) => {
    const out: Partial<Record<Mode, Summary>> = {};
    for (const mode of m.modes) out[mode] = run(m.uri, m.text, mode);
    parentPort!.postMessage({ id: m.id, out });
  });
}

/**
 * The parent's side: one worker at a time, each case bounded by `budgetMs`; a case over budget
 * (a hang) or a dead worker (a crash) is reported and the next case gets a fresh worker.
 */
export class Harness {
  private worker: Worker | undefined;
  private seq = 0;
  constructor(private readonly budgetMs: number) {}

  private spawn(): Worker {
    const w = new Worker(fileURLToPath(import.meta.url), { resourceLimits: { stackSizeMb: 1, maxOldGenerationSizeMb: 2048 } });
    w.unref();
    return w;
  }

  analyze(uri: string, text: string, modes: Mode[], budgetMs = this.budgetMs): Promise<{ out?: Partial<Record<Mode, Summary>>; failure?: string; ms: number }> {
    const w = (this.worker ??= this.spawn());
    const id = ++this.seq;
    const t0 = performance.now();
    return new Promise((resolve) => {
      const done = (r: { out?: Partial<Record<Mode, Summary>>; failure?: string }) => {
        clearTimeout(timer);
        w.off('message', onMessage);
        w.off('error', onError);
        w.off('exit', onExit);
        if (r.failure && this.worker === w) {
          this.worker = undefined;
          void w.terminate();
        }
        resolve({ ...r, ms: performance.now() - t0 });
      };
      const onMessage = (m: { id: number; out: Partial<Record<Mode, Summary>> }) => {
        if (m.id === id) done({ out: m.out });
      };
      const onError = (e: Error) => done({ failure: `the analysing thread crashed: ${e.name}: ${e.message}` });
      const onExit = (code: number) => done({ failure: `the analysing thread exited (code ${code})` });
      const timer = setTimeout(() => done({ failure: `no answer within ${budgetMs / 1000} s (a hang)` }), budgetMs);
      w.on('message', onMessage);
      w.on('error', onError);
      w.on('exit', onExit);
      w.postMessage({ id, uri, text, modes });
    });
  }

  async dispose(): Promise<void> {
    const w = this.worker;
    this.worker = undefined;
    await w?.terminate();
  }
}

/** Runs `node dist/cli.cjs check <paths> --format json` with a bound; the exit code, the parsed JSON and the time. */
export async function runCli(paths: string[], boundMs: number, cwd: string): Promise<{ code: number | null; signal: string | null; json?: CliJson; jsonError?: string; stderr: string; ms: number; timedOut: boolean }> {
  const { spawn } = await import('node:child_process');
  const t0 = performance.now();
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [path.join(ROOT, 'dist', 'cli.cjs'), 'check', ...paths, '--format', 'json', '--no-color'], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    p.stdout.on('data', (b: Buffer) => out.push(b));
    p.stderr.on('data', (b: Buffer) => err.push(b));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      p.kill('SIGKILL');
    }, boundMs);
    p.on('close', (code, signal) => {
      clearTimeout(timer);
      const stdout = Buffer.concat(out).toString('utf8');
      let json: CliJson | undefined;
      let jsonError: string | undefined;
      try {
        json = JSON.parse(stdout) as CliJson;
      } catch (e) {
        jsonError = `${e instanceof Error ? e.message : String(e)}; stdout starts ${JSON.stringify(stdout.slice(0, 200))}`;
      }
      resolve({ code, signal, ...(json ? { json } : {}), ...(jsonError ? { jsonError } : {}), stderr: Buffer.concat(err).toString('utf8').slice(0, 2000), ms: performance.now() - t0, timedOut });
    });
  });
}

export interface CliJson {
  summary: { files: number; errors?: number };
  files: { path: string; diagnostics: { code: string; message: string; range: unknown }[] }[];
  skipped: unknown[];
}

/** Codes that say a document was not read in full (the ones this build knows). */
export const READ_LIMIT_CODES = ['parse-failed', 'nesting-too-deep', 'document-too-large'];
/** Codes that say the Markdown after the front matter was not read at all. */
export const UNREAD_CODES = ['parse-failed', 'document-too-large'];

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)]! : 0;
}
