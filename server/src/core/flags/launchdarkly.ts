/**
 * A LaunchDarkly flag-status export: the JSON of the REST API's `GET /api/v2/flags/{projectKey}`
 * (`items[]`, each flag with `key`, `kind`, `variations[]`, `archived` and `environments.<env>`:
 * `on`, `offVariation`, `fallthrough` — `{ variation }` or `{ rollout: { variations: [{ variation,
 * weight }] } }`, weights in thousandths of a percent — `rules[]`, `targets[]`, `prerequisites[]`
 * and `_summary.variations`), a single flag (`GET /api/v2/flags/{projectKey}/{flagKey}`) or an
 * array of flags. Reading never throws: what cannot be read is a problem placed in the file.
 */
import { LineIndex, span, type Span } from '../text/lineIndex.js';
import { jsonErrorOffset } from '../metrics/importers/jsonError.js';

/** A flag in one environment. */
export interface FlagEnvironment {
  readonly env: string;
  /** Targeting is on (off: everyone gets the off variation). */
  readonly on: boolean;
  /** On, and every context gets a variation that turns the feature on (the fallthrough at 100%, no rule or target serving the off variation, no prerequisite). */
  readonly fullyOn: boolean;
  /** What the environment serves, for messages: "off", "true to 100%", "true to 25%". */
  readonly serving: string;
}

export interface Flag {
  readonly key: string;
  readonly name?: string;
  readonly archived: boolean;
  readonly environments: ReadonlyMap<string, FlagEnvironment>;
  /** Where the flag's key is written in the export. */
  readonly span: Span;
}

export interface FlagProblem {
  readonly span: Span;
  readonly message: string;
}

export interface FlagFile {
  readonly uri: string;
  readonly text: string;
  readonly lines: LineIndex;
  readonly flags: ReadonlyMap<string, Flag>;
  readonly problems: readonly FlagProblem[];
}

/** The environments a feature's `flag: key` is judged in when it names none, in this order. */
export const DEFAULT_ENVIRONMENTS = ['production', 'prod', 'live'];

const FULL = 100_000;

type Json = Record<string, unknown>;
const isRecord = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const int = (v: unknown): number | undefined => (typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : undefined);

/** Weight per variation index of a `{ variation }` or `{ rollout }` (undefined when unreadable). */
function served(x: unknown): Map<number, number> | undefined {
  if (!isRecord(x)) return undefined;
  const v = int(x.variation);
  if (v !== undefined) return new Map([[v, FULL]]);
  const rollout = isRecord(x.rollout) ? x.rollout : undefined;
  if (!rollout || !Array.isArray(rollout.variations)) return undefined;
  const out = new Map<number, number>();
  for (const w of rollout.variations) {
    if (!isRecord(w) || int(w.variation) === undefined || typeof w.weight !== 'number') return undefined;
    out.set(int(w.variation)!, (out.get(int(w.variation)!) ?? 0) + w.weight);
  }
  return out;
}

function environment(env: string, e: Json, flag: Json): FlagEnvironment {
  const variations = Array.isArray(flag.variations) ? flag.variations : [];
  const value = (i: number) => (isRecord(variations[i]) ? (variations[i] as Json).value : undefined);
  const label = (i: number) => {
    const v = value(i);
    return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : `variation ${i}`;
  };
  const defaults = isRecord(flag.defaults) ? flag.defaults : {};
  const off = int(e.offVariation) ?? int(defaults.offVariation);
  const boolean = flag.kind === 'boolean' || (variations.length > 0 && variations.every((v) => isRecord(v) && typeof v.value === 'boolean'));
  /** Whether a variation turns the feature on: `true` of a boolean flag; any but the off variation of another. */
  const enabling = (i: number) => (boolean ? value(i) === true : i !== off);
  if (e.on !== true) return { env, on: false, fullyOn: false, serving: 'off' };
  const summary = isRecord(e._summary) && isRecord(e._summary.variations) ? e._summary.variations : undefined;
  let fallthrough = served(e.fallthrough);
  if (!fallthrough && summary) {
    const ft = Object.entries(summary).find(([, s]) => isRecord(s) && s.isFallthrough === true);
    if (ft) fallthrough = isRecord(ft[1]) && typeof ft[1].rollout === 'number' ? new Map([[Number(ft[0]), ft[1].rollout]]) : new Map([[Number(ft[0]), FULL]]);
  }
  if (!fallthrough) return { env, on: true, fullyOn: false, serving: 'on (its default rule could not be read)' };
  const onShare = [...fallthrough].filter(([i]) => enabling(i)).reduce((n, [, w]) => n + w, 0);
  const pct = `${Math.round((onShare / FULL) * 1000) / 10}%`;
  const main = [...fallthrough].filter(([i]) => enabling(i)).sort((a, b) => b[1] - a[1])[0];
  const serving = onShare > 0 ? `${label(main![0])} to ${pct}` : `${label([...fallthrough][0]?.[0] ?? 0)} (the default rule serves no "on" variation)`;
  // Rules, individual targets and prerequisites can send some contexts elsewhere.
  let exceptions = Array.isArray(e.prerequisites) && e.prerequisites.length > 0;
  if (Array.isArray(e.rules)) for (const r of e.rules) if (!isRecord(r) || [...(served(r) ?? new Map([[-1, FULL]]))].some(([i, w]) => w > 0 && !enabling(i))) exceptions = true;
  for (const list of [e.targets, e.contextTargets]) if (Array.isArray(list)) for (const t of list) if (isRecord(t) && Array.isArray(t.values) && t.values.length && !enabling(int(t.variation) ?? -1)) exceptions = true;
  if (summary && !Array.isArray(e.rules) && !Array.isArray(e.targets)) {
    for (const [i, s] of Object.entries(summary)) {
      if (!isRecord(s) || enabling(Number(i))) continue;
      if ((int(s.rules) ?? 0) + (int(s.targets) ?? 0) + (int(s.contextTargets) ?? 0) > 0) exceptions = true;
    }
    const nullRules = Object.values(summary).some((s) => isRecord(s) && (int(s.nullRules) ?? 0) > 0);
    if (nullRules) exceptions = true;
    if (isRecord(e._summary) && (int((e._summary as Json).prerequisites) ?? 0) > 0) exceptions = true;
  }
  return { env, on: true, fullyOn: onShare >= FULL && !exceptions, serving: exceptions && onShare >= FULL ? `${serving}, with rules, targets or prerequisites that serve otherwise` : serving };
}

