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

/** How often a cancellable parse looks whether it is still wanted. */
const CANCEL_POLL_MS = 25;

export function createGuardedParser(workerFile: string, timeoutMs = 5000): GuardedParser {
  let seq = 0;
  const spawn = (): Worker => {
    const w = new Worker(workerFile, { resourceLimits: { maxOldGenerationSizeMb: 1024, stackSizeMb: 8 } });
    w.unref();
    return w;
  };
  /** One worker for the synchronous caller, one for the asynchronous: neither waits behind the other. */
  let syncWorker: Worker | undefined;
  let asyncWorker: Worker | undefined;
  /** The parses awaiting an async worker, so that the death of their worker answers them. */
  const waiting = new Map<number, { worker: Worker; answer: (a: Answer) => void }>();

  const parse = ((text: string): ParsedMarkdown => {
    const w = (syncWorker ??= watch(spawn(), (dead) => syncWorker === dead && (syncWorker = undefined)));
    const { port1, port2 } = new MessageChannel();
    const signal = new SharedArrayBuffer(4);
    const flag = new Int32Array(signal);
    const id = ++seq;
    w.postMessage({ id, text, port: port2, signal }, [port2]);
    const waited = Atomics.wait(flag, 0, 0, timeoutMs);
    const msg = receiveMessageOnPort(port1)?.message as Answer | undefined;
    port1.close();
    if (waited === 'timed-out' || !msg) {
      syncWorker = undefined;
      void w.terminate();
      return { root: EMPTY(), error: `parsing took longer than ${timeoutMs / 1000} s and was stopped` };
    }
    return fromAnswer(msg);
  }) as GuardedParser;

  const watchAsync = (w: Worker) => watch(w, (dead) => asyncWorker === dead && (asyncWorker = undefined));

  function watch(w: Worker, gone: (w: Worker) => void): Worker {
    const died = (why: string) => {
      gone(w);
      for (const [id, p] of [...waiting]) if (p.worker === w) p.answer({ id, error: why });
    };
    w.on('error', (e) => died(`the parser stopped unexpectedly (${e.message})`));
    w.on('exit', () => died('the parser stopped unexpectedly'));
    return w;
  }

  parse.parseAsync = (text, cancelled) =>
    new Promise<ParsedMarkdown | undefined>((resolve) => {
      const w = (asyncWorker ??= watchAsync(spawn()));
      const { port1, port2 } = new MessageChannel();
      const id = ++seq;
      const started = Date.now();
      let timer: NodeJS.Timeout | undefined;
      const done = (r: ParsedMarkdown | undefined) => {
        if (timer) clearInterval(timer);
        waiting.delete(id);
        port1.close();
        resolve(r);
      };
      const stop = (r: ParsedMarkdown | undefined) => {
        // The worker may be busy with this parse for long: stop it; parses queued behind it are answered by its death.
        if (asyncWorker === w) asyncWorker = undefined;
        done(r);
        void w.terminate();
      };
      waiting.set(id, { worker: w, answer: (a) => done(fromAnswer(a)) });
      port1.on('message', (a: Answer) => done(fromAnswer(a)));
      timer = setInterval(() => {
        if (cancelled?.()) stop(undefined);
        else if (Date.now() - started > timeoutMs) stop({ root: EMPTY(), error: `parsing took longer than ${timeoutMs / 1000} s and was stopped` });
      }, CANCEL_POLL_MS);
      w.postMessage({ id, text, port: port2 }, [port2]);
    });

  parse.dispose = () => {
    void syncWorker?.terminate();
    void asyncWorker?.terminate();
    syncWorker = asyncWorker = undefined;
  };
  return parse;
}
