/**
 * shipped-flag-off: a feature marked shipped whose LaunchDarkly flag is off in the environment
 * judged (production by default): nobody gets it. Reported on the feature's `flag` value. An
 * archived flag (the code path removed) is not a finding.
 */
import { defineRule } from '../rule.js';
import type { Finding } from '../alignment/context.js';
import { exportName, flaggedFeatures } from './context.js';

export const shippedFlagOff = defineRule<'shipped-flag-off', { feature: string; flag: string; environment: string }>({
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
            { feature: x.feature.id, flag: x.flag.key, environment: x.environment.env },
            { related: [{ uri: x.flag.uri, span: x.flag.span, message: `${x.flag.key} is off in ${x.environment.env}` }] },
          ),
        })),
  },
});
