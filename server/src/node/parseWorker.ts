/**
 * The remark parse in a worker thread, so that a parse that runs away (pathological nesting)
 * can be stopped by the watchdog in guardedParser.ts without taking the process down.
 * What crosses back is a tree no deeper than MAX_TREE_DEPTH (parseMarkdown cuts it), so the
 * structured clone on either side can never exhaust the stack.
 */
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { parseMarkdown } from '../core/parse/markdown.js';

interface Request {
  id: number;
  text: string;
  port: MessagePort;
  /** Set for a caller that waits synchronously (Atomics.wait): flag 0 -> 1 when the answer is posted. */
  signal?: SharedArrayBuffer;
}

parentPort?.on('message', (msg: Request) => {
  let out: { id: number; root?: unknown; error?: string; truncatedAt?: number };
  try {
    const r = parseMarkdown(msg.text);
    out = { id: msg.id, root: r.root, ...(r.error ? { error: r.error } : {}), ...(r.truncatedAt !== undefined ? { truncatedAt: r.truncatedAt } : {}) };
  } catch (e) {
    out = { id: msg.id, error: e instanceof Error ? e.message : String(e) };
  }
  try {
    msg.port.postMessage(out);
  } catch (e) {
    msg.port.postMessage({ id: msg.id, error: `the parsed tree could not be passed back (${e instanceof Error ? e.message : String(e)})` });
  }
  msg.port.close();
  if (msg.signal) {
    const flag = new Int32Array(msg.signal);
    Atomics.store(flag, 0, 1);
    Atomics.notify(flag, 0);
  }
});

// Loaded and listening: the watchdog starts counting a parse's time only from here, so a slow
// start (a busy machine) is never mistaken for a runaway parse.
const ready = (workerData as { ready?: SharedArrayBuffer } | undefined)?.ready;
if (ready) {
  const flag = new Int32Array(ready);
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
}
