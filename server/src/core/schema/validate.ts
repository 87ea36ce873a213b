/**
 * Validation of a document model against its schema: the model becomes a JSON instance (with a
 * map from JSON pointers back to source ranges), ajv reports every error at once, and each error
 * becomes a diagnostic on the exact key, value, heading or ID it concerns.
 */
import type { ErrorObject } from 'ajv';
import { diag, type Diagnostic } from '../diagnostics.js';
import { ID_EXACT, KIND_NAMES, idKind, withArticle, type EntityKind } from '../ids.js';
import type { DocType, DocumentModel, Entity } from '../model/types.js';
import { span, type Span } from '../text/lineIndex.js';
import { nearest } from '../text/similar.js';
import { coerce } from './coerce.js';
import type { JsonSchema, SchemaRegistry } from './registry.js';

interface Place {
  readonly key?: Span;
  readonly value?: Span;
  readonly anchor: Span;
  /** The value as written, for messages. */
  readonly raw?: string;
  /** The entity the place belongs to. */
  readonly entity?: string;
}

export interface Instance {
  readonly value: {
    frontMatter: Record<string, unknown>;
    sections: Record<string, true>;
    entities: Record<string, Record<string, unknown>[]>;
  };
  readonly places: Map<string, Place>;
}

const GLOBAL_KEY_ALIASES: Record<string, string> = { name: 'title' };

/** Resolves a written property key to the schema's key. */
export function canonicalKey(key: string, entitySchema: JsonSchema | undefined): string {
  const aliases = (entitySchema?.['x-northstar-key-aliases'] ?? {}) as Record<string, string>;
  const props = (entitySchema?.properties ?? {}) as Record<string, unknown>;
  if (Object.prototype.hasOwnProperty.call(props, key)) return key;
  if (Object.prototype.hasOwnProperty.call(aliases, key)) return aliases[key]!;
  return GLOBAL_KEY_ALIASES[key] ?? key;
}

export function anchorOf(model: DocumentModel): Span {
  if (model.title) return model.title.span;
  if (model.frontMatter) return model.frontMatter.openSpan;
  return span(0, 0);
}

export function buildInstance(model: DocumentModel, type: DocType, registry: SchemaRegistry): Instance {
  const places = new Map<string, Place>();
  const anchor = anchorOf(model);
  places.set('', { anchor });
  const frontMatter: Record<string, unknown> = {};
  places.set('/frontMatter', { anchor: model.frontMatter?.openSpan ?? span(0, 0) });
  const fmOwner = registry.at(type, ['frontMatter']);
  for (const f of model.frontMatter?.fields ?? []) {
    if (Object.prototype.hasOwnProperty.call(frontMatter, f.key)) continue;
    const ps = fmOwner ? registry.propertySchema(fmOwner, f.key) : undefined;
    const is = ps && fmOwner ? registry.itemsSchema(ps, fmOwner.base) : undefined;
    const v = coerce(f.value, f.items, ps, is);
    frontMatter[f.key] = v;
    const p = `/frontMatter/${esc(f.key)}`;
    places.set(p, { key: f.keySpan, value: f.valueSpan, anchor: f.valueSpan, raw: typeof f.value === 'string' ? f.value : JSON.stringify(f.value) });
    if (Array.isArray(v)) f.items.forEach((it, i) => places.set(`${p}/${i}`, { value: it.span, anchor: it.span, raw: it.text }));
  }
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
    places.set(base, { anchor: e.idSpan, entity: e.id });
    const owner = registry.entitySchema(type, e.kind);
    const obj: Record<string, unknown> = { id: e.id };
    if (e.title !== undefined) {
      obj.title = e.title;
      places.set(`${base}/title`, { anchor: e.titleSpan ?? e.idSpan, value: e.titleSpan ?? e.idSpan, raw: e.title, entity: e.id });
    }
    if (e.description !== undefined) obj.description = e.description;
    for (const prop of e.properties) {
      const key = canonicalKey(prop.key, owner?.schema);
      if (key === 'id') continue;
      if (Object.prototype.hasOwnProperty.call(obj, key)) continue; // the first writing wins
      const ps = owner ? registry.propertySchema(owner, key) : undefined;
      const is = ps && owner ? registry.itemsSchema(ps, owner.base) : undefined;
      const v = coerce(prop.raw, prop.items, ps, is);
      obj[key] = v;
      const p = `${base}/${esc(key)}`;
      places.set(p, { key: prop.keySpan, value: prop.valueSpan, anchor: prop.valueSpan, raw: prop.raw, entity: e.id });
      if (Array.isArray(v)) prop.items.forEach((it, i) => places.set(`${p}/${i}`, { value: it.span, anchor: it.span, raw: it.text, entity: e.id }));
    }
    if (e.kind === 'OBJ') {
      obj.key_results = model.entities.filter((k) => k.kind === 'KR' && k.parent === e.id).map((k) => k.id);
      places.set(`${base}/key_results`, { anchor: e.idSpan, entity: e.id });
    }
    list.push(obj);
  }
  return { value: { frontMatter, sections, entities }, places };
}

