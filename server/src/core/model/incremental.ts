/**
 * Incremental extraction: a keystroke re-extracts only the regions it touched.
 *
 * A region (see parse/regions.ts: cut at column-0 ATX headings) is read by extraction into a
 * part that depends on nothing outside it: its headings (depth, title, the entity a heading
 * defines with its body, an `invalid-id` problem), its `ID` tables' rows, the ID references in
 * its text (with the property they sit in: properties never leave their region), and its
 * suppression comments. A part is kept per source of the region's nodes — the region cache's
 * entry, which is the same object exactly when the nodes are the same — in the coordinates it
 * was read in, and shifted on reuse. The merge is the light, document-wide pass over the parts:
 * sections and their ends, the title, each entity's section keys, parent and end, the front
 * matter (the first region), then the tolerant reader over the whole tree, as extractModel does.
 *
 * A document the tolerant reader adds entities to (one that writes no IDs) is extracted in full
 * (extractModel): those entities' properties and references are document-wide.
 *
 * Invariant (test/core/incremental.test.ts): the model equals extractModel's over the same tree.
 */
import type { Heading, Nodes, Root, RootContent } from 'mdast';
import { diag, type Diagnostic } from '../diagnostics.js';
import { documentKey, findIds, idKind, isEntityKind } from '../ids.js';
import { span, type Span } from '../text/lineIndex.js';
import { ENTITY_HEADING, extractHead, extractModel, findSuppressions, normalizeSectionTitle, ownerOf, propertyFinder, tableEntities, visitText, type SectionResolver } from './extract.js';
import { readDocument, type KnownKey } from './read/document.js';
import { bodyFieldsOf } from './read/documentFields.js';
import { collectBody, spanOf } from './read/body.js';
import type { DocumentModel, Entity, Property, ReadingOptions, Reference, Section, Suppression } from './types.js';
import { moveEntityValues } from '../schema/entityValues.js';

interface HeadingEvent {
  readonly t: 'h';
  readonly depth: number;
  readonly hs: Span;
  /** Where the heading starts for section ends (spanOf(heading)?.start). */
  readonly startsAt: number | undefined;
  readonly ts: Span;
  readonly titleText: string;
  readonly normalized: string;
  /** The entity the heading defines, without what the merge decides (section keys, parent, end). */
  readonly entity?: Omit<Entity, 'sectionKeys' | 'parent' | 'span'>;
  readonly problem?: Diagnostic;
}

interface TableEvent {
  readonly t: 't';
  /** The rows' entities, with empty section keys and no parent (the merge sets them). */
  readonly rows: readonly Entity[];
}

type RegionEvent = HeadingEvent | TableEvent;

interface Part {
  /** The region's start when the part was read (its spans are in document coordinates then). */
  readonly at: number;
  readonly events: readonly RegionEvent[];
  readonly references: readonly Reference[];
  /** Suppressions with the line numbers of when it was read; `atLine` is the region's first line then. */
  readonly suppressions: readonly Suppression[];
  atLine?: number;
  /** The last merged entities of each event (reused when nothing about them changed). */
  merged?: Map<number | string, { key: string; by: number; entity: Entity }>;
}

/** One region of the current document for the merge: where it is, its nodes, and what they came from. */
export interface RegionInput {
  readonly start: number;
  readonly end: number;
  /** The region's top-level nodes in document coordinates. */
  readonly nodes: readonly RootContent[];
  /** The object the region cache read these nodes from: the same object means the same nodes (relative to the region). */
  readonly source: object | undefined;
}

/** The parts of one document's regions, by source (the server keeps one per open document, with the region cache). */
export class ExtractionParts {
  private parts = new WeakMap<object, Part>();
  readonly stats = { read: 0, reused: 0 };

