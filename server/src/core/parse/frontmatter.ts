/**
 * YAML front matter: parsed with the `yaml` package (YAML 1.2 core schema, so dates stay
 * strings), with source ranges for every top-level key and value. Never throws, never
 * evaluates anything: custom tags are not resolved, aliases are capped, duplicate keys and
 * non-mapping front matter are reported.
 */
import { parseDocument, isMap, isScalar, isSeq, isPair, isAlias, type Node as YamlNode } from 'yaml';
import { diag, type Diagnostic } from '../diagnostics.js';
import { span, type Span } from '../text/lineIndex.js';

export interface FrontMatterItem {
  /** The item's value as text (a scalar's source form, without quotes). */
  readonly text: string;
  readonly span: Span;
}

export interface FrontMatterField {
  readonly key: string;
  readonly keySpan: Span;
  /** The plain JavaScript value (strings, numbers, booleans, arrays, objects). */
  readonly value: unknown;
  /** The value's source range; the key's range when the value is empty. */
  readonly valueSpan: Span;
  /** For a sequence (or a scalar read as one), each item with its range. */
  readonly items: readonly FrontMatterItem[];
}

export interface FrontMatter {
  /** From the opening `---` to the end of the closing fence line. */
  readonly span: Span;
  /** The opening fence line. */
  readonly openSpan: Span;
  readonly fields: readonly FrontMatterField[];
  /** True when the YAML is a mapping (fields are meaningful). */
  readonly isMapping: boolean;
}

const MAX_ALIAS_COUNT = 50;
/** Front matter holds a document's fields; beyond this it is not read (and not parsed). */
export const MAX_FRONT_MATTER_CHARS = 256 * 1024;
/** How deep the duplicate-key check looks into nested mappings and lists. */
const MAX_KEY_CHECK_DEPTH = 16;

/** Reports every key that repeats one before it in the same mapping, at any depth up to a bound. */
function duplicateKeys(node: unknown, depth: number, report: (range: [number, number]) => void): void {
  if (depth > MAX_KEY_CHECK_DEPTH || !node) return;
  if (isMap(node)) {
    const seen = new Set<string>();
    for (const pair of node.items) {
      const k = pair.key as YamlNode | null;
      if (isScalar(k)) {
        const key = String(k.value);
        if (seen.has(key)) {
          if (k.range) report([k.range[0], k.range[1]]);
        } else seen.add(key);
      }
      duplicateKeys(pair.value, depth + 1, report);
    }
  } else if (isSeq(node)) {
    for (const it of node.items) duplicateKeys(it, depth + 1, report);
  }
}

/**
 * @param yaml the YAML source between the fences
 * @param contentStart offset of `yaml` in the document
 * @param blockSpan the whole front matter block, fences included
 */
