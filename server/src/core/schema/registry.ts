/**
 * The JSON schemas, compiled once with ajv (draft 2020-12), and read for what they declare:
 * sections and their aliases, front matter fields, entity properties, value aliases.
 * Schemas are data handed in by the host; the core never reads files.
 */
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { DocType } from '../model/types.js';
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
    this.ajv = new Ajv2020({ allErrors: true, strict: false, validateFormats: true, verbose: true });
    addFormats(this.ajv);
    for (const k of ANNOTATIONS) this.ajv.addKeyword({ keyword: k, schemaType: ['object', 'array', 'string'] });
    if (schemas.common) this.add(schemas.common, 'common');
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

  /** Follows `$ref` (local or to another registered schema), merging the sibling annotations. */
  deref(node: unknown, base: string, depth = 0): { schema: JsonSchema; base: string } | undefined {
    if (!node || typeof node !== 'object' || Array.isArray(node)) return undefined;
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
    const out: string[] = [];
    for (const s of this.sections(type)) {
      if (s.title.toLowerCase() === normalized || s.key.replace(/_/g, ' ') === normalized || s.aliases.includes(normalized)) out.push(s.key);
    }
    return out;
  }

  /** The kinds of entity a document type may define. */
  entityKinds(type: DocType): string[] {
    const e = this.at(type, ['entities'])?.schema.properties;
    return e && typeof e === 'object' ? Object.keys(e) : [];
  }

  entitySchema(type: DocType, kind: EntityKind): { schema: JsonSchema; base: string } | undefined {
    return this.at(type, ['entities', kind, '[]']);
  }

  /** A property's schema within an entity or front matter schema. */
  propertySchema(owner: { schema: JsonSchema; base: string }, key: string): JsonSchema | undefined {
    const props = owner.schema.properties as Record<string, unknown> | undefined;
    return this.deref(props?.[key], owner.base)?.schema;
  }

  itemsSchema(schema: JsonSchema, base: string): JsonSchema | undefined {
    return this.deref(schema.items, base)?.schema;
  }
}

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

/** The types a schema accepts, read from `type`, `enum` and `const`. */
export function schemaTypes(s: JsonSchema | undefined): Set<string> {
  const out = new Set<string>();
  if (!s) return out;
  const t = s.type;
  if (typeof t === 'string') out.add(t);
  else if (Array.isArray(t)) for (const x of t) out.add(String(x));
  const values = Array.isArray(s.enum) ? s.enum : 'const' in s ? [s.const] : [];
  for (const v of values) out.add(typeof v === 'number' ? 'number' : typeof v === 'string' ? 'string' : typeof v);
  if (out.has('integer')) out.add('number');
  return out;
}
