/**
 * Values read once: every front matter field and entity property of a document, read as its
 * schema says — canonical key, coerced value (what ajv validates) and a typed reading (number,
 * percentage, date, period, IDs, enum value, list, text). Computed once per (document model,
 * registry); validation, the document rules, the strategy and the completion read these instead
 * of walking back into the registry and coerce.ts.
 */
import { ID_EXACT } from '../ids.js';
import { isWordedValue } from '../model/adoption.js';
import type { DocType, DocumentModel, Entity } from '../model/types.js';
import { parsePeriod, type Period } from '../model/values.js';
import type { Span } from '../text/lineIndex.js';
import { boundDirection, readingNotes, readValue, type Coerced, type NumberReading, type PriorityScale } from './coerce.js';
import { schemaTypes, type JsonSchema, type SchemaRegistry } from './registry.js';

/** A value as its schema reads it. */
export type Reading =
  /** A number with what was written around it: unit, comparison (`<500ms`), start of a change, remark. */
  | ({ readonly kind: 'number' } & NumberReading)
  | { readonly kind: 'date' | 'period'; readonly period: Period }
  | { readonly kind: 'ids'; readonly ids: readonly { readonly id: string; readonly span: Span }[] }
  /** A choice; `note` keeps a qualifier written with it (`Must Have (Phase 2)` → `Phase 2`). */
  | { readonly kind: 'enum'; readonly value: string; readonly note?: string }
  /** Written as a placeholder (`TBD`, `N/A`, `-`, `?`) or left empty: absent for the schema. */
  | { readonly kind: 'not-set'; readonly written: string }
  | { readonly kind: 'list'; readonly items: readonly string[] }
  | { readonly kind: 'text'; readonly text: string }
  /** Not what the schema expects (validation reports it), or not a plain value. */
  | { readonly kind: 'unread' };