export function parseFrontMatter(yaml: string, contentStart: number, blockSpan: Span, openSpan: Span): { frontMatter: FrontMatter; problems: Diagnostic[] } {
  const problems: Diagnostic[] = [];
  const at = (s: number, e: number) => span(contentStart + s, contentStart + e);
  if (yaml.length > MAX_FRONT_MATTER_CHARS) {
    problems.push(diag('document-too-large', openSpan, `The front matter is too large to read (${Math.round(yaml.length / 1024)} KB; at most ${MAX_FRONT_MATTER_CHARS / 1024} KB); Northstar read none of it. Keep the document's fields in front matter and the rest in the body.`));
    return { frontMatter: { span: blockSpan, openSpan, fields: [], isMapping: false }, problems };
  }
  let doc;
  try {
    // Unique keys are checked below with a set: the yaml package's own check compares every key
    // with every other (20,000 keys took 16 s).
    doc = parseDocument(yaml, { prettyErrors: false, uniqueKeys: false, strict: true, keepSourceTokens: false, customTags: [] });
  } catch (e) {
    problems.push(diag('yaml-syntax', openSpan, `The front matter is not valid YAML: ${e instanceof Error ? e.message : String(e)}`));
    return { frontMatter: { span: blockSpan, openSpan, fields: [], isMapping: false }, problems };
  }
  for (const err of doc.errors) {
    const [s, e] = errorRange(yaml, err.pos, err.code);
    problems.push(diag('yaml-syntax', at(s, e), `YAML: ${cleanYamlMessage(err.message)}`));
  }
  for (const w of doc.warnings) {
    const [s, e] = errorRange(yaml, w.pos, w.code);
    const msg = w.code === 'TAG_RESOLVE_FAILED' ? `YAML tag is not supported here: ${cleanYamlMessage(w.message)} (only plain values are read)` : `YAML: ${cleanYamlMessage(w.message)}`;
    problems.push(diag('yaml-syntax', at(s, Math.max(e, s + 1)), msg, { severity: 'warning' }));
  }
  duplicateKeys(doc.contents, 0, (r) => problems.push(diag('yaml-syntax', at(r[0], Math.max(r[1], r[0] + 1)), 'YAML: Map keys must be unique')));
  const contents = doc.contents;
  if (contents === null || contents === undefined) {
    return { frontMatter: { span: blockSpan, openSpan, fields: [], isMapping: true }, problems };
  }
  if (!isMap(contents)) {
    const r = (contents as YamlNode).range;
    problems.push(
      diag('frontmatter-not-mapping', r ? at(r[0], r[1]) : openSpan, `The front matter must be \`key: value\` pairs; this is ${isSeq(contents) ? 'a list' : 'a single value'}.`),
    );
    return { frontMatter: { span: blockSpan, openSpan, fields: [], isMapping: false }, problems };
  }
  let data: Record<string, unknown> = {};
  try {
    const js = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) as unknown;
    if (js && typeof js === 'object' && !Array.isArray(js)) data = js as Record<string, unknown>;
  } catch (e) {
    problems.push(diag('yaml-syntax', openSpan, `The front matter was rejected: ${e instanceof Error ? e.message : String(e)}`));
  }
  const fields: FrontMatterField[] = [];
  for (const pair of contents.items) {
    if (!isPair(pair)) continue;
    const k = pair.key as YamlNode | null;
    if (!isScalar(k)) {
      if (k && k.range) problems.push(diag('invalid-value', at(k.range[0], k.range[1]), 'A front matter key must be a plain word.'));
      continue;
    }
    const key = String(k.value);
    const kr = k.range ?? [0, 0];
    const keySpan = at(kr[0], kr[1]);
    const v = pair.value as YamlNode | null;
    let value: unknown = null;
    let valueSpan = keySpan;
    const items: FrontMatterItem[] = [];
    if (v && v.range) {
      valueSpan = at(v.range[0], v.range[1]);
      if (isAlias(v)) {
        problems.push(diag('yaml-syntax', valueSpan, 'YAML aliases (*name) are not read in front matter; write the value out.', { severity: 'warning' }));
      } else {
        value = Object.prototype.hasOwnProperty.call(data, key) ? data[key] : null;
      }
      if (isSeq(v)) {
        for (const it of v.items) {
          const n = it as YamlNode;
          if (isScalar(n) && n.range) items.push({ text: String(n.value ?? ''), span: at(n.range[0], n.range[1]) });
        }
      } else if (isScalar(v) && v.range) {
        items.push(...splitItems(String(v.value ?? ''), yaml.slice(v.range[0], v.range[1]), contentStart + v.range[0]));
      }
    }
    fields.push({ key, keySpan, value, valueSpan, items });
  }
  return { frontMatter: { span: blockSpan, openSpan, fields, isMapping: true }, problems };
}

/** Splits a comma-separated scalar into items with ranges (`okrs: OKR-a, OKR-b`). */
export function splitItems(value: string, source: string, sourceStart: number): FrontMatterItem[] {
  // Work on the source text so ranges are exact; strip surrounding quotes.
  let s = 0;
  let e = source.length;
  if ((source[0] === '"' || source[0] === "'") && source[e - 1] === source[0]) {
    s = 1;
    e -= 1;
  }
  const out: FrontMatterItem[] = [];
  if (value.length === 0) return out;
  let i = s;
  while (i <= e) {
    let j = source.indexOf(',', i);
    if (j < 0 || j > e) j = e;
    let a = i;
    let b = j;
    while (a < b && /\s/.test(source[a] ?? '')) a++;
    while (b > a && /\s/.test(source[b - 1] ?? '')) b--;
    if (b > a) out.push({ text: source.slice(a, b), span: span(sourceStart + a, sourceStart + b) });
    i = j + 1;
  }
  return out;
}

/**
 * Where to underline a YAML error: the yaml package points at the end of an unterminated quote
 * and at the first character of a duplicate key; underline the quote's line and the whole key.
 */
function errorRange(yaml: string, pos: [number, number], code: string): [number, number] {
  let [s, e] = pos;
  s = Math.max(0, Math.min(s, yaml.length));
  e = Math.max(s, Math.min(e, yaml.length));
  if (code === 'MISSING_CHAR') {
    const before = yaml.slice(0, s);
    const q = Math.max(before.lastIndexOf('"'), before.lastIndexOf("'"));
    if (q >= 0) {
      const nl = yaml.indexOf('\n', q);
      return [q, nl < 0 ? yaml.length : yaml[nl - 1] === '\r' ? nl - 1 : nl];
    }
  }
  if (e - s <= 1) {
    const m = /^[^\s:,\[\]{}#]+/.exec(yaml.slice(s));
    e = s + Math.max(1, m ? m[0].length : 1);
    if (e > yaml.length) e = yaml.length;
  }
  return [s, e];
}

function cleanYamlMessage(m: string): string {
  return m.replace(/\s+at line \d+, column \d+:?[\s\S]*$/, '').replace(/\s+/g, ' ').trim();
}
