/**
 * Validation of a document model against its schema: the model becomes a JSON instance (with a
 * map from JSON pointers back to source ranges), ajv reports every error at once, and each error
 * goes to the rule unit of its code, which places it on the exact key, value, heading or ID it
 * concerns (rules/document/*).
 */
import { heldToFormat } from '../model/adoption.js';
import type { ErrorObject } from 'ajv';
import type { Diagnostic } from '../diagnostics.js';
import type { DocType, DocumentModel } from '../model/types.js';
import { span, type Span } from '../text/lineIndex.js';
import { canonicalKey, entityValues, frontMatterValues } from './entityValues.js';
import type { JsonSchema, SchemaRegistry } from './registry.js';

export interface Place {
  readonly key?: Span;
  readonly value?: Span;
  readonly anchor: Span;
  /** The value as written, for messages. */
  readonly raw?: string;
  /** The entity the place belongs to. */
  readonly entity?: string;
  /** A document field read from the body: it counts as present, its value is never a type error. */
  readonly fromBody?: boolean;
}

export interface Instance {
  readonly value: {
    frontMatter: Record<string, unknown>;
    sections: Record<string, true>;
    entities: Record<string, Record<string, unknown>[]>;
  };
  readonly places: Places;
}

/** JSON pointer → where it is written. */
export interface Places {
  get(path: string): Place | undefined;
}

/**
 * The places of an instance: the front matter's at once, each entity's when an error asks for one
 * of its pointers (a large document has thousands of properties and few errors).
 */
class LazyPlaces implements Places {
  readonly eager = new Map<string, Place>();
  /** `/entities/KIND/idx` → how to write that entity's places. */
  readonly entities = new Map<string, () => void>();

  get(path: string): Place | undefined {
    const m = /^\/entities\/[^/]+\/\d+/.exec(path);
    const fill = m ? this.entities.get(m[0]) : undefined;
    if (fill) {
      this.entities.delete(m![0]);
      fill();
    }
    return this.eager.get(path);
  }
}

export { canonicalKey } from './entityValues.js';

export function anchorOf(model: DocumentModel): Span {
  if (model.title) return model.title.span;
  if (model.frontMatter) return model.frontMatter.openSpan;
  return span(0, 0);
}

export function buildInstance(model: DocumentModel, type: DocType, registry: SchemaRegistry): Instance {
  const lazy = new LazyPlaces();
  const places = lazy.eager;
  const anchor = anchorOf(model);
  places.set('', { anchor });
  const frontMatter: Record<string, unknown> = {};
  places.set('/frontMatter', { anchor: model.frontMatter?.openSpan ?? span(0, 0) });
  // The values as read once (schema/entityValues.ts): validation checks what the strategy uses.
  const fmValues = frontMatterValues(model, type, registry);
  for (const f of model.frontMatter?.fields ?? []) {
    if (Object.prototype.hasOwnProperty.call(frontMatter, f.key)) continue;
    const v = fmValues.get(f.key)!.value;
    frontMatter[f.key] = v;
    const p = `/frontMatter/${esc(f.key)}`;
    places.set(p, { key: f.keySpan, value: f.valueSpan, anchor: f.valueSpan, raw: typeof f.value === 'string' ? f.value : JSON.stringify(f.value) });
    if (Array.isArray(v)) f.items.forEach((it, i) => places.set(`${p}/${i}`, { value: it.span, anchor: it.span, raw: it.text }));
  }
  // Fields the body writes where the front matter does not (model/read/documentFields.ts).
  for (const [key, v] of fmValues) {
    if (!v.fromBody || Object.prototype.hasOwnProperty.call(frontMatter, key)) continue;
    frontMatter[key] = v.value;
    places.set(`/frontMatter/${esc(key)}`, { key: v.keySpan, value: v.valueSpan, anchor: v.valueSpan, raw: v.raw, fromBody: true });
  }
  // A type the workspace's config file gives by glob is as good as `type:` written in the file.
  if (model.typeSource === 'config' && !Object.prototype.hasOwnProperty.call(frontMatter, 'type')) frontMatter.type = type;
  const sections: Record<string, true> = {};
  for (const s of model.sections) for (const k of registry.resolveSection(type, s.normalized)) sections[k] = true;
  places.set('/sections', { anchor });

  const entities: Record<string, Record<string, unknown>[]> = {};
  const kinds = new Set(registry.entityKinds(type));
  for (const e of model.entities) {
    if (!kinds.has(e.kind)) continue;
    const list = (entities[e.kind] ??= []);
    const idx = list.length;
    const base = `/entities/${e.kind}/${idx}`;
    const owner = registry.entitySchema(type, e.kind);
    const values = entityValues(e, type, registry, model.priorityScale);
    const obj: Record<string, unknown> = { id: e.id };
    if (e.title !== undefined) obj.title = e.title;
    if (e.description !== undefined) obj.description = e.description;
    /** The properties in the instance, in order, with their canonical keys (the first writing wins). */
    const written: [string, (typeof e.properties)[number]][] = [];
    for (const prop of e.properties) {
      const key = canonicalKey(prop.key, owner?.schema);
      if (key === 'id') continue;
      if (Object.prototype.hasOwnProperty.call(obj, key)) continue; // the first writing wins
      obj[key] = values.get(key)!.value;
      written.push([key, prop]);
    }
    if (e.kind === 'OBJ') obj.key_results = model.entities.filter((k) => k.kind === 'KR' && k.parent === e.id).map((k) => k.id);
    places.set(base, { anchor: e.idSpan, entity: e.id });
    lazy.entities.set(base, () => {
      if (e.title !== undefined) places.set(`${base}/title`, { anchor: e.titleSpan ?? e.idSpan, value: e.titleSpan ?? e.idSpan, raw: e.title, entity: e.id });
      for (const [key, prop] of written) {
        const p = `${base}/${esc(key)}`;
        places.set(p, { key: prop.keySpan, value: prop.valueSpan, anchor: prop.valueSpan, raw: prop.raw, entity: e.id });
        if (Array.isArray(obj[key])) prop.items.forEach((it, i) => places.set(`${p}/${i}`, { value: it.span, anchor: it.span, raw: it.text, entity: e.id }));
      }
      if (e.kind === 'OBJ') places.set(`${base}/key_results`, { anchor: e.idSpan, entity: e.id });
    });
    list.push(obj);
  }
  return { value: { frontMatter, sections, entities }, places: lazy };
}

