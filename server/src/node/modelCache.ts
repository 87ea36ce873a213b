/**
 * The persistent cache of extracted models, keyed by a hash of each file's text. A warm start
 * reads models instead of parsing. Safe against corruption (anything unreadable is ignored and
 * rebuilt) and against version changes (the key includes Northstar's version, the schemas, and
 * what the config file changes about reading: type globs, P-scale).
 *
 * Format 3: two files, both written atomically (temporary file, then rename; the index last).
 * - `<name>.v3.idx.json`, small: the format, the key, the name and size of the data file, and
 *   every entry as hash, byte offset, length of its model, length of its index part;
 * - `<name>.v3.<generation>.dat`: the entries one after the other, each its model then its index
 *   part. The model is the model (without its URI) in a packed JSON form: every object becomes
 *   `[shape, ...values]` against a per-entry table of key lists (a span `{"start":1841,"end":1847}`
 *   is `[1,1841,1847]`), every array `[0, ...items]`. The index part (`indexModel`) is the model
 *   cut down to what the workspace index reads — the document's type, ID, title and front matter,
 *   the entities without their description and with only the properties that name other entities,
 *   the references — packed the same way: a warm start's first pass decodes only that (a tenth of
 *   the bytes), and the model when the entry is analysed in the background.
 * Loading reads only the index; a model or index part is read and decoded from the data file when
 * asked for, and not kept: the cache holds offsets, not models (only those set since the last save).
 * A new generation's data file gets a new name, so an index always names the data it was
 * written with; older data files are removed after the new index is in place.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DocumentModel, Entity, Property, Reference } from '../core/model/types.js';
import { findIds } from '../core/ids.js';
import type { Analysis } from '../core/analysis.js';
import { ID_KEYS } from '../core/index/workspaceIndex.js';

const FORMAT = 3;

type Stored = Omit<DocumentModel, 'uri'>;

interface IndexFile {
  readonly format: number;
  readonly key: string;
  /** The data file's name (in the same folder) and its size in bytes. */
  readonly data: string;
  readonly bytes: number;
  /** hash, offset, model length, index part length, hash, … */
  readonly entries: (string | number)[];
}

/** Where an entry is: in the data file (its model at offset, then its index part), or in memory (set since the last save). */
type Entry = { readonly offset: number; readonly length: number; readonly headLength: number } | { readonly model: Stored };

/**
 * The cache's key for a file: its text and its URI. The model depends on the URI too — the type a
 * file name or a config glob gives, and the document key of derived IDs (`FEAT-<key>.…`) — so a
 * copy of a text under another name is read again, never given the first file's model.
 */
export function entryHash(uri: string, text: string): string {
  return crypto.createHash('sha1').update(uri).update('\u0000').update(text).digest('base64url');
}

export function textHash(text: string): string {
  return crypto.createHash('sha1').update(text).digest('base64url');
}

/** The properties an index-only entry keeps: a `name` or `title`, and those expecting an ID that hold a name (WorkspaceIndex reads them). */
function indexProperty(p: Property): boolean {
  if (p.key === 'name' || p.key === 'title') return true;
  return ID_KEYS[p.key] !== undefined && p.items.some((it) => findIds(it.text).length === 0);
}

/**
 * What the workspace index reads of a model (WorkspaceIndex.set, derived keys): the model with its
 * sections, problems, suppressions and body fields left out, and each entity without its
 * description and with only the properties the index reads (`indexProperty`). An index-only entry
 * made from it answers workspace symbols, definition, references and names as the model does;
 * nothing may be reported from it (the full model replaces it).
 */
export function indexModel<M extends Stored>(model: M): M {
  return {
    ...model,
    sections: [],
    suppressions: [],
    problems: [],
    bodyFields: undefined,
    entities: model.entities.map((e) => ({ ...e, description: undefined, properties: e.properties.filter(indexProperty) })),
  };
}

/** The index part's encoding (the first item of its array). */
const INDEX_PART = 2;

/**
 * The index part of an entry, in a form cheap to decode: `[2, rest, strings, entities, references]`
 * where `rest` is the packed `indexModel` without entities and references (front matter, ID,
 * title, type, and each entity's kept properties as `[entity, properties]` pairs), `strings` every
 * string once, and entities and references flat arrays of numbers (strings by index, -1 for none;
 * spans as start and length). An entity is `id kind idStart idLength title titleStart titleLength
 * definedBy derived headingStart headingLength start length depth parent n sectionKey×n` (its start
 * from the previous entity's, its other starts from its own; no title span: length -1); a
 * reference `id kind start length context key entity` (its start from the previous reference's).
 */
