/**
 * A remark parse with a watchdog: the parse runs in a long-lived worker thread (with a stack
 * and heap limit). The command line waits synchronously (Atomics.wait) at most `timeoutMs`; the
 * language server awaits the answer (`parseAsync`), so its event loop keeps serving requests
 * while a large document is parsed, and a parse whose document changed again is cancelled.
 * A parse that runs away is stopped by terminating the worker; a worker that dies answers an
 * error. Either way the caller gets an error it reports as one diagnostic — the process carries on.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { MessageChannel, Worker, receiveMessageOnPort } from 'node:worker_threads';
import type { ParsedMarkdown } from '../core/parse/markdown.js';

export interface GuardedParser {
  (text: string): ParsedMarkdown;
  /**
   * The parse, awaited. Answers undefined when `cancelled()` turns true before it ends (the
   * worker is then stopped, so a runaway parse of an outdated text costs nothing more).
   */
  parseAsync(text: string, cancelled?: () => boolean): Promise<ParsedMarkdown | undefined>;
  dispose(): void;
}

/** The worker script next to the running code: the bundle's parse-worker.cjs, or the compiled parseWorker.js. */
export function parseWorkerFile(dir: string): string | undefined {
  for (const name of ['parse-worker.cjs', 'parseWorker.js']) {
    const f = path.join(dir, name);
    if (fs.existsSync(f)) return f;
  }
  return undefined;
}

interface Answer {
  id: number;
  root?: ParsedMarkdown['root'];
  error?: string;
  truncatedAt?: number;
}

const EMPTY = (): ParsedMarkdown['root'] => ({ type: 'root', children: [] });

function fromAnswer(msg: Answer): ParsedMarkdown {
  return { root: msg.root ?? EMPTY(), ...(msg.error ? { error: msg.error } : {}), ...(msg.truncatedAt !== undefined ? { truncatedAt: msg.truncatedAt } : {}) };
}

/** How long a new worker may take to load before its parse counts as failed. */
const BOOT_TIMEOUT_MS = 30_000;

/** How often a cancellable parse looks whether it is still wanted. */
const CANCEL_POLL_MS = 25;

/**
 * @param timeoutMs the most any parse may take. A parse is stopped sooner when it runs far past
 * what its size needs: remark reads ordinary Markdown at 0.5-1 MB/s here, so 1 s plus 3 s per MB
 * leaves a margin of three or more on a busy machine, and a pathological input of a few hundred
 * KB is given up in about a second and a half instead of five.
 */