  /**
   * The model of `text`, whose tree is `root` cut into `regions` (together their nodes are
   * root.children, in order): equal to `extractModel(uri, text, root, …)`.
   */
  extract(uri: string, text: string, root: Root, regions: readonly RegionInput[], resolveSections: SectionResolver, reading: ReadingOptions = {}, knownKey: KnownKey = () => false): DocumentModel {
    const problems: Diagnostic[] = [];
    const { frontMatter, type, typeSource, docId } = extractHead(uri, text, root.children[0], reading, problems);

    // The parts, read or reused (and shifted to where their regions are now).
    const parts: { part: Part; by: number }[] = [];
    let lines: ((offset: number) => number) | undefined;
    const lineAt = (offset: number) => (lines ??= lineCounter(text))(offset);
    const regionLines: number[] = [];
    for (const r of regions) {
      let part = r.source ? this.parts.get(r.source) : undefined;
      if (part) this.stats.reused++;
      else {
        this.stats.read++;
        part = readPart(r, text, lineAt);
        if (r.source) this.parts.set(r.source, part);
      }
      // The region's first line now, where a moved part's suppressions need it (in order: one scan).
      if (part.suppressions.length && part.at !== r.start) regionLines[parts.length] = lineAt(r.start);
      parts.push({ part, by: r.start - part.at });
    }

    // Section ends: the next heading of the same or a higher level (one pass over every heading).
    const headings: { ev: HeadingEvent; by: number; end: number }[] = [];
    for (const { part, by } of parts) for (const ev of part.events) if (ev.t === 'h') headings.push({ ev, by, end: text.length });
    {
      const open: number[] = [];
      headings.forEach((h, k) => {
        const at = h.ev.startsAt === undefined ? text.length : h.ev.startsAt + h.by;
        while (open.length && headings[open[open.length - 1]!]!.ev.depth >= h.ev.depth) headings[open.pop()!]!.end = at;
        open.push(k);
      });
    }

    let title: DocumentModel['title'];
    const sections: Section[] = [];
    const entities: Entity[] = [];
    let currentSectionKeys: readonly string[] = [];
    const entityStack: Entity[] = [];
    let hk = 0;
    for (const { part, by } of parts) {
      part.events.forEach((ev, evIndex) => {
        if (ev.t === 'h') {
          const end = headings[hk++]!.end;
          const hs = shiftSpan(ev.hs, by);
          const ts = shiftSpan(ev.ts, by);
          if (ev.depth === 1 && !title) title = { text: ev.titleText.trim(), span: ts };
          while (entityStack.length && entityStack[entityStack.length - 1]!.depth >= ev.depth) entityStack.pop();
          if (ev.depth <= 2) {
            entityStack.length = 0;
            currentSectionKeys = [];
          }
          if (ev.depth === 2) {
            sections.push({ title: ev.titleText.trim(), normalized: ev.normalized, depth: 2, headingSpan: hs, titleSpan: ts, span: span(hs.start, end) });
            currentSectionKeys = resolveSections(type, ev.normalized);
          }
          if (ev.entity) {
            const parent = ownerOf(entityStack, ev.entity.kind);
            const key = `${by}|${end}|${parent ?? ''}|${currentSectionKeys.join('\u0000')}`;
            const prior = part.merged?.get(evIndex);
            let entity: Entity;
            if (prior && prior.key === key) entity = prior.entity;
            else {
              const e = by === 0 ? ev.entity : shiftEntity(ev.entity, by);
              entity = {
                id: e.id,
                kind: e.kind,
                idSpan: e.idSpan,
                ...(e.title !== undefined ? { title: e.title, titleSpan: e.titleSpan! } : {}),
                ...(e.description !== undefined ? { description: e.description } : {}),
                definedBy: 'heading',
                headingSpan: e.headingSpan,
                span: span(e.headingSpan.start, end),
                depth: e.depth,
                sectionKeys: currentSectionKeys,
                ...(parent ? { parent } : {}),
                properties: e.properties,
              };
              // The same entity moved: its values (schema/entityValues.ts) move with it rather than being read again.
              if (prior) moveEntityValues(prior.entity, entity, by - prior.by);
              (part.merged ??= new Map()).set(evIndex, { key, by, entity });
            }
            entities.push(entity);
            entityStack.push(entity);
          }
          if (ev.problem) problems.push(by === 0 ? ev.problem : (shifted(ev.problem, by) as Diagnostic));
        } else {
          ev.rows.forEach((row, rowIndex) => {
            const parent = ownerOf(entityStack, row.kind);
            const key = `${by}|${parent ?? ''}|${currentSectionKeys.join('\u0000')}`;
            const slot = `${evIndex}.${rowIndex}`;
            const prior = part.merged?.get(slot);
            if (prior && prior.key === key) {
              entities.push(prior.entity);
              return;
            }
            const e = by === 0 ? row : shiftEntity(row, by);
            const { parent: _p, properties, ...rest } = e;
            const entity: Entity = { ...rest, sectionKeys: currentSectionKeys, ...(parent ? { parent } : {}), properties };
            if (prior) moveEntityValues(prior.entity, entity, by - prior.by);
            (part.merged ??= new Map()).set(slot, { key, by, entity });
            entities.push(entity);
          });
        }
      });
    }

    // The tolerant reader: document-wide; a document it adds entities to is extracted in full.
    const read = readDocument({ text, root, type, uri, docKey: documentKey(uri, docId?.id), knownKey, strict: entities, sections, resolveSections, configScale: reading.priorityScale });
    if (read.entities.length) return extractModel(uri, text, root, resolveSections, reading, knownKey);
    for (const p of read.problems) problems.push(p);

    // References: each region's, then the front matter's.
    const references: Reference[] = [];
    for (const { part, by } of parts) for (const ref of part.references) references.push(by === 0 ? ref : { ...ref, span: shiftSpan(ref.span, by) });
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

    // Suppressions: findSuppressions visits the tree last node first.
    const suppressions: Suppression[] = [];
    for (let k = parts.length - 1; k >= 0; k--) {
      const { part, by } = parts[k]!;
      if (!part.suppressions.length) continue;
      if (by === 0) {
        for (const s of part.suppressions) suppressions.push(s);
        continue;
      }
      const moved = regionLines[k]! - part.atLine!;
      for (const s of part.suppressions) suppressions.push({ ...s, line: s.line + moved });
    }

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
      suppressions,
      problems,
      textLength: text.length,
    };
  }
}