export function encodeIndexPart(model: Stored): string {
  const m = indexModel(model);
  const strings: string[] = [];
  const ids = new Map<string, number>();
  const S = (v: string | undefined): number => {
    if (v === undefined) return -1;
    let i = ids.get(v);
    if (i === undefined) {
      i = strings.length;
      strings.push(v);
      ids.set(v, i);
    }
    return i;
  };
  const ents: number[] = [];
  let lastEntity = 0;
  const props: [number, readonly Property[]][] = [];
  m.entities.forEach((e, i) => {
    // Small numbers: the entity's start from the previous one's, its other spans from its start.
    const base = e.span.start;
    ents.push(S(e.id), S(e.kind), e.idSpan.start - base, e.idSpan.end - e.idSpan.start, S(e.title), e.titleSpan ? e.titleSpan.start - base : 0, e.titleSpan ? e.titleSpan.end - e.titleSpan.start : -1);
    ents.push(S(e.definedBy), e.idDerived === undefined ? -1 : e.idDerived ? 1 : 0, e.headingSpan.start - base, e.headingSpan.end - e.headingSpan.start, base - lastEntity, e.span.end - e.span.start, e.depth, S(e.parent), e.sectionKeys.length);
    lastEntity = base;
    for (const k of e.sectionKeys) ents.push(S(k));
    if (e.properties.length) props.push([i, e.properties]);
  });
  const refs: number[] = [];
  let lastRef = 0;
  for (const r of m.references) {
    refs.push(S(r.id), S(r.kind), r.span.start - lastRef, r.span.end - r.span.start, S(r.context), S(r.key), S(r.entity));
    lastRef = r.span.start;
  }
  const rest = pack({ ...m, entities: [], references: [], props });
  return JSON.stringify([INDEX_PART, rest, strings, ents, refs]);
}

