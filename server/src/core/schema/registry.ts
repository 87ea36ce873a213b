/**
 * The JSON schemas, compiled once with ajv (draft 2020-12), and read for what they declare:
 * sections and their aliases, front matter fields, entity properties, value aliases.
 * Schemas are data handed in by the host; the core never reads files.
 */
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { RE2JS } from 're2js';
import { DOC_TYPES, type DocType } from '../model/types.js';
import type { EntityKind } from '../ids.js';

// ajv-formats is CommonJS; under NodeNext its default export sits on `.default`.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as unknown as (ajv: Ajv2020) => void;

export type JsonSchema = { [key: string]: unknown };

export interface SchemaSet {
  /** Shared definitions other schemas `$ref` (common.schema.json). */
  readonly common?: JsonSchema;
  readonly brief: JsonSchema;
  readonly prd: JsonSchema;
  readonly okr: JsonSchema;
  /** More schemas the others may `$ref` by `$id` (the bundled ones, when a workspace schema replaces one). */
  readonly extra?: readonly JsonSchema[];
}

export interface SectionInfo {
  readonly key: string;
  readonly title: string;
  readonly description?: string;
  readonly aliases: readonly string[];
  readonly required: boolean;
}

export interface SchemaProblem {
  readonly type: DocType | 'common';
  readonly message: string;
}

const ANNOTATIONS = ['x-northstar-aliases', 'x-northstar-key-aliases', 'x-northstar-sections', 'x-northstar-expected', 'x-northstar-ref', 'x-northstar-parent'];

export class SchemaRegistry {
  private readonly ajv: Ajv2020;
  private readonly validators = new Map<DocType, ValidateFunction>();
  private readonly byId = new Map<string, JsonSchema>();
  private readonly roots = new Map<DocType, JsonSchema>();
  private readonly sectionCache = new Map<DocType, SectionInfo[]>();
  readonly problems: SchemaProblem[] = [];

  constructor(readonly schemas: SchemaSet) {
    // Schema `pattern`s run on RE2 (linear time): a pattern that would backtrack catastrophically
    // in JavaScript's engine cannot stall validation. Patterns RE2 cannot compile are schema errors.
    this.ajv = new Ajv2020({ allErrors: true, strict: false, validateFormats: true, verbose: true, code: { regExp: re2 } });
    addFormats(this.ajv);
    for (const k of ANNOTATIONS) this.ajv.addKeyword({ keyword: k, schemaType: ['object', 'array', 'string'] });
    if (schemas.common) this.add(schemas.common, 'common');
    for (const x of schemas.extra ?? []) if (typeof x.$id === 'string' && !this.byId.has(stripHash(x.$id))) this.add(x, 'common');
    for (const t of ['brief', 'prd', 'okr'] as const) {
      this.roots.set(t, schemas[t]);
      this.add(schemas[t], t);
    }
    for (const t of ['brief', 'prd', 'okr'] as const) {
      try {
        this.validators.set(t, this.ajv.compile(schemas[t]));
      } catch (e) {
        this.problems.push({ type: t, message: e instanceof Error ? e.message : String(e) });
      }
    }
  }

  private add(schema: JsonSchema, type: DocType | 'common'): void {
    const id = typeof schema.$id === 'string' ? schema.$id : `northstar:${type}`;
    this.byId.set(stripHash(id), schema);
    if (type === 'common' || typeof schema.$id === 'string') {
      try {
        if (!this.ajv.getSchema(id)) this.ajv.addSchema(schema, id);
      } catch (e) {
        this.problems.push({ type, message: e instanceof Error ? e.message : String(e) });
      }
    }
  }

  validate(type: DocType, instance: unknown): ErrorObject[] {
    const v = this.validators.get(type);
    if (!v) return [];
    v(instance);
    return [...(v.errors ?? [])];
  }

  root(type: DocType): JsonSchema {
    return this.roots.get(type)!;
  }

