/**
 * Derived IDs for the entities the tolerant reader found: `<KIND>-<document key>.<label or title>`
 * (`FEAT-checkout.fr-001`, `KR-okrs.objective-1.kr1`), unique in the document and, through the
 * document key, across a workspace of documents that reuse the same labels. A restatement (the
 * same label, kind and parent written twice, such as an Epic List before the epic details or a
 * key result repeated in an appendix) is one entity, kept where it owns children, else where it
 * is first written.
 */
import { derivedId, slugify } from '../../ids.js';
import type { Entity } from '../types.js';
import type { Candidate } from './reader.js';

export function deriveEntities(candidates: readonly Candidate[], docKey: string, taken: ReadonlySet<string>, sectionKeysAt: (offset: number) => readonly string[]): Entity[] {
  // Restatements: same kind, label (or title when unlabelled) and parent.
  const index = new Map(candidates.map((c, i) => [c, i]));
  const keyOf = (c: Candidate) => `${c.kind}|${c.parent ? (index.get(c.parent) ?? -1) : -1}|${(c.label ?? '').toLowerCase().replace(/\s+/g, '')}|${c.label ? '' : slugify(c.title)}`;
  const kept = new Map<string, Candidate>();
  const dropped = new Set<Candidate>();
  for (const c of candidates) {
    if (!c.label) continue; // only a label says two places are one entity; equal titles are two
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
  const next = new Map<string, number>();
  const out: Entity[] = [];
  let n = 0;
  for (const c of candidates) {
    if (dropped.has(c)) continue;
    n++;
    const parent = c.parent ? (replacement.get(c.parent) ?? c.parent) : undefined;
    // A title makes a shorter slug than a label needs: the first words are enough to tell entities apart.
    const own = c.label ?? (slugify(c.title) ? slugify(c.title, 28) : `${c.kind.toLowerCase()} ${n}`);
    const parentId = parent ? ids.get(parent) : undefined;
    const base = c.kind === 'KR' && parentId ? `${parentId.slice(parentId.indexOf('-') + 1)}.${slugify(own) || 'item'}` : undefined;
    const first = base ? `KR-${base}` : derivedId(c.kind, docKey, own);
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
