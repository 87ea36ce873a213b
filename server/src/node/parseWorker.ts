/**
 * The remark parse in a worker thread, so that a parse that runs away (pathological nesting)
 * can be stopped by the watchdog in guardedParser.ts without taking the process down.
 */
import { parentPort } from 'node:worker_threads';
import { parseMarkdown } from '../core/parse/markdown.js';

parentPort?.on('message', (msg: { id: number; text: string; port: import('node:worker_threads').MessagePort; signal: SharedArrayBuffer }) => {
  let out: { id: number; root?: unknown; error?: string };
  try {
    const r = parseMarkdown(msg.text);
    out = { id: msg.id, root: r.root, ...(r.error ? { error: r.error } : {}) };
  } catch (e) {
    out = { id: msg.id, error: e instanceof Error ? e.message : String(e) };
  }
  msg.port.postMessage(out);
  const flag = new Int32Array(msg.signal);
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
});
