/**
 * Turns values as written into the values the schema expects, one reader per kind of value:
 * - not set (`TBD`, `N/A`, `-`, `?`, empty): no value — absent for the schema, never a type error;
 * - numbers (`≥90%` → 0.9 at least, `<500ms` → 500 ms below, `$1.2M`, `2,000 (67%)`, `90% → 95%`);
 * - choices (`Must Have (Phase 2)` → `must` with the note `Phase 2`, `P1` through the document's
 *   P-scale, `✅` → done, and the schema's `x-northstar-aliases`);
 * - dates and periods (`March 15, 2026` → `2026-03-15`, `Q1 2026` → `2026-Q1`; model/values.ts);
 * - lists (`KPI-a, KPI-b` → two items).
 * What cannot be read is returned as written, so the schema reports it.
 */
import type { Priority } from '../model/types.js';
import { canonicalDate, canonicalPeriod } from '../model/values.js';
import { schemaTypes, type JsonSchema } from './registry.js';

/** A P-scale or priority words a document or the config defines: upper-case key → MoSCoW value. */
export type PriorityScale = Readonly<Record<string, Priority>>;

/** The comparison written before or after a number: `≥90%`, `<500ms`, `50+`, `~40%`. */
export type Bound = '<' | '≤' | '>' | '≥' | '~';

/** A number as written, read: the number and what was written around it. */
export interface NumberReading {
  readonly number: number;
  /** Written as a percentage (`80%` is 0.8). */
  readonly percent: boolean;
  /** A unit written with it: `ms`, `s`, `users`, a currency sign `$`, `€`. */
  readonly unit?: string;
  /** A comparison written with it (`<500ms`: lower is better, at most 500). */
  readonly bound?: Bound;
  /** The start of a change written `90% → 95%` or `from 12% to 20%` (the number is the end). */
  readonly from?: number;
  /** A remark in parentheses after it: `2,000 (67%)` → `67%`. */
  readonly note?: string;
}

/** A value read as the schema expects it. */
export interface Coerced {
  /** What the schema validates; undefined when the value is not set. */
  readonly value: unknown;
  /** Written as a placeholder (`TBD`, `N/A`, `-`, `?`) or left empty. */
  readonly notSet?: boolean;
  /** How a number was written (only when read as a number). */
  readonly number?: NumberReading;
  /** A qualifier kept beside a choice: `Must Have (Phase 2)` → `Phase 2`. */
  readonly note?: string;
}

// ---------------------------------------------------------------------------------------------
// Not set

/** Longer text is no number, choice or date: it is never searched (bounded work on any input). */
const MAX_VALUE = 200;

const NOT_SET = new Set(['tbd', 'tbc', 'tba', 'n/a', 'n.a.', 'n.a', 'none', 'null', 'nil', '-', '--', '---', '—', '–', '?', '??', '???', '…', '...', 'to be determined', 'to be decided', 'to be confirmed', 'not set', 'unset', 'unknown', 'not applicable']);

/** Emphasis, code marks and brackets around a whole value: `**TBD**`, `` `TBD` ``, `[TBD]`, `(TBD)`. */
function unwrap(s: string): string {
  let t = s.trim();
  for (;;) {
    const m = /^(\*\*|__|\*|_|`|\[|\()(.*?)(\*\*|__|\*|_|`|\]|\))$/.exec(t);
    if (!m || !m[2]!.trim() || !pairs(m[1]!, m[3]!)) return t;
    t = m[2]!.trim();
  }
}

function pairs(open: string, close: string): boolean {
  return open === '[' ? close === ']' : open === '(' ? close === ')' : open === close;
}

/**
 * A template's placeholder: `[e.g., Reduce churn by 5%]`, `[Value]`, `[Your name]`, `<owner>`,
 * `{{target}}` — bracketed words a template asks to replace (never `[P0]`, a value in brackets).
 */
const TEMPLATE_SLOT = /^(?:\[\s*(?:e\.?\s?g\.?|for example|example|insert|enter|add|your|describe)\b[^\]]*\]|\[\s*(?:value|name|date|number|target|baseline|owner|metric|kpi|title|description|text|x+)\s*\]|<[^<>\d]*[A-Za-z][^<>\d]*>|\{\{[^{}]*\}\})$/i;

