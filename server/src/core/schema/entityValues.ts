/** An entity's properties as the schema reads them: canonical keys, coerced values, with ranges. */
import type { DocType, Entity } from '../model/types.js';
import type { Span } from '../text/lineIndex.js';
import { coerce } from './coerce.js';
import type { SchemaRegistry } from './registry.js';
import { canonicalKey } from './validate.js';

export interface EntityValue {
  readonly value: unknown;
  readonly raw: string;
  readonly keySpan: Span;
  readonly valueSpan: Span;
  readonly items: readonly { text: string; span: Span }[];
}

const cache = new WeakMap<Entity, Map<string, EntityValue>>();

export function entityValues(entity: Entity, type: DocType | undefined, registry: SchemaRegistry): Map<string, EntityValue> {
  const hit = cache.get(entity);
  if (hit) return hit;
  const out = new Map<string, EntityValue>();
  const owner = type ? registry.entitySchema(type, entity.kind) : undefined;
  for (const p of entity.properties) {
    const key = canonicalKey(p.key, owner?.schema);
    if (out.has(key)) continue;
    const ps = owner ? registry.propertySchema(owner, key) : undefined;
    const is = ps && owner ? registry.itemsSchema(ps, owner.base) : undefined;
    out.set(key, { value: coerce(p.raw, p.items, ps, is), raw: p.raw, keySpan: p.keySpan, valueSpan: p.valueSpan, items: p.items });
  }
  cache.set(entity, out);
  return out;
}

export function num(v: EntityValue | undefined): number | undefined {
  return typeof v?.value === 'number' && Number.isFinite(v.value) ? v.value : undefined;
}

export function str(v: EntityValue | undefined): string | undefined {
  return typeof v?.value === 'string' ? v.value : typeof v?.value === 'number' ? String(v.value) : undefined;
}

export function list(v: EntityValue | undefined): string[] {
  if (!v) return [];
  if (Array.isArray(v.value)) return v.value.filter((x): x is string => typeof x === 'string');
  return typeof v.value === 'string' && v.value ? [v.value] : [];
}
