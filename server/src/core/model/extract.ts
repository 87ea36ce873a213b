/**
 * mdast (+ front matter) -> DocumentModel. Pure and total: any input yields a model.
 */
import type { Root, Heading, Table, Nodes } from 'mdast';
import { diag, type Diagnostic } from '../diagnostics.js';
import { documentKey, findIds, idKind, isEntityKind, type EntityKind, ID_EXACT } from '../ids.js';
import { readDocument, type KnownKey } from './read/document.js';
import { bodyFieldsOf } from './read/documentFields.js';
import { span, type Span } from '../text/lineIndex.js';
import { parseFrontMatter, type FrontMatter } from '../parse/frontmatter.js';
import { nearest } from '../text/similar.js';
import { unknownType } from '../rules/document/unknown-type.js';
import { normalizeKey, splitValue } from './properties.js';
import { cellSpan, collectBody, spanOf, type Positioned } from './read/body.js';
import { DOC_TYPES, type DocType, type DocumentModel, type Entity, type Property, type ReadingOptions, type Reference, type Section, type Suppression } from './types.js';

/** Maps a normalised section title to the canonical section keys it satisfies, per document type. */
export type SectionResolver = (type: DocType | undefined, normalized: string) => readonly string[];

export function typeFromFileName(uri: string): DocType | undefined {
  const m = /\.(brief|prd|okr)\.(?:md|markdown)$/i.exec(uri);
  return m ? (m[1]!.toLowerCase() as DocType) : undefined;
}

