/**
 * The labels documents give their entities without Northstar IDs: `FR-001`, `US1`, `KR 1.1`,
 * `Key Result 1.1`, `User Story 2`, `Requirement 3`, `Story 1.1`, `Epic 2 Details`, `Objective 1`,
 * `O1`, `Persona 1`, and the untitled kinds `Requirement:`, `Capability:`, `Feature:`, `Objective:`.
 * Works on one line of plain text (emphasis removed, same length) so offsets stay exact.
 */
import type { EntityKind } from '../../ids.js';

export interface LabelHit {
  /** The label as written (`FR-001`, `User Story 2`, `KR 1.1`); empty for `Requirement:` forms. */
  readonly label: string;
  /** Offset of the label in the line. */
  readonly labelAt: number;
  /** The kind the label names; undefined for a code such as `UM-001` (the section decides) or null for one that is no entity (`NFR1`, `UC2`). */
  readonly kind: EntityKind | undefined | null;
  /** The title after the separator (may be empty) and its offset. */
  readonly title: string;
  readonly titleAt: number;
  /** A named label (`User Story 1`, `Objective 2`, `Requirement:`), not a code such as `FR-001`. */
  readonly named: boolean;
}

const NAMED = /^(user\s+story|story|epic|requirement|req|capability|feature|objective|obj|okr(?=\s*\d)|key\s+result|kr|persona|use\s+case|o(?=\d))\s*(\d+(?:\.\d+)*[a-z]?)?(\s+details)?\s*(?:(?:[:.]|\s[-–—]|[-–—](?=\s))\s*|$)/i;
const CODE = /^([A-Z]{1,6})[-_]?(\d{1,4}[a-z]?(?:\.\d+)*)(?=$|[\s:.)\]])\s*(?:(?::|[-–—](?=\s))\s*|$)/;
/** Codes that are no entity label: priorities, quarters, halves, versions, standards. */
const NOT_LABELS = new Set(['P', 'Q', 'H', 'V', 'FY', 'ISO', 'UTF', 'SOC', 'WCAG', 'HTTP', 'TLS', 'GDPR', 'OWASP', 'ES', 'IE', 'HTML', 'CSS', 'MVP', 'API', 'AA', 'AAA', 'PHASE', 'STEP', 'WEEK', 'DAY', 'T', 'W', 'M', 'S', 'X']);
const NAMED_KIND: Record<string, EntityKind | null> = {
  'user story': 'FEAT',
  story: 'FEAT',
  epic: 'FEAT',
  requirement: 'FEAT',
  req: 'FEAT',
  capability: 'FEAT',
  feature: 'FEAT',
  objective: 'OBJ',
  obj: 'OBJ',
  okr: 'OBJ',
  o: 'OBJ',
  'key result': 'KR',
  kr: 'KR',
  persona: 'PERSONA',
  'use case': null,
};

function codeKind(prefix: string): EntityKind | undefined | null {
  if (/^(?:SC|KPI|SM|M)$/.test(prefix)) return 'KPI';
  if (/^KRS?$/.test(prefix)) return 'KR';
  if (/^(?:O|OBJ)$/.test(prefix)) return 'OBJ';
  if (/^(?:FR|US|UC?S|REQ|F|FEAT|E|EPIC|STORY)$/.test(prefix)) return prefix === 'UC' ? null : 'FEAT';
  if (/^(?:NFR|NF|UC|R|RISK|Q|A|C|D|TC|AC|T|BR)$/.test(prefix)) return null;
  return undefined;
}

/** `Company Objective 1:`, `Technology KR1:`: one capitalised word before a numbered objective or key result qualifies it. */
const QUALIFIER = /^(\p{Lu}[\p{L}&'-]*\s+)(?=(?:[Oo]bjective|OBJ|[Kk]ey\s+[Rr]esult|KR)\s*\d+(?:\.\d+)*[a-z]?\s*(?:[:.]|\s[-–—]|[-–—]\s|$))/u;

export function parseLabel(line: string): LabelHit | undefined {
  const q = QUALIFIER.exec(line.trimStart());
  if (q) {
    const at = line.length - line.trimStart().length + q[1]!.length;
    const hit = parseLabel(' '.repeat(at) + line.slice(at));
    if (hit && hit.named) return hit;
  }
  const lead = /^\s*/.exec(line)![0].length;
  const s = line.slice(lead);
  const n = NAMED.exec(s);
  if (n) {
    const word = n[1]!.toLowerCase().replace(/\s+/g, ' ');
    const num = n[2];
    // `Requirement` / `Feature` / `Capability` / `Objective` without a number need a colon (`Requirement: Logout`).
    if (!num && (!n[0].includes(':') || !/^(?:requirement|req|capability|feature|objective|obj)$/.test(word))) return undefined;
    if (word === 'o' && !num) return undefined;
    // An un-numbered `Requirement:` names the kind only; the title identifies it.
    const label = num ? s.slice(0, n[1]!.length + s.slice(n[1]!.length).indexOf(num) + num.length).trim() : '';
    const titleAt = lead + n[0].length;
    return { label, labelAt: lead, kind: NAMED_KIND[word] ?? null, title: line.slice(titleAt).trim(), titleAt, named: true };
  }
  const c = CODE.exec(s);
  if (c && !NOT_LABELS.has(c[1]!)) {
    const label = s.slice(0, s.indexOf(c[2]!) + c[2]!.length);
    const titleAt = lead + c[0].length;
    return { label, labelAt: lead, kind: codeKind(c[1]!), title: line.slice(titleAt).trim(), titleAt, named: false };
  }
  return undefined;
}

/**
 * The line with emphasis markers, backticks and a task box blanked to spaces (same length), so a
 * label inside bold (`**FR-001**:`, `**KR1:**`) reads like a plain one.
 */
export function plain(line: string): string {
  return line.replace(/^(\s*)\[[ xX]\]\s/, (m, sp: string) => sp + ' '.repeat(m.length - sp.length)).replace(/\*\*|__|[*_`](?=\S)|(?<=\S)[*_`]/g, (m) => ' '.repeat(m.length));
}
