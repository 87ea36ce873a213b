/**
 * shipped-flag-off: a feature marked shipped whose LaunchDarkly flag is off in the environment
 * judged (production by default): nobody gets it. Reported on the feature's `flag` value. An
 * archived flag (the code path removed) is not a finding.
 */
import { defineRule } from '../rule.js';
import type { Span } from '../../text/lineIndex.js';
import type { Finding } from '../alignment/context.js';
import { exportName, flaggedFeatures } from './context.js';

export const shippedFlagOff = defineRule<'shipped-flag-off', { feature: string; flag: string; environment: string; /** Where the feature's status is written (the fix rewrites it). */ status?: Span }>({
  code: 'shipped-flag-off',
  severity: 'warning',
  summary: 'A shipped feature whose LaunchDarkly flag is off (the flag export next to the metrics): nobody gets the feature.',
  group: 'flags',
  check: {
    kind: 'alignment',
    run: (c): Finding[] =>
      flaggedFeatures(c)
        .filter((x) => x.feature.status === 'shipped' && !x.environment.on)
        .map((x) => ({
          uri: x.feature.uri,
          diagnostic: shippedFlagOff.report(
            x.span,
            `${x.feature.id} is shipped, but its flag \`${x.flag.key}\` is off in ${x.environment.env} (${exportName(x.flag.uri)}): nobody gets it. Turn the flag on, or set the feature's status back to \`in-progress\`.`,
            { feature: x.feature.id, flag: x.flag.key, environment: x.environment.env, ...(x.feature.values.get('status') ? { status: x.feature.values.get('status')!.valueSpan } : {}) },
            { related: [{ uri: x.flag.uri, span: x.flag.span, message: `${x.flag.key} is off in ${x.environment.env}` }] },
          ),
        })),
  },
  // The fix sets the written status (a feature without one, read as planned, gets no fix: its properties may be a table row).
  fix: (_ctx, a, d, data) => (data.status ? [{ title: `Set ${data.feature}'s status to in-progress`, kind: 'quickfix', edits: new Map([[a.uri, [{ span: data.status, newText: 'in-progress' }]]]), fixes: [d], preferred: true }] : []),
});
