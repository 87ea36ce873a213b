/**
 * The alignment report as one self-contained HTML page (`northstar report --format html`, the
 * webview's "Export as HTML"): the score, the strategy map as inline SVG, each current OKR's
 * objectives and key results with the features behind them, and the findings grouped by what to
 * do about them. Inline CSS, no script, no external request (its own CSP says so), light and
 * print-friendly. Written as well-formed XML (every element closed, every attribute quoted) so
 * that any XML tool can read it; every piece of document text is escaped.
 */
import type { StrategyMap } from './map.js';
import { renderMapSvg, xml } from './mapSvg.js';
import { findingCount } from './report.js';
import { percent, personMonths } from './strategy.js';
import { groupFindings, type AlignmentSummary, type SummaryFeature } from './summary.js';

export interface HtmlReportOptions {
  /** How a URI is shown and linked (a path relative to where the page is read). */
  readonly path: (uri: string) => string;
}

const CSS = `
:root { color-scheme: light; }
body { font: 14px/1.45 system-ui, -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif; color: #1f2933; background: #fff; margin: 0 auto; padding: 24px 32px 48px; max-width: 1400px; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 28px 0 8px; border-bottom: 1px solid #d9dee3; padding-bottom: 4px; }
h3 { font-size: 15px; margin: 18px 0 4px; }
a { color: #0b5cad; text-decoration: none; }
a:hover { text-decoration: underline; }
.muted { color: #52606d; }
.score { font-size: 40px; font-weight: 650; margin: 8px 0 0; }
.warning { border-left: 4px solid #b45f06; background: #fff4e0; padding: 6px 12px; margin: 8px 0; }
.map { overflow-x: auto; border: 1px solid #d9dee3; border-radius: 6px; margin: 8px 0 4px; }
.map svg { display: block; max-width: 100%; height: auto; }
table { border-collapse: collapse; width: 100%; margin: 6px 0 12px; }
th, td { text-align: left; vertical-align: top; padding: 4px 8px; border-bottom: 1px solid #e4e7eb; }
th { color: #52606d; font-weight: 600; }
tr.uncovered td:first-child { border-left: 3px solid #d84315; }
.bar { vertical-align: middle; margin-right: 6px; }
ul.findings { padding-left: 20px; }
ul.findings li { margin: 3px 0; }
.sev-error { color: #c62828; font-weight: 600; }
.sev-warning { color: #b45f06; font-weight: 600; }
code { font-size: 12px; background: #f1f4f6; padding: 0 3px; border-radius: 3px; }
footer { margin-top: 32px; font-size: 12px; }
@media print {
  body { padding: 0; max-width: none; font-size: 11px; }
  .map { border: none; overflow: visible; }
  h2, h3 { break-after: avoid; }
  tr, li { break-inside: avoid; }
  a { color: inherit; }
}
`;

function bar(p: number | undefined): string {
  const w = p === undefined ? 0 : Math.max(0, Math.min(1, p)) * 80;
  return `<svg class="bar" width="80" height="8" viewBox="0 0 80 8" role="img" aria-label="${xml(percent(p))}"><rect width="80" height="8" rx="3" fill="#d9dee3"/><rect width="${Math.round(w * 10) / 10}" height="8" rx="3" fill="#2e7d32"/></svg>`;
}