/** What one region says on its own (document coordinates of now). */
function readPart(r: RegionInput, text: string, lineAt: (offset: number) => number): Part {
  const children = r.nodes;
  const events: RegionEvent[] = [];
  const definitionKeys = new Set<string>();
  const strict: { properties: readonly Property[]; id: string }[] = [];
  for (let i = 0; i < children.length; i++) {
    const node = children[i]!;
    if (node.type === 'heading') {
      const hs = spanOf(node) ?? span(0, 0);
      const ts = headingTitleSpan(node);
      const titleText = text.slice(ts.start, ts.end);
      let entity: HeadingEvent['entity'];
      let problem: Diagnostic | undefined;
      const m = ENTITY_HEADING.exec(titleText);
      if (m) {
        const id = m[2]!;
        const kind = idKind(id);
        const idStart = ts.start + m[1]!.length;
        if (kind && isEntityKind(kind)) {
          const titleStart = idStart + id.length + m[3]!.length;
          const entTitle = m[4]!.trim();
          const body = collectBody(children, i + 1, text);
          entity = {
            id,
            kind,
            idSpan: span(idStart, idStart + id.length),
            ...(entTitle ? { title: entTitle, titleSpan: span(titleStart, titleStart + m[4]!.trimEnd().length) } : {}),
            ...(body.description ? { description: body.description } : {}),
            definedBy: 'heading',
            headingSpan: hs,
            depth: node.depth,
            properties: body.properties,
          };
          definitionKeys.add(`${entity.idSpan.start}:${entity.idSpan.end}`);
          strict.push(entity);
        } else if (!kind && /^[A-Z]{2,10}-/.test(id) && /^(?:KPIS?|FEATS?|FEATURE|OBJS?|KRS?|PERSONAS?|OBJECTIVE)-/i.test(id)) {
          problem = diag('invalid-id', span(idStart, idStart + id.length), `\`${id.split('-')[0]}\` is not an ID prefix; use KPI, FEAT, OBJ, KR or PERSONA.`);
        }
      } else {
        const bad = /^\s*((?:KPI|FEAT|OBJ|KR|PERSONA)-\S*)\s*:/.exec(titleText);
        if (bad) {
          const s = ts.start + titleText.indexOf(bad[1]!);
          problem = diag('invalid-id', span(s, s + bad[1]!.length), `\`${bad[1]}\` is not a valid ID: after the prefix use letters and digits, with single \`-\`, \`_\` or \`.\` between them (e.g. FEAT-saved-cards).`);
        }
      }
      events.push({ t: 'h', depth: node.depth, hs, startsAt: spanOf(node)?.start, ts, titleText, normalized: node.depth === 2 ? normalizeSectionTitle(titleText) : '', ...(entity ? { entity } : {}), ...(problem ? { problem } : {}) });
    } else if (node.type === 'table') {
      const rows = tableEntities(node, text, [], () => undefined);
      for (const e of rows) {
        definitionKeys.add(`${e.idSpan.start}:${e.idSpan.end}`);
        strict.push(e);
      }
      if (rows.length) events.push({ t: 't', rows });
    }
  }

  // References in the region's text (the properties they sit in are the region's own).
  const propertyAt = propertyFinder(strict);
  const references: Reference[] = [];
  const root = { type: 'root', children: children as RootContent[] } as Root;
  visitText(root as Nodes, (s) => {
    const chunk = text.slice(s.start, s.end);
    for (const m of findIds(chunk)) {
      const r = span(s.start + m.index, s.start + m.index + m.id.length);
      if (definitionKeys.has(`${r.start}:${r.end}`)) continue;
      const at = propertyAt(r.start);
      references.push({ id: m.id, kind: m.kind, span: r, context: at ? 'property' : 'prose', ...(at ? { key: at.property.key, entity: at.entity.id } : {}) });
    }
  });
  const suppressions = findSuppressions(root, text);
  const part: Part = { at: r.start, events, references, suppressions };
  if (suppressions.length) part.atLine = lineAt(r.start);
  return part;
}