/** Whether a value is written as "not set": empty, null, a placeholder such as `TBD`, `N/A`, `-`, `?`, a template's slot. */
export function isNotSet(value: unknown): boolean {
  if (value === null || value === undefined) return true;
  if (typeof value !== 'string') return false;
  if (value.length > MAX_VALUE) return false; // no placeholder is longer (and long text is never unwrapped)
  if (TEMPLATE_SLOT.test(value.trim())) return true;
  const t = unwrap(value).toLowerCase();
  return t === '' || NOT_SET.has(t) || NOT_SET.has(t.replace(/[.!]+$/, ''));
}

// ---------------------------------------------------------------------------------------------
// Numbers

const CURRENCY = '[$€£¥₹]';
const CORE = new RegExp(
  String.raw`^([-+])?(${CURRENCY}|(?:USD|EUR|GBP|JPY|INR|CHF) ?)?\s*(\d{1,3}(?:[,_ ]\d{3})+|\d+)(\.\d+)?\s*(%|[kK](?![a-zA-Z])|[mM](?![a-zA-Z])|(?:bn|[bB])(?![a-zA-Z]))?\s*(${CURRENCY})?\s*([A-Za-z€$][A-Za-z\-/ .]{0,24})?$`,
);

const BOUND_WORDS: readonly [RegExp, Bound][] = [
  [/^(?:≥|>=|=>|≧|⩾|at least|min(?:imum)?\.?|no less than)\s*/i, '≥'],
  [/^(?:≤|<=|=<|≦|⩽|at most|max(?:imum)?\.?|up to|no more than)\s*/i, '≤'],
  [/^(?:>|more than|greater than|over|above)\s*/i, '>'],
  [/^(?:<|less than|fewer than|under|below)\s*/i, '<'],
  [/^(?:~|≈|approx(?:imately|\.)?|about|around|circa|ca\.)\s*/i, '~'],
];

const TRAILING_BOUNDS: readonly [RegExp, Bound][] = [
  [/\s*(?:\+|or more|or higher|or above|and above|and up)$/i, '≥'],
  [/\s*(?:or less|or fewer|or lower|or below|and below)$/i, '≤'],
];

/** A score out of a scale: `6.5/10`, `4 / 5` → 6.5 with the unit `/10`. */
const SCORE = /^(\d+(?:\.\d+)?) ?\/ ?(\d+)$/;

/** One number with its sign, currency, scale (`k`, `M`, `bn`), percent and unit word. */
function readPlainNumber(s: string): NumberReading | undefined {
  const score = SCORE.exec(s.trim());
  if (score) return { number: Number(score[1]), percent: false, unit: `/${score[2]}` };
  const m = CORE.exec(s.trim());
  if (!m) return undefined;
  let n = Number(`${m[1] ?? ''}${m[3]!.replace(/[,_ ]/g, '')}${m[4] ?? ''}`);
  if (!Number.isFinite(n)) return undefined;
  const suffix = m[5];
  if (suffix === '%') n = n / 100;
  else if (suffix === 'k' || suffix === 'K') n *= 1e3;
  else if (suffix === 'm' || suffix === 'M') n *= 1e6;
  else if (suffix === 'b' || suffix === 'B' || suffix === 'bn') n *= 1e9;
  const currency = (m[2] ?? m[6])?.trim();
  const word = m[7]?.trim().replace(/\.$/, '');
  const unit = currency || word || undefined;
  return { number: Math.round(n * 1e9) / 1e9, percent: suffix === '%', ...(unit ? { unit } : {}) };
}

/** A number with a comparison before or after it: `≥90%`, `< 2 s`, `4.5+`, `~40%`. */
function readBoundedNumber(s: string): NumberReading | undefined {
  let t = s.trim();
  let bound: Bound | undefined;
  for (const [re, b] of BOUND_WORDS) {
    const m = re.exec(t);
    if (m && m[0].length < t.length) {
      bound = b;
      t = t.slice(m[0].length);
      break;
    }
  }
  if (!bound) {
    // `10k+ users`: a plus between the number and its unit.
    const plus = /^([^+]*[\d%kKmMbn])\+(\s*[A-Za-z€$][^+]*)$/.exec(t);
    if (plus) {
      bound = '≥';
      t = `${plus[1]}${plus[2]}`;
    }
  }
  if (!bound) {
    for (const [re, b] of TRAILING_BOUNDS) {
      const m = re.exec(t);
      if (m && m.index > 0) {
        bound = b;
        t = t.slice(0, m.index);
        break;
      }
    }
  }
  const r = readPlainNumber(t);
  return r && bound ? { ...r, bound } : r;
}