/** Normalises a heading for section matching: `## 2. Goals & Success Metrics:` -> `goals and success metrics`, `## Requirements *(mandatory)*` -> `requirements`. */
export function normalizeSectionTitle(title: string): string {
  return title
    .replace(/[*_`\\]/g, '')
    // A trailing qualifier is not the section's name: `Requirements *(mandatory)*`, `Functional Requirements (FRs)`.
    .replace(/(?<=\S)(?:\s*\([^()]*\))+\s*:?\s*$/, '')
    .replace(/^\s*(?:\d+(?:\.\d+)*[.)]?|[ivxIVX]+[.)]|[A-Za-z][.)])\s+/, '')
    .replace(/&/g, ' and ')
    .replace(/[:.\s]+$/, '')
    .replace(/[^\p{L}\p{N}\s.\-]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
}

export const ENTITY_HEADING = /^(\s*)([A-Z]+-[A-Za-z0-9]+(?:[-_.][A-Za-z0-9]+)*)(?=$|\s*[:\u2014\u2013]|\s+-\s)(\s*(?:[:\u2014\u2013]|-)?\s*)(.*)$/;

/**
 * `knownKey` tells the tolerant reader which property keys the schema knows for a kind, so a
 * bullet under an entity without an ID is a property only when its key is one (otherwise it is
 * description, never an unknown property). Without it, no bullet of such an entity is a property.
 */
export function extractModel(uri: string, text: string, root: Root, resolveSections: SectionResolver, reading: ReadingOptions = {}, knownKey: KnownKey = () => false): DocumentModel {
  const problems: Diagnostic[] = [];
  const src = (s: Span) => text.slice(s.start, s.end);

  const { frontMatter, type, typeSource, docId } = extractHead(uri, text, root.children[0], reading, problems);

  // ---- headings, sections, entities -------------------------------------------------------
  const children = root.children;
  const headingIdx: number[] = [];
  children.forEach((c, i) => {
    if (c.type === 'heading') headingIdx.push(i);
  });
  // Where each heading's section ends: the next heading of the same or a higher level (one pass).
  const sectionEnd = new Map<number, number>();
  {
    const open: number[] = [];
    for (const i of headingIdx) {
      const h = children[i] as Heading;
      while (open.length && (children[open[open.length - 1]!] as Heading).depth >= h.depth) sectionEnd.set(open.pop()!, spanOf(h)?.start ?? text.length);
      open.push(i);
    }
    for (const i of open) sectionEnd.set(i, text.length);
  }
  const endOfHeading = (i: number): number => sectionEnd.get(i) ?? text.length;
  const headingTitleSpan = (h: Heading): Span => {
    const hs = spanOf(h) ?? span(0, 0);
    const firstChild = h.children[0];
    const lastChild = h.children[h.children.length - 1];
    const a = spanOf(firstChild)?.start;
    const b = spanOf(lastChild)?.end;
    if (a === undefined || b === undefined) return span(hs.end, hs.end);
    return span(a, b);
  };

  let title: DocumentModel['title'];
  const sections: Section[] = [];
  const entities: Entity[] = [];
  const definitionSpans: Span[] = [];
  let currentSection: Section | undefined;
  let currentSectionKeys: readonly string[] = [];
  const entityStack: Entity[] = [];

  for (let i = 0; i < children.length; i++) {
    const node = children[i]!;
    if (node.type === 'heading') {
      const hs = spanOf(node) ?? span(0, 0);
      const ts = headingTitleSpan(node);
      const titleText = src(ts);
      if (node.depth === 1 && !title) title = { text: titleText.trim(), span: ts };
      while (entityStack.length && entityStack[entityStack.length - 1]!.depth >= node.depth) entityStack.pop();
      if (node.depth <= 2) {
        entityStack.length = 0;
        currentSection = undefined;
        currentSectionKeys = [];
      }
      if (node.depth === 2) {
        const normalized = normalizeSectionTitle(titleText);
        currentSection = { title: titleText.trim(), normalized, depth: 2, headingSpan: hs, titleSpan: ts, span: span(hs.start, endOfHeading(i)) };
        sections.push(currentSection);
        currentSectionKeys = resolveSections(type, normalized);
      }
      const m = ENTITY_HEADING.exec(titleText);
      if (m) {
        const id = m[2]!;
        const kind = idKind(id);
        const idStart = ts.start + m[1]!.length;
        if (kind && isEntityKind(kind)) {
          const titleStart = idStart + id.length + m[3]!.length;
          const entTitle = m[4]!.trim();
          const body = collectBody(children, i + 1, text);
          const entity: Entity = {
            id,
            kind,
            idSpan: span(idStart, idStart + id.length),
            ...(entTitle ? { title: entTitle, titleSpan: span(titleStart, titleStart + m[4]!.trimEnd().length) } : {}),
            ...(body.description ? { description: body.description } : {}),
            definedBy: 'heading',
            headingSpan: hs,
            span: span(hs.start, endOfHeading(i)),
            depth: node.depth,
            sectionKeys: currentSectionKeys,
            ...(ownerOf(entityStack, kind) ? { parent: ownerOf(entityStack, kind)! } : {}),
            properties: body.properties,
          };
          entities.push(entity);
          entityStack.push(entity);
          definitionSpans.push(entity.idSpan);
        } else if (!kind && /^[A-Z]{2,10}-/.test(id) && /^(?:KPIS?|FEATS?|FEATURE|OBJS?|KRS?|PERSONAS?|OBJECTIVE)-/i.test(id)) {
          problems.push(diag('invalid-id', span(idStart, idStart + id.length), `\`${id.split('-')[0]}\` is not an ID prefix; use KPI, FEAT, OBJ, KR or PERSONA.`));
        }
      } else {
        const bad = /^\s*((?:KPI|FEAT|OBJ|KR|PERSONA)-\S*)\s*:/.exec(titleText);
        if (bad) {
          const s = ts.start + titleText.indexOf(bad[1]!);
          problems.push(
            diag('invalid-id', span(s, s + bad[1]!.length), `\`${bad[1]}\` is not a valid ID: after the prefix use letters and digits, with single \`-\`, \`_\` or \`.\` between them (e.g. FEAT-saved-cards).`),
          );
        }
      }
    } else if (node.type === 'table') {
      const rows = tableEntities(node, text, currentSectionKeys, (kind) => ownerOf(entityStack, kind));
      for (const e of rows) {
        entities.push(e);
        definitionSpans.push(e.idSpan);
      }
    }
  }

  // ---- entities without IDs (the tolerant reader) ----------------------------------------
  const read = readDocument({ text, root, type, uri, docKey: documentKey(uri, docId?.id), knownKey, strict: entities, sections, resolveSections, configScale: reading.priorityScale });
  if (read.entities.length) {
    for (const e of read.entities) entities.push(e);
    entities.sort((a, b) => a.headingSpan.start - b.headingSpan.start);
  }
  for (const p of read.problems) problems.push(p);

  // ---- references -----------------------------------------------------------------------
  const references: Reference[] = [];
  const definitionKeys = new Set(definitionSpans.map((d) => `${d.start}:${d.end}`));
  const isDefinition = (s: Span) => definitionKeys.has(`${s.start}:${s.end}`);
  const propertyAt = propertyFinder(entities);
  visitText(root, (s) => {
    const chunk = text.slice(s.start, s.end);
    for (const m of findIds(chunk)) {
      const r = span(s.start + m.index, s.start + m.index + m.id.length);
      if (isDefinition(r)) continue;
      const at = propertyAt(r.start);
      references.push({ id: m.id, kind: m.kind, span: r, context: at ? 'property' : 'prose', ...(at ? { key: at.property.key, entity: at.entity.id } : {}) });
    }
  });
  if (frontMatter) {
    for (const f of frontMatter.fields) {
      const chunk = text.slice(f.valueSpan.start, f.valueSpan.end);
      for (const m of findIds(chunk)) {
        const r = span(f.valueSpan.start + m.index, f.valueSpan.start + m.index + m.id.length);
        if (f.key === 'id' && docId && r.start === docId.span.start) continue;
        references.push({ id: m.id, kind: m.kind, span: r, context: 'frontmatter', key: f.key });
      }
    }
  }
  references.sort((a, b) => a.span.start - b.span.start);

  return {
    uri,
    type,
    typeSource,
    ...(docId ? { docId } : {}),
    frontMatter,
    ...(title ? { title } : {}),
    ...bodyFieldsOf(text, root, type, entities, resolveSections),
    sections,
    entities,
    references,
    ...(read.priorityScale ? { priorityScale: read.priorityScale } : {}),
    suppressions: findSuppressions(root, text),
    problems,
    textLength: text.length,
  };
}

