/**
 * Summaries of V8 CPU profiles (`node --cpu-prof`): self time per function and per source module,
 * mapped back to the original sources through the bundle's source map (dist/*.cjs.map), so a
 * line of dist/cli.cjs reads as `node_modules/micromark/…` or `server/src/…`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SourceMap } from 'node:module';

const maps = new Map();
function sourceMapFor(url) {
  if (!url || !url.startsWith('file://')) return undefined;
  if (maps.has(url)) return maps.get(url);
  let sm;
  try {
    const file = fileURLToPath(url);
    const mapFile = `${file}.map`;
    if (fs.existsSync(mapFile)) sm = new SourceMap(JSON.parse(fs.readFileSync(mapFile, 'utf8')));
  } catch {
    sm = undefined;
  }
  maps.set(url, sm);
  return sm;
}

/** A short name for a source: the npm package, or the path inside the repository. */
function shortSource(src) {
  if (!src) return '';
  const s = src.replace(/^webpack:\/\/|^file:\/\//, '');
  const nm = s.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = s.slice(nm + 13).split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  const m = /(?:^|\/)((?:server|client|cli|shared|src)\/.*)$/.exec(s.replace(/^(\.\.\/)+/, ''));
  return m ? m[1] : s.replace(/^(\.\.\/)+/, '');
}

function frameOf(cf) {
  if (!cf.url) return { fn: cf.functionName || `(${cf.functionName || 'native'})`, where: '', module: cf.functionName?.startsWith('(') ? cf.functionName : '(native)' };
  if (cf.url.startsWith('node:')) return { fn: cf.functionName || '(anonymous)', where: cf.url, module: 'node internals' };
  const sm = sourceMapFor(cf.url);
  if (sm) {
    const e = sm.findEntry(cf.lineNumber, cf.columnNumber);
    if (e && e.originalSource) {
      const src = shortSource(e.originalSource);
      return { fn: e.name || cf.functionName || '(anonymous)', where: `${src}:${e.originalLine + 1}`, module: src.includes('/') && !src.startsWith('@') ? src.split('/').slice(0, 4).join('/') : src };
    }
  }
  const base = path.basename(cf.url);
  return { fn: cf.functionName || '(anonymous)', where: `${base}:${cf.lineNumber + 1}`, module: base };
}

/**
 * @param {string} file a .cpuprofile
 * @returns {{ file: string, totalMs: number, idleMs: number, gcMs: number, top: {fn,where,ms,pct}[], modules: {module,ms,pct}[] }}
 */
export function summarizeProfile(file, topN = 15) {
  const p = JSON.parse(fs.readFileSync(file, 'utf8'));
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map();
  for (let i = 0; i < p.samples.length; i++) {
    const dt = (p.timeDeltas[i] ?? 0) / 1000;
    self.set(p.samples[i], (self.get(p.samples[i]) ?? 0) + dt);
  }
  const fns = new Map();
  const mods = new Map();
  let total = 0;
  let idle = 0;
  let gc = 0;
  for (const [id, ms] of self) {
    const n = byId.get(id);
    if (!n) continue;
    total += ms;
    const name = n.callFrame.functionName;
    if (name === '(idle)') {
      idle += ms;
      continue;
    }
    if (name === '(garbage collector)') gc += ms;
    const f = frameOf(n.callFrame);
    const key = `${f.fn}\u0000${f.where}`;
    const cur = fns.get(key) ?? { fn: f.fn, where: f.where, ms: 0 };
    cur.ms += ms;
    fns.set(key, cur);
    mods.set(f.module, (mods.get(f.module) ?? 0) + ms);
  }
  const busy = total - idle;
  const pct = (ms) => Math.round((ms / (busy || 1)) * 1000) / 10;
  return {
    file: path.basename(file),
    totalMs: Math.round(total),
    busyMs: Math.round(busy),
    idleMs: Math.round(idle),
    gcMs: Math.round(gc),
    top: [...fns.values()].sort((a, b) => b.ms - a.ms).slice(0, topN).map((x) => ({ ...x, ms: Math.round(x.ms), pct: pct(x.ms) })),
    modules: [...mods.entries()].map(([module, ms]) => ({ module, ms: Math.round(ms), pct: pct(ms) })).sort((a, b) => b.ms - a.ms).slice(0, 10),
  };
}

/** Every .cpuprofile in dir (one per thread: the main thread and each worker), busiest first. */
export function summarizeProfileDir(dir, topN = 15) {
  let files = [];
  try {
    files = fs.readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
  } catch {
    return [];
  }
  return files.map((f) => summarizeProfile(path.join(dir, f), topN)).sort((a, b) => b.busyMs - a.busyMs);
}
