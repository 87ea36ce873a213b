/**
 * A minimal LSP client over stdio for the benchmark: JSON-RPC framing, requests both ways,
 * notifications with arrival timestamps, waiting on conditions, and the server's memory from
 * /proc. No dependencies, so the framing cost is small and the same for every server measured.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { performance } from 'node:perf_hooks';

export const now = () => performance.now();

/** Servers started by this process and not yet gone: killed (by pid) if the benchmark dies. */
const live = new Set();
let hooked = false;
function hookExit() {
  if (hooked) return;
  hooked = true;
  const killAll = () => {
    for (const c of live) {
      try {
        process.kill(c.pid, 'SIGKILL');
      } catch {
        /* gone */
      }
    }
  };
  process.on('exit', killAll);
  for (const sig of ['SIGINT', 'SIGTERM']) {
    process.on(sig, () => {
      killAll();
      process.exit(130);
    });
  }
}

export class LspClient {
  /**
   * @param {string} command
   * @param {string[]} args
   * @param {{ cwd?: string, env?: NodeJS.ProcessEnv, name?: string, keepNotifications?: (method: string, params: any) => boolean }} [opts]
   */
  constructor(command, args, opts = {}) {
    hookExit();
    this.name = opts.name ?? command;
    this.startedAt = now();
    this.proc = spawn(command, args, { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'] });
    this.pid = this.proc.pid;
    live.add(this.proc);
    this.exited = new Promise((resolve) => {
      this.proc.on('exit', (code, signal) => {
        live.delete(this.proc);
        this.exitInfo = { code, signal };
        resolve(this.exitInfo);
        this.failWaiters(new Error(`${this.name} exited (code ${code}, signal ${signal})\n${this.stderrTail()}`));
      });
    });
    this.proc.on('error', (e) => this.failWaiters(e));
    this.nextId = 1;
    this.pending = new Map();
    this.requestHandlers = new Map();
    this.notificationHandlers = new Map();
    /** Every notification received: { method, params, t } (params dropped for the noisy ones). */
    this.notifications = [];
    this.keep = opts.keepNotifications ?? (() => true);
    this.waiters = new Set();
    this.unknownRequests = new Map();
    this.stderr = [];
    this.chunks = [];
    this.buffered = 0;
    this.expect = -1;
    this.proc.stdout.on('data', (d) => this.onData(d));
    this.proc.stderr.on('data', (d) => {
      this.stderr.push(d.toString());
      if (this.stderr.length > 200) this.stderr.splice(0, this.stderr.length - 200);
    });
    this.proc.stdin.on('error', () => {
      /* the server went away; the exit handler reports it */
    });
  }

  stderrTail() {
    return this.stderr.join('').slice(-2000);
  }

  // --- framing -------------------------------------------------------------------------------

  onData(d) {
    const t = now();
    this.chunks.push(d);
    this.buffered += d.length;
    for (;;) {
      if (this.expect < 0) {
        const buf = this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks);
        this.chunks = [buf];
        const end = buf.indexOf('\r\n\r\n');
        if (end < 0) return;
        const header = buf.subarray(0, end).toString('ascii');
        const m = /Content-Length:\s*(\d+)/i.exec(header);
        if (!m) throw new Error(`${this.name}: bad header ${header}`);
        this.expect = Number(m[1]);
        const rest = buf.subarray(end + 4);
        this.chunks = rest.length ? [rest] : [];
        this.buffered = rest.length;
      }
      if (this.buffered < this.expect) return;
      const buf = this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks);
      const body = buf.subarray(0, this.expect);
      const rest = buf.subarray(this.expect);
      this.chunks = rest.length ? [rest] : [];
      this.buffered = rest.length;
      this.expect = -1;
      let msg;
      try {
        msg = JSON.parse(body.toString('utf8'));
      } catch (e) {
        throw new Error(`${this.name}: bad JSON: ${e.message}`);
      }
      this.dispatch(msg, t);
    }
  }

  write(msg) {
    const body = Buffer.from(JSON.stringify(msg), 'utf8');
    this.proc.stdin.write(`Content-Length: ${body.length}\r\n\r\n`);
    this.proc.stdin.write(body);
  }

