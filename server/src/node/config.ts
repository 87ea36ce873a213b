/**
 * The workspace configuration file, `northstar.config.json` (or `.northstar.json`) at the
 * workspace root: what a team decides once — which globs hold which document type, rule
 * severities, the P-scale, include/exclude, a pinned as-of date, metric snapshot globs. The CLI,
 * the language server and the MCP server read it through `loadConfig`; editor settings override
 * it per user. Its JSON Schema is `schemas/config.schema.json`.
 *
 * Reading never throws: bad JSON makes the file unusable (one problem, `fatal`), every other
 * mistake (unknown key, bad glob, bad severity, bad date) is a problem at its line and the entry
 * is ignored, the rest of the file still applies.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import picomatch from 'picomatch';
import { parseDocument, isMap, isSeq, isScalar, type Node as YamlNode, type Pair } from 'yaml';
import { RULES, type Severity } from '../core/diagnostics.js';
import type { DocType, Priority, ReadingOptions } from '../core/model/types.js';
import { LineIndex } from '../core/text/lineIndex.js';

export const CONFIG_FILES = ['northstar.config.json', '.northstar.json'] as const;

const SEVERITIES = ['error', 'warning', 'information', 'hint', 'off'] as const;
const TYPES: readonly DocType[] = ['brief', 'prd', 'okr'];
const PRIORITIES: readonly Priority[] = ['must', 'should', 'could', 'wont'];
/** The keys the file may hold (the schema's top-level properties; a test checks they agree). */
export const CONFIG_KEYS = ['$schema', 'documents', 'rules', 'priorityScale', 'include', 'exclude', 'asOf', 'metrics'] as const;

export interface NorthstarConfig {
  /** Absolute path of the file read. */
  readonly file: string;
  /** The folder the globs are relative to: the file's folder. */
  readonly root: string;
  /** Glob (relative to root) → document type, in the order written: the first match wins. */
  readonly documents: readonly { readonly glob: string; readonly type: DocType }[];
  readonly rules: Readonly<Record<string, Severity | 'off'>>;
  /** Upper-case label → priority (`P1` → `should`). */
  readonly priorityScale: Readonly<Record<string, Priority>>;
  readonly include?: readonly string[];
  readonly exclude?: readonly string[];
  readonly asOf?: string;
  /** Globs of metric snapshot files (read by `metrics import`). */
  readonly metrics?: readonly string[];
}

export interface ConfigProblem {
  readonly file: string;
  /** 1-based line and column, for people. */
  readonly line: number;
  readonly column: number;
  /** UTF-16 offsets into the file's text. */
  readonly start: number;
  readonly end: number;
  readonly message: string;
  /** The file cannot be used at all (not JSON, not an object). */
  readonly fatal: boolean;
}

export interface LoadedConfig {
  /** Undefined when there is no config file or it is unusable. */
  readonly config: NorthstarConfig | undefined;
  readonly problems: readonly ConfigProblem[];
  /** The file read, when one was found. */
  readonly file?: string;
}

/** The config file in `dir` itself, if any (`northstar.config.json` first). */
export function configFileIn(dir: string): string | undefined {
  for (const name of CONFIG_FILES) {
    const f = path.join(dir, name);
    try {
      if (fs.statSync(f).isFile()) return f;
    } catch {
      // not there
    }
  }
  return undefined;
}

/**
 * The config file that governs `start` (a file or folder): the nearest one in `start` or a folder
 * above it, up to the repository root (a folder with `.git`) or `stop`, whichever comes first.
 */