export function renderHtmlReport(s: AlignmentSummary, map: StrategyMap, opts: HtmlReportOptions): string {
  const href = (uri: string, line: number) => xml(`${encodeURI(opts.path(uri)).replace(/#/g, '%23').replace(/\?/g, '%3F')}#L${line}`);
  const link = (label: string, uri: string, line: number) => `<a href="${href(uri, line)}">${xml(label)}</a>`;
  const feat = (f: SummaryFeature) => `${link(f.id, f.uri, f.line)}${f.title ? ` ${xml(f.title)}` : ''}${f.effort !== undefined ? ` <span class="muted">(${xml(personMonths(f.effort))})</span>` : ''}`;
  const score = s.score === null ? 'n/a' : `${s.score}%`;
  const basis =
    s.score === null
      ? 'No planned work: there is nothing to score.'
      : s.basis === 'effort'
        ? `${s.alignedEffort} of ${personMonths(s.plannedEffort)} of planned effort serve a key result of a current OKR.`
        : `${s.aligned} of ${s.planned} planned features serve a key result of a current OKR (counted by feature: ${s.withoutEffort.join(', ')} ${s.withoutEffort.length === 1 ? 'has' : 'have'} no effort).`;
  const out: string[] = [];
  out.push(
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8"/>',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:"/>`,
    '<meta name="viewport" content="width=device-width, initial-scale=1"/>',
    `<title>Roadmap alignment — as of ${xml(s.asOf)}</title>`,
    `<style>${CSS}</style>`,
    '</head>',
    '<body>',
    '<header>',
    `<h1>Roadmap alignment — as of ${xml(s.asOf)}</h1>`,
    `<p class="score">${xml(score)}</p>`,
    `<p>alignment score — ${xml(basis)}</p>`,
    `<p class="muted">${s.planned} planned features, ${s.aligned} aligned · ${xml(findingCount(s))}</p>`,
    '</header>',
  );
  for (const o of s.okrs) if (o.periodEnded) out.push(`<p class="warning">⚠️ ${xml(o.id)} is active but its period ended on ${xml(o.periodEnded)}: it still counts as current. Close it, or correct its period.</p>`);
  out.push('<section class="strategy-map-section">', '<h2>Strategy map</h2>', '<p class="muted">Products → objectives → key results → KPIs → features. Hover a node for its title, progress and verdict.</p>');
  out.push(`<div class="map">${renderMapSvg(map, { title: `Strategy map — as of ${s.asOf}` })}</div>`, '</section>');
  if (!s.okrs.length) out.push(`<p class="warning">No OKR document is current as of ${xml(s.asOf)}: a current OKR is <code>status: active</code>, or its period contains the date.</p>`);
  let unweighted = false;
  for (const o of s.okrs) {
    out.push(`<section class="okr"><h2>${link(o.id, o.uri, o.line)} — ${xml(o.title)}</h2>`, `<p class="muted">${xml(o.period)} · ${xml(o.status)} · progress ${bar(o.progress)}<strong>${xml(percent(o.progress))}</strong></p>`);
    for (const ob of o.objectives) {
      if (!ob.weightSet) unweighted = true;
      out.push(
        `<h3>${link(ob.id, ob.uri, ob.line)} — ${xml(ob.title)}</h3>`,
        `<p>Progress ${bar(ob.progress)}<strong>${xml(percent(ob.progress))}</strong> · weight ${ob.weightSet ? xml(ob.weight) : '—'}</p>`,
        '<table><thead><tr><th>Key result</th><th>KPI</th><th>Baseline → current → target</th><th>Progress</th><th>Covered by</th><th>Effort</th></tr></thead><tbody>',
      );
      for (const kr of ob.keyResults) {
        out.push(
          `<tr class="${kr.covered ? 'covered' : 'uncovered'}"><td>${link(kr.id, kr.uri, kr.line)} ${xml(kr.title)}</td><td>${xml(kr.kpi ?? '—')}${kr.kpiTitle ? `<br/><span class="muted">${xml(kr.kpiTitle)}</span>` : ''}</td><td>${xml(kr.baseline ?? '?')} → ${xml(kr.current ?? '?')} → ${xml(kr.target ?? '?')}</td><td>${bar(kr.progress)}${xml(percent(kr.progress))}</td><td>${kr.covered ? kr.features.map(feat).join('<br/>') : '<span class="sev-warning">no planned feature</span>'}</td><td>${kr.effort ? xml(personMonths(kr.effort)) : '—'}</td></tr>`,
        );
      }
      out.push('</tbody></table>');
    }
    out.push('</section>');
  }
  if (unweighted) out.push('<p class="muted">Weight —: the objective does not set one; it counts as 1 in the OKR’s progress.</p>');
  if (s.otherOkrs.length) out.push(`<p class="muted">Not current as of ${xml(s.asOf)}: ${s.otherOkrs.map((o) => `${xml(o.id)} (${xml(o.period ?? '?')}, ${xml(o.status ?? '?')})`).join(', ')}.</p>`);
  if (s.unaligned.length) {
    out.push('<section><h2>Planned work that serves no current key result</h2><ul>');
    for (const f of s.unaligned) out.push(`<li>${link(f.id, f.uri, f.line)} ${xml(f.title)} <span class="muted">${xml([f.priority, f.status, f.release, f.effort !== undefined ? personMonths(f.effort) : undefined].filter(Boolean).join(' · '))}</span></li>`);
    out.push('</ul></section>');
  }
  out.push(`<section class="findings"><h2>What to do (${xml(findingCount(s))})</h2>`);
  if (!s.findings.length) out.push('<p>No findings: every planned feature serves a current key result, and every key result is backed.</p>');
  for (const g of groupFindings(s.findings)) {
    out.push(`<h3>${xml(g.title)} <span class="muted">(${g.findings.length})</span></h3>`);
    if (g.hint) out.push(`<p class="muted">${xml(g.hint)}</p>`);
    out.push('<ul class="findings">');
    for (const f of g.findings) {
      const about = f.subject ? `${link(f.subject.id, f.uri, f.line)}${f.subject.title ? ` ${xml(f.subject.title)}` : ''}` : link(`${opts.path(f.uri)}:${f.line}`, f.uri, f.line);
      out.push(`<li><span class="sev-${f.severity === 'error' ? 'error' : 'warning'}">${f.severity === 'error' ? 'error' : f.severity}</span> ${about} — ${xml(f.message)} <span class="muted">${xml(opts.path(f.uri))}:${f.line} · <code>${xml(f.code)}</code></span></li>`);
    }
    out.push('</ul>');
  }
  out.push('</section>', '<footer class="muted">Written by Northstar from the product documents of the workspace.</footer>', '</body>', '</html>', '');
  return out.join('\n');
}
