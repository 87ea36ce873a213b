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
