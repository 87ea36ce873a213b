/**
 * The persistent cache of extracted models, keyed by a hash of each file's text. A warm start
 * reads models instead of parsing. Safe against corruption (anything unreadable is ignored and
 * rebuilt) and against version changes (the key includes Northstar's version, the schemas, and
 * what the config file changes about reading: type globs, P-scale).
 *
 * Format 2: two files, both written atomically (temporary file, then rename; the index last).
 * - `<name>.v2.idx.json`, small: the format, the key, the name and size of the data file, and
 *   every entry as hash, byte offset and byte length into it;
 * - `<name>.v2.<generation>.dat`: the entries' encodings one after the other. Each is the model
 *   (without its URI) in a packed JSON form: every object becomes `[shape, ...values]` against a
 *   per-entry table of key lists (a span `{"start":1841,"end":1847}` is `[1,1841,1847]`), every
 *   array `[0, ...items]`.
 * Loading reads only the index; a model is read and decoded from the data file when asked for,
 * and not kept: the cache holds offsets, not models (only those set since the last save).
 * A new generation's data file gets a new name, so an index always names the data it was
 * written with; older data files are removed after the new index is in place.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DocumentModel } from '../core/model/types.js';
import type { Analysis } from '../core/analysis.js';

const FORMAT = 2;

type Stored = Omit<DocumentModel, 'uri'>;

interface IndexFile {
  readonly format: number;
  readonly key: string;
  /** The data file's name (in the same folder) and its size in bytes. */
  readonly data: string;
  readonly bytes: number;
  /** hash, offset, length, hash, offset, length, … */
  readonly entries: (string | number)[];
}

/** Where an entry is: in the data file, or in memory (set since the last save). */
type Entry = { readonly offset: number; readonly length: number } | { readonly model: Stored };

export function textHash(text: string): string {
  return crypto.createHash('sha1').update(text).digest('base64url');
}

export class ModelCache {
  private entries = new Map<string, Entry>();
  private dirty = false;
  /** The index file. */
  readonly file: string;
  /** The data file the entries on disk are in, and its descriptor once opened. */
  private dataFile: string | undefined;
  private fd: number | undefined;

  /** @param key what invalidates the whole cache: Northstar's version and the schemas in use */
  constructor(
    private readonly dir: string,
    private readonly key: string,
    private readonly name = 'models',
  ) {
    this.file = path.join(dir, `${name}.v${FORMAT}.idx.json`);
  }

  /** @param reading what else changes extraction: the config's globs and P-scale (`readingKey` in config.ts) */
  static keyOf(version: string, schemas: unknown, reading = ''): string {
    return `${version}:${textHash(JSON.stringify(schemas))}${reading ? `:${textHash(reading)}` : ''}`;
  }

  /** Reads the index; a missing, corrupt or outdated index (or a data file that does not match it) gives an empty cache. */
  load(): { loaded: number; problem?: string } {
    this.close();
    this.entries = new Map();
    this.dataFile = undefined;
    try {
      const data = JSON.parse(fs.readFileSync(this.file, 'utf8')) as Partial<IndexFile>;
      if (!data || data.format !== FORMAT || data.key !== this.key) return { loaded: 0, problem: 'outdated' };
      const { entries, bytes } = data;
      if (typeof data.data !== 'string' || !data.data.startsWith(`${this.name}.v${FORMAT}.`) || data.data.includes('/') || data.data.includes('\\') || typeof bytes !== 'number' || !Array.isArray(entries) || entries.length % 3 !== 0) {
        return { loaded: 0, problem: 'malformed index' };
      }
      const dataFile = path.join(this.dir, data.data);
      if (fs.statSync(dataFile).size !== bytes) return { loaded: 0, problem: 'the data file does not match the index' };
      const map = new Map<string, Entry>();
      for (let i = 0; i < entries.length; i += 3) {
        const [h, offset, length] = [entries[i], entries[i + 1], entries[i + 2]];
        if (typeof h !== 'string' || !Number.isInteger(offset) || !Number.isInteger(length) || (offset as number) < 0 || (length as number) <= 0 || (offset as number) + (length as number) > bytes) {
          return { loaded: 0, problem: 'malformed index' };
        }
        map.set(h, { offset: offset as number, length: length as number });
      }
      this.entries = map;
      this.dataFile = dataFile;
      return { loaded: map.size };
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      return { loaded: 0, ...(code === 'ENOENT' && !fs.existsSync(this.file) ? {} : { problem: e instanceof Error ? e.message : String(e) }) };
    }
  }

