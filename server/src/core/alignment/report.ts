/**
 * The alignment report as Markdown (for `northstar report`, "Export as Markdown" and CI
 * summaries), with a Mermaid diagram of the strategy: objectives -> key results -> KPIs -> features.
 */
import type { Strategy } from './strategy.js';
import { percent } from './strategy.js';
import { ruleTitle, type AlignmentSummary, type SummaryFeature } from './summary.js';

/** Escapes text for a Markdown table cell or paragraph (no HTML, no links from documents). */
function md(text: string | undefined): string {
  return (text ?? '')
    .replace(/[\u202A-\u202E\u2066-\u2069]/g, '')
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
}

function scoreLine(s: AlignmentSummary): string {
  if (s.score === null) return 'No planned work: there is nothing to score.';
  const basis =
    s.basis === 'effort'
      ? `${s.alignedEffort} of ${s.plannedEffort} person-months of planned effort serve a key result of a current OKR`
      : `${s.aligned} of ${s.planned} planned features serve a key result of a current OKR (counted by feature: ${s.withoutEffort.map(md).join(', ')} ${s.withoutEffort.length === 1 ? 'has' : 'have'} no effort)`;
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
  const feats = (list: SummaryFeature[]) => (list.length ? list.map((f) => `${link(f.id, f.uri, f.line)}${f.effort !== undefined ? ` (${f.effort} pm)` : ''}`).join(', ') : '—');
  const out: string[] = [];
  out.push(`# Roadmap alignment — as of ${s.asOf}`, '', scoreLine(s), '');
  const errors = s.findings.filter((f) => f.severity === 'error').length;
  out.push(`${s.planned} planned features, ${s.aligned} aligned · ${s.findings.length} findings (${errors} error${errors === 1 ? '' : 's'})`, '');
  if (!s.okrs.length) out.push(`_No OKR document is current as of ${s.asOf}: a current OKR is \`status: active\`, or its period contains the date._`, '');
  for (const o of s.okrs) {
    out.push(`## ${link(o.id, o.uri, o.line)} — ${md(o.title)}`, '', `${md(o.period)} · ${md(o.status)} · progress **${percent(o.progress)}**`, '');
    for (const ob of o.objectives) {
      out.push(`### ${link(ob.id, ob.uri, ob.line)} — ${md(ob.title)}`, '', `Progress **${percent(ob.progress)}**${ob.weight !== 1 ? ` · weight ${ob.weight}` : ''}`, '');
      out.push('| Key result | KPI | Baseline → current → target | Progress | Covered by | Effort |', '|---|---|---|---|---|---|');
      for (const kr of ob.keyResults) {
        out.push(
          `| ${link(kr.id, kr.uri, kr.line)} ${md(kr.title)} | ${md(kr.kpi ?? '—')} | ${md(kr.baseline ?? '?')} → ${md(kr.current ?? '?')} → ${md(kr.target ?? '?')} | ${percent(kr.progress)} | ${kr.covered ? feats(kr.features) : '⚠️ no planned feature'} | ${kr.effort || '—'} |`,
        );
      }
      out.push('');
    }
  }
  if (s.otherOkrs.length) out.push(`Not current as of ${s.asOf}: ${s.otherOkrs.map((o) => `${md(o.id)} (${md(o.period ?? '?')}, ${md(o.status ?? '?')})`).join(', ')}.`, '');
  if (s.unaligned.length) {
    out.push('## Planned work that serves no current key result', '');
    for (const f of s.unaligned) out.push(`- ${link(f.id, f.uri, f.line)} — ${md(f.title)} (${md([f.priority, f.status, f.release].filter(Boolean).join(', '))})`);
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
  out.push('## Strategy map', '', mermaidDiagram(s, strategy), '');
  out.push(`## Findings (${s.findings.length})`, '');
  if (!s.findings.length) out.push('No findings: every planned feature serves a current key result, and every key result is backed.', '');
  const codes = [...new Set(s.findings.map((f) => f.code))];
  for (const code of codes) {
    const list = s.findings.filter((f) => f.code === code);
    out.push(`### ${code} (${list.length})`, '', `_${md(ruleTitle(code))}_`, '');
    for (const f of list) out.push(`- ${f.severity === 'error' ? '⛔' : '⚠️'} ${link(`${opts.path(f.uri)}:${f.line}`, f.uri, f.line)} — ${md(f.message)}`);
    out.push('');
  }
  return out.join('\n');
}
