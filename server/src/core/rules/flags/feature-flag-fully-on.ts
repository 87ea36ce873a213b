/**
 * feature-flag-fully-on: planned work (status planned or in-progress) whose LaunchDarkly flag
 * serves the feature to every context in the environment judged (production by default): the
 * feature has shipped, or the flag is ahead of the plan. Reported on the feature's `flag` value.
 */
import { defineRule } from '../rule.js';
import type { Span } from '../../text/lineIndex.js';
import type { Finding } from '../alignment/context.js';
import { exportName, flaggedFeatures } from './context.js';

export const featureFlagFullyOn = defineRule<'feature-flag-fully-on', { feature: string; flag: string; environment: string; /** Where the feature's status is written (the fix rewrites it). */ status?: Span }>({
  code: 'feature-flag-fully-on',
  severity: 'warning',
  summary: 'A planned or in-progress feature whose LaunchDarkly flag serves it to 100% of traffic (the flag export next to the metrics): it has shipped, or the flag is ahead of the plan.',
  group: 'flags',
  check: {
    kind: 'alignment',
    run: (c): Finding[] =>
      flaggedFeatures(c)
        .filter((x) => x.feature.planned && x.environment.fullyOn)
        .map((x) => ({
          uri: x.feature.uri,
          diagnostic: featureFlagFullyOn.report(
            x.span,
            `${x.feature.id} is ${x.feature.status}, but its flag \`${x.flag.key}\` serves ${x.environment.serving} of traffic in ${x.environment.env} (${exportName(x.flag.uri)}): set \`status: shipped\` if it has shipped, or roll the flag back.`,
            { feature: x.feature.id, flag: x.flag.key, environment: x.environment.env, ...(x.feature.values.get('status') ? { status: x.feature.values.get('status')!.valueSpan } : {}) },
            { related: [{ uri: x.flag.uri, span: x.flag.span, message: `${x.flag.key} in ${x.environment.env}: ${x.environment.serving}` }] },
          ),
        })),
  },
  // The fix sets the written status (a feature without one, read as planned, gets no fix: its properties may be a table row).
  fix: (_ctx, a, d, data) => (data.status ? [{ title: `Set ${data.feature}'s status to shipped`, kind: 'quickfix', edits: new Map([[a.uri, [{ span: data.status, newText: 'shipped' }]]]), fixes: [d], preferred: true }] : []),
});