const CHANGE = /^(?:from\s+)?(.+?)\s*(?:→|->|=>|⇒|⟶|➔|➝|\s+to\s+)\s*(.+)$/i;

/** A change from one number to another: `90% → 95%`, `from 12% to 20%`; the number is the end. */
function readChange(s: string): NumberReading | undefined {
  const m = CHANGE.exec(s.trim());
  if (!m) return undefined;
  const to = readBoundedNumber(m[2]!);
  const from = readBoundedNumber(m[1]!);
  if (!to || !from) return undefined;
  // `12 → 20%`: the start is a percentage too.
  const start = to.percent && !from.percent && from.unit === undefined ? from.number / 100 : from.number;
  return { ...to, from: start, ...(to.unit === undefined && from.unit !== undefined ? { unit: from.unit } : {}) };
}

/**
 * A number as people write it: `2,000`, `$1.2M`, `€300k`, `80%`, `≥90%`, `<500ms`, `4.5+`, `50+`,
 * `~40%`, `2,000 (67%)` (the remark kept as a note), `90% → 95%` and `from 12% to 20%` (the end,
 * with the start kept). Undefined when the text is not one number.
 */
export function readNumber(s: string): NumberReading | undefined {
  if (s.length > MAX_VALUE) return undefined;
  let t = unwrap(s).replace(/\s+/g, ' ');
  let note: string | undefined;
  const m = /^(.*?\S)\s*\(([^()]*)\)$/.exec(t);
  if (m && m[2]!.trim()) {
    t = m[1]!;
    note = m[2]!.trim();
  }
  let r = readBoundedNumber(t) ?? readChange(t);
  if (!r && !note) {
    // `50%+ of total transactions/month`, `1,000 in 6 months`: the number, the phrase after it kept as a note.
    const q = /^(.+?)\s+((?:of|in|per|within|across|by|for|at|on|over)\s.+)$/i.exec(t);
    const head = q ? (readBoundedNumber(q[1]!) ?? readChange(q[1]!)) : undefined;
    if (head) {
      r = head;
      note = q![2]!.trim();
    }
  }
  return r && note ? { ...r, note } : r;
}

/** The number a text is, or undefined (see readNumber). */
export function parseNumber(s: string): number | undefined {
  return readNumber(s)?.number;
}

/** The direction a written comparison implies: `<500ms` means lower is better, `≥90%` higher. */
export function boundDirection(r: NumberReading | undefined): 'up' | 'down' | undefined {
  if (!r?.bound) return r?.from !== undefined && r.from !== r.number ? (r.number < r.from ? 'down' : 'up') : undefined;
  return r.bound === '<' || r.bound === '≤' ? 'down' : r.bound === '>' || r.bound === '≥' ? 'up' : undefined;
}

// ---------------------------------------------------------------------------------------------
// Choices (enum values, priorities, statuses)

