/**
 * unknown-flag: a feature's `flag:` names a key the LaunchDarkly export does not have, or an
 * environment the flag does not have (or no environment when the flag has no production and
 * several others). Only when an export is loaded. Reported on the `flag` value; the fix changes
 * a key to the nearest one the export has.
 */
import { defineRule, replaceRange } from '../rule.js';
import type { Finding } from '../alignment/context.js';
import { flagsOf } from '../../flags/store.js';
import { DEFAULT_ENVIRONMENTS, exportName, flagReferences } from './context.js';

/** Edit distance, for "did you mean" (bounded: keys are short). */
function distance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 3) return 99;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length]!;
}

export const unknownFlag = defineRule<'unknown-flag', { feature: string; suggestion?: string }>({
  code: 'unknown-flag',
  severity: 'information',
  summary: 'A feature’s `flag` names a key (or an environment) the LaunchDarkly flag export does not have, so the flag checks cannot judge it.',
  group: 'flags',
  check: {
    kind: 'alignment',
    run: (c): Finding[] => {
      const { unknown } = flagReferences(c);
      if (!unknown.length) return [];
      const store = flagsOf(c.index);
      const files = store.uris().map(exportName).join(', ');
      let keys: string[] | undefined;
      return unknown.map((u) => {
        if (u.flag) {
          const envs = [...u.flag.environments.keys()];
          const message = u.env
            ? `${u.feature.id}'s flag \`${u.key}\` has no environment \`${u.env}\` in ${exportName(u.flag.uri)} (it has ${envs.length ? envs.map((e) => `\`${e}\``).join(', ') : 'none'}): the flag checks cannot judge it.`
            : `${u.feature.id}'s flag \`${u.key}\` has no ${DEFAULT_ENVIRONMENTS[0]} environment in ${exportName(u.flag.uri)} (it has ${envs.map((e) => `\`${e}\``).join(', ') || 'none'}): name one, such as \`${u.key}@${envs[0] ?? 'production'}\`.`;
          return { uri: u.feature.uri, diagnostic: unknownFlag.report(u.span, message, { feature: u.feature.id }) };
        }
        keys ??= store.uris().flatMap((uri) => [...(store.get(uri)?.flags.keys() ?? [])]);
        const best = keys.map((k) => [k, distance(u.key.toLowerCase(), k.toLowerCase())] as const).filter(([, d]) => d <= 2).sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0]))[0]?.[0];
        const suggestion = best ? (u.env ? `${best}@${u.env}` : best) : undefined;
        return {
          uri: u.feature.uri,
          diagnostic: unknownFlag.report(u.span, `${u.feature.id}'s flag \`${u.key}\` is not in the flag export (${files})${suggestion ? `; did you mean \`${suggestion}\`?` : ''}: the flag checks cannot judge it. Fix the key, or export the flags again.`, { feature: u.feature.id, ...(suggestion ? { suggestion } : {}) }),
        };
      });
    },
  },
  fix: (_ctx, a, d, data) => (data.suggestion ? [replaceRange(a, d, `Change to ${data.suggestion}`, data.suggestion, true, false)] : []),
});