  get(hash: string, uri: string): DocumentModel | undefined {
    const e = this.entries.get(hash);
    if (!e) return undefined;
    const m = 'model' in e ? e.model : this.read(hash, e);
    if (!m || typeof m !== 'object' || !Array.isArray((m as DocumentModel).entities) || !Array.isArray((m as DocumentModel).references)) {
      // Unreadable: forgotten, and dropped from the file at the next save.
      this.entries.delete(hash);
      this.dirty = true;
      return undefined;
    }
    return { ...m, uri } as DocumentModel;
  }

  set(hash: string, model: DocumentModel): void {
    const { uri: _uri, ...rest } = model;
    this.entries.set(hash, { model: rest });
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
    const generation = `${Date.now().toString(36)}${crypto.randomBytes(4).toString('hex')}`;
    const dataName = `${this.name}.v${FORMAT}.${generation}.dat`;
    const dataFile = path.join(this.dir, dataName);
    const tmpData = `${dataFile}.${process.pid}.tmp`;
    const tmpIndex = `${this.file}.${process.pid}.tmp`;
    let out: number | undefined;
    try {
      fs.mkdirSync(this.dir, { recursive: true });
      out = fs.openSync(tmpData, 'w');
      const index: (string | number)[] = [];
      const next = new Map<string, Entry>();
      let offset = 0;
      for (const [h, e] of this.entries) {
        const bytes = 'model' in e ? Buffer.from(JSON.stringify(pack(e.model)), 'utf8') : this.bytesOf(e);
        if (!bytes) continue; // an entry the old data file no longer holds is dropped
        fs.writeSync(out, bytes);
        index.push(h, offset, bytes.length);
        next.set(h, { offset, length: bytes.length });
        offset += bytes.length;
      }
      fs.closeSync(out);
      out = undefined;
      fs.renameSync(tmpData, dataFile);
      const data: IndexFile = { format: FORMAT, key: this.key, data: dataName, bytes: offset, entries: index };
      fs.writeFileSync(tmpIndex, JSON.stringify(data));
      fs.renameSync(tmpIndex, this.file);
      this.close();
      this.entries = next;
      this.dataFile = dataFile;
      this.dirty = false;
      this.removeOthers(dataName);
    } catch {
      // A cache that cannot be written only costs speed.
      if (out !== undefined) fs.closeSync(out);
      for (const f of [tmpData, tmpIndex]) fs.rmSync(f, { force: true });
    }
  }

  /** The stored bytes of an entry in the data file, or undefined when they cannot be read. */
  private bytesOf(e: { offset: number; length: number }): Buffer | undefined {
    try {
      if (!this.dataFile) return undefined;
      this.fd ??= fs.openSync(this.dataFile, 'r');
      const buf = Buffer.allocUnsafe(e.length);
      let got = 0;
      while (got < e.length) {
        const n = fs.readSync(this.fd, buf, got, e.length - got, e.offset + got);
        if (n <= 0) return undefined;
        got += n;
      }
      return buf;
    } catch {
      return undefined;
    }
  }

  private read(_hash: string, e: { offset: number; length: number }): Stored | undefined {
    const bytes = this.bytesOf(e);
    if (!bytes) return undefined;
    try {
      return unpack(JSON.parse(bytes.toString('utf8'))) as Stored;
    } catch {
      return undefined;
    }
  }

  private close(): void {
    if (this.fd === undefined) return;
    try {
      fs.closeSync(this.fd);
    } catch {
      // already gone
    }
    this.fd = undefined;
  }

