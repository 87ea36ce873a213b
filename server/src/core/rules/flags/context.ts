/** What the flag rules share: the features of the documents checked that name a flag, with the flag's state. */
import type { Feature } from '../../alignment/strategy.js';
import { DEFAULT_ENVIRONMENTS, environmentOf, readFlagRef, type Flag, type FlagEnvironment } from '../../flags/launchdarkly.js';
import { flagsOf } from '../../flags/store.js';
import type { Span } from '../../text/lineIndex.js';
import type { AlignmentContext } from '../alignment/context.js';

export interface FlaggedFeature {
  readonly feature: Feature;
  /** The `flag:` value as written, and where. */
  readonly ref: string;
  readonly span: Span;
  readonly flag: Flag & { uri: string };
  readonly environment: FlagEnvironment;
}

/** A feature whose `flag:` the exports cannot answer: no such key, or no such environment. */
export interface UnknownFlag {
  readonly feature: Feature;
  readonly ref: string;
  readonly span: Span;
  readonly key: string;
  readonly env?: string;
  /** The flag, when only the environment is missing. */
  readonly flag?: Flag & { uri: string };
}

/** The features of the documents checked with a `flag:`, split into those an export answers and those it cannot (none when no export is loaded). */
export function flagReferences(c: AlignmentContext): { found: FlaggedFeature[]; unknown: UnknownFlag[] } {
  const store = flagsOf(c.index);
  const found: FlaggedFeature[] = [];
  const unknown: UnknownFlag[] = [];
  if (!store.size) return { found, unknown };
  for (const f of c.features) {
    const v = f.values.get('flag');
    if (!v || typeof v.value !== 'string' || !v.value.trim()) continue;
    const ref = v.value.trim();
    const { key, env } = readFlagRef(ref);
    const flag = store.flag(key);
    if (!flag) {
      unknown.push({ feature: f, ref, span: v.valueSpan, key, ...(env ? { env } : {}) });
      continue;
    }
    if (flag.archived) continue;
    const environment = environmentOf(flag, env);
    if (environment) found.push({ feature: f, ref, span: v.valueSpan, flag, environment });
    else unknown.push({ feature: f, ref, span: v.valueSpan, key, ...(env ? { env } : {}), flag });
  }
  return { found, unknown };
}

/** The features with a `flag:` found in an export, judged in its environment. */
export function flaggedFeatures(c: AlignmentContext): FlaggedFeature[] {
  return flagReferences(c).found;
}

/** The export's file name, for messages. */
export function exportName(uri: string): string {
  return decodeURIComponent(uri.slice(uri.lastIndexOf('/') + 1));
}

export { DEFAULT_ENVIRONMENTS };