/** Where `"key": "<value>"` is written (the value's span), searching from `from`. */
function keySpan(text: string, key: string, from: number): Span | undefined {
  const quoted = JSON.stringify(key);
  for (let i = text.indexOf('"key"', from); i >= 0; i = text.indexOf('"key"', i + 5)) {
    let j = i + 5;
    while (j < text.length && /\s/.test(text[j]!)) j++;
    if (text[j] !== ':') continue;
    j++;
    while (j < text.length && /\s/.test(text[j]!)) j++;
    if (text.startsWith(quoted, j)) return span(j, j + quoted.length);
  }
  return undefined;
}

/** Reads an export. Never throws. */
export function parseFlagExport(uri: string, text: string): FlagFile {
  const lines = new LineIndex(text);
  const problems: FlagProblem[] = [];
  const flags = new Map<string, Flag>();
  const firstLine = span(0, lines.offsetAt({ line: 0, character: Number.MAX_SAFE_INTEGER }));
  const done = () => ({ uri, text, lines, flags, problems });
  let value: unknown;
  try {
    value = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const bom = text.charCodeAt(0) === 0xfeff ? 1 : 0;
    const at = Math.min((jsonErrorOffset(text.slice(bom)) ?? 0) + bom, text.length);
    const line = lines.positionAt(at).line;
    problems.push({ span: span(lines.offsetAt({ line, character: 0 }), lines.offsetAt({ line, character: Number.MAX_SAFE_INTEGER })), message: `This LaunchDarkly export is not JSON: ${message.replace(/ in JSON at position \d+.*$/s, '').replace(/, ".*" is not valid JSON$/s, '')}. Save the answer of GET /api/v2/flags/{projectKey} as it is.` });
    return done();
  }
  const items = isRecord(value) && Array.isArray(value.items) ? value.items : Array.isArray(value) ? value : isRecord(value) && typeof value.key === 'string' ? [value] : undefined;
  if (!items) {
    problems.push({ span: firstLine, message: 'Not a LaunchDarkly flag export: expected the JSON of GET /api/v2/flags/{projectKey} (an object with `items`, one per flag).' });
    return done();
  }
  let from = 0;
  let misses = 0;
  items.forEach((f, i) => {
    if (!isRecord(f) || typeof f.key !== 'string' || !f.key) {
      problems.push({ span: firstLine, message: `Flag ${i + 1} of the export has no \`key\`: each item needs the flag's key.` });
      return;
    }
    // Keys are found in order; a key written with escapes is not found (its flag is placed on line 1), and after a few such misses the search stops.
    const at = (misses < 20 ? keySpan(text, f.key, from) : undefined) ?? firstLine;
    if (at !== firstLine) from = at.end;
    else misses++;
    const environments = new Map<string, FlagEnvironment>();
    if (isRecord(f.environments)) for (const [env, e] of Object.entries(f.environments)) if (isRecord(e)) environments.set(env, environment(env, e, f));
    if (flags.has(f.key)) {
      problems.push({ span: at, message: `The flag \`${f.key}\` is in the export twice: the first one is read.` });
      return;
    }
    flags.set(f.key, { key: f.key, ...(typeof f.name === 'string' && f.name ? { name: f.name } : {}), archived: f.archived === true, environments, span: at });
  });
  return done();
}

/** A feature's `flag:` value: `key` or `key@environment`. */
export function readFlagRef(value: string): { key: string; env?: string } {
  const at = value.lastIndexOf('@');
  return at > 0 ? { key: value.slice(0, at).trim(), env: value.slice(at + 1).trim() } : { key: value.trim() };
}

/** The environment a reference is judged in: the one it names, else production (or prod, live), else the only one. */
export function environmentOf(flag: Flag, env?: string): FlagEnvironment | undefined {
  if (env) return flag.environments.get(env);
  for (const name of DEFAULT_ENVIRONMENTS) {
    const e = flag.environments.get(name);
    if (e) return e;
  }
  return flag.environments.size === 1 ? [...flag.environments.values()][0] : undefined;
}
