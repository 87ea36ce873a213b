/**
 * launch-without-gtm: a PRD whose brief is at development or launch, with planned work releasing
 * within 90 days of the as-of date (or already due), and no Go-to-market section in the PRD or
 * its brief. Reported on the PRD's title; the fix adds the section to the PRD.
 */
import { insertSection } from '../fixes.js';
import { defineRule } from '../rule.js';
import type { Feature } from '../../alignment/strategy.js';
import type { Finding } from './context.js';
import { listComma } from '../list.js';

/** How far ahead of the as-of date a release counts as "launching soon". */
export const LAUNCH_WINDOW_DAYS = 90;

export function addDays(date: string, days: number): string {
  const t = Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) + days * 86_400_000;
  return new Date(t).toISOString().slice(0, 10);
}

export const launchWithoutGtm = defineRule<'launch-without-gtm', { prd: string; brief: string; features: string[] }>({
  code: 'launch-without-gtm',
  severity: 'warning',
  summary: 'A PRD of a product in development or launch with work releasing within 90 days, and no Go-to-market section in it or its brief.',
  group: 'alignment',
  check: {
    kind: 'alignment',
    run: (c): Finding[] => {
      const out: Finding[] = [];
      const until = addDays(c.strategy.asOf, LAUNCH_WINDOW_DAYS);
      const byPrd = new Map<string, Feature[]>();
      for (const f of c.planned) if (f.prd && f.releasePeriod && f.releasePeriod.end <= until) (byPrd.get(f.prd.id) ?? byPrd.set(f.prd.id, []).get(f.prd.id)!).push(f);
      for (const feats of byPrd.values()) {
        const prd = feats[0]!.prd!;
        const brief = prd.brief ? c.strategy.docs.get(prd.brief) : undefined;
        if (brief?.type !== 'brief' || (brief.stage !== 'development' && brief.stage !== 'launch')) continue;
        if (prd.goToMarket || brief.goToMarket) continue;
        const model = c.index.get(prd.uri)?.model;
        const at = model?.title?.span ?? model?.frontMatter?.fields.find((x) => x.key === 'title')?.valueSpan ?? prd.span;
        const work = listComma(feats.map((f) => `${f.id} (${f.release})`));
        out.push({
          uri: prd.uri,
          diagnostic: launchWithoutGtm.report(at, `${prd.id} releases ${work} within ${LAUNCH_WINDOW_DAYS} days of ${c.strategy.asOf}, ${brief.id} is at ${brief.stage}, and neither has a Go-to-market section: add \`## Go-to-market\` to the PRD or the brief.`, {
            prd: prd.id,
            brief: brief.id,
            features: feats.map((f) => f.id),
          }),
        });
      }
      return out;
    },
  },
  fix: (ctx, a, d) => (a.model.type === 'prd' ? [insertSection(ctx, a, 'prd', 'go_to_market', d)] : []),
});
