/** What the flag rules share: the features of the documents checked that name a flag, with the flag's state. */
import type { Feature } from '../../alignment/strategy.js';
import { environmentOf, readFlagRef, type Flag, type FlagEnvironment } from '../../flags/launchdarkly.js';
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

/** The features with a `flag:` found in an export, judged in its environment (none when no export is loaded). */
export function flaggedFeatures(c: AlignmentContext): FlaggedFeature[] {
  const store = flagsOf(c.index);
  if (!store.size) return [];
  const out: FlaggedFeature[] = [];
  for (const f of c.features) {
    const v = f.values.get('flag');
    if (!v || typeof v.value !== 'string' || !v.value.trim()) continue;
    const { key, env } = readFlagRef(v.value);
    const flag = store.flag(key);
    if (!flag || flag.archived) continue;
    const environment = environmentOf(flag, env);
    if (environment) out.push({ feature: f, ref: v.value.trim(), span: v.valueSpan, flag, environment });
  }
  return out;
}

/** The export's file name, for messages. */
export function exportName(uri: string): string {
  return decodeURIComponent(uri.slice(uri.lastIndexOf('/') + 1));
}