/** Escapes a key for a JSON pointer. */
export function esc(s: string): string {
  return s.replace(/~/g, '~0').replace(/\//g, '~1');
}

function placeFor(places: Places, path: string): Place {
  let p = path;
  for (;;) {
    const hit = places.get(p);
    if (hit) return hit;
    if (p === '') return { anchor: span(0, 0) };
    p = p.slice(0, p.lastIndexOf('/'));
  }
}

function lastSegment(path: string): string {
  const s = path.slice(path.lastIndexOf('/') + 1).replace(/~1/g, '/').replace(/~0/g, '~');
  return /^\d+$/.test(s) ? lastSegment(path.slice(0, path.lastIndexOf('/'))) : s;
}

/** One ajv error with what the rules need to place and word it. */
export interface SchemaError {
  readonly err: ErrorObject;
  readonly model: DocumentModel;
  readonly type: DocType;
  readonly registry: SchemaRegistry;
  /** The JSON pointer of the error (ajv's instancePath). */
  readonly path: string;
  readonly places: Places;
  /** Where the error's value is written (or its nearest written parent). */
  readonly place: Place;
  /** The schema holding the failed keyword. */
  readonly parent: JsonSchema;
  /** The property the error is about (the last non-index segment of the path). */
  readonly name: string;
  /** The value as written, or ''. */
  readonly raw: string;
  readonly noFrontMatter: boolean;
}

/**
 * Schema validation: every ajv error goes to the rule unit whose code it is (see
 * rules/catalog.ts, SCHEMA_RULES); an error no unit claims is a schema-violation.
 */
export function validateModel(model: DocumentModel, type: DocType, registry: SchemaRegistry, rules: readonly SchemaRule[]): Diagnostic[] {
  const { value, places } = buildInstance(model, type, registry);
  const errors = registry.validate(type, value);
  const out: Diagnostic[] = [];
  const seen = new Set<string>();
  const noFrontMatter = !model.frontMatter;
  for (const err of errors) {
    if (err.keyword === 'if') continue;
    const path = err.instancePath;
    const place = placeFor(places, path);
    // A value read from the body is the document's own words, never a type error (model/read/documentFields.ts).
    if (place.fromBody) continue;
    // The format's required properties do not bind an entity read without an ID (model/adoption.ts).
    if (err.keyword === 'required' && place.entity !== undefined && !heldToFormat(model.entities.find((x) => x.id === place.entity))) continue;
    const e: SchemaError = { err, model, type, registry, path, places, place, parent: (err.parentSchema ?? {}) as JsonSchema, name: lastSegment(path), raw: place.raw ?? '', noFrontMatter };
    let d: Diagnostic | undefined;
    for (const r of rules) if ((d = r.fromSchemaError(e))) break;
    if (!d) continue;
    const key = `${d.code}|${d.span.start}|${d.span.end}|${d.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(d);
  }
  return out;
}

/** A rule that reads ajv errors (the last of the list, schema-violation, claims every error). */
export interface SchemaRule {
  fromSchemaError(e: SchemaError): Diagnostic | undefined;
}
