/**
 * Turns values as written into the values the schema expects: `80%` -> 0.8, `Must have` ->
 * `must`, `High` -> 1 (by the schema's `x-northstar-aliases`), `KPI-a, KPI-b` -> a list.
 * What cannot be read is returned as written, so the schema reports it.
 */
import { schemaTypes, type JsonSchema } from './registry.js';

const NUMBER = /^([-+]?)[$€£¥]?\s*(\d{1,3}(?:[,_ ]\d{3})+|\d+)(\.\d+)?\s*(%|[kKmM](?![a-z]))?\s*([A-Za-z][A-Za-z\- ]{0,20})?$/;

export function parseNumber(s: string): number | undefined {
  const m = NUMBER.exec(s.trim());
  if (!m) return undefined;
  let n = Number(`${m[1]}${m[2]!.replace(/[,_ ]/g, '')}${m[3] ?? ''}`);
  if (!Number.isFinite(n)) return undefined;
  const suffix = m[4];
  if (suffix === '%') n = n / 100;
  else if (suffix === 'k' || suffix === 'K') n *= 1e3;
  else if (suffix === 'm' || suffix === 'M') n *= 1e6;
  return Math.round(n * 1e9) / 1e9;
}

function aliasOf(s: string, schema: JsonSchema): unknown {
  const aliases = schema['x-northstar-aliases'];
  if (!aliases || typeof aliases !== 'object' || Array.isArray(aliases)) return undefined;
  const key = s.trim().toLowerCase().replace(/[’]/g, "'").replace(/\s+/g, ' ');
  return Object.prototype.hasOwnProperty.call(aliases, key) ? (aliases as Record<string, unknown>)[key] : undefined;
}

export function coerceScalar(value: unknown, schema: JsonSchema | undefined): unknown {
  if (!schema) return typeof value === 'string' ? value.trim() : value;
  const types = schemaTypes(schema);
  if (typeof value === 'string') {
    const s = value.trim();
    const alias = aliasOf(s, schema);
    if (alias !== undefined) return alias;
    const values = Array.isArray(schema.enum) ? schema.enum : 'const' in schema ? [schema.const] : undefined;
    if (values) {
      const hit = values.find((v) => typeof v === 'string' && v.toLowerCase() === s.toLowerCase());
      if (hit !== undefined) return hit;
    }
    if (types.has('number') && s !== '') {
      const n = parseNumber(s);
      if (n !== undefined) return n;
    }
    return s;
  }
  if ((typeof value === 'number' || typeof value === 'boolean') && !types.has(typeof value) && types.has('string')) return String(value);
  return value;
}

/** Coerces a value (YAML value or written text) with its comma-split items. */
export function coerce(value: unknown, items: readonly { text: string }[], schema: JsonSchema | undefined, itemSchema: JsonSchema | undefined): unknown {
  const types = schemaTypes(schema);
  if (types.has('array') && !types.has('string')) {
    if (Array.isArray(value)) return value.map((v) => coerceScalar(v, itemSchema));
    if (typeof value === 'string' && value.trim() === '') return [];
    if (typeof value === 'string') return items.map((i) => coerceScalar(i.text, itemSchema));
    if (value === null || value === undefined) return [];
    return [coerceScalar(value, itemSchema)];
  }
  return coerceScalar(value, schema);
}