/** The front matter, the document type and the document's ID: what the first node and the URI decide. */
export function extractHead(uri: string, text: string, first: Root['children'][number] | undefined, reading: ReadingOptions, problems: Diagnostic[]): { frontMatter: FrontMatter | undefined; type: DocType | undefined; typeSource: DocumentModel['typeSource']; docId: DocumentModel['docId'] } {
  // ---- front matter -------------------------------------------------------------------
  let frontMatter: FrontMatter | undefined;
  if (first && first.type === 'yaml') {
    const block = spanOf(first) ?? span(0, 0);
    const nl = text.indexOf('\n', block.start);
    const contentStart = nl < 0 ? block.end : nl + 1;
    const lastLineStart = Math.max(contentStart, text.lastIndexOf('\n', block.end - 1) + 1);
    const contentEnd = Math.max(contentStart, lastLineStart);
    const openSpan = span(block.start, nl < 0 ? block.end : text[nl - 1] === '\r' ? nl - 1 : nl);
    const parsed = parseFrontMatter(text.slice(contentStart, contentEnd), contentStart, block, openSpan);
    frontMatter = parsed.frontMatter;
    problems.push(...parsed.problems);
  } else if (first && (first as { type: string }).type === 'toml') {
    const s = spanOf(first as Positioned) ?? span(0, 3);
    problems.push(diag('frontmatter-unsupported', span(s.start, s.start + 3), 'TOML front matter (`+++`) is not read; Northstar reads YAML front matter between `---` lines.'));
  } else {
    const firstLine = /^\uFEFF?([^\r\n]*)/.exec(text)?.[1] ?? '';
    const bom = text.charCodeAt(0) === 0xfeff ? 1 : 0;
    if (/^---\s*$/.test(firstLine)) {
      problems.push(diag('frontmatter-unclosed', span(bom, bom + firstLine.length), 'The front matter opens with `---` but never closes: add a `---` line after the last field.'));
    } else if (/^---[A-Za-z]+\s*$/.test(firstLine)) {
      problems.push(diag('frontmatter-unsupported', span(bom, bom + firstLine.length), `Front matter in \`${firstLine.trim().slice(3)}\` is never evaluated; Northstar reads YAML front matter between \`---\` lines.`));
    }
  }
  const field = (k: string) => frontMatter?.fields.find((f) => f.key === k);

  // ---- document type --------------------------------------------------------------------
  let type: DocType | undefined;
  let typeSource: DocumentModel['typeSource'];
  const typeField = field('type');
  if (typeField && typeof typeField.value === 'string') {
    const t = typeField.value.trim().toLowerCase();
    if ((DOC_TYPES as readonly string[]).includes(t)) {
      type = t as DocType;
      typeSource = 'frontmatter';
    } else {
      const near = nearest(t, DOC_TYPES);
      if (near) {
        problems.push(
          unknownType.report(typeField.valueSpan, `Unknown document type \`${typeField.value}\`: did you mean \`${near}\`? Northstar reads brief, prd and okr.`, { expected: [...DOC_TYPES], suggestion: near }),
        );
      }
    }
  }
  if (!type) {
    type = typeFromFileName(uri);
    if (type) typeSource = 'filename';
  }
  if (!type && reading.typeFor) {
    type = reading.typeFor(uri);
    if (type) typeSource = 'config';
  }
  let docId: DocumentModel['docId'];
  const idField = field('id');
  if (idField && typeof idField.value === 'string' && ID_EXACT.test(idField.value.trim())) {
    const raw = idField.value.trim();
    const item = idField.items[0];
    docId = { id: raw, span: item && item.text === raw ? item.span : idField.valueSpan };
  }

  return { frontMatter, type, typeSource, docId };
}