  private readonly derefCache = new WeakMap<object, Map<string, { schema: JsonSchema; base: string } | undefined>>();
  private readonly sectionMatch = new Map<string, string[]>();
  private readonly propCache = new WeakMap<JsonSchema, Map<string, JsonSchema | undefined>>();

  /** Follows `$ref` (local or to another registered schema), merging the sibling annotations. */
  deref(node: unknown, base: string, depth = 0): { schema: JsonSchema; base: string } | undefined {
    if (!node || typeof node !== 'object' || Array.isArray(node)) return undefined;
    if (depth === 0) {
      let byBase = this.derefCache.get(node);
      if (!byBase) this.derefCache.set(node, (byBase = new Map()));
      if (byBase.has(base)) return byBase.get(base);
      const r = this.derefUncached(node, base, 0);
      byBase.set(base, r);
      return r;
    }
    return this.derefUncached(node, base, depth);
  }

  private derefUncached(node: object, base: string, depth: number): { schema: JsonSchema; base: string } | undefined {
    const n = node as JsonSchema;
    if (typeof n.$ref !== 'string' || depth > 16) return { schema: n, base };
    let url: URL;
    try {
      url = new URL(n.$ref, base);
    } catch {
      return { schema: n, base };
    }
    const docId = stripHash(url.href);
    const doc = this.byId.get(docId);
    if (!doc) return { schema: n, base };
    const target = pointer(doc, decodeURIComponent(url.hash.replace(/^#/, '')));
    const resolved = this.deref(target, docId, depth + 1);
    if (!resolved) return { schema: n, base };
    const { $ref: _ref, ...siblings } = n;
    return { schema: { ...resolved.schema, ...siblings }, base: resolved.base };
  }

  private baseOf(type: DocType): string {
    const r = this.root(type);
    return typeof r.$id === 'string' ? stripHash(r.$id) : `northstar:${type}`;
  }

  /** The schema at a path of property names below the root (`frontMatter`, `status`). */
  at(type: DocType, path: readonly string[]): { schema: JsonSchema; base: string } | undefined {
    let cur = this.deref(this.root(type), this.baseOf(type));
    for (const p of path) {
      if (!cur) return undefined;
      const props = cur.schema.properties as JsonSchema | undefined;
      const next = p === '[]' ? cur.schema.items : props?.[p];
      cur = this.deref(next, cur.base);
    }
    return cur;
  }

  frontMatterProperties(type: DocType): Record<string, JsonSchema> {
    const fm = this.at(type, ['frontMatter']);
    const props = (fm?.schema.properties ?? {}) as Record<string, JsonSchema>;
    const out: Record<string, JsonSchema> = {};
    for (const [k, v] of Object.entries(props)) out[k] = this.deref(v, fm!.base)?.schema ?? v;
    return out;
  }

  frontMatterRequired(type: DocType): string[] {
    const r = this.at(type, ['frontMatter'])?.schema.required;
    return Array.isArray(r) ? (r as string[]) : [];
  }

  sections(type: DocType): SectionInfo[] {
    const cached = this.sectionCache.get(type);
    if (cached) return cached;
    const s = this.at(type, ['sections'])?.schema;
    const props = (s?.properties ?? {}) as Record<string, JsonSchema>;
    const required = new Set(Array.isArray(s?.required) ? (s!.required as string[]) : []);
    const out: SectionInfo[] = Object.entries(props).map(([key, v]) => ({
      key,
      title: typeof v.title === 'string' ? v.title : key,
      ...(typeof v.description === 'string' ? { description: v.description } : {}),
      aliases: Array.isArray(v['x-northstar-aliases']) ? (v['x-northstar-aliases'] as string[]).map((a) => a.toLowerCase()) : [],
      required: required.has(key),
    }));
    this.sectionCache.set(type, out);
    return out;
  }

  /** Canonical section keys a normalised heading satisfies. */
  resolveSection(type: DocType | undefined, normalized: string): string[] {
    if (!type) return [];
    const key = `${type}\u0000${normalized}`;
    const hit = this.sectionMatch.get(key);
    if (hit) return hit;
    const out: string[] = [];
    for (const s of this.sections(type)) {
      if (s.title.toLowerCase() === normalized || s.key.replace(/_/g, ' ') === normalized || s.aliases.includes(normalized)) out.push(s.key);
    }
    this.sectionMatch.set(key, out);
    return out;
  }

  /** The kinds of entity a document type may define. */
  entityKinds(type: DocType): string[] {
    const e = this.at(type, ['entities'])?.schema.properties;
    return e && typeof e === 'object' ? Object.keys(e) : [];
  }

  private readonly entityCache = new Map<string, { schema: JsonSchema; base: string } | undefined>();

  entitySchema(type: DocType, kind: EntityKind): { schema: JsonSchema; base: string } | undefined {
    const key = `${type}:${kind}`;
    if (!this.entityCache.has(key)) this.entityCache.set(key, this.at(type, ['entities', kind, '[]']));
    return this.entityCache.get(key);
  }

  /**
   * The schema an entity of `kind` is read with in a `type` document: that document's, else the
   * one of the document type that defines the kind (a feature listed in a brief is read as a
   * PRD's feature: its priority is still a priority).
   */
  kindSchema(type: DocType, kind: EntityKind): { schema: JsonSchema; base: string } | undefined {
    return this.entitySchema(type, kind) ?? DOC_TYPES.map((t) => this.entitySchema(t, kind)).find((x) => x !== undefined);
  }

  /** A property's schema within an entity or front matter schema. */
  propertySchema(owner: { schema: JsonSchema; base: string }, key: string): JsonSchema | undefined {
    let byKey = this.propCache.get(owner.schema);
    if (!byKey) this.propCache.set(owner.schema, (byKey = new Map()));
    if (byKey.has(key)) return byKey.get(key);
    const props = owner.schema.properties as Record<string, unknown> | undefined;
    const r = Object.prototype.hasOwnProperty.call(props ?? {}, key) ? this.deref(props![key], owner.base)?.schema : undefined;
    byKey.set(key, r);
    return r;
  }

  itemsSchema(schema: JsonSchema, base: string): JsonSchema | undefined {
    return this.deref(schema.items, base)?.schema;
  }
}

/** ajv's RegExp engine hook, backed by RE2JS. */
const re2 = Object.assign(
  (pattern: string, flags: string) => {
    const re = RE2JS.compile(pattern, flags.includes('i') ? RE2JS.CASE_INSENSITIVE : 0);
    // ajv keys compiled patterns by toString(): make it unique per pattern.
    return { test: (s: string) => re.test(s), toString: () => `/${pattern}/${flags}` };
  },
  { code: 'RE2JS' },
);

function stripHash(id: string): string {
  const i = id.indexOf('#');
  return i < 0 ? id : id.slice(0, i);
}

function pointer(doc: unknown, ptr: string): unknown {
  if (!ptr || ptr === '/') return doc;
  let cur: unknown = doc;
  for (const raw of ptr.replace(/^\//, '').split('/')) {
    const p = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (!cur || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[p];
  }
  return cur;
}

const typesCache = new WeakMap<JsonSchema, Set<string>>();

/** The types a schema accepts, read from `type`, `enum` and `const`. */
export function schemaTypes(s: JsonSchema | undefined): Set<string> {
  if (!s) return new Set();
  const hit = typesCache.get(s);
  if (hit) return hit;
  const out = new Set<string>();
  typesCache.set(s, out);
  const t = s.type;
  if (typeof t === 'string') out.add(t);
  else if (Array.isArray(t)) for (const x of t) out.add(String(x));
  const values = Array.isArray(s.enum) ? s.enum : 'const' in s ? [s.const] : [];
  for (const v of values) out.add(typeof v === 'number' ? 'number' : typeof v === 'string' ? 'string' : typeof v);
  if (out.has('integer')) out.add('number');
  return out;
}