export function findConfigFile(start: string, stop?: string): string | undefined {
  let dir = path.resolve(start);
  try {
    if (!fs.statSync(dir).isDirectory()) dir = path.dirname(dir);
  } catch {
    dir = path.dirname(dir);
  }
  const end = stop ? path.resolve(stop) : undefined;
  for (;;) {
    const f = configFileIn(dir);
    if (f) return f;
    if (fs.existsSync(path.join(dir, '.git')) || dir === end) return undefined;
    const up = path.dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

/** Reads and checks a config file; never throws. */
export function loadConfig(file: string): LoadedConfig {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    return { config: undefined, file, problems: [{ file, line: 1, column: 1, start: 0, end: 0, message: `cannot read the config file: ${e instanceof Error ? e.message : String(e)}`, fatal: true }] };
  }
  return { ...parseConfig(text, file), file };
}

/** Checks the text of a config file at `file` (its folder is the root of its globs). */
export function parseConfig(text: string, file: string): { config: NorthstarConfig | undefined; problems: ConfigProblem[] } {
  const lines = new LineIndex(text);
  const problems: ConfigProblem[] = [];
  const report = (start: number, end: number, message: string, fatal = false) => {
    const p = lines.positionAt(start);
    problems.push({ file, line: p.line + 1, column: p.character + 1, start, end: Math.max(start, end), message, fatal });
  };
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  try {
    JSON.parse(body);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const m = /position (\d+)/.exec(message);
    const at = m ? Number(m[1]) + (body === text ? 0 : 1) : text.length;
    report(at, at, `not valid JSON: ${message.replace(/ in JSON at position \d+.*$/, '')}`, true);
    return { config: undefined, problems };
  }
  // The JSON is valid: read it again as YAML (a superset) for the range of every key and value.
  const doc = parseDocument(text, { keepSourceTokens: false, uniqueKeys: false });
  const root = doc.contents;
  if (!isMap(root)) {
    report(0, text.length, 'the config file must hold a JSON object: { "documents": { … }, "rules": { … } }', true);
    return { config: undefined, problems };
  }
  const rangeOf = (n: unknown): [number, number] => {
    const r = (n as YamlNode | null)?.range;
    return r ? [r[0], r[1]] : [0, 0];
  };
  const at = (n: unknown, message: string) => {
    const [s, e] = rangeOf(n);
    report(s, e, message);
  };
  const str = (n: unknown): string | undefined => (isScalar(n) && typeof n.value === 'string' ? n.value : undefined);
  const pairs = (n: unknown, what: string): Pair[] => {
    if (isMap(n)) return n.items as Pair[];
    at(n, `${what} must be an object`);
    return [];
  };
  const globs = (n: unknown, what: string): string[] | undefined => {
    if (!isSeq(n)) {
      at(n, `${what} must be an array of globs`);
      return undefined;
    }
    const out: string[] = [];
    for (const item of n.items) {
      const g = str(item);
      if (g === undefined) at(item, `${what}: each entry must be a glob string`);
      else {
        const bad = globProblem(g);
        if (bad) at(item, `${what}: bad glob "${g}": ${bad}`);
        else out.push(g);
      }
    }
    return out;
  };

  const dir = path.dirname(path.resolve(file));
  const documents: { glob: string; type: DocType }[] = [];
  const rules: Record<string, Severity | 'off'> = {};
  const priorityScale: Record<string, Priority> = {};
  let include: string[] | undefined;
  let exclude: string[] | undefined;
  let asOf: string | undefined;
  let metrics: string[] | undefined;
  const seen = new Set<string>();
  for (const pair of root.items as Pair[]) {
    const key = str(pair.key) ?? String((pair.key as { value?: unknown } | null)?.value);
    if (seen.has(key)) at(pair.key, `"${key}" is set twice; the last one applies`);
    seen.add(key);
    const v = pair.value;
    switch (key) {
      case '$schema':
        if (str(v) === undefined) at(v, '"$schema" must be a string');
        break;
      case 'documents':
        for (const p of pairs(v, '"documents"')) {
          const g = str(p.key) ?? '';
          const t = str(p.value);
          const bad = globProblem(g);
          if (bad) at(p.key, `"documents": bad glob "${g}": ${bad}`);
          else if (!t || !(TYPES as readonly string[]).includes(t)) at(p.value, `"documents": "${g}" maps to ${t === undefined ? 'a non-string' : `"${t}"`}; expected "brief", "prd" or "okr"`);
          else documents.push({ glob: g, type: t as DocType });
        }
        break;
      case 'rules':
        for (const p of pairs(v, '"rules"')) {
          const code = str(p.key) ?? '';
          const s = str(p.value);
          if (!(code in RULES)) {
            const near = nearest(code, Object.keys(RULES));
            at(p.key, `"rules": unknown rule "${code}"${near ? `; did you mean "${near}"?` : ''}`);
          } else if (!s || !(SEVERITIES as readonly string[]).includes(s)) at(p.value, `"rules": "${code}" has severity ${s === undefined ? 'that is not a string' : `"${s}"`}; expected ${SEVERITIES.map((x) => `"${x}"`).join(', ')}`);
          else rules[code] = s as Severity | 'off';
        }
        break;
      case 'priorityScale':
        for (const p of pairs(v, '"priorityScale"')) {
          const label = (str(p.key) ?? '').trim();
          const pr = priorityOf(str(p.value));
          if (!/^[A-Za-z]{0,3}\d{1,2}$/.test(label)) at(p.key, `"priorityScale": "${label}" is not a priority label like "P0" or "P1"`);
          else if (!pr) at(p.value, `"priorityScale": "${label}" maps to ${str(p.value) === undefined ? 'a non-string' : `"${str(p.value)}"`}; expected "must", "should", "could" or "wont"`);
          else priorityScale[label.toUpperCase()] = pr;
        }
        break;
      case 'include':
        include = globs(v, '"include"');
        break;
      case 'exclude':
        exclude = globs(v, '"exclude"');
        break;
      case 'metrics':
        if (str(v) !== undefined) {
          const bad = globProblem(str(v)!);
          if (bad) at(v, `"metrics": bad glob "${str(v)}": ${bad}`);
          else metrics = [str(v)!];
        } else metrics = globs(v, '"metrics"');
        break;
      case 'asOf': {
        const d = str(v);
        if (!d || !/^\d{4}-\d{2}-\d{2}$/.test(d) || Number.isNaN(Date.parse(d))) at(v, `"asOf" must be a date like "2026-11-23"`);
        else asOf = d;
        break;
      }
      default: {
        const near = nearest(key, CONFIG_KEYS);
        at(pair.key, `unknown key "${key}"${near ? `; did you mean "${near}"?` : ''} (expected one of ${CONFIG_KEYS.filter((k) => k !== '$schema').join(', ')})`);
      }
    }
  }
  const config: NorthstarConfig = {
    file: path.resolve(file),
    root: dir,
    documents,
    rules,
    priorityScale,
    ...(include ? { include } : {}),
    ...(exclude ? { exclude } : {}),
    ...(asOf ? { asOf } : {}),
    ...(metrics ? { metrics } : {}),
  };
  return { config, problems };
}

function priorityOf(s: string | undefined): Priority | undefined {
  if (!s) return undefined;
  const n = s
    .toLowerCase()
    .replace(/[’']/g, '')
    .replace(/[-_\s]+have$/, '')
    .trim();
  return (PRIORITIES as readonly string[]).includes(n) ? (n as Priority) : n === 'wont' || n === 'will not' ? 'wont' : undefined;
}

/** What is wrong with a glob, or undefined: it must be relative, inside the root, and balanced. */
export function globProblem(g: string): string | undefined {
  if (!g.trim()) return 'empty';
  if (g.startsWith('/') || /^[A-Za-z]:[\\/]/.test(g)) return 'must be relative to the folder of the config file';
  if (g.includes('\\')) return 'use / as the path separator';
  if (g.split('/').includes('..')) return 'must not leave the folder of the config file (..)';
  let depthBrace = 0;
  let depthBracket = 0;
  let depthParen = 0;
  for (const ch of g) {
    if (ch === '{') depthBrace++;
    else if (ch === '}') depthBrace--;
    else if (ch === '[') depthBracket++;
    else if (ch === ']') depthBracket--;
    else if (ch === '(') depthParen++;
    else if (ch === ')') depthParen--;
    if (depthBrace < 0 || depthBracket < 0 || depthParen < 0) return 'a closing bracket without its opening one';
  }
  if (depthBrace || depthBracket || depthParen) return 'an unclosed bracket';
  try {
    picomatch.makeRe(g);
  } catch (e) {
    return e instanceof Error ? e.message : 'not a glob';
  }
  return undefined;
}

/** The closest of `candidates` to `s` (edit distance ≤ 2, or a case-insensitive match). */
function nearest(s: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = 3;
  for (const c of candidates) {
    if (c.toLowerCase() === s.toLowerCase()) return c;
    const d = distance(s.toLowerCase(), c.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return best;
}

function distance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return 3;
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const t = prev[j]!;
      prev[j] = Math.min(prev[j]! + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = t;
    }
  }
  return prev[b.length]!;
}

/** The reading options (type by glob, P-scale) a config gives the core; undefined when it gives none. */
export function readingOptions(config: NorthstarConfig | undefined): ReadingOptions | undefined {
  if (!config) return undefined;
  const hasScale = Object.keys(config.priorityScale).length > 0;
  if (!config.documents.length && !hasScale) return undefined;
  const matchers = config.documents.map((d) => ({ match: picomatch(d.glob, { dot: true }), type: d.type }));
  const typeFor = (uri: string): DocType | undefined => {
    let file: string;
    try {
      file = uri.startsWith('file:') ? fileURLToPath(uri) : uri;
    } catch {
      return undefined;
    }
    const rel = path.relative(config.root, file);
    if (!rel || rel.startsWith('..') || path.isAbsolute(rel)) return undefined;
    const r = rel.split(path.sep).join('/');
    return matchers.find((m) => m.match(r))?.type;
  };
  return { ...(matchers.length ? { typeFor } : {}), ...(hasScale ? { priorityScale: config.priorityScale } : {}) };
}

/** What of a config changes the extracted models (for the model cache's key). */
export function readingKey(config: NorthstarConfig | undefined): string {
  if (!config) return '';
  return JSON.stringify({ root: config.root, documents: config.documents, priorityScale: config.priorityScale });
}

/**
 * The file filter of a config's include/exclude for `findMarkdownFiles`: paths outside the
 * config's root are not its business (accepted).
 */
export function configFileFilter(config: NorthstarConfig | undefined): ((root: string, rel: string, isDir: boolean) => boolean) | undefined {
  if (!config || (!config.include?.length && !config.exclude?.length)) return undefined;
  const opts = { dot: true };
  const include = config.include?.length ? picomatch([...config.include], opts) : undefined;
  const exclude = config.exclude?.length ? picomatch([...config.exclude], opts) : undefined;
  return (walkRoot, rel, isDir) => {
    const abs = path.resolve(walkRoot, rel);
    const r = path.relative(config.root, abs);
    if (r.startsWith('..') || path.isAbsolute(r)) return true;
    const p = r.split(path.sep).join('/');
    if (exclude && (exclude(p) || (isDir && exclude(`${p}/`)))) return false;
    if (!isDir && include && !include(p)) return false;
    return true;
  };
}

/** A problem as the CLI prints it: `northstar.config.json:3:5  error  …`. */
export function formatConfigProblem(p: ConfigProblem, cwd: string): string {
  const rel = path.relative(cwd, p.file).split(path.sep).join('/') || path.basename(p.file);
  return `${rel}:${p.line}:${p.column}  error  ${p.message}  invalid-config`;
}
