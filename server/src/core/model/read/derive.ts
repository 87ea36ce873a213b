/**
 * Derived IDs for the entities the tolerant reader found: `<KIND>-<document key>.<label or title>`
 * (`FEAT-checkout.fr-001`, `KR-okrs.objective-1.kr1`), unique in the document and, through the
 * document key, across a workspace of documents that reuse the same labels. A restatement (the
 * same label, kind and parent written twice, such as an Epic List before the epic details or a
 * key result repeated in an appendix) is one entity, kept where it owns children, else where it
 * is first written.
 *
 * Where the reader sees an entity whose text starts with a written ID of its kind (`- KR-x: …`,
 * `| FEAT-x: Title | … |`, `**KPI-x:** …`: what "Assign IDs" writes), the ID is written: the
 * entity is read with that ID, not derived (`maskWrittenIds`, `writtenIdAt`).
 */
import { derivedId, ID_EXACT, idKind, slugify } from '../../ids.js';
import { span, type Span } from '../../text/lineIndex.js';
import type { Entity } from '../types.js';
import type { Candidate } from './reader.js';

/** An ID written at the start of an entity's text, where the reader found the entity. */
export interface WrittenId {
  readonly id: string;
  readonly idSpan: Span;
  readonly title: string;
  readonly titleSpan?: Span;
}

/** An entity ID written before a title: `FEAT-x: `, `**KPI-x: ` (a bold lead-in), `KR-x:** ` (a bold label). */
const WRITTEN = /(\*\*|__|[*_])?((?:FEAT|KPI|OBJ|KR|PERSONA)-[A-Za-z0-9]+(?:[-_.][A-Za-z0-9]+)*):(\*\*|__|[*_])?(?=[ \t]|\r?$)[ \t]*/gm;

/**
 * The text with every written `ID: ` before a title blanked (same length, offsets kept; an opening
 * emphasis marker moves right to the title, a bold label `**KR-x:**` is blanked whole), so the
 * tolerant reader reads the entity as it did before its ID was written; and where each ID stood.
 */
export function maskWrittenIds(text: string): { text: string; ids: { id: string; span: Span }[] } {
  const ids: { id: string; span: Span }[] = [];
  if (!/(?:FEAT|KPI|OBJ|KR|PERSONA)-[A-Za-z0-9][^\s:]*:/.test(text)) return { text, ids };
  const masked = text.replace(WRITTEN, (m: string, open: string | undefined, id: string, close: string | undefined, at: number) => {
    if (text[at - 1] !== undefined && /[A-Za-z0-9-]/.test(text[at - 1]!)) return m;
    const idAt = at + (open?.length ?? 0);
    ids.push({ id, span: span(idAt, idAt + id.length) });
    // `**KR-x:**` (a label in bold) or `**KPI-x: Title**` (the ID inside a bold lead-in).
    if (open && close) return ' '.repeat(m.length);
    if (open) return ' '.repeat(m.length - open.length) + open;
    return ' '.repeat(m.length);
  });
  return { text: masked, ids };
}

/**
 * The written ID of a candidate read from the masked text: an ID of its kind that stood on the
 * candidate's own line before its title (or on its label's line, when the title is read from elsewhere).
 */
export function writtenIdAt(c: Candidate, text: string, ids: readonly { id: string; span: Span }[]): WrittenId | undefined {
  if (!ids.length) return undefined;
  // The line the entity is read from: its title's, when the title stands on the entity's first line, else its label's.
  const head = c.headingSpan.start;
  const titleHere = c.titleSpan && c.titleSpan.start >= head && c.titleSpan.start <= lineEndOf(text, head);
  const lineStart = text.lastIndexOf('\n', (titleHere ? c.titleSpan!.start : c.idSpan.start) - 1) + 1;
  // After the label, when the label stands before the title (`KR1: KR-x: Title`).
  const from = c.label && c.idSpan.start >= lineStart && (!titleHere || c.idSpan.end <= c.titleSpan!.start) ? c.idSpan.end : lineStart;
  const to = titleHere && c.titleSpan!.start >= from ? c.titleSpan!.start : lineEndOf(text, lineStart);
  // Binary search: the first ID that starts at or after `from`.
  let lo = 0;
  let hi = ids.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ids[mid]!.span.start < from) lo = mid + 1;
    else hi = mid;
  }
  for (let i = lo; i < ids.length && ids[i]!.span.end <= to; i++) {
    const w = ids[i]!;
    if (idKind(w.id) === c.kind && ID_EXACT.test(w.id)) return { id: w.id, idSpan: w.span, title: c.title, ...(c.titleSpan ? { titleSpan: c.titleSpan } : {}) };
  }
  return undefined;
}