function esc(s: string): string {
  return s.replace(/~/g, '~0').replace(/\//g, '~1');
}

function placeFor(places: Map<string, Place>, path: string): Place {
  let p = path;
  for (;;) {
    const hit = places.get(p);
    if (hit) return hit;
    if (p === '') return { anchor: span(0, 0) };
    p = p.slice(0, p.lastIndexOf('/'));
  }
}

function listWords(values: readonly unknown[]): string {
  const v = values.map((x) => `\`${String(x)}\``);
  return v.length <= 1 ? v.join('') : `${v.slice(0, -1).join(', ')} or ${v[v.length - 1]}`;
}

function lastSegment(path: string): string {
  const s = path.slice(path.lastIndexOf('/') + 1).replace(/~1/g, '/').replace(/~0/g, '~');
  return /^\d+$/.test(s) ? lastSegment(path.slice(0, path.lastIndexOf('/'))) : s;
}

function what(path: string): string {
  return path.startsWith('/frontMatter') ? 'front matter field' : 'property';
}

export function validateModel(model: DocumentModel, type: DocType, registry: SchemaRegistry): Diagnostic[] {
  const { value, places } = buildInstance(model, type, registry);
  const errors = registry.validate(type, value);
  const out: Diagnostic[] = [];
  const seen = new Set<string>();
  const noFrontMatter = !model.frontMatter;
  for (const err of errors) {
    if (err.keyword === 'if') continue;
    const d = toDiagnostic(err, model, type, registry, places, noFrontMatter);
    if (!d) continue;
    const key = `${d.code}|${d.span.start}|${d.span.end}|${d.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(d);
  }
  out.push(...structureChecks(model, type, registry));
  return out;
}

function toDiagnostic(err: ErrorObject, model: DocumentModel, type: DocType, registry: SchemaRegistry, places: Map<string, Place>, noFrontMatter: boolean): Diagnostic | undefined {
  const path = err.instancePath;
  const place = placeFor(places, path);
  const parent = (err.parentSchema ?? {}) as JsonSchema;
  const name = lastSegment(path);
  const raw = place.raw ?? '';
  switch (err.keyword) {
    case 'required': {
      const missing = String((err.params as { missingProperty: string }).missingProperty);
      if (path === '/frontMatter') {
        const desc = registry.frontMatterProperties(type)[missing]?.description;
        const why = typeof desc === 'string' ? ` (${firstSentence(desc)})` : '';
        if (noFrontMatter) {
          const fields = registry.frontMatterRequired(type).join(', ');
          return diag('missing-field', span(0, 0), `This ${type} has no front matter: start the file with a \`---\` block holding ${fields}.`, { data: { field: missing, all: true } });
        }
        return diag('missing-field', place.anchor, `Missing required front matter field \`${missing}\`${why}.`, { data: { field: missing } });
      }
      if (path === '/sections') {
        const all = registry.sections(type);
        const info = all.find((s) => s.key === missing);
        const title = info?.title ?? missing;
        const required = all.filter((s) => s.required).map((s) => s.title).join(', ');
        return diag('missing-section', place.anchor, `Missing section \`## ${title}\`. A ${type} needs: ${required}.`, { data: { section: missing, title } });
      }
      if (path.startsWith('/entities/')) {
        const ent = place.entity ?? '';
        const owner = registry.entitySchema(type, path.split('/')[2] as EntityKind);
        const ps = owner ? registry.propertySchema(owner, missing) : undefined;
        const desc = typeof ps?.description === 'string' ? ` ${firstSentence(ps.description)}` : '';
        return diag('missing-property', place.anchor, `${ent} has no \`${missing}\`.${desc ? ` Expected:${desc}` : ''}`, { data: { property: missing, entity: ent } });
      }
      return diag('schema-violation', place.anchor, `Missing \`${missing}\`.`);
    }
    case 'additionalProperties': {
      const extra = String((err.params as { additionalProperty: string }).additionalProperty);
      const p = places.get(`${path}/${esc(extra)}`) ?? place;
      const props = Object.keys((parent.properties ?? {}) as object).filter((k) => k !== 'id' && k !== 'key_results');
      const aliases = Object.keys((parent['x-northstar-key-aliases'] ?? {}) as object);
      const near = nearest(extra, [...props, ...aliases]);
      const canonical = near ? canonicalKey(near, parent) : undefined;
      const where = path.startsWith('/frontMatter') ? `front matter key \`${extra}\`` : `property \`${extra}\` of ${place.entity ?? 'this entity'}`;
      const hint = canonical ? ` Did you mean \`${canonical}\`?` : ` Known: ${props.join(', ')}.`;
      return diag('unknown-key', p.key ?? p.anchor, `Unknown ${where}.${hint}`, { data: { key: extra, ...(canonical ? { suggestion: canonical } : {}), known: props } });
    }
    case 'enum':
    case 'const': {
      const allowed = err.keyword === 'enum' ? ((err.params as { allowedValues: unknown[] }).allowedValues ?? []) : [(err.params as { allowedValue: unknown }).allowedValue];
      const near = typeof raw === 'string' && raw ? nearest(raw, allowed.map(String)) : undefined;
      const hint = near ? ` Did you mean \`${near}\`?` : '';
      return diag('invalid-value', place.value ?? place.anchor, `\`${raw}\` is not a valid ${name}: expected ${listWords(allowed)}.${hint}`, {
        data: { expected: allowed, ...(near ? { suggestion: near } : {}), key: name },
      });
    }
    case 'type': {
      const t = String((err.params as { type: string }).type).replace(',', ' or ');
      const expected = typeof parent['x-northstar-expected'] === 'string' ? parent['x-northstar-expected'] : article(t);
      return diag('invalid-value', place.value ?? place.anchor, `Expected ${expected} for \`${name}\`, got \`${raw}\`.`, { data: { key: name } });
    }
    case 'format':
    case 'pattern': {
      const expected = typeof parent['x-northstar-expected'] === 'string' ? parent['x-northstar-expected'] : err.keyword === 'format' ? `a ${String((err.params as { format: string }).format)}` : `a value matching ${String((err.params as { pattern: string }).pattern)}`;
      const refKind = parent['x-northstar-ref'];
      const gotKind = ID_EXACT.test(raw.trim()) ? idKind(raw.trim()) : undefined;
      if (err.keyword === 'pattern' && typeof refKind === 'string' && gotKind && gotKind !== refKind) {
        return diag('wrong-reference-kind', place.value ?? place.anchor, `${raw.trim()} is ${withArticle(gotKind)}, but \`${name}\` expects ${expected}.`, { data: { key: name, expectedKind: refKind } });
      }
      return diag(err.keyword === 'pattern' && /ID/.test(String(expected)) ? 'invalid-id' : 'invalid-value', place.value ?? place.anchor, `Expected ${expected} for \`${name}\`, got \`${raw}\`.`, { data: { key: name } });
    }
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum': {
      const limit = (err.params as { limit: number }).limit;
      const shown = raw.trim().endsWith('%') ? `${Math.round(limit * 100)}%` : String(limit);
      const words = { minimum: 'at least', maximum: 'at most', exclusiveMinimum: 'above', exclusiveMaximum: 'below' }[err.keyword];
      return diag('invalid-value', place.value ?? place.anchor, `\`${name}\` must be ${words} ${shown}, got \`${raw}\`.`, { data: { key: name, limit } });
    }
    case 'minItems':
    case 'maxItems': {
      if (name === 'key_results') {
        const count = model.entities.filter((k) => k.kind === 'KR' && k.parent === place.entity).length;
        return diag('invalid-value', place.anchor, `An objective has one to five key results; ${place.entity} has ${count}.`, { data: { key: name, count } });
      }
      const limit = (err.params as { limit: number }).limit;
      return diag('invalid-value', place.value ?? place.anchor, `\`${name}\` needs ${err.keyword === 'minItems' ? 'at least' : 'at most'} ${limit} item${limit === 1 ? '' : 's'}.`, { data: { key: name } });
    }
    case 'minLength':
      return diag('invalid-value', place.value ?? place.anchor, `\`${name}\` is empty.`, { data: { key: name } });
    default:
      return diag('schema-violation', place.value ?? place.anchor, `\`${name || 'document'}\` ${err.message ?? 'breaks the schema'}.`);
  }
}

