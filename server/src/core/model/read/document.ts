/**
 * The tolerant reading of one document, after the strict one: entities without IDs (reader.ts)
 * with derived IDs (derive.ts), and the P-scale (legend.ts).
 * A document that defines entities with written IDs is read strictly only, so a document in
 * Northstar's own dialect reads exactly as before.
 */
import type { Root } from 'mdast';
import type { Diagnostic } from '../../diagnostics.js';
import { findIds } from '../../ids.js';
import { priorityLegendConflict } from '../../rules/document/priority-legend-conflict.js';
import { raggedTableRow } from '../../rules/document/ragged-table-row.js';
import { span } from '../../text/lineIndex.js';
import type { DocType, Entity, Priority, Section } from '../types.js';
import { deriveEntities, maskWrittenIds, writtenIdAt, type WrittenId } from './derive.js';
import { inferredScale } from './legend.js';
import { readTolerant, type Candidate, type KnownKey } from './reader.js';

export type { KnownKey } from './reader.js';

export interface DocumentReading {
  readonly text: string;
  readonly root: Root;
  readonly type: DocType | undefined;
  readonly uri: string;
  readonly docKey: string;
  readonly knownKey: KnownKey;
  /** The entities with written IDs. */
  readonly strict: readonly Entity[];
  readonly sections: readonly Section[];
  readonly resolveSections: (type: DocType | undefined, normalized: string) => readonly string[];
  readonly configScale?: Readonly<Record<string, Priority>> | undefined;
}

export interface DocumentRead {
  readonly entities: Entity[];
  readonly priorityScale?: Readonly<Record<string, Priority>>;
  readonly problems: Diagnostic[];
}

export function readDocument(r: DocumentReading): DocumentRead {
  const problems: Diagnostic[] = [];
  const config = r.configScale && Object.keys(r.configScale).length ? r.configScale : undefined;
  // Only documents of a type define entities; plain Markdown is read for mentions only.
  if (!r.type) return { entities: [], ...(config ? { priorityScale: config } : {}), problems };
  const strictStarts = new Set(r.strict.filter((e) => e.definedBy === 'heading').map((e) => e.headingSpan.start));
  // Where the reader sees an entity with a written ID before its title (`- KR-x: …`, a title cell
  // `FEAT-x: Title`, `### 1. FEAT-x: Search`, `- **KPI-x: Weekly active teams**: …`: what Assign
  // IDs writes), the entity has that ID written. The reader reads the text with those IDs blanked,
  // so it finds the entity as it did before the ID was written.
  const mask = maskWrittenIds(r.text);
  const read = readTolerant(mask.text, r.root, r.type, r.knownKey, strictStarts);
  // In a document with strict entities they are looked for under the strict headings too (a second reading).
  const strictIdAt = new Set(r.strict.map((e) => e.idSpan.start));
  const more = mask.ids.some((w) => !strictIdAt.has(w.span.start));
  const pool = !r.strict.length ? read.candidates : more ? readTolerant(mask.text, r.root, r.type, r.knownKey, new Set()).candidates : [];
  const written = new Map<Candidate, WrittenId>();
  for (const c of pool) {
    const w = writtenIdAt(c, r.text, mask.ids);
    if (w) written.set(c, w);
  }
  const strictIds = new Set(r.strict.map((e) => e.id));
  const strictAt = new Map(r.strict.filter((e) => e.definedBy === 'heading').map((e) => [e.headingSpan.start, e.id]));
  // A document that writes IDs is in the documented dialect: read exactly as before, nothing derived.
  // A row or bullet that names a written ID refers to that entity; it defines none.
  const candidates = pool.filter((c) => {
    const w = written.get(c);
    if (w) return !strictIds.has(w.id) && !strictAt.has(c.headingSpan.start);
    return !r.strict.length && !findIds(c.title).length;
  });
  const sectionKeysAt = (offset: number): readonly string[] => {
    const s = r.sections.find((x) => offset >= x.span.start && offset < x.span.end);
    return s ? r.resolveSections(r.type, s.normalized) : [];
  };
  const entities = deriveEntities(candidates, r.docKey, strictIds, sectionKeysAt, { written, strictId: (c) => strictAt.get(c.headingSpan.start) });

  // The P-scale: inferred from the codes used, then the config's, then the document's legend.
  const legend: Record<string, Priority> = {};
  for (const e of read.legend) {
    const prior = legend[e.code];
    if (prior === undefined) {
      legend[e.code] = e.priority;
    } else if (prior !== e.priority) {
      problems.push(
        priorityLegendConflict.report(e.span, `The priority legend gives \`${e.code}\` two meanings: ${prior} earlier, ${e.priority} here. Say once what ${e.code} means; Northstar reads it as ${prior}.`, { code: e.code, first: prior, second: e.priority }),
      );
    }
  }
  raggedRows(r.text, r.root, problems);
  // A legend is the document's word: then nothing is inferred.
  const scale = { ...(config || read.legend.length ? {} : inferredScale(read.pUsed)), ...(config ?? {}), ...legend };
  return { entities, ...(Object.keys(scale).length ? { priorityScale: scale } : {}), problems };
}

/** At most this many ragged rows are reported per document. */
const MAX_RAGGED = 100;

/** Table rows with more cells than their header: the cells past the header's are not read (ragged-table-row). */
function raggedRows(text: string, root: Root, problems: Diagnostic[]): void {
  let n = 0;
  const visit = (node: { type: string; children?: unknown[] }): void => {
    if (n >= MAX_RAGGED) return;
    if (node.type === 'table') {
      const rows = (node.children ?? []) as { children?: { position?: { start?: { offset?: number }; end?: { offset?: number } } }[] }[];
      const header = rows[0]?.children?.length ?? 0;
      for (const row of rows.slice(1)) {
        const cells = row.children ?? [];
        if (!header || cells.length <= header || n >= MAX_RAGGED) continue;
        const start = cells[header]?.position?.start?.offset;
        const end = cells[cells.length - 1]?.position?.end?.offset;
        if (start === undefined || end === undefined || end <= start) continue;
        // The extra cells' text, without the pipes and the spaces around them.
        const raw = text.slice(start, end);
        const lead = /^[\s|]*/.exec(raw)![0].length;
        const trail = /[\s|]*$/.exec(raw)![0].length;
        const s = start + lead;
        const e = Math.max(s, end - trail);
        const extra = text.slice(s, e);
        if (!extra.trim()) continue; // empty cells past the header lose nothing
        const shown = extra.length > 40 ? `${extra.slice(0, 37)}…` : extra;
        const what = cells.length - header === 1 ? `the last cell (\`${shown}\`) is` : `the last ${cells.length - header} cells (\`${shown}\`) are`;
        problems.push(raggedTableRow.report(span(s, e), `This row has ${cells.length} cells but the table's header has ${header}: ${what} not read. Add a column to the header, or move the value into a column it has.`, { cells: cells.length, header }));
        n++;
      }
      return;
    }
    for (const c of node.children ?? []) visit(c as { type: string; children?: unknown[] });
  };
  visit(root as unknown as { type: string; children?: unknown[] });
}
