/**
 * The alignment report as Markdown (for `northstar report`, "Export as Markdown" and CI
 * summaries): the score, each current OKR's objectives (weight and progress) and key results with
 * the features behind them, and the findings grouped by what to do about them, errors first. The
 * strategy map is the SVG (alignment/mapSvg.ts) where one sits next to the report, and a Mermaid
 * diagram folded in a <details> (VS Code's preview would otherwise show its source).
 */
import type { Strategy } from './strategy.js';
import { percent, personMonths } from './strategy.js';
import { listIds } from '../rules/list.js';
import { currentSourceNote, keyResultChartSvg, keyResultChartsMarkdown } from '../metrics/chart.js';
import { groupFindings, type AlignmentSummary, type SummaryFeature } from './summary.js';

/** Escapes text for a Markdown table cell or paragraph (no HTML, no links from documents). */
function md(text: string | undefined): string {
  return (text ?? '')
    .replace(/[\u202A-\u202E\u2066-\u2069]/g, '')
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, '')
    .replace(/[\\`*_[\]<>|~&#]/g, (c) => `\\${c}`)
    .replace(/\r?\n/g, ' ');
}

function mermaidLabel(text: string): string {
  return text.replace(/["<>&#]/g, (c) => `#${c.charCodeAt(0)};`).replace(/[\r\n]+/g, ' ').slice(0, 80);
}

function node(id: string): string {
  return `n_${id.replace(/[^A-Za-z0-9]/g, '_')}`;
}

export interface ReportOptions {
  /** How a URI is shown and linked (a path relative to the workspace). */
  readonly path: (uri: string) => string;
  /** The strategy map as an image next to the report (a relative path), shown above the Mermaid source. */
  readonly mapImage?: string;
}

function scoreLine(s: AlignmentSummary): string {
  if (s.score === null) return 'No planned work: there is nothing to score.';
  const basis =
    s.basis === 'effort'
      ? `${s.alignedEffort} of ${personMonths(s.plannedEffort)} of planned effort serve a key result of a current OKR`
      : `${s.aligned} of ${s.planned} planned features serve a key result of a current OKR (counted by feature: ${listIds(s.withoutEffort.map(md))} ${s.withoutEffort.length === 1 ? 'has' : 'have'} no effort)`;
  return `**Alignment score: ${s.score}%** — ${basis}.`;
}

export function mermaidDiagram(s: AlignmentSummary, strategy: Strategy): string {
  const lines = ['```mermaid', 'flowchart LR'];
  const seen = new Set<string>();
  const def = (id: string, label: string, shape: 'obj' | 'kr' | 'kpi' | 'feat') => {
    if (seen.has(id)) return;
    seen.add(id);
    const l = mermaidLabel(label);
    lines.push(`  ${node(id)}${shape === 'obj' ? `(["${l}"])` : shape === 'kpi' ? `{{"${l}"}}` : shape === 'feat' ? `["${l}"]` : `("${l}")`}`);
  };
  for (const o of s.okrs)
    for (const ob of o.objectives) {
      def(ob.id, `${ob.id}: ${ob.title ?? ''}`, 'obj');
      for (const kr of ob.keyResults) {
        def(kr.id, `${kr.id} ${percent(kr.progress)}`, 'kr');
        lines.push(`  ${node(ob.id)} --> ${node(kr.id)}`);
        if (!kr.kpi) continue;
        def(kr.kpi, `${kr.kpi}${kr.kpiTitle ? `: ${kr.kpiTitle}` : ''}`, 'kpi');
        lines.push(`  ${node(kr.id)} --> ${node(kr.kpi)}`);
      }
    }
  for (const f of strategy.features.values()) {
    if (!f.planned) continue;
    for (const k of f.kpis) {
      if (!seen.has(k.id)) continue;
      def(f.id, f.id, 'feat');
      lines.push(`  ${node(k.id)} --> ${node(f.id)}`);
    }
  }
  for (const f of s.unaligned) {
    def(f.id, `${f.id} (unaligned)`, 'feat');
    lines.push(`  class ${node(f.id)} unaligned`);
  }
  lines.push('  classDef unaligned stroke:#d33,stroke-width:2px,stroke-dasharray: 4 2');
  lines.push('```');
  return lines.join('\n');
}

export function renderMarkdownReport(s: AlignmentSummary, strategy: Strategy, opts: ReportOptions): string {
  const link = (label: string, uri: string, line: number) => `[${md(label)}](${encodeURI(opts.path(uri)).replace(/#/g, '%23').replace(/\?/g, '%3F').replace(/\(/g, '%28').replace(/\)/g, '%29')}#L${line})`;
  const feat = (f: SummaryFeature) => `${link(f.id, f.uri, f.line)}${f.title ? ` ${md(f.title)}` : ''}${f.effort !== undefined ? ` (${personMonths(f.effort)})` : ''}`;
  const out: string[] = [];
  out.push(`# Roadmap alignment — as of ${s.asOf}`, '', scoreLine(s), '');
  out.push(`${s.planned} planned features, ${s.aligned} aligned · ${findingCount(s)}`, '');
  for (const o of s.okrs) if (o.periodEnded) out.push(`> ⚠️ ${md(o.id)} is active but its period ended on ${o.periodEnded}: it still counts as current. Close it, or correct its period.`, '');
  if (!s.okrs.length) out.push(`_No OKR document is current as of ${s.asOf}: a current OKR is \`status: active\`, or its period contains the date._`, '');
  let unweighted = false;
  for (const o of s.okrs) {
    out.push(`## ${link(o.id, o.uri, o.line)} — ${md(o.title)}`, '', `${md(o.period)} · ${md(o.status)} · progress **${percent(o.progress)}**`, '');
    for (const ob of o.objectives) {
      if (!ob.weightSet) unweighted = true;
      out.push(`### ${link(ob.id, ob.uri, ob.line)} — ${md(ob.title)}`, '', `Progress **${percent(ob.progress)}** · weight ${ob.weightSet ? ob.weight : '—'}`, '');
      out.push('| Key result | KPI | Baseline → current → target | Progress | Covered by | Effort |', '|---|---|---|---|---|---|');
      for (const kr of ob.keyResults) {
        out.push(
          `| ${link(kr.id, kr.uri, kr.line)} ${md(kr.title)} | ${md(kr.kpi ?? '—')} | ${md(kr.baseline ?? '?')} → ${md(kr.current ?? '?')}${md(currentSourceNote(kr.data))} → ${md(kr.target ?? '?')} | ${percent(kr.progress)} | ${kr.covered ? kr.features.map(feat).join('<br>') : '⚠️ no planned feature'} | ${kr.effort ? personMonths(kr.effort) : '—'} |`,
        );
      }
      out.push('');
      out.push(...keyResultChartsMarkdown(ob.keyResults, md));
    }
  }
  if (unweighted) out.push('_Weight —: the objective does not set one; it counts as 1 in the OKR\'s progress._', '');
  if (s.otherOkrs.length) out.push(`Not current as of ${s.asOf}: ${s.otherOkrs.map((o) => `${md(o.id)} (${md(o.period ?? '?')}, ${md(o.status ?? '?')})`).join(', ')}.`, '');
  if (s.unaligned.length) {
    out.push('## Planned work that serves no current key result', '');
    for (const f of s.unaligned) out.push(`- ${link(f.id, f.uri, f.line)} — ${md(f.title)} (${md([f.priority, f.status, f.release, f.effort !== undefined ? personMonths(f.effort) : undefined].filter(Boolean).join(', '))})`);
    out.push('');
  }
  if (s.products.some((p) => p.stage)) {
    // Products by lifecycle stage (shown once a brief says its stage).
    out.push('## Products by stage', '');
    const stages = [...new Set(s.products.map((p) => p.stage))];
    for (const stage of stages) {
      out.push(`### ${stage ?? 'No stage'}`, '');
      for (const p of s.products.filter((x) => x.stage === stage)) out.push(`- ${link(p.id, p.uri, p.line)} — ${md(p.title)} (${p.prds.length ? p.prds.map(md).join(', ') : 'no PRD'}; ${p.planned} planned feature${p.planned === 1 ? '' : 's'})`);
      out.push('');
    }
  }
  // The map: a picture where the reader can show one (an SVG written next to the report), and
  // the Mermaid source folded away (GitHub draws it; VS Code's preview would show the code).
  out.push('## Strategy map', '');
  if (opts.mapImage) out.push(`![Strategy map: objectives, key results, KPIs and planned features](${encodeURI(opts.mapImage)})`, '');
  out.push('<details>', '<summary>The map as a Mermaid diagram</summary>', '', mermaidDiagram(s, strategy), '', '</details>', '');
  out.push(`## What to do (${findingCount(s)})`, '');
  if (!s.findings.length) out.push('No findings: every planned feature serves a current key result, and every key result is backed.', '');
  for (const g of groupFindings(s.findings)) {
    const warnings = g.findings.length - g.errors;
    out.push(`### ${g.title} (${[g.errors ? count(g.errors, 'error') : '', warnings ? count(warnings, g.errors ? 'other' : 'warning') : ''].filter(Boolean).join(', ')})`, '');
    if (g.hint) out.push(`_${md(g.hint)}_`, '');
    for (const f of g.findings) {
      const about = f.subject ? `${link(f.subject.id, f.uri, f.line)}${f.subject.title ? ` ${md(f.subject.title)}` : ''}` : link(`${opts.path(f.uri)}:${f.line}`, f.uri, f.line);
      out.push(`- ${f.severity === 'error' ? '⛔' : '⚠️'} ${about} — ${md(f.message)} (${md(opts.path(f.uri))}:${f.line}, \`${f.code}\`)`);
    }
    out.push('');
  }
  return out.join('\n');
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/** "12 findings: 6 errors, 6 warnings". */
export function findingCount(s: AlignmentSummary): string {
  const errors = s.findings.filter((f) => f.severity === 'error').length;
  const warnings = s.findings.filter((f) => f.severity === 'warning').length;
  const other = s.findings.length - errors - warnings;
  if (!s.findings.length) return 'no findings';
  return `${count(s.findings.length, 'finding')}: ${[count(errors, 'error'), count(warnings, 'warning'), other ? `${other} other` : ''].filter(Boolean).join(', ')}`;
}

/**
 * What the report webview shows of each key result's metric data, drawn here (the client renders
 * what the server answers and imports no server code): where `current` came from, and the chart.
 */
export function keyResultCharts(s: AlignmentSummary): Record<string, { note: string; svg?: string }> {
  const out: Record<string, { note: string; svg?: string }> = {};
  for (const o of s.okrs)
    for (const ob of o.objectives)
      for (const kr of ob.keyResults) {
        if (!kr.data) continue;
        const svg = keyResultChartSvg(kr.id, kr.data, kr.title);
        out[kr.id] = { note: currentSourceNote(kr.data), ...(svg ? { svg } : {}) };
      }
  return out;
}
