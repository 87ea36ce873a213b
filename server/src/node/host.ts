/**
 * The Node host: what the pure core must not do itself — read files and walk folders.
 * Shared by the command line and the language server.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import picomatch from 'picomatch';
import { pathToFileURL } from 'node:url';
import type { JsonSchema, SchemaSet } from '../core/schema/registry.js';
import { checkWorkspaceSchema } from '../core/schema/safety.js';
import { isFlagFile } from '../core/flags/store.js';

/** The bundled schemas/ folder: next to dist/ in the package, at the repo root in development. */
export function bundledSchemasDir(from: string): string {
  let dir = from;
  for (let i = 0; i < 6; i++) {
    const candidate = path.join(dir, 'schemas');
    if (fs.existsSync(path.join(candidate, 'prd.schema.json'))) return candidate;
    const up = path.dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return path.join(from, 'schemas');
}

/** Northstar's version, from the package.json next to the schemas folder. */
export function packageVersion(schemasDir: string): string {
  try {
    return (JSON.parse(fs.readFileSync(path.join(path.dirname(schemasDir), 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return '0.0.0';
  }
}

export function loadSchemaSet(dir: string): SchemaSet {
  const read = (n: string): JsonSchema => JSON.parse(fs.readFileSync(path.join(dir, `${n}.schema.json`), 'utf8')) as JsonSchema;
  return { common: read('common'), brief: read('brief'), prd: read('prd'), okr: read('okr') };
}

const MAX_SCHEMA_BYTES = 512 * 1024;

/**
 * Workspace schemas (the `northstar.schemas` setting): a path per document type, relative to the
 * first workspace folder, that replaces the bundled schema. Only files inside a workspace folder
 * are read, and each must pass checkWorkspaceSchema; anything else falls back to the bundled
 * schema with one problem naming the file.
 */
export function loadWorkspaceSchemas(folders: readonly string[], wanted: Partial<Record<'brief' | 'prd' | 'okr', string>>, bundled: SchemaSet): { set: SchemaSet; problems: { type: string; file?: string; message: string }[] } {
  const problems: { type: string; file?: string; message: string }[] = [];
  const set: { -readonly [K in keyof SchemaSet]: SchemaSet[K] } = { ...bundled };
  const bundledList = [bundled.common, bundled.brief, bundled.prd, bundled.okr].filter((x): x is JsonSchema => !!x);
  for (const type of ['brief', 'prd', 'okr'] as const) {
    const rel = wanted[type];
    if (!rel) continue;
    const base = folders[0];
    if (!base) {
      problems.push({ type, message: `northstar.schemas.${type}: no workspace folder to resolve "${rel}" against.` });
      continue;
    }
    const file = path.resolve(base, rel);
    const real = safeRealpath(file);
    if (!real) {
      problems.push({ type, message: `northstar.schemas.${type}: ${rel} does not exist.` });
      continue;
    }
    const inside = folders.some((f) => {
      const rf = safeRealpath(f) ?? f;
      return real === rf || real.startsWith(rf + path.sep);
    });
    if (!inside) {
      problems.push({ type, message: `northstar.schemas.${type}: ${rel} is outside the workspace and is not read.` });
      continue;
    }
    let text: string;
    try {
      if (fs.statSync(real).size > MAX_SCHEMA_BYTES) throw new Error(`larger than ${MAX_SCHEMA_BYTES / 1024} KB`);
      text = fs.readFileSync(real, 'utf8');
    } catch (e) {
      problems.push({ type, file: real, message: `northstar.schemas.${type}: ${rel} cannot be read (${e instanceof Error ? e.message : String(e)}).` });
      continue;
    }
    const checked = checkWorkspaceSchema(text, bundledList);
    if (checked.schema) {
      set[type] = checked.schema;
      set.extra = bundledList;
    }
    else for (const m of checked.problems.slice(0, 1)) problems.push({ type, file: real, message: `northstar.schemas.${type}: ${rel}: ${m}.` });
  }
  return { set, problems };
}

export interface ReadResult {
  readonly text?: string;
  /** Why the file was skipped (binary, not UTF-8, unreadable). */
  readonly skipped?: string;
}

const MAX_FILE_BYTES = 16 * 1024 * 1024;

/** Reads a Markdown file as UTF-8 text; binary and non-UTF-8 files are skipped with a reason. */
export function readMarkdownFile(file: string): ReadResult {
  let buf: Buffer;
  try {
    const st = fs.statSync(file);
    if (st.size > MAX_FILE_BYTES) return { skipped: `larger than ${MAX_FILE_BYTES / 1024 / 1024} MB` };
    buf = fs.readFileSync(file);
  } catch (e) {
    return { skipped: e instanceof Error ? e.message : String(e) };
  }
  if (buf.includes(0)) return { skipped: 'binary file (contains NUL bytes)' };
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(buf);
  } catch {
    return { skipped: 'not valid UTF-8' };
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return { text };
}

const SKIP_DIRS = new Set(['node_modules', '.git', '.hg', '.svn', 'out', 'dist']);

export function isMarkdownPath(p: string): boolean {
  return /\.(md|markdown)$/i.test(p);
}

/**
 * Every Markdown file under the given paths; symlinks are not followed out of their root or in
 * loops. `accept` gets paths relative to the root folder being walked.
 */
export function findMarkdownFiles(paths: readonly string[], accept?: (root: string, rel: string, isDir: boolean) => boolean): string[] {
  return walkFiles(paths, (_rel, name) => isMarkdownPath(name), accept);
}

/**
 * Whether a path (relative to a workspace folder, `/` or the platform's separators) is a data file
 * under a `metrics/` folder: a metric snapshot (CSV) or a LaunchDarkly flag export (`launchdarkly*.json`).
 */
export function isMetricPath(rel: string): boolean {
  const parts = rel.split(/[\\/]/);
  const name = parts[parts.length - 1] ?? '';
  return (/\.csv$/i.test(name) || isFlagFile(name)) && parts.slice(0, -1).some((d) => d.toLowerCase() === 'metrics');
}

/**
 * Every metric snapshot under the given paths: CSV files under a `metrics/` folder, and those
 * the globs (relative to each folder walked; the `northstar.metrics.files` setting, the config
 * file's `metrics`) name. A CSV file given by itself is one.
 */
export function findMetricFiles(paths: readonly string[], globs: readonly string[] = [], accept?: (root: string, rel: string, isDir: boolean) => boolean): string[] {
  const extra = globs.length ? picomatch([...globs], { dot: false }) : undefined;
  // A folder given by itself counts as part of the path (`northstar check examples/metrics`).
  return walkFiles(paths, (rel, name, root) => (/\.csv$/i.test(name) || isFlagFile(name)) && (isMetricPath(path.join(path.basename(root), rel)) || Boolean(extra?.(rel.split(path.sep).join('/')))), accept, (f) => /\.csv$/i.test(f) || isFlagFile(path.basename(f)));
}

function walkFiles(paths: readonly string[], wanted: (rel: string, name: string, root: string) => boolean, accept?: (root: string, rel: string, isDir: boolean) => boolean, given: (file: string) => boolean = () => true): string[] {
  const out = new Set<string>();
  for (const p of paths) {
    const abs = path.resolve(p);
    let st: fs.Stats;
    try {
      st = fs.statSync(abs);
    } catch {
      continue;
    }
    if (st.isFile()) {
      if (given(abs)) out.add(abs);
      continue;
    }
    const root = safeRealpath(abs) ?? abs;
    const seen = new Set<string>();
    const stack = [abs];
    while (stack.length) {
      const dir = stack.pop()!;
      const real = safeRealpath(dir);
      if (!real || seen.has(real) || !(real === root || real.startsWith(root + path.sep))) continue;
      seen.add(real);
      let entries: fs.Dirent[];
      try {
        entries = fs.readdirSync(dir, { withFileTypes: true });
      } catch {
        continue;
      }
      for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
        const full = path.join(dir, e.name);
        const rel = path.relative(abs, full);
        if (e.isDirectory() || (e.isSymbolicLink() && isDir(full))) {
          if (!SKIP_DIRS.has(e.name) && !e.name.startsWith('.') && (!accept || accept(abs, rel, true))) stack.push(full);
        } else if ((e.isFile() || e.isSymbolicLink()) && wanted(rel, e.name, abs)) {
          const r = safeRealpath(full);
          if (r && (r === root || r.startsWith(root + path.sep)) && (!accept || accept(abs, rel, false))) out.add(full);
        }
      }
    }
  }
  return [...out].sort();
}

function safeRealpath(p: string): string | undefined {
  try {
    return fs.realpathSync(p);
  } catch {
    return undefined;
  }
}

function isDir(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

export function fileUri(p: string): string {
  return pathToFileURL(path.resolve(p)).href;
}
