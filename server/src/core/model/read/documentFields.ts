/**
 * The document-level fields a document writes in its body rather than in front matter: its title
 * (the first H1, decorations such as `Feature Specification:` kept — a title is a title) and the
 * fields written at its head, before the first heading under the title: bold-key lines
 * (`**Status**: Draft`, `**Owner:** @ana`), bullets (`* **Owner:** Ana`), quote lines
 * (`> **Status:** Approved · **Owner:** Ana`, `> Version: 1.0`) and a `| Field | Value |` table.
 * Only keys that name a document field are kept (`Author` → owner, `Last Updated` → updated,
 * `Quarter` → period); the values are read later, as the schema reads front matter values
 * (schema/entityValues.ts), and front matter always wins. An `id` is kept only when the body
 * names a Northstar ID of the document's type (`**ID**: PRD-search`). Pure; never throws.
 */
import type { Heading, Root, RootContent } from 'mdast';
import { ID_EXACT } from '../../ids.js';
import { span, type Span } from '../../text/lineIndex.js';
import { normalizeKey, parsePropertyLine, splitValue } from '../properties.js';
import type { DocType } from '../types.js';
import { linesOf, spanOf } from './body.js';
import { normalizeSectionTitle } from '../extract.js';
import { roleOf } from './roles.js';

/** A field read from the body: the same shape as a front matter field, with the key as written. */
export interface BodyField {
  /** The document field it names (`owner`, `status`, `title` …). */
  readonly key: string;
  readonly rawKey: string;
  readonly keySpan: Span;
  /** The value as written (emoji, emphasis and backticks around it removed). */
  readonly value: string;
  readonly valueSpan: Span;
  readonly items: readonly { readonly text: string; readonly span: Span }[];
}

/** The document fields a body may name, and the other words people use for them. */
const FIELDS = ['id', 'title', 'owner', 'status', 'stage', 'period', 'release', 'updated', 'brief', 'okrs', 'parent', 'product', 'tags'];
const ALIASES: Record<string, string> = {
  document_id: 'id',
  doc_id: 'id',
  prd_id: 'id',
  document_title: 'title',
  author: 'owner',
  authors: 'owner',
  document_owner: 'owner',
  product_owner: 'owner',
  prd_owner: 'owner',
  feature_owner: 'owner',
  product_manager: 'owner',
  pm: 'owner',
  dri: 'owner',
  document_status: 'status',
  prd_status: 'status',
  state: 'status',
  lifecycle_stage: 'stage',
  product_stage: 'stage',
  quarter: 'period',
  current_quarter: 'period',
  time_period: 'period',
  okr_period: 'period',
  target_release: 'release',
  release_date: 'release',
  launch_date: 'release',
  target_date: 'release',
  last_updated: 'updated',
  updated_on: 'updated',
  last_modified: 'updated',
  date_updated: 'updated',
  product_brief: 'brief',
  product_name: 'product',
};

/** The document field a written key names, or undefined. */
export function documentFieldKey(rawKey: string): string | undefined {
  const k = normalizeKey(rawKey.replace(/[*_`]/g, ''));
  return FIELDS.includes(k) ? k : ALIASES[k];
}

const EMOJI = /^[\s\p{Extended_Pictographic}\uFE0F\u200d\u2600-\u27BF]+/u;
const ID_PREFIX: Record<DocType, string> = { brief: 'BRIEF-', prd: 'PRD-', okr: 'OKR-' };

/** A value's range without emoji before it and emphasis or backticks around it (`✅ Implemented`, `` `002-x` ``). */
function cleanValue(text: string, s: Span): Span {
  let a = s.start;
  let b = s.end;
  for (let guard = 0; guard < 4 && a < b; guard++) {
    const before = a;
    const lead = EMOJI.exec(text.slice(a, b));
    if (lead) a += lead[0].length;
    for (const m of ['**', '__', '`', '*', '_']) {
      if (b - a > 2 * m.length && text.startsWith(m, a) && text.slice(b - m.length, b) === m) {
        a += m.length;
        b -= m.length;
        break;
      }
    }
    while (a < b && /\s/.test(text[a]!)) a++;
    while (b > a && /\s/.test(text[b - 1]!)) b--;
    if (a === before) break;
  }
  return span(a, b);
}

function field(text: string, rawKey: string, keySpan: Span, valueSpan: Span, type: DocType | undefined): BodyField | undefined {
  const key = documentFieldKey(rawKey);
  if (!key) return undefined;
  const vs = cleanValue(text, valueSpan);
  const value = text.slice(vs.start, vs.end);
  // The ID only when the body names a Northstar ID of the document's type: never invented.
  if (key === 'id' && !(type && value.startsWith(ID_PREFIX[type]) && ID_EXACT.test(value))) return undefined;
  return { key, rawKey, keySpan, value, valueSpan: vs, items: splitValue(value, vs.start) };
}

/** The heading's text without emphasis and emoji around it (`# **🧩 Product Requirements Document (PRD)**`). */
function titleOf(text: string, h: Heading): BodyField | undefined {
  const first = spanOf(h.children[0]);
  const last = spanOf(h.children[h.children.length - 1]);
  if (!first || !last) return undefined;
  const s = cleanValue(text, span(first.start, last.end));
  const value = text.slice(s.start, s.end).replace(/\s+/g, ' ').trim();
  if (!value || !/[\p{L}\p{N}]/u.test(value)) return undefined;
  const hs = spanOf(h) ?? s;
  return { key: 'title', rawKey: '#', keySpan: span(hs.start, hs.start + h.depth), value, valueSpan: s, items: [{ text: value, span: s }] };
}

/** Several fields on one line: `**Status:** Approved · **Owner:** Ana`, `Version: 1.0 | Status: Draft`. */
function segments(line: string): { text: string; at: number }[] {
  const out: { text: string; at: number }[] = [];
  const re = /\s+(?:·|•|\||—|–)\s+(?=\*\*|__|[A-Z][A-Za-z ]{0,30}:)/g;
  let from = 0;
  for (const m of line.matchAll(re)) {
    out.push({ text: line.slice(from, m.index), at: from });
    from = m.index! + m[0].length;
  }
  out.push({ text: line.slice(from), at: from });
  return out;
}

/** Bounds on the head: its blocks, where it may start and how long a block and a line may be. */
const MAX_NODES = 40;
const MAX_HEAD = 20_000;
const MAX_LINE = 1_000;

/** Quote markers and a list marker before a line's content. */
const PREFIX = /^[ \t]*(?:>[ \t]?)*[ \t]*(?:(?:[-*+]|\d{1,3}[.)])[ \t]+)?/;