  /** Removes the data files of earlier generations (and the format-1 file). Failures are left for the next save. */
  private removeOthers(keep: string): void {
    try {
      const prefix = `${this.name}.v${FORMAT}.`;
      for (const f of fs.readdirSync(this.dir)) {
        if ((f.startsWith(prefix) && f.endsWith('.dat') && f !== keep) || f === `${this.name}.v1.json`) fs.rmSync(path.join(this.dir, f), { force: true });
      }
    } catch {
      // best effort
    }
  }
}

// ---- the packed JSON form ----------------------------------------------------------------------

/**
 * A JSON value with each object as `[shape + 1, ...values]` (shape: an index into the key lists),
 * each array as `[0, ...items]`, and a string written before as `[-(n + 1)]` (the n-th string
 * written in full, in depth-first order), with the key lists first: `[shapes, value]`. Keys
 * whose value is undefined are left out, as JSON.stringify does.
 */
export function pack(value: unknown): unknown {
  const shapes: string[][] = [];
  const shapeIds = new Map<string, number>();
  /** Each string written in full, by the order it was written in (the decoder counts the same way). */
  const strings = new Map<string, number>();
  let written = 0;
  const enc = (v: unknown): unknown => {
    if (typeof v === 'string') {
      const at = strings.get(v);
      // A string seen before is `[-(n + 1)]` when that is shorter than the string.
      if (at !== undefined && String(at).length + 4 < v.length + 2) return [-(at + 1)];
      if (at === undefined) strings.set(v, written);
      written++;
      return v;
    }
    if (v === null || typeof v !== 'object') return v;
    if (Array.isArray(v)) {
      const out: unknown[] = [0];
      for (const x of v) out.push(x === undefined || typeof x === 'function' ? null : enc(x));
      return out;
    }
    const keys: string[] = [];
    const vals: unknown[] = [];
    for (const k of Object.keys(v)) {
      const x = (v as Record<string, unknown>)[k];
      if (x === undefined || typeof x === 'function') continue;
      keys.push(k);
      vals.push(enc(x));
    }
    const sig = keys.join('\u0000');
    let id = shapeIds.get(sig);
    if (id === undefined) {
      id = shapes.length;
      shapes.push(keys);
      shapeIds.set(sig, id);
    }
    return [id + 1, ...vals];
  };
  const body = enc(value);
  return [shapes, body];
}

/** The value `pack` encoded; throws on anything malformed (the caller treats that as a miss). */
export function unpack(packed: unknown): unknown {
  if (!Array.isArray(packed) || packed.length !== 2 || !Array.isArray(packed[0])) throw new Error('not a packed value');
  const shapes = packed[0] as unknown[];
  for (const s of shapes) if (!Array.isArray(s) || s.some((k) => typeof k !== 'string')) throw new Error('bad shape');
  const strings: string[] = [];
  const dec = (v: unknown): unknown => {
    if (typeof v === 'string') {
      strings.push(v);
      return v;
    }
    if (v === null || typeof v !== 'object') return v;
    if (!Array.isArray(v) || v.length === 0 || !Number.isInteger(v[0])) throw new Error('bad node');
    const tag = v[0] as number;
    if (tag < 0) {
      const str = strings[-tag - 1];
      if (v.length !== 1 || str === undefined) throw new Error('bad string reference');
      return str;
    }
    if (tag === 0) {
      const out = new Array<unknown>(v.length - 1);
      for (let i = 1; i < v.length; i++) out[i - 1] = dec(v[i]);
      return out;
    }
    const keys = shapes[tag - 1] as string[] | undefined;
    if (!keys || keys.length !== v.length - 1) throw new Error('bad object');
    const out: Record<string, unknown> = {};
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i]!;
      // Never an inherited setter: `__proto__` becomes an own key, as JSON.parse makes it.
      if (k === '__proto__') Object.defineProperty(out, k, { value: dec(v[i + 1]), enumerable: true, writable: true, configurable: true });
      else out[k] = dec(v[i + 1]);
    }
    return out;
  };
  return dec(packed[1]);
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
