/**
 * A remark parse with a watchdog: the parse runs in a long-lived worker thread (with a stack
 * and heap limit); the caller waits synchronously (Atomics.wait) at most `timeoutMs`. A parse
 * that runs away is stopped by terminating the worker, and the caller gets an error it reports as
 * a diagnostic — the process carries on. Used for the documents the fast path does not read.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { MessageChannel, Worker, receiveMessageOnPort } from 'node:worker_threads';
import type { Root } from 'mdast';
import type { ParsedMarkdown } from '../core/parse/markdown.js';

export interface GuardedParser {
  (text: string): ParsedMarkdown;
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

export function createGuardedParser(workerFile: string, timeoutMs = 5000): GuardedParser {
  let worker: Worker | undefined;
  let seq = 0;
  const spawn = (): Worker => {
    const w = new Worker(workerFile, { resourceLimits: { maxOldGenerationSizeMb: 1024, stackSizeMb: 8 } });
    w.unref();
    w.on('error', () => {
      if (worker === w) worker = undefined;
    });
    w.on('exit', () => {
      if (worker === w) worker = undefined;
    });
    return w;
  };
  const parse = ((text: string): ParsedMarkdown => {
    worker ??= spawn();
    const { port1, port2 } = new MessageChannel();
    const signal = new SharedArrayBuffer(4);
    const flag = new Int32Array(signal);
    const id = ++seq;
    worker.postMessage({ id, text, port: port2, signal }, [port2]);
    const waited = Atomics.wait(flag, 0, 0, timeoutMs);
    const msg = receiveMessageOnPort(port1)?.message as { id: number; root?: Root; error?: string } | undefined;
    port1.close();
    if (waited === 'timed-out' || !msg) {
      const w = worker;
      worker = undefined;
      void w?.terminate();
      return { root: { type: 'root', children: [] }, error: `parsing took longer than ${timeoutMs / 1000} s and was stopped` };
    }
    return { root: msg.root ?? { type: 'root', children: [] }, ...(msg.error ? { error: msg.error } : {}) };
  }) as GuardedParser;
  parse.dispose = () => {
    void worker?.terminate();
    worker = undefined;
  };
  return parse;
}