/**
 * The fields of a document's head. `type` decides only which prefix a body-named `id` must have.
 * The head ends at the first heading other than the first level-1 heading.
 */
export function readDocumentFields(text: string, root: Root, type: DocType | undefined): BodyField[] {
  const out: BodyField[] = [];
  const seen = new Set<string>();
  const add = (f: BodyField | undefined) => {
    if (!f || seen.has(f.key)) return;
    seen.add(f.key);
    out.push(f);
  };
  let h1: BodyField | undefined;
  let sawH1 = false;
  const visitLines = (s: Span) => {
    for (const l of linesOf(text, s)) {
      // A field is a short line; a long one is prose (and never searched: bounded work on any input).
      if (l.text.length > MAX_LINE) continue;
      const p = PREFIX.exec(l.text)![0].length;
      const body = l.text.slice(p);
      for (const seg of segments(body)) {
        if (!seg.text.trim()) continue;
        const prop = parsePropertyLine(seg.text, l.start + p + seg.at, false);
        if (prop) add(field(text, prop.rawKey, prop.keySpan, prop.valueSpan, type));
      }
    }
  };
  let nodes = 0;
  for (const node of root.children as RootContent[]) {
    // The head is the top of a document: a document without headings is not read to its end.
    if (++nodes > MAX_NODES) break;
    if (node.type === 'heading') {
      if (node.depth === 1 && !sawH1) {
        sawH1 = true;
        h1 = titleOf(text, node);
        continue;
      }
      break;
    }
    const s = spanOf(node);
    if (!s) continue;
    if (s.start > MAX_HEAD) break;
    if (node.type === 'paragraph' || node.type === 'list' || node.type === 'blockquote') {
      // A long block is prose, not a head of fields.
      if (s.end - s.start > MAX_HEAD) continue;
      visitLines(s);
    } else if (node.type === 'table') {
      // `| Field | Value |`: each row a field, its first cell the key and its second the value.
      for (const row of node.children.slice(0, MAX_NODES)) {
        const [k, v] = row.children;
        const ks = spanOf(k);
        const vs = spanOf(v);
        if (!ks || !vs) continue;
        const key = cleanValue(text, trimCell(text, ks));
        const keyText = text.slice(key.start, key.end).replace(/:$/, '');
        add(field(text, keyText, span(key.start, key.start + keyText.length), trimCell(text, vs), type));
      }
    }
  }
  // The first H1 is the title unless the head names one (`**Title**: …`), or the document uses H1s as its sections (three or more).
  if (root.children.filter((c) => c.type === 'heading' && c.depth === 1).length < 3) add(h1);
  return out.sort((a, b) => a.keySpan.start - b.keySpan.start);
}

function trimCell(text: string, s: Span): Span {
  let a = s.start;
  let b = s.end;
  while (a < b && (text[a] === '|' || /\s/.test(text[a]!))) a++;
  while (b > a && (text[b - 1] === '|' || /\s/.test(text[b - 1]!))) b--;
  return span(a, b);
}

/** A heading that names a section, not a document (`# Core Features`, `# Overview` in a document that uses H1s as sections). */
function sectionWord(title: string): boolean {
  if (/^(?:overview|introduction|summary|executive summary|background|context|user experience|appendix)$/i.test(title.trim())) return true;
  const role = roleOf(title);
  return (role === 'features' || role === 'kpis' || role === 'personas' || role === 'objectives' || role === 'keyResults') && title.trim().split(/\s+/).length <= 2 && !/\b(?:document|specification|spec|brief|prd|okrs?)\b/i.test(title);
}

/**
 * The model's `bodyFields`: read in a typed document that writes no entity ID (a document not
 * written for Northstar: its entities, if any, are derived); a document in Northstar's own dialect
 * reads as before.
 */
export function bodyFieldsOf(
  text: string,
  root: Root,
  type: DocType | undefined,
  entities: readonly { readonly idDerived?: boolean; readonly headingSpan: Span }[],
  resolveSections: (type: DocType | undefined, normalized: string) => readonly string[],
): { bodyFields?: readonly BodyField[] } {
  if (!type || entities.some((e) => e.idDerived !== true)) return {};
  // An H1 that is an entity (`# Objective: Improve reliability`) or names a section (`# Core Features`) is not the document's title.
  const isTitle = (f: BodyField) =>
    !entities.some((e) => e.headingSpan.start <= f.valueSpan.start && f.valueSpan.end <= e.headingSpan.end) && !resolveSections(type, normalizeSectionTitle(f.value)).length && !sectionWord(f.value);
  const fields = readDocumentFields(text, root, type).filter((f) => f.rawKey !== '#' || isTitle(f));
  return fields.length ? { bodyFields: fields } : {};
}