/** A word for matching: lower case, apostrophes dropped, `-`, `_` and spaces made one space. */
function wordOf(s: string): string {
  return s
    .toLowerCase()
    .replace(/[’'`‘]/g, '')
    .replace(/[-_\s]+/g, ' ')
    .trim();
}

const EMOJI = /[\p{Extended_Pictographic}\u{FE0F}\u{200D}\u{20E3}\u{1F3FB}-\u{1F3FF}]/gu;

/** A value that is only a status mark: `✅`, `✔️`, `☑` (done), `🚧`, `⏳` (in progress). */
const MARKS: Record<string, string> = { '✅': 'done', '✔': 'done', '☑': 'done', '🚧': 'in progress', '⏳': 'in progress', '🔄': 'in progress' };

/** The words of a choice without decoration: emphasis, brackets, emoji, a trailing full stop. */
function choiceWords(s: string): string {
  const t = unwrap(s);
  const bare = t.replace(EMOJI, '').trim();
  if (!bare) {
    const mark = [...t].find((c) => MARKS[c] !== undefined);
    return mark ? MARKS[mark]! : '';
  }
  return unwrap(bare.replace(/[.!:]+$/, ''));
}

const aliasCache = new WeakMap<object, Map<string, unknown>>();

/** The schema's value aliases by word (`Should-have` and `should have` are one alias). */
function aliasesOf(schema: JsonSchema): Map<string, unknown> {
  const aliases = schema['x-northstar-aliases'];
  if (!aliases || typeof aliases !== 'object' || Array.isArray(aliases)) return new Map();
  let hit = aliasCache.get(aliases);
  if (!hit) {
    hit = new Map(Object.entries(aliases as Record<string, unknown>).map(([k, v]) => [wordOf(k), v]));
    aliasCache.set(aliases, hit);
  }
  return hit;
}

function allowedValues(schema: JsonSchema): readonly unknown[] | undefined {
  return Array.isArray(schema.enum) ? schema.enum : 'const' in schema ? [schema.const] : undefined;
}

/** Whether the schema's values are the MoSCoW priorities (so a P-scale applies). */
export function isPrioritySchema(schema: JsonSchema | undefined): boolean {
  const values = schema ? allowedValues(schema) : undefined;
  return !!values && values.includes('must') && values.includes('should');
}

/** A list of two or more of the schema's choices separated by ` / ` or `|`: the options a template offers, not a value. */
function isChoiceMenu(s: string, schema: JsonSchema, scale: PriorityScale | undefined): boolean {
  if (s.length > MAX_VALUE) return false;
  const parts = unwrap(s).split(/\s+\/\s+|\s*\|\s*/);
  // `P0 (Must Have) / P1 (Should Have)`: each option may carry its meaning in brackets.
  const head = (p: string) => /^(.+?)\s*\([^()]*\)$/.exec(p.trim())?.[1] ?? p;
  return parts.length >= 2 && parts.every((p) => choiceOf(choiceWords(p), schema, scale) !== undefined || choiceOf(choiceWords(head(p)), schema, scale) !== undefined);
}

/** One choice word: the scale (priorities), the schema's aliases, then its values, ignoring case and spacing. */
function choiceOf(words: string, schema: JsonSchema, scale: PriorityScale | undefined): unknown {
  const w = wordOf(words);
  if (!w) return undefined;
  if (scale && isPrioritySchema(schema)) {
    const s = scale[w.replace(/ /g, '').toUpperCase()];
    if (s !== undefined) return s;
  }
  const aliases = aliasesOf(schema);
  if (aliases.has(w)) return aliases.get(w);
  return allowedValues(schema)?.find((v) => typeof v === 'string' && wordOf(v) === w);
}

const QUALIFIED = [/^(.+?)\s*[([]([^()[\]]+)[)\]]$/, /^(.+?)\s+[—–-]\s+(.+)$/, /^(.+?)\s*[,;:]\s+(.+)$/];

/**
 * A choice as written: `Must Have`, `MUST`, `Should-have`, `Won't`, `Wont`, `✅ Done`, `P1` (through
 * the P-scale), and with a qualifier kept as a note: `Must Have (Phase 2)` → `must`, note `Phase 2`.
 */
export function readChoice(s: string, schema: JsonSchema, scale?: PriorityScale): { value: unknown; note?: string } | undefined {
  if (s.length > MAX_VALUE) return undefined;
  const words = choiceWords(s);
  const whole = choiceOf(words, schema, scale);
  if (whole !== undefined) return { value: whole };
  for (const re of QUALIFIED) {
    const m = re.exec(words);
    if (!m) continue;
    const head = choiceOf(choiceWords(m[1]!), schema, scale);
    if (head !== undefined) return { value: head, note: m[2]!.trim() };
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Dates and periods

/** A date schema (`format: date`) or one whose pattern takes periods (`2026-Q1`). */
function timeKind(schema: JsonSchema): 'date' | 'period' | undefined {
  if (schema.format === 'date') return 'date';
  if (typeof schema.pattern === 'string' && /Q\[1-4\]/.test(schema.pattern)) return 'period';
  return undefined;
}

/** A date or period as written, in the spec's form (`March 15, 2026` → `2026-03-15`, `Q1 2026` → `2026-Q1`). */
function readTime(s: string, kind: 'date' | 'period'): string | undefined {
  if (s.length > MAX_VALUE) return undefined;
  const t = unwrap(s);
  return canonicalDate(t) ?? (kind === 'period' ? canonicalPeriod(t) : undefined);
}

// ---------------------------------------------------------------------------------------------

/** Reads one value as its schema expects it (see the readers above). */
export function readScalar(value: unknown, schema: JsonSchema | undefined, scale?: PriorityScale): Coerced {
  if (!schema) return { value: typeof value === 'string' ? value.trim() : value };
  const types = schemaTypes(schema);
  if (isNotSet(value) && !(value === null && types.has('null'))) return { value: undefined, notSet: true };
  if (typeof value === 'string') {
    const s = value.trim();
    if (allowedValues(schema) || schema['x-northstar-aliases']) {
      // `P0 / P1 / P2`, `High / Medium / Low`: a template's menu of choices, none chosen yet.
      if (isChoiceMenu(s, schema, scale)) return { value: undefined, notSet: true };
      const choice = readChoice(s, schema, scale);
      if (choice) return choice.note ? { value: choice.value, note: choice.note } : { value: choice.value };
    }
    const time = timeKind(schema);
    if (time) {
      const t = readTime(s, time);
      if (t !== undefined) return { value: t };
    }
    if (types.has('number')) {
      const n = readNumber(s);
      if (n !== undefined) return { value: n.number, number: n };
    }
    return { value: s };
  }
  if (typeof value === 'number' && types.has('number')) return { value, number: { number: value, percent: false } };
  if ((typeof value === 'number' || typeof value === 'boolean') && !types.has(typeof value) && types.has('string')) {
    const s = String(value);
    const time = timeKind(schema);
    return { value: (time && readTime(s, time)) ?? s };
  }
  return { value };
}

export function coerceScalar(value: unknown, schema: JsonSchema | undefined, scale?: PriorityScale): unknown {
  return readScalar(value, schema, scale).value;
}

/** Reads a value (YAML value or written text) with its comma-split items; placeholders in a list are dropped. */
export function readValue(value: unknown, items: readonly { text: string }[], schema: JsonSchema | undefined, itemSchema: JsonSchema | undefined, scale?: PriorityScale): Coerced {
  const types = schemaTypes(schema);
  if (types.has('array') && !types.has('string')) {
    if (isNotSet(value)) return { value: undefined, notSet: true };
    const list: unknown[] = Array.isArray(value) ? value : typeof value === 'string' ? items.map((i) => i.text) : [value];
    // Only placeholders (`TBD`, `none`): not set. Otherwise every item stays (its place is its index).
    if (list.every((v) => isNotSet(v))) return { value: undefined, notSet: true };
    return { value: list.map((v) => coerceScalar(v, itemSchema, scale)) };
  }
  return readScalar(value, schema, scale);
}

/** The value the schema validates (see readValue). */
export function coerce(value: unknown, items: readonly { text: string }[], schema: JsonSchema | undefined, itemSchema: JsonSchema | undefined, scale?: PriorityScale): unknown {
  return readValue(value, items, schema, itemSchema, scale).value;
}

const BOUND_TEXT: Record<Bound, string> = { '<': 'below', '≤': 'at most', '>': 'above', '≥': 'at least', '~': 'about' };

/** What a reading kept besides its value, in plain words (hover and inspect show them). */
export function readingNotes(c: Coerced): string[] {
  if (c.notSet) return ['Not set yet: read as no value.'];
  const out: string[] = [];
  const n = c.number;
  if (n) {
    const shown = (x: number) => (n.percent ? `${Math.round(x * 1e4) / 100}%` : String(x));
    const dir = boundDirection(n);
    if (n.bound) out.push(`Read as ${BOUND_TEXT[n.bound]} ${shown(n.number)}${n.unit ? ` ${n.unit}` : ''}${dir ? `: ${dir === 'down' ? 'lower' : 'higher'} is better` : ''}.`);
    if (n.from !== undefined) out.push(`A change from ${shown(n.from)} to ${shown(n.number)}${dir && !n.bound ? ` (${dir === 'down' ? 'lower' : 'higher'} is better)` : ''}.`);
    if (n.unit && !n.bound) out.push(`Unit: ${n.unit}.`);
    if (n.note) out.push(`Note: ${n.note}.`);
  }
  if (c.note) out.push(`Note: ${c.note}.`);
  return out;
}