function article(t: string): string {
  return /^[aeiou]/.test(t) ? `an ${t}` : `a ${t}`;
}

function firstSentence(s: string): string {
  const m = /^(.*?[.!?])(\s|$)/.exec(s);
  return (m ? m[1]! : s).replace(/\.$/, '').replace(/^[A-Z](?=[a-z]+\b)/, (c) => c.toLowerCase());
}

/** Where entities live: features under Features, key results inside an objective, kinds per type. */
function structureChecks(model: DocumentModel, type: DocType, registry: SchemaRegistry): Diagnostic[] {
  const out: Diagnostic[] = [];
  const kinds = new Set(registry.entityKinds(type));
  const byId = new Map<string, Entity>(model.entities.map((e) => [e.id, e]));
  for (const e of model.entities) {
    if (!kinds.has(e.kind)) {
      out.push(diag('misplaced-entity', e.idSpan, `A ${type} does not define ${KIND_NAMES[e.kind]}s (${e.id}); ${placeOfKind(e.kind)}.`));
      continue;
    }
    const owner = registry.entitySchema(type, e.kind);
    const wanted = owner?.schema['x-northstar-sections'];
    const known = Array.isArray(wanted) ? wanted.filter((k): k is string => typeof k === 'string' && registry.sections(type).some((s) => s.key === k)) : [];
    if (known.length && !e.sectionKeys.some((k) => known.includes(k))) {
      const titles = known.map((k) => registry.sections(type).find((s) => s.key === k)!.title);
      out.push(diag('misplaced-entity', e.idSpan, `${e.id} is outside ${titles.map((t) => `\`## ${t}\``).join(' or ')}; ${KIND_NAMES[e.kind]}s belong there.`));
    }
    const parentKind = owner?.schema['x-northstar-parent'];
    if (typeof parentKind === 'string' && (!e.parent || byId.get(e.parent)?.kind !== parentKind)) {
      out.push(diag('misplaced-entity', e.idSpan, `${e.id} is not inside ${KIND_NAMES[parentKind as EntityKind] ?? parentKind}: put it under an \`## ${parentKind}-...\` heading.`));
    }
  }
  return out;
}

function placeOfKind(kind: EntityKind): string {
  switch (kind) {
    case 'OBJ':
    case 'KR':
      return 'objectives and key results belong in an OKR document';
    case 'FEAT':
      return 'features belong in a PRD';
    case 'KPI':
      return 'KPIs belong in the brief or a PRD';
    default:
      return 'personas belong in the brief or a PRD';
  }
}
