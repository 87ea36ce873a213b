/** The ID grammar of the spec: PREFIX-rest, rest = letters/digits with single - _ . between. */

export const ENTITY_KINDS = ['KPI', 'FEAT', 'OBJ', 'KR', 'PERSONA'] as const;
export const DOCUMENT_KINDS = ['BRIEF', 'PRD', 'OKR'] as const;
export const ID_KINDS = [...DOCUMENT_KINDS, ...ENTITY_KINDS] as const;
export type IdKind = (typeof ID_KINDS)[number];
export type EntityKind = (typeof ENTITY_KINDS)[number];

const PREFIX = `(?:${ID_KINDS.join('|')})`;
const REST = '[A-Za-z0-9]+(?:[-_.][A-Za-z0-9]+)*';

/** An ID anchored at both ends. */
export const ID_EXACT = new RegExp(`^(${PREFIX})-${REST}$`);

/** Finds IDs in running text. Not preceded by a word character or `-`. */
export function idPattern(): RegExp {
  return new RegExp(`(?<![A-Za-z0-9\\-])(${PREFIX})-${REST}(?![A-Za-z0-9])`, 'g');
}

export function idKind(id: string): IdKind | undefined {
  const dash = id.indexOf('-');
  if (dash < 0) return undefined;
  const p = id.slice(0, dash);
  return (ID_KINDS as readonly string[]).includes(p) ? (p as IdKind) : undefined;
}

export function isEntityKind(kind: string): kind is EntityKind {
  return (ENTITY_KINDS as readonly string[]).includes(kind);
}

/** What a kind is called in messages. */
export const KIND_NAMES: Record<IdKind, string> = {
  BRIEF: 'product brief',
  PRD: 'PRD',
  OKR: 'OKR document',
  KPI: 'KPI',
  FEAT: 'feature',
  OBJ: 'objective',
  KR: 'key result',
  PERSONA: 'persona',
};

export interface IdMatch {
  readonly id: string;
  readonly kind: IdKind;
  /** Offset within the searched string. */
  readonly index: number;
}

const SHARED = idPattern();
const PREFIX_CHARS = /[BPOKF]/;

export function findIds(text: string): IdMatch[] {
  const out: IdMatch[] = [];
  if (!text.includes('-') || !PREFIX_CHARS.test(text)) return out;
  const re = SHARED;
  re.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    out.push({ id: m[0], kind: m[1] as IdKind, index: m.index });
  }
  return out;
}

/** `a KPI`, `an objective`, `an OKR document`. */
export function withArticle(kind: IdKind): string {
  const name = KIND_NAMES[kind];
  return `${/^(?:[aeio]|OKR)/.test(name) ? 'an' : 'a'} ${name}`;
}

// ---- derived IDs (entities written without one) ---------------------------------------------

/** `Weekly Active Users (WAU)` -> `weekly-active-users-wau`: letters and digits joined by single dashes, at most `max` characters (cut at a word). */
export function slugify(text: string, max = 40): string {
  const words = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  let out = '';
  for (const w of words) {
    const next = out ? `${out}-${w}` : w;
    if (next.length > max) {
      if (!out) out = w.slice(0, max);
      break;
    }
    out = next;
  }
  return out;
}

/** A short key for a document in derived IDs: its front matter ID without the prefix, else its file (or folder, for generic file names such as spec.md). */
export function documentKey(uri: string, docId?: string): string {
  if (docId) {
    const dash = docId.indexOf('-');
    const k = slugify(dash > 0 ? docId.slice(dash + 1) : docId, 24);
    if (k) return k;
  }
  const parts = decodeURIComponentSafe(uri).split(/[\\/]/).filter(Boolean);
  let name = (parts[parts.length - 1] ?? '').replace(/\.[^.]*$/, '').replace(/\.(?:brief|prd|okr)$/i, '');
  if (/^(?:spec|specs|requirements|prd|readme|index|design|brief|okr|okrs|plan|product|tasks|proposal)$/i.test(name) && parts.length > 1) name = parts[parts.length - 2]!;
  return slugify(name, 24) || 'doc';
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** `derivedId('FEAT', 'checkout', 'FR-001')` -> `FEAT-checkout.fr-001`; always matches ID_EXACT. */
export function derivedId(kind: EntityKind, docKey: string, ...parts: string[]): string {
  const rest = [docKey, ...parts.map((p) => slugify(p) || 'item')].filter(Boolean).join('.');
  return `${kind}-${rest}`;
}
