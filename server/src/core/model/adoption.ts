/**
 * Which entities are held to Northstar's own format. An entity Northstar read without a written ID
 * (a user story, an `FR-001` bullet, a KPI table row: `idDerived`) comes from a document that was
 * not written for Northstar and promised no schema: the rules that enforce the format (required
 * properties, the section an entity belongs in, a KPI on every feature) do not apply to it, while
 * what a product manager acts on still does (a must-have that moves no KPI, values that cannot be
 * read, references that resolve nowhere). Once an entity has its ID written (the "no ID yet" fix,
 * "Assign IDs"), it is held to the format like any other.
 */
import type { Entity } from './types.js';

export function heldToFormat(entity: Pick<Entity, 'idDerived'> | undefined): boolean {
  return entity?.idDerived !== true;
}

/**
 * A value an entity read without an ID states in words where the schema expects a number
 * (`Baseline: Single region`, `Target: Shipped`, `Implemented by Q2`): the document's own way to
 * describe a qualitative state, kept as a note, not a type error. Only words: a value with a
 * quantity in it (a digit outside a date or period) that cannot be read is still reported.
 */
export function isWordedValue(entity: Pick<Entity, 'idDerived'>, value: string): boolean {
  if (heldToFormat(entity)) return false;
  const t = value.replace(/\b(?:Q[1-4]|H[12]|FY\s?\d{2,4}|(?:19|20)\d{2}(?:-\d{2}){0,2})\b/gi, ' ');
  return /\p{L}/u.test(t) && !/\d/.test(t);
}

/**
 * Whether an ID-shaped token in a document's prose that is defined nowhere is only a mention: in a
 * document not written for Northstar (no entity ID written, no `id` in front matter) such a token
 * is the document's own name for something (`Document ID | OKR-Q1-2025`, `SOC-2`), not a reference
 * that broke. References in property values are still followed.
 */
export function proseIdsAreMentions(model: { readonly docId?: unknown; readonly entities: readonly Pick<Entity, 'idDerived'>[] }): boolean {
  return !model.docId && model.entities.every((e) => !heldToFormat(e));
}
