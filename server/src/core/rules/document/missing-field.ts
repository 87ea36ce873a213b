/**
 * missing-field: a required front matter field is missing (ajv `required` on /frontMatter). Each
 * ajv error is one field; the missing fields of a document are merged into one finding that lists
 * them all (`mergeMissingFields`, called by the one-finding-per-problem step, rules/dedupe.ts),
 * with one quick fix that adds them all. A field written as a placeholder (`TBD`) stays a finding
 * of its own, at its value.
 */
import { insertField, one } from '../fixes.js';
import type { Analysis } from '../../analysis.js';
import type { FeatureContext } from '../../features/context.js';
import type { CodeAction } from '../rule.js';
import type { DocType } from '../../model/types.js';
import { frontMatterValues } from '../../schema/entityValues.js';
import type { Diagnostic } from '../../diagnostics.js';
import { defaultFieldValue, eolOf } from '../../features/templates.js';
import { defineRule } from '../rule.js';
import { listIds } from '../list.js';
import { span } from '../../text/lineIndex.js';
import { firstSentence, notSetMessage } from './schemaText.js';

export interface MissingFieldData {
  readonly field: string;
  /** There is no front matter at all: the fix adds the whole block. */
  readonly all?: boolean;
  /** The field is written, as a placeholder (`TBD`) or empty: nothing to insert. */
  readonly notSet?: boolean;
  /** Every missing field, when several are (merged by `mergeMissingFields`); `field` is the first. */
  readonly fields?: readonly string[];
}

export const missingField = defineRule<'missing-field', MissingFieldData>({
  code: 'missing-field',
  severity: 'error',
  summary: 'A required front matter field is missing.',
  group: 'document',
  check: {
    kind: 'schema',
    fromSchemaError: (e): Diagnostic | undefined => {
      if (e.err.keyword !== 'required' || e.path !== '/frontMatter') return undefined;
      const missing = String((e.err.params as { missingProperty: string }).missingProperty);
      if (e.noFrontMatter) {
        // Fields the body writes (`**Status**: Draft`, the H1) are present: only what remains is listed.
        const fields = e.registry.frontMatterRequired(e.type).filter((f) => !e.places.get(`/frontMatter/${f}`)?.fromBody).join(', ');
        return missingField.report(span(0, 0), `This ${e.type} has no front matter: start the file with a \`---\` block holding ${fields}.`, { field: missing, all: true });
      }
      // Written, but as a placeholder (`TBD`) or empty: not set yet, at the value.
      const written = e.places.get(`/frontMatter/${missing}`);
      if (written?.value) {
        const raw = written.value.start === written.value.end ? '' : (written.raw ?? '');
        // A placeholder (`TBD`) is a decision still to make: a reminder. Left empty, it is the rule's severity.
        return missingField.report(written.value, notSetMessage(missing, raw, e.registry.frontMatterProperties(e.type)[missing]), { field: missing, notSet: true }, raw.trim() ? { severity: 'information' } : {});
      }
      const desc = e.registry.frontMatterProperties(e.type)[missing]?.description;
      const why = typeof desc === 'string' ? ` (${firstSentence(desc)})` : '';
      return missingField.report(e.place.anchor, `Missing required front matter field \`${missing}\`${why}.`, { field: missing });
    },
  },
  fix: (ctx, a, d, data) => {
    const type = a.model.type;
    if (!type || data.notSet) return [];
    const fields = data.fields ?? [data.field];
    const fm = a.model.frontMatter;
    if (fields.length < 2 || data.all || !fm) return [insertField(ctx, a, type, data.field, Boolean(data.all), d), ...writeBodyFields(ctx, a, type)];
    // One action: every field, in the order listed, before the closing fence.
    const eol = eolOf(a.text);
    const closeLine = a.text.lastIndexOf('\n', fm.span.end - 2) + 1;
    const at = Math.max(fm.openSpan.end, closeLine);
    const text = fields.map((f) => `${f}: ${defaultFieldValue(ctx, a, type, f)}${eol}`).join('');
    return [{ title: `Add the ${fields.length} missing front matter fields (${listIds(fields, 6)})`, kind: 'quickfix', edits: one(a.uri, [{ span: span(at, at), newText: text }]), fixes: [d], preferred: true, safe: true }, ...writeBodyFields(ctx, a, type)];
  },
});

/**
 * "Move to front matter": the document fields read from the text (`**Status**: ✅ Implemented`,
 * the H1 as title) written into the front matter as the schema reads them (`status: shipped`), so
 * they stay when the document starts to write IDs. The text is left as it is (front matter wins).
 * Only values that were read (not a template slot, not a value none of the allowed ones).
 */
export function writeBodyFields(ctx: FeatureContext, a: Analysis, type: DocType): CodeAction[] {
  const fm = a.model.frontMatter;
  if (!fm || !a.model.bodyFields?.length) return [];
  const lines: string[] = [];
  const keys: string[] = [];
  for (const [key, v] of frontMatterValues(a.model, type, ctx.registry)) {
    if (!v.fromBody || v.read.kind === 'not-set' || v.read.kind === 'unread' || key === 'id') continue;
    const value = Array.isArray(v.value) ? `[${v.value.map((x) => yamlScalar(String(x))).join(', ')}]` : typeof v.value === 'string' || typeof v.value === 'number' ? yamlScalar(String(v.value)) : undefined;
    if (value === undefined) continue;
    keys.push(key);
    lines.push(`${key}: ${value}`);
  }
  if (!lines.length) return [];
  const eol = eolOf(a.text);
  const closeLine = a.text.lastIndexOf('\n', fm.span.end - 2) + 1;
  const at = Math.max(fm.openSpan.end, closeLine);
  return [{ title: `Move to front matter: the ${keys.length === 1 ? 'field' : `${keys.length} fields`} read from the text (${listIds(keys, 6)})`, kind: 'quickfix', edits: one(a.uri, [{ span: span(at, at), newText: lines.map((l) => l + eol).join('') }]), fixes: [] }];
}

/** A YAML scalar: plain when it reads back as the same string, else double-quoted. */
function yamlScalar(s: string): string {
  const plain = /^[A-Za-z0-9][^\n#:]*$/.test(s) && !/\s$/.test(s) && !/^(?:true|false|null|yes|no|on|off|~)$/i.test(s);
  return plain ? s : JSON.stringify(s);
}

/**
 * The missing-field findings of one document (fields not written at all) as one finding listing
 * every missing field, at the first one's place and the worst severity; the others pass through.
 */
export function mergeMissingFields(ds: readonly Diagnostic[]): Diagnostic[] {
  const missing = ds.filter((d) => d.code === missingField.code && !missingField.dataOf(d)?.notSet && !missingField.dataOf(d)?.all);
  if (missing.length < 2) return [...ds];
  const fields = [...new Set(missing.flatMap((d) => missingField.dataOf(d)!.fields ?? [missingField.dataOf(d)!.field]))];
  const first = missing[0]!;
  const rank = { error: 0, warning: 1, information: 2, hint: 3 } as const;
  const severity = missing.map((d) => d.severity).reduce((x, y) => (rank[x] <= rank[y] ? x : y));
  const names = listIds(fields.map((f) => `\`${f}\``), 6);
  const merged = missingField.report(first.span, `Missing ${fields.length} required front matter fields: ${names}.`, { field: fields[0]!, fields }, { severity });
  const drop = new Set(missing);
  const at = ds.indexOf(first);
  return [...ds.slice(0, at), merged, ...ds.slice(at + 1).filter((d) => !drop.has(d))];
}