  dispatch(msg, t) {
    if (msg.id !== undefined && msg.method === undefined) {
      const p = this.pending.get(msg.id);
      if (!p) return;
      this.pending.delete(msg.id);
      if (msg.error) p.reject(Object.assign(new Error(`${p.method}: ${msg.error.message}`), { code: msg.error.code, t }));
      else p.resolve({ result: msg.result, t });
      return;
    }
    if (msg.id !== undefined) {
      // A request from the server.
      const h = this.requestHandlers.get(msg.method);
      if (!h) this.unknownRequests.set(msg.method, (this.unknownRequests.get(msg.method) ?? 0) + 1);
      Promise.resolve()
        .then(() => (h ? h(msg.params) : null))
        .then(
          (result) => this.write({ jsonrpc: '2.0', id: msg.id, result: result ?? null }),
          (e) => this.write({ jsonrpc: '2.0', id: msg.id, error: { code: -32603, message: String(e?.message ?? e) } }),
        );
      return;
    }
    const n = { method: msg.method, params: msg.params, t };
    const h = this.notificationHandlers.get(msg.method);
    if (h) h(msg.params, t);
    if (this.keep(msg.method, msg.params)) this.notifications.push(n);
    for (const w of [...this.waiters]) {
      let ok = false;
      try {
        ok = w.pred(n);
      } catch (e) {
        w.reject(e);
        this.waiters.delete(w);
        continue;
      }
      if (ok) {
        clearTimeout(w.timer);
        this.waiters.delete(w);
        w.resolve(n);
      }
    }
  }

  failWaiters(e) {
    for (const w of this.waiters) {
      clearTimeout(w.timer);
      w.reject(e);
    }
    this.waiters.clear();
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
  }

  // --- API -----------------------------------------------------------------------------------

  /** Send a request; resolves to { result, t } with t the arrival time of the response. */
  request(method, params, timeoutMs = 600_000) {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${this.name}: ${method} timed out after ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, {
        method,
        resolve: (v) => {
          clearTimeout(timer);
          resolve(v);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
      this.write({ jsonrpc: '2.0', id, method, params });
    });
  }

  notify(method, params) {
    this.write({ jsonrpc: '2.0', method, params });
  }

  onRequest(method, handler) {
    this.requestHandlers.set(method, handler);
  }

  onNotification(method, handler) {
    this.notificationHandlers.set(method, handler);
  }

  /**
   * Resolve with the first notification (already received, when `past` is true, or yet to come)
   * for which `pred` holds.
   */
  waitFor(pred, timeoutMs = 600_000, what = 'notification', past = true) {
    if (past) for (const n of this.notifications) if (pred(n)) return Promise.resolve(n);
    if (this.exitInfo) return Promise.reject(new Error(`${this.name} has exited`));
    return new Promise((resolve, reject) => {
      const w = { pred, resolve, reject };
      w.timer = setTimeout(() => {
        this.waiters.delete(w);
        reject(new Error(`${this.name}: no ${what} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.add(w);
    });
  }

  clearNotifications() {
    this.notifications = [];
  }

  /** VmRSS / VmHWM (peak) of the server process in MB, from /proc. */
  memory() {
    try {
      const s = fs.readFileSync(`/proc/${this.pid}/status`, 'utf8');
      const kb = (k) => Number(new RegExp(`^${k}:\\s+(\\d+) kB`, 'm').exec(s)?.[1] ?? NaN);
      return { rssMB: kb('VmRSS') / 1024, hwmMB: kb('VmHWM') / 1024 };
    } catch {
      return { rssMB: NaN, hwmMB: NaN };
    }
  }

  /** shutdown + exit; kills the process (by its pid) if it does not exit in time. */
  async stop(timeoutMs = 10_000) {
    if (this.exitInfo) return this.exitInfo;
    try {
      await this.request('shutdown', null, timeoutMs);
      this.notify('exit', null);
    } catch {
      /* fall through to kill */
    }
    const timer = setTimeout(() => {
      try {
        process.kill(this.pid, 'SIGKILL');
      } catch {
        /* gone */
      }
    }, timeoutMs);
    const r = await this.exited;
    clearTimeout(timer);
    return r;
  }

  kill() {
    try {
      process.kill(this.pid, 'SIGKILL');
    } catch {
      /* gone */
    }
    return this.exited;
  }
}