function headingTitleSpan(h: Heading): Span {
  const hs = spanOf(h) ?? span(0, 0);
  const a = spanOf(h.children[0])?.start;
  const b = spanOf(h.children[h.children.length - 1])?.end;
  if (a === undefined || b === undefined) return span(hs.end, hs.end);
  return span(a, b);
}

/** The 0-based line of an offset; successive calls with growing offsets scan the text once. */
function lineCounter(text: string): (offset: number) => number {
  let at = 0;
  let line = 0;
  return (offset: number) => {
    if (offset < at) {
      at = 0;
      line = 0;
    }
    for (let i = text.indexOf('\n', at); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) line++;
    at = offset;
    return line;
  };
}

function shiftSpan(s: Span, by: number): Span {
  return by === 0 ? s : { start: s.start + by, end: s.end + by };
}

/** An entity moved by `by` (the fields that hold offsets; keys keep their order). */
function shiftEntity<E extends Omit<Entity, 'sectionKeys' | 'parent' | 'span'> & { span?: Span }>(e: E, by: number): E {
  return {
    ...e,
    idSpan: shiftSpan(e.idSpan, by),
    ...(e.titleSpan ? { titleSpan: shiftSpan(e.titleSpan, by) } : {}),
    headingSpan: shiftSpan(e.headingSpan, by),
    ...(e.span ? { span: shiftSpan(e.span, by) } : {}),
    properties: e.properties.map((p) => ({ ...p, keySpan: shiftSpan(p.keySpan, by), valueSpan: shiftSpan(p.valueSpan, by), items: p.items.map((i) => ({ ...i, span: shiftSpan(i.span, by) })) })),
  };
}

/** A copy with every span (an object of exactly `start` and `end`) moved by `by`; keys keep their order. */
function shifted(v: unknown, by: number): unknown {
  if (Array.isArray(v)) return v.map((x) => shifted(x, by));
  if (v === null || typeof v !== 'object') return v;
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o);
  if (keys.length === 2 && typeof o.start === 'number' && typeof o.end === 'number') return { start: (o.start as number) + by, end: (o.end as number) + by };
  const out: Record<string, unknown> = {};
  for (const k of keys) out[k] = shifted(o[k], by);
  return out;
}