function lineEndOf(text: string, offset: number): number {
  const nl = text.indexOf('\n', offset);
  return nl < 0 ? text.length : nl;
}

/**
 * What a candidate is when it is no derived entity: its written ID (`written`), or the written ID of
 * the strict entity it is (a heading the strict reading read: `strictId`), so children find it.
 */
export interface Known {
  readonly written?: ReadonlyMap<Candidate, WrittenId>;
  readonly strictId?: (c: Candidate) => string | undefined;
}

export function deriveEntities(candidates: readonly Candidate[], docKey: string, taken: ReadonlySet<string>, sectionKeysAt: (offset: number) => readonly string[], known: Known = {}): Entity[] {
  const written = known.written ?? new Map<Candidate, WrittenId>();
  // Restatements: same kind, label (or title when unlabelled) and parent.
  const index = new Map(candidates.map((c, i) => [c, i]));
  const keyOf = (c: Candidate) => `${c.kind}|${c.parent ? (index.get(c.parent) ?? -1) : -1}|${(c.label ?? '').toLowerCase().replace(/\s+/g, '')}|${c.label ? '' : slugify(c.title)}`;
  const kept = new Map<string, Candidate>();
  const dropped = new Set<Candidate>();
  for (const c of candidates) {
    if (!c.label || written.has(c)) continue; // only a label says two places are one entity; equal titles are two
    const k = keyOf(c);
    const prior = kept.get(k);
    if (!prior) {
      kept.set(k, c);
      continue;
    }
    if (prior.children > 0 && c.children > 0) continue; // both own children: two entities
    if (c.children > prior.children) {
      dropped.add(prior);
      kept.set(k, c);
    } else dropped.add(c);
  }
  const replacement = new Map<Candidate, Candidate>();
  for (const d of dropped) replacement.set(d, kept.get(keyOf(d))!);

  const ids = new Map<Candidate, string>();
  const used = new Set(taken);
  const writtenIds = new Set([...written.values()].map((w) => w.id));
  for (const id of writtenIds) used.add(id);
  const next = new Map<string, number>();
  const out: Entity[] = [];
  const parentOf = (c: Candidate): string | undefined => {
    const parent = c.parent ? (replacement.get(c.parent) ?? c.parent) : undefined;
    return parent ? (ids.get(parent) ?? written.get(parent)?.id ?? known.strictId?.(parent)) : undefined;
  };
  let n = 0;
  for (const c of candidates) {
    if (dropped.has(c)) continue;
    n++;
    const w = written.get(c);
    if (w) {
      // A written ID where the reader sees an entity: read as written, with the candidate's place and properties.
      const parentId = parentOf(c);
      ids.set(c, w.id);
      out.push({
        id: w.id,
        kind: c.kind,
        idSpan: w.idSpan,
        title: w.title,
        ...(w.titleSpan ? { titleSpan: w.titleSpan } : {}),
        ...(c.description ? { description: c.description } : {}),
        definedBy: c.definedBy,
        headingSpan: c.headingSpan,
        span: c.span,
        depth: c.depth,
        sectionKeys: sectionKeysAt(c.headingSpan.start),
        ...(parentId ? { parent: parentId } : {}),
        properties: c.properties,
      });
      continue;
    }
    // A title makes a shorter slug than a label needs: the first words are enough to tell entities apart.
    const own = c.label ?? (slugify(c.title) ? slugify(c.title, 28) : `${c.kind.toLowerCase()} ${n}`);
    const parentId = parentOf(c);
    const base = c.kind === 'KR' && parentId ? `${parentId.slice(parentId.indexOf('-') + 1)}.${slugify(own) || 'item'}` : undefined;
    const first = base ? `KR-${base}` : derivedId(c.kind, docKey, own);
    // A label restated after its ID was written (the ID written where the entity owns its children): the written entity.
    if (c.label && writtenIds.has(first)) {
      ids.set(c, first);
      continue;
    }
    let id = first;
    // Equal titles: -2, -3, … (the next free number per ID, so a thousand equal titles stay linear).
    for (let k = next.get(first) ?? 2; used.has(id); k++) {
      id = `${first}-${k}`;
      next.set(first, k + 1);
    }
    used.add(id);
    ids.set(c, id);
    out.push({
      id,
      kind: c.kind,
      idSpan: c.idSpan,
      ...(c.title ? { title: c.title } : {}),
      ...(c.titleSpan && c.title ? { titleSpan: c.titleSpan } : {}),
      ...(c.description ? { description: c.description } : {}),
      definedBy: c.definedBy,
      idDerived: true,
      headingSpan: c.headingSpan,
      span: c.span,
      depth: c.depth,
      sectionKeys: sectionKeysAt(c.headingSpan.start),
      ...(parentId ? { parent: parentId } : {}),
      properties: c.properties,
    });
  }
  return out;
}
