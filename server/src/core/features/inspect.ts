/**
 * Inspect: what Northstar understood in a document — its type and every entity with its kind,
 * ID, title, line, properties and parent. Plain data, the shape of `northstar inspect --format
 * json` (schemas/contracts/inspect-output.v1.schema.json) less the path, which the host adds.
 * Lines are 1-based, through the document's LineIndex.
 */
import type { Analysis } from '../analysis.js';
import type { EntityKind } from '../ids.js';
import type { DocType, Entity } from '../model/types.js';
import { entityValues, frontMatterValues, readingNote } from '../schema/entityValues.js';
import type { FeatureContext } from './context.js';

export type InspectedKind = 'feature' | 'kpi' | 'objective' | 'key-result' | 'persona';

/** The model's ID prefixes, in the words of the inspect contract. */
export const INSPECTED_KIND: Record<EntityKind, InspectedKind> = {
  FEAT: 'feature',
  KPI: 'kpi',
  OBJ: 'objective',
  KR: 'key-result',
  PERSONA: 'persona',
};

/** A property value as the schema reads it (coerced: `80%` → 0.8, `Must have` → `must`). */
export type InspectedValue = string | number | boolean | null | readonly InspectedValue[] | { readonly [key: string]: InspectedValue };

export interface InspectedEntity {
  readonly id: string;
  readonly kind: InspectedKind;
  /** The title as written; the empty string when none is. */
  readonly title: string;
  /** 1-based line of the heading or table row that defines it. */
  readonly line: number;
  /** The ID is written in the document (false: derived from a label or the title). */
  readonly idWritten: boolean;
  /** Canonical key (schema aliases resolved) → coerced value (null when written as not set: `TBD`, `N/A`, `-`); the first writing of a key wins. */
  readonly properties: Readonly<Record<string, InspectedValue>>;
  /** The ID of the entity it belongs to (a key result's objective), or null. */
  readonly parent: string | null;
  /** What a reading kept beside a value, in words, by key (`Note: Phase 2.`); only when there is any. */
  readonly notes?: Readonly<Record<string, string>>;
}

export interface InspectedDocument {
  readonly type: DocType | null;
  readonly entities: readonly InspectedEntity[];
  /** The document fields read from its text where the front matter lacks them (the H1 as title, `**Status**: Draft`): key → value as read (null when not set); only when there is any. */
  readonly fieldsFromText?: Readonly<Record<string, InspectedValue>>;
}

/** A JSON value, or the text as written when the coerced value is not one (never undefined). */
function jsonValue(value: unknown, raw: string): InspectedValue {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : raw;
  if (Array.isArray(value)) return value.map((v) => jsonValue(v, String(v)));
  if (typeof value === 'object') return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, jsonValue(v, String(v))]));
  return raw;
}

function inspectEntity(ctx: FeatureContext, a: Analysis, e: Entity): InspectedEntity {
  // fromEntries defines own properties, so a key written `__proto__` stays a key.
  const values = [...entityValues(e, a.model.type, ctx.registry, a.model.priorityScale)];
  const properties = Object.fromEntries(values.map(([key, v]) => [key, v.read.kind === 'not-set' ? null : jsonValue(v.value, v.raw)]));
  const notes = Object.fromEntries(values.flatMap(([key, v]) => (readingNote(v) ? [[key, readingNote(v)!]] : [])));
  return {
    id: e.id,
    kind: INSPECTED_KIND[e.kind],
    title: e.title ?? '',
    line: a.lines.humanPosition(e.headingSpan.start).line,
    // Written when the ID itself stands at its span; a derived ID points at the label or title it came from.
    idWritten: a.text.slice(e.idSpan.start, e.idSpan.end) === e.id,
    properties,
    parent: e.parent ?? null,
    ...(Object.keys(notes).length ? { notes } : {}),
  };
}

export function inspectDocument(ctx: FeatureContext, a: Analysis): InspectedDocument {
  const type = a.model.type;
  const fromText = type && a.model.bodyFields?.length ? [...frontMatterValues(a.model, type, ctx.registry)].filter(([, v]) => v.fromBody) : [];
  const fieldsFromText = Object.fromEntries(fromText.map(([key, v]) => [key, v.read.kind === 'not-set' ? null : jsonValue(v.value, v.raw)]));
  return { type: type ?? null, entities: a.model.entities.map((e) => inspectEntity(ctx, a, e)), ...(fromText.length ? { fieldsFromText } : {}) };
}