export function createGuardedParser(workerFile: string, timeoutMs = 5000, poolSize = 2): GuardedParser {
  const limitFor = (text: string) => Math.min(timeoutMs, 1000 + Math.round((3000 * text.length) / 1_000_000));
  const stopped = (limit: number) => `parsing took longer than ${(limit / 1000).toFixed(1)} s and was stopped`;
  let seq = 0;
  /** Whether each worker has loaded (its flag turns 1): a parse is timed from then on. */
  const readyFlags = new WeakMap<Worker, Int32Array>();
  const spawn = (): Worker => {
    const ready = new SharedArrayBuffer(4);
    const w = new Worker(workerFile, { workerData: { ready }, resourceLimits: { maxOldGenerationSizeMb: 1024, stackSizeMb: 8 } });
    readyFlags.set(w, new Int32Array(ready));
    w.unref();
    return w;
  };
  const isReady = (w: Worker) => Atomics.load(readyFlags.get(w)!, 0) === 1;
  /** The synchronous caller's worker. */
  let syncWorker: Worker | undefined;

  const parse = ((text: string): ParsedMarkdown => {
    if (!syncWorker) {
      const fresh = (syncWorker = spawn());
      fresh.on('exit', () => syncWorker === fresh && (syncWorker = undefined));
      fresh.on('error', () => syncWorker === fresh && (syncWorker = undefined));
    }
    const w = syncWorker;
    const { port1, port2 } = new MessageChannel();
    const signal = new SharedArrayBuffer(4);
    const flag = new Int32Array(signal);
    const id = ++seq;
    // A worker that does not even start within the boot bound is as good as stopped.
    if (!isReady(w)) Atomics.wait(readyFlags.get(w)!, 0, 0, BOOT_TIMEOUT_MS);
    w.postMessage({ id, text, port: port2, signal }, [port2]);
    const limit = limitFor(text);
    const waited = isReady(w) ? Atomics.wait(flag, 0, 0, limit) : 'timed-out';
    const msg = receiveMessageOnPort(port1)?.message as Answer | undefined;
    port1.close();
    if (waited === 'timed-out' || !msg) {
      syncWorker = undefined;
      void w.terminate();
      return { root: EMPTY(), error: stopped(limit) };
    }
    return fromAnswer(msg);
  }) as GuardedParser;

  // The asynchronous callers share a pool: a parse waits in the queue until a worker is free, and
  // its watchdog runs from when that worker (loaded) takes it.
  interface Job {
    readonly text: string;
    readonly cancelled?: () => boolean;
    readonly resolve: (r: ParsedMarkdown | undefined) => void;
  }
  interface Slot {
    readonly worker: Worker;
    job?: { id: number; finish: (r: ParsedMarkdown | undefined, stopWorker?: boolean) => void };
  }
  const queue: Job[] = [];
  const slots: Slot[] = [];

  function take(slot: Slot): void {
    let job = queue.shift();
    while (job?.cancelled?.()) {
      job.resolve(undefined);
      job = queue.shift();
    }
    if (!job) return;
    const { text, cancelled, resolve } = job;
    const w = slot.worker;
    const { port1, port2 } = new MessageChannel();
    const id = ++seq;
    const posted = Date.now();
    const limit = limitFor(text);
    let started = isReady(w) ? posted : undefined;
    const timer = setInterval(() => {
      started ??= isReady(w) ? Date.now() : undefined;
      if (cancelled?.()) finish(undefined, true);
      else if (started !== undefined ? Date.now() - started > limit : Date.now() - posted > BOOT_TIMEOUT_MS) finish({ root: EMPTY(), error: stopped(limit) }, true);
    }, CANCEL_POLL_MS);
    const finish = (r: ParsedMarkdown | undefined, stopWorker = false) => {
      if (slot.job?.id !== id) return;
      clearInterval(timer);
      port1.close();
      slot.job = undefined;
      resolve(r);
      if (stopWorker) {
        // The worker may be busy with this parse for long: stop it, a fresh one takes the queue.
        retire(slot);
        void w.terminate();
      } else take(slot);
    };
    slot.job = { id, finish };
    port1.on('message', (a: Answer) => finish(fromAnswer(a)));
    w.postMessage({ id, text, port: port2 }, [port2]);
  }

  function retire(slot: Slot): void {
    const i = slots.indexOf(slot);
    if (i >= 0) slots.splice(i, 1);
    dispatch();
  }

  function dispatch(): void {
    for (const slot of slots) if (!slot.job && queue.length) take(slot);
    while (queue.length && slots.length < poolSize) {
      const slot: Slot = { worker: spawn() };
      const died = (why: string) => {
        if (!slots.includes(slot)) return;
        if (slot.job) slot.job.finish({ root: EMPTY(), error: why }, true);
        else retire(slot);
      };
      slot.worker.on('error', (e) => died(`the parser stopped unexpectedly (${e.message})`));
      slot.worker.on('exit', () => died('the parser stopped unexpectedly'));
      slots.push(slot);
      take(slot);
    }
  }

  parse.parseAsync = (text, cancelled) =>
    new Promise<ParsedMarkdown | undefined>((resolve) => {
      queue.push({ text, resolve, ...(cancelled ? { cancelled } : {}) });
      dispatch();
    });

  parse.dispose = () => {
    void syncWorker?.terminate();
    syncWorker = undefined;
    for (const slot of slots.splice(0)) void slot.worker.terminate();
  };
  return parse;
}
