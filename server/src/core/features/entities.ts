/**
 * Find entities: the IDs a workspace defines, by ID, by words of their title or name, by kind.
 * Every word of the query must occur in the ID or the title (case-insensitive); an exact ID comes
 * first, then IDs that start with the query, then the rest by ID. Plain data; paths come from the
 * host, lines are 1-based.
 */
import type { IdKind } from '../ids.js';
import type { FeatureContext } from './context.js';

export interface FoundEntity {
  readonly id: string;
  readonly kind: IdKind;
  readonly title?: string;
  /** The document that defines it (its ID), when that is not the entity itself. */
  readonly document?: string;
  readonly path: string;
  readonly line: number;
}

export interface FindQuery {
  readonly query?: string;
  readonly kind?: IdKind;
  readonly limit?: number;
}

export interface FindResult {
  readonly entities: FoundEntity[];
  /** How many matched in all (more than `entities` when the limit cut the list). */
  readonly total: number;
}

export const FIND_DEFAULT_LIMIT = 50;
export const FIND_MAX_LIMIT = 500;

export function findEntities(ctx: FeatureContext, q: FindQuery, path: (uri: string) => string): FindResult {
  const query = (q.query ?? '').trim().toLowerCase();
  const words = query.split(/\s+/).filter(Boolean);
  const limit = Math.max(1, Math.min(FIND_MAX_LIMIT, Math.floor(q.limit ?? FIND_DEFAULT_LIMIT)));
  const matches: { e: FoundEntity; rank: number }[] = [];
  for (const id of ctx.index.definedIds(q.kind)) {
    const d = ctx.index.definition(id);
    if (!d) continue;
    const a = ctx.index.get(d.uri);
    const docId = a?.model.docId?.id;
    const title = d.entity?.title ?? (docId === id ? a?.model.title?.text : undefined);
    const hay = `${id} ${title ?? ''}`.toLowerCase();
    if (!words.every((w) => hay.includes(w))) continue;
    const lid = id.toLowerCase();
    const rank = !query ? 2 : lid === query ? 0 : lid.startsWith(query) ? 1 : 2;
    matches.push({
      rank,
      e: {
        id,
        kind: d.kind,
        ...(title ? { title } : {}),
        ...(docId && docId !== id ? { document: docId } : {}),
        path: path(d.uri),
        line: a?.lines.humanPosition(d.span.start).line ?? 1,
      },
    });
  }
  matches.sort((x, y) => x.rank - y.rank || (x.e.id < y.e.id ? -1 : x.e.id > y.e.id ? 1 : 0));
  return { entities: matches.slice(0, limit).map((m) => m.e), total: matches.length };
}
