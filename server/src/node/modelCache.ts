/**
 * The persistent cache of extracted models, keyed by a hash of each file's text. A warm start
 * reads models instead of parsing. Safe against corruption (anything unreadable is ignored and
 * rebuilt) and against version changes (the key includes Northstar's version, the schemas, and
 * what the config file changes about reading: type globs, P-scale).
 * Written atomically (temporary file, then rename).
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DocumentModel } from '../core/model/types.js';
import type { Analysis } from '../core/analysis.js';

const FORMAT = 1;

interface CacheFile {
  readonly format: number;
  readonly key: string;
  readonly entries: Record<string, Omit<DocumentModel, 'uri'>>;
}

export function textHash(text: string): string {
  return crypto.createHash('sha1').update(text).digest('base64url');
}

export class ModelCache {
  private entries = new Map<string, Omit<DocumentModel, 'uri'>>();
  private dirty = false;
  readonly file: string;

  /** @param key what invalidates the whole cache: Northstar's version and the schemas in use */
  constructor(
    dir: string,
    private readonly key: string,
    name = 'models',
  ) {
    this.file = path.join(dir, `${name}.v${FORMAT}.json`);
  }

  /** @param reading what else changes extraction: the config's globs and P-scale (`readingKey` in config.ts) */
  static keyOf(version: string, schemas: unknown, reading = ''): string {
    return `${version}:${textHash(JSON.stringify(schemas))}${reading ? `:${textHash(reading)}` : ''}`;
  }

  /** Reads the cache file; a missing, corrupt or outdated file gives an empty cache. */
  load(): { loaded: number; problem?: string } {
    try {
      const raw = fs.readFileSync(this.file, 'utf8');
      const data = JSON.parse(raw) as Partial<CacheFile>;
      if (data.format !== FORMAT || data.key !== this.key || !data.entries || typeof data.entries !== 'object') return { loaded: 0, problem: 'outdated' };
      this.entries = new Map(Object.entries(data.entries));
      return { loaded: this.entries.size };
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      return { loaded: 0, ...(code === 'ENOENT' ? {} : { problem: e instanceof Error ? e.message : String(e) }) };
    }
  }

  get(hash: string, uri: string): DocumentModel | undefined {
    const m = this.entries.get(hash);
    if (!m || typeof m !== 'object' || !Array.isArray((m as DocumentModel).entities) || !Array.isArray((m as DocumentModel).references)) return undefined;
    return { ...(m as Omit<DocumentModel, 'uri'>), uri } as DocumentModel;
  }

  set(hash: string, model: DocumentModel): void {
    const { uri: _uri, ...rest } = model;
    this.entries.set(hash, rest);
    this.dirty = true;
  }

  /** Keeps only the given hashes (files that still exist), then writes if anything changed. */
  save(keep?: ReadonlySet<string>): void {
    if (keep) {
      for (const h of [...this.entries.keys()]) {
        if (!keep.has(h)) {
          this.entries.delete(h);
          this.dirty = true;
        }
      }
    }
    if (!this.dirty) return;
    try {
      fs.mkdirSync(path.dirname(this.file), { recursive: true });
      const tmp = `${this.file}.${process.pid}.tmp`;
      const data: CacheFile = { format: FORMAT, key: this.key, entries: Object.fromEntries(this.entries) };
      fs.writeFileSync(tmp, JSON.stringify(data));
      fs.renameSync(tmp, this.file);
      this.dirty = false;
    } catch {
      // A cache that cannot be written only costs speed.
    }
  }
}

/**
 * The analysis of a file's text through the cache: a cached model when the text was seen before
 * (no parse), else a fresh analysis whose model is cached. `seen` collects the hashes in use.
 * `analyze` may answer a promise (the server awaits remark); the answer is then a promise too.
 */
export function analyzeThroughCache<A extends Analysis | Promise<Analysis | undefined>>(
  cache: ModelCache | undefined,
  uri: string,
  text: string,
  analyze: (uri: string, text: string) => A,
  fromModel: (uri: string, text: string, model: DocumentModel) => Analysis,
  seen?: Set<string>,
): A | Analysis {
  if (!cache) return analyze(uri, text);
  const h = textHash(text);
  seen?.add(h);
  const cached = cache.get(h, uri);
  if (cached) return fromModel(uri, text, cached);
  const remember = (a: Analysis | undefined) => {
    if (a) cache.set(h, a.model);
    return a;
  };
  const a = analyze(uri, text);
  return (a instanceof Promise ? a.then(remember) : remember(a as Analysis)) as A;
}