export interface EntityValue {
  /** The coerced value: what the schema validates. */
  readonly value: unknown;
  /** The typed reading of the value. */
  readonly read: Reading;
  readonly raw: string;
  /** Written as a plain string or number (not a list, a boolean or a mapping). */
  readonly scalar: boolean;
  readonly keySpan: Span;
  readonly valueSpan: Span;
  readonly items: readonly { text: string; span: Span }[];
  /** A document field read from the body (`**Status**: Draft`, the H1 as title), not from front matter. */
  readonly fromBody?: boolean;
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

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function isIdSchema(s: JsonSchema | undefined): boolean {
  return typeof s?.['x-northstar-ref'] === 'string' || (typeof s?.pattern === 'string' && /^\^\(?(?:\?:)?[A-Z]+[-|]/.test(s.pattern));
}

const ID_LIKE = /^[A-Z]+-/;
const idItems = (items: readonly { text: string; span: Span }[]) => items.filter((i) => ID_LIKE.test(i.text)).map((i) => ({ id: i.text, span: i.span }));

function isPeriodSchema(s: JsonSchema | undefined): boolean {
  return s?.format === 'date' || (typeof s?.pattern === 'string' && /Q\[1-4\]/.test(s.pattern));
}

function isNumberOnly(s: JsonSchema | undefined): boolean {
  const types = schemaTypes(s);
  return types.has('number') && !types.has('string');
}

/** How the schema reads a coerced value. */
export function readingOf(c: Coerced, raw: string, items: readonly { text: string; span: Span }[], ps: JsonSchema | undefined, is: JsonSchema | undefined): Reading {
  const value = c.value;
  if (c.notSet) return { kind: 'not-set', written: raw.trim() };
  if (Array.isArray(value)) {
    if (isIdSchema(is)) return { kind: 'ids', ids: idItems(items) };
    return { kind: 'list', items: value.filter((x): x is string => typeof x === 'string') };
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return { kind: 'unread' };
    return c.number ? { kind: 'number', ...c.number } : { kind: 'number', number: value, percent: raw.trim().endsWith('%') };
  }
  if (typeof value !== 'string') return { kind: 'unread' };
  if (Array.isArray(ps?.enum)) return ps.enum.includes(value) ? { kind: 'enum', value, ...(c.note ? { note: c.note } : {}) } : { kind: 'unread' };
  if (isPeriodSchema(ps)) {
    // A date field takes only a day (`Q1 2026` there is not a date).
    const period = ps?.format === 'date' && !DATE.test(value) ? undefined : parsePeriod(value);
    return period ? { kind: DATE.test(value) ? 'date' : 'period', period } : { kind: 'unread' };
  }
  if (isIdSchema(ps)) return ID_EXACT.test(value) ? { kind: 'ids', ids: idItems(items) } : { kind: 'unread' };
  if (schemaTypes(ps).has('number') && !schemaTypes(ps).has('string')) return { kind: 'unread' };
  return { kind: 'text', text: value };
}

function valueOf(raw: string, scalar: boolean, rawValue: unknown, items: readonly { text: string; span: Span }[], keySpan: Span, valueSpan: Span, owner: { schema: JsonSchema; base: string } | undefined, key: string, registry: SchemaRegistry, scale?: PriorityScale): EntityValue {
  const ps = owner ? registry.propertySchema(owner, key) : undefined;
  const is = ps && owner ? registry.itemsSchema(ps, owner.base) : undefined;
  const c = readValue(rawValue, items, ps, is, scale);
  return { value: c.value, read: readingOf(c, raw, items, ps, is), raw, scalar, keySpan, valueSpan, items };
}

const entityCache = new WeakMap<Entity, { registry: SchemaRegistry; type: DocType | undefined; scale: PriorityScale | undefined; values: Map<string, EntityValue> }>();

/**
 * An entity's properties by canonical key (the first writing of a key wins). `scale` is the
 * document's P-scale (`model.priorityScale`): `P1` is read through it.
 */
export function entityValues(entity: Entity, type: DocType | undefined, registry: SchemaRegistry, scale?: PriorityScale): Map<string, EntityValue> {
  const hit = entityCache.get(entity);
  if (hit && hit.registry === registry && hit.type === type && hit.scale === scale) return hit.values;
  const out = new Map<string, EntityValue>();
  const owner = type ? registry.kindSchema(type, entity.kind) : undefined;
  for (const p of entity.properties) {
    const key = canonicalKey(p.key, owner?.schema);
    if (out.has(key)) continue;
    const v = valueOf(p.raw, true, p.raw, p.items, p.keySpan, p.valueSpan, owner, key, registry, scale);
    // A number stated in words on an entity read without an ID (`Single region`): a note, not a type error (adoption.ts).
    const worded = v.read.kind === 'unread' && typeof v.value === 'string' && owner && isNumberOnly(registry.propertySchema(owner, key)) && isWordedValue(entity, v.value);
    out.set(key, worded ? { ...v, value: undefined, read: { kind: 'text', text: v.value as string } } : v);
  }
  entityCache.set(entity, { registry, type, scale, values: out });
  return out;
}

/**
 * The same entity moved `by` characters in its text (incremental extraction, model/incremental.ts):
 * `to` gets the values cached for `from`, moved, instead of reading them again.
 */
export function moveEntityValues(from: Entity, to: Entity, by: number): void {
  const hit = entityCache.get(from);
  if (!hit || entityCache.has(to)) return;
  const s = (x: Span): Span => ({ start: x.start + by, end: x.end + by });
  const values = new Map<string, EntityValue>();
  for (const [k, v] of hit.values) {
    const read: Reading = v.read.kind === 'ids' ? { ...v.read, ids: v.read.ids.map((i) => ({ ...i, span: s(i.span) })) } : v.read;
    values.set(k, { ...v, read, keySpan: s(v.keySpan), valueSpan: s(v.valueSpan), items: v.items.map((i) => ({ ...i, span: s(i.span) })) });
  }
  entityCache.set(to, { ...hit, values });
}

const frontMatterCache = new WeakMap<DocumentModel, { registry: SchemaRegistry; type: DocType; values: Map<string, EntityValue> }>();

/** A document's front matter fields by key (the first writing of a key wins). */
export function frontMatterValues(model: DocumentModel, type: DocType, registry: SchemaRegistry): Map<string, EntityValue> {
  const hit = frontMatterCache.get(model);
  if (hit && hit.registry === registry && hit.type === type) return hit.values;
  const out = new Map<string, EntityValue>();
  const owner = registry.at(type, ['frontMatter']);
  for (const f of model.frontMatter?.fields ?? []) {
    if (out.has(f.key)) continue;
    const scalar = typeof f.value === 'string' || typeof f.value === 'number';
    const raw = typeof f.value === 'string' ? f.value : scalar ? String(f.value) : (JSON.stringify(f.value) ?? '');
    out.set(f.key, valueOf(raw, scalar, f.value, f.items, f.keySpan, f.valueSpan, owner, f.key, registry));
  }
  // Fields the body writes (model/read/documentFields.ts), for the keys the schema knows: front matter wins.
  const known = registry.frontMatterProperties(type);
  for (const f of model.bodyFields ?? []) {
    if (out.has(f.key) || f.key === 'type' || !Object.prototype.hasOwnProperty.call(known, f.key)) continue;
    // A value that is only a bracketed slot (`[Product Lead Name]`, `[DATE]`) is a template's: not set.
    const slot = /^\[[^[\]]*\]$/.test(f.value);
    out.set(f.key, { ...valueOf(f.value, true, slot ? null : f.value, f.items, f.keySpan, f.valueSpan, owner, f.key, registry), fromBody: true });
  }
  frontMatterCache.set(model, { registry, type, values: out });
  return out;
}

export function num(v: EntityValue | undefined): number | undefined {
  return v?.read.kind === 'number' ? v.read.number : undefined;
}

export function str(v: EntityValue | undefined): string | undefined {
  return typeof v?.value === 'string' ? v.value : typeof v?.value === 'number' ? String(v.value) : undefined;
}

/** A value written as a plain string or number, as trimmed text (what a document's own fields are read as); undefined when not set. */
export function scalar(v: EntityValue | undefined): string | undefined {
  if (v?.read.kind === 'not-set') return undefined;
  return v?.scalar ? (typeof v.value === 'string' ? v.value : typeof v.value === 'number' ? String(v.value) : v.raw.trim()) : undefined;
}

/** The IDs of one kind a value lists (`KPI-a, KPI-b`), with their ranges. */
export function ids(v: EntityValue | undefined, kind: string): { id: string; span: Span }[] {
  return (v?.items ?? []).filter((i) => i.text.startsWith(`${kind}-`)).map((i) => ({ id: i.text, span: i.span }));
}

/** The direction a value's written comparison implies: a target `<500ms` is down (lower is better), `≥90%` up. */
export function writtenDirection(v: EntityValue | undefined): 'up' | 'down' | undefined {
  return v?.read.kind === 'number' ? boundDirection(v.read) : undefined;
}

/** What a value's reading kept besides the value, in words (`Note: Phase 2.`), or undefined. */
export function readingNote(v: EntityValue): string | undefined {
  const r = v.read;
  if (r.kind === 'text' && v.value === undefined) return 'Written in words, not as a number: kept as a note.';
  const c = r.kind === 'not-set' ? { value: undefined, notSet: true } : r.kind === 'number' ? { value: r.number, number: r } : r.kind === 'enum' && r.note ? { value: r.value, note: r.note } : undefined;
  const notes = c ? readingNotes(c) : [];
  return notes.length ? notes.join(' ') : undefined;
}

/** The start of a change written in a value (`90% → 95%`, `from 12% to 20%`: 0.9, 0.12), or undefined. */
export function changeStart(v: EntityValue | undefined): number | undefined {
  return v?.read.kind === 'number' ? v.read.from : undefined;
}