/** The enclosing entity of another kind (a key result's objective, even below another key result's heading). */
export function ownerOf(stack: readonly Entity[], kind: EntityKind): string | undefined {
  for (let i = stack.length - 1; i >= 0; i--) if (stack[i]!.kind !== kind) return stack[i]!.id;
  return undefined;
}

export function tableEntities(table: Table, text: string, sectionKeys: readonly string[], ownerFor: (kind: EntityKind) => string | undefined): Entity[] {
  const [header, ...rows] = table.children;
  if (!header) return [];
  const keys = tableKeys(text, header.children.map((c) => cellSpan(c, text)));
  if (normalizeKey(keys[0]?.raw ?? '') !== 'id') return [];
  const out: Entity[] = [];
  for (const row of rows) {
    const e = tableRowEntity(text, row.children.map((c) => cellSpan(c, text)), keys, spanOf(row as Positioned), sectionKeys, ownerFor);
    if (e) out.push(e);
  }
  return out;
}

/**
 * Which entity property's value holds an offset: the properties sorted by value start, one binary
 * search per question. Extraction, the incremental merge and the index-only pass place the IDs a
 * property value names with it (a reference in a value is that property's, not prose).
 */
export function propertyFinder<E extends { readonly properties: readonly Property[] }>(entities: readonly E[]): (offset: number) => { entity: E; property: Property } | undefined {
  const values = entities.flatMap((entity) => entity.properties.map((property) => ({ entity, property }))).sort((x, y) => x.property.valueSpan.start - y.property.valueSpan.start);
  return (offset) => {
    let lo = 0;
    let hi = values.length - 1;
    let hit = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (values[mid]!.property.valueSpan.start <= offset) {
        hit = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    const v = hit >= 0 ? values[hit] : undefined;
    return v && offset <= v.property.valueSpan.end ? v : undefined;
  };
}

/** A column of an `ID` table: its header's text (emphasis and code marks dropped) and range. */
export interface TableKey {
  readonly raw: string;
  readonly span: Span;
}

/** The columns of an `ID` table from its header cells' ranges. */
export function tableKeys(text: string, header: readonly (Span | undefined)[]): TableKey[] {
  return header.map((s) => (s ? { raw: text.slice(s.start, s.end).replace(/[*_`]/g, '').trim(), span: s } : { raw: '', span: span(0, 0) }));
}

/**
 * The entity one row of an `ID` table defines: the first cell's ID, the other cells properties
 * under their column's key (`title` or `name` is its title, `description` its description).
 * Undefined when the first cell holds no entity ID. The full extraction and the index-only pass
 * (index/indexPass.ts) both read rows with it, so they agree on every table entity.
 */
export function tableRowEntity(
  text: string,
  cells: readonly (Span | undefined)[],
  keys: readonly TableKey[],
  rowSpan: Span | undefined,
  sectionKeys: readonly string[],
  ownerFor: (kind: EntityKind) => string | undefined,
): Entity | undefined {
  const idCell = cells[0];
  if (!idCell) return undefined;
  let { start: a, end: b } = idCell;
  while (a < b && /[`*_\s]/.test(text[a]!)) a++;
  while (b > a && /[`*_\s]/.test(text[b - 1]!)) b--;
  const id = text.slice(a, b);
  const kind = idKind(id);
  if (!kind || !isEntityKind(kind) || !ID_EXACT.test(id)) return undefined;
  const row = rowSpan ?? idCell;
  const parent = ownerFor(kind);
  const properties: Property[] = [];
  let title: string | undefined;
  let titleSpan: Span | undefined;
  let description: string | undefined;
  for (let k = 1; k < cells.length && k < keys.length; k++) {
    const vs = cells[k];
    const key = keys[k]!;
    if (!vs || vs.end <= vs.start || !key.raw) continue;
    let raw = text.slice(vs.start, vs.end);
    let v0 = vs.start;
    const bt = /^`([^`]*)`$/.exec(raw);
    if (bt) {
      raw = bt[1]!;
      v0 += 1;
    }
    const nk = normalizeKey(key.raw);
    if ((nk === 'title' || nk === 'name') && title === undefined) {
      title = raw;
      titleSpan = span(v0, v0 + raw.length);
    }
    if (nk === 'description' && description === undefined) description = raw;
    properties.push({ key: nk, rawKey: key.raw, keySpan: key.span, raw, valueSpan: span(v0, v0 + raw.length), items: splitValue(raw, v0) });
  }
  return {
    id,
    kind,
    idSpan: span(a, b),
    ...(title !== undefined ? { title } : {}),
    ...(titleSpan ? { titleSpan } : {}),
    ...(description !== undefined ? { description } : {}),
    definedBy: 'table',
    headingSpan: row,
    span: row,
    depth: 0,
    sectionKeys,
    ...(parent ? { parent } : {}),
    properties,
  };
}

/** Calls `f` with the source range of every text node (code, inline code and HTML are not text). */
export function visitText(node: Nodes, f: (s: Span) => void): void {
  const stack: Nodes[] = [node];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.type === 'text') {
      const s = spanOf(n);
      if (s) f(s);
      continue;
    }
    if (n.type === 'link' || n.type === 'linkReference' || n.type === 'definition' || n.type === 'image' || n.type === 'imageReference') {
      // Only the link text counts; URLs and labels are not prose.
      if ('children' in n) for (let i = n.children.length - 1; i >= 0; i--) stack.push(n.children[i] as Nodes);
      continue;
    }
    if ('children' in n && Array.isArray(n.children)) {
      for (let i = n.children.length - 1; i >= 0; i--) stack.push(n.children[i] as Nodes);
    }
  }
}

const SUPPRESS = /<!--\s*northstar-disable-next-line\b([^>]*?)-->/g;

export function findSuppressions(root: Root, text: string): Suppression[] {
  const out: Suppression[] = [];
  const stack: Nodes[] = [root];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.type === 'html') {
      const s = spanOf(n);
      if (!s) continue;
      const chunk = text.slice(s.start, s.end);
      SUPPRESS.lastIndex = 0;
      let m: RegExpExecArray | null;
      while ((m = SUPPRESS.exec(chunk)) !== null) {
        const endOffset = s.start + m.index + m[0].length;
        const line = nextNonBlankLine(text, endOffset);
        const codes = m[1]!.split(/[\s,]+/).filter(Boolean);
        out.push({ line, codes });
      }
      continue;
    }
    if ('children' in n && Array.isArray(n.children)) for (const c of n.children) stack.push(c as Nodes);
  }
  return out;
}

function nextNonBlankLine(text: string, offset: number): number {
  let line = 0;
  for (let i = 0; i < offset; i++) if (text.charCodeAt(i) === 10) line++;
  let i = text.indexOf('\n', offset);
  while (i >= 0) {
    line++;
    const j = text.indexOf('\n', i + 1);
    const l = text.slice(i + 1, j < 0 ? text.length : j);
    if (l.trim() !== '') return line;
    if (j < 0) break;
    i = j;
  }
  return line;
}