/** The model `encodeIndexPart` encoded (as `indexModel` gives it); throws on anything malformed. */
export function decodeIndexPart(json: string): Stored {
  const v = JSON.parse(json) as unknown;
  if (!Array.isArray(v) || v.length !== 5 || v[0] !== INDEX_PART || !Array.isArray(v[2]) || !Array.isArray(v[3]) || !Array.isArray(v[4])) throw new Error('not an index part');
  const rest = unpack(v[1]) as Stored & { props?: unknown };
  if (!rest || typeof rest !== 'object' || !Array.isArray(rest.props)) throw new Error('bad index part');
  const strings = v[2] as unknown[];
  for (const x of strings) if (typeof x !== 'string') throw new Error('bad string');
  const nums = (a: unknown[]) => {
    for (const x of a) if (!Number.isInteger(x)) throw new Error('bad number');
    return a as number[];
  };
  const ents = nums(v[3] as unknown[]);
  const refs = nums(v[4] as unknown[]);
  const S = (i: number): string | undefined => {
    if (i === -1) return undefined;
    const x = strings[i];
    if (x === undefined) throw new Error('bad string index');
    return x as string;
  };
  const R = (i: number): string => {
    const x = S(i);
    if (x === undefined) throw new Error('missing string');
    return x;
  };
  const entities: Entity[] = [];
  let i = 0;
  let lastEntity = 0;
  while (i < ents.length) {
    if (i + 16 > ents.length) throw new Error('bad entity');
    const n = ents[i + 15]!;
    if (n < 0 || i + 16 + n > ents.length) throw new Error('bad entity');
    const sectionKeys: string[] = new Array(n);
    for (let k = 0; k < n; k++) sectionKeys[k] = R(ents[i + 16 + k]!);
    // Built field by field (no spreads): this loop runs for every entity of the workspace at start.
    const base = lastEntity + ents[i + 11]!;
    lastEntity = base;
    const e: Record<string, unknown> = { id: R(ents[i]!), kind: R(ents[i + 1]!), idSpan: { start: base + ents[i + 2]!, end: base + ents[i + 2]! + ents[i + 3]! } };
    const title = S(ents[i + 4]!);
    if (title !== undefined) e.title = title;
    if (ents[i + 6]! >= 0) e.titleSpan = { start: base + ents[i + 5]!, end: base + ents[i + 5]! + ents[i + 6]! };
    e.definedBy = R(ents[i + 7]!);
    if (ents[i + 8]! >= 0) e.idDerived = ents[i + 8] === 1;
    e.headingSpan = { start: base + ents[i + 9]!, end: base + ents[i + 9]! + ents[i + 10]! };
    e.span = { start: base, end: base + ents[i + 12]! };
    e.depth = ents[i + 13]!;
    e.sectionKeys = sectionKeys;
    const parent = S(ents[i + 14]!);
    if (parent !== undefined) e.parent = parent;
    e.properties = [];
    entities.push(e as unknown as Entity);
    i += 16 + n;
  }
  for (const pair of rest.props as unknown[]) {
    if (!Array.isArray(pair) || !Number.isInteger(pair[0]) || !entities[pair[0] as number] || !Array.isArray(pair[1])) throw new Error('bad properties');
    (entities[pair[0] as number] as { properties: readonly Property[] }).properties = pair[1] as Property[];
  }
  if (refs.length % 7 !== 0) throw new Error('bad references');
  const references: Reference[] = new Array(refs.length / 7);
  let lastRef = 0;
  for (let j = 0, k = 0; j < refs.length; j += 7, k++) {
    const start = lastRef + refs[j + 2]!;
    lastRef = start;
    const r: Record<string, unknown> = { id: R(refs[j]!), kind: R(refs[j + 1]!), span: { start, end: start + refs[j + 3]! }, context: R(refs[j + 4]!) };
    const key = S(refs[j + 5]!);
    if (key !== undefined) r.key = key;
    const entity = S(refs[j + 6]!);
    if (entity !== undefined) r.entity = entity;
    references[k] = r as unknown as Reference;
  }
  const { props: _props, ...model } = rest;
  return { ...model, entities, references };
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
      if (typeof data.data !== 'string' || !data.data.startsWith(`${this.name}.v${FORMAT}.`) || data.data.includes('/') || data.data.includes('\\') || typeof bytes !== 'number' || !Array.isArray(entries) || entries.length % 4 !== 0) {
        return { loaded: 0, problem: 'malformed index' };
      }
      const dataFile = path.join(this.dir, data.data);
      if (fs.statSync(dataFile).size !== bytes) return { loaded: 0, problem: 'the data file does not match the index' };
      const map = new Map<string, Entry>();
      for (let i = 0; i < entries.length; i += 4) {
        const [h, offset, length, headLength] = [entries[i], entries[i + 1], entries[i + 2], entries[i + 3]];
        if (
          typeof h !== 'string' ||
          !Number.isInteger(offset) ||
          !Number.isInteger(length) ||
          !Number.isInteger(headLength) ||
          (offset as number) < 0 ||
          (length as number) <= 0 ||
          (headLength as number) <= 0 ||
          (offset as number) + (length as number) + (headLength as number) > bytes
        ) {
          return { loaded: 0, problem: 'malformed index' };
        }
        map.set(h, { offset: offset as number, length: length as number, headLength: headLength as number });
      }
      this.entries = map;
      this.dataFile = dataFile;
      return { loaded: map.size };
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      return { loaded: 0, ...(code === 'ENOENT' && !fs.existsSync(this.file) ? {} : { problem: e instanceof Error ? e.message : String(e) }) };
    }
  }

  /** The model of a text seen before; undefined when there is none (or it cannot be read: then it is forgotten). */
  get(hash: string, uri: string): DocumentModel | undefined {
    const e = this.entries.get(hash);
    if (!e) return undefined;
    return this.checked(hash, uri, 'model' in e ? e.model : this.read({ offset: e.offset, length: e.length }));
  }

  /**
   * What the workspace index reads of the model of a text seen before (`indexModel`), decoded from
   * the entry's index part alone: an index-only entry (nothing may be reported from it; `get` gives
   * the model that replaces it). Undefined when there is none or it cannot be read (then forgotten).
   */
  getIndexOnly(hash: string, uri: string): DocumentModel | undefined {
    const e = this.entries.get(hash);
    if (!e) return undefined;
    return this.checked(hash, uri, 'model' in e ? indexModel(e.model) : this.readIndexPart({ offset: e.offset + e.length, length: e.headLength }));
  }

  has(hash: string): boolean {
    return this.entries.has(hash);
  }

  private checked(hash: string, uri: string, m: Stored | undefined): DocumentModel | undefined {
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
        let bytes: Buffer | undefined;
        let length: number;
        let headLength: number;
        if ('model' in e) {
          const model = Buffer.from(JSON.stringify(pack(e.model)), 'utf8');
          const head = Buffer.from(encodeIndexPart(e.model), 'utf8');
          bytes = Buffer.concat([model, head]);
          [length, headLength] = [model.length, head.length];
        } else {
          bytes = this.bytesOf({ offset: e.offset, length: e.length + e.headLength });
          [length, headLength] = [e.length, e.headLength];
        }
        if (!bytes) continue; // an entry the old data file no longer holds is dropped
        fs.writeSync(out, bytes);
        index.push(h, offset, length, headLength);
        next.set(h, { offset, length, headLength });
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

  private readIndexPart(e: { offset: number; length: number }): Stored | undefined {
    const bytes = this.bytesOf(e);
    if (!bytes) return undefined;
    try {
      return decodeIndexPart(bytes.toString('utf8'));
    } catch {
      return undefined;
    }
  }

  private read(e: { offset: number; length: number }): Stored | undefined {
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

  /** Removes the data files of earlier generations (and the files of formats 1 and 2). Failures are left for the next save. */
  private removeOthers(keep: string): void {
    try {
      const prefix = `${this.name}.v${FORMAT}.`;
      for (const f of fs.readdirSync(this.dir)) {
        const old = f === `${this.name}.v1.json` || f === `${this.name}.v2.idx.json` || (f.startsWith(`${this.name}.v2.`) && f.endsWith('.dat'));
        if ((f.startsWith(prefix) && f.endsWith('.dat') && f !== keep) || old) fs.rmSync(path.join(this.dir, f), { force: true });
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
  const h = entryHash(uri, text);
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
