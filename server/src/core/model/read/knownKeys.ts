/** Which property keys the schema knows per document type and entity kind (its properties and key aliases), for the tolerant reader. */
import type { EntityKind } from '../../ids.js';
import { normalizeKey } from '../properties.js';
import type { DocType } from '../types.js';
import type { KnownKey } from './reader.js';

interface EntitySchemas {
  kindSchema(type: DocType, kind: EntityKind): { schema: { [key: string]: unknown } } | undefined;
}

const memo = new WeakMap<object, KnownKey>();

export function knownKeys(registry: EntitySchemas): KnownKey {
  const hit = memo.get(registry);
  if (hit) return hit;
  const cache = new Map<string, Set<string>>();
  const f: KnownKey = (type, kind, key) => {
    if (!type) return false;
    const k = `${type}:${kind}`;
    let set = cache.get(k);
    if (!set) {
      set = new Set();
      const s = registry.kindSchema(type, kind)?.schema;
      const props = s?.['properties'];
      if (props && typeof props === 'object') for (const p of Object.keys(props)) if (p !== 'id' && p !== 'title') set.add(normalizeKey(p));
      const aliases = s?.['x-northstar-key-aliases'];
      if (aliases && typeof aliases === 'object') for (const a of Object.keys(aliases)) set.add(normalizeKey(a));
      cache.set(k, set);
    }
    return set.has(key);
  };
  memo.set(registry, f);
  return f;
}
