/** Wording shared by the rules that read ajv errors. */
import { ID_EXACT, idKind } from '../../ids.js';
import type { JsonSchema } from '../../schema/registry.js';
import type { SchemaError } from '../../schema/validate.js';

export function listWords(values: readonly unknown[]): string {
  const v = values.map((x) => `\`${String(x)}\``);
  return v.length <= 1 ? v.join('') : `${v.slice(0, -1).join(', ')} or ${v[v.length - 1]}`;
}

export function article(t: string): string {
  return /^[aeiou]/.test(t) ? `an ${t}` : `a ${t}`;
}

export function firstSentence(s: string): string {
  const m = /^(.*?[.!?])(\s|$)/.exec(s);
  return (m ? m[1]! : s).replace(/\.$/, '').replace(/^[A-Z](?=[a-z]+\b)/, (c) => c.toLowerCase());
}

/** What a `format` or `pattern` error expected, in words. */
export function expectedOf(e: SchemaError): string {
  const x = e.parent['x-northstar-expected'];
  if (typeof x === 'string') return x;
  return e.err.keyword === 'format' ? `a ${String((e.err.params as { format: string }).format)}` : `a value matching ${String((e.err.params as { pattern: string }).pattern)}`;
}

/**
 * Which rule a `pattern` error belongs to: an ID of another kind where a reference is expected
 * (wrong-reference-kind), a malformed ID (invalid-id), or any other value (invalid-value).
 */
export function patternRule(e: SchemaError): 'wrong-reference-kind' | 'invalid-id' | 'invalid-value' {
  const refKind = e.parent['x-northstar-ref'];
  const gotKind = ID_EXACT.test(e.raw.trim()) ? idKind(e.raw.trim()) : undefined;
  if (typeof refKind === 'string' && gotKind && gotKind !== refKind) return 'wrong-reference-kind';
  return /ID/.test(expectedOf(e)) ? 'invalid-id' : 'invalid-value';
}

/**
 * A required value written as a placeholder (`TBD`, `N/A`, `-`) or left empty — read as not set
 * (schema/coerce.ts) — in words: `priority is empty: must, should, could or wont.`,
 * `owner is not set yet (\`TBD\`): the product manager who owns the PRD.`
 */
export function notSetMessage(name: string, raw: string, schema: JsonSchema | undefined): string {
  const values = Array.isArray(schema?.enum) ? schema.enum : undefined;
  const what = values ? values.map(String).join(', ').replace(/, ([^,]*)$/, ' or $1') : typeof schema?.description === 'string' ? firstSentence(schema.description) : undefined;
  const head = raw.trim() ? `${name} is not set yet (\`${raw.trim()}\`)` : `${name} is empty`;
  return what ? `${head}: ${what}.` : `${head}.`;
}
