/**
 * A key result's chart as inline SVG: its data points, the baseline and the target, the end of
 * the period, and the straight line from baseline (period start) to target (period end) — the
 * planned path. Every element has a `<title>` (screen readers, tooltips); no script, no
 * external reference, every text escaped. The Markdown report keeps a table of the data points.
 */
import type { KeyResultData } from '../alignment/summary.js';
import { formatMetric } from './format.js';

const W = 360;
const H = 140;
const PAD = { left: 8, right: 8, top: 12, bottom: 22 };

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / 86_400_000;

/** The chart of one key result; undefined when it has no data point. */
export function keyResultChartSvg(id: string, data: KeyResultData, title?: string): string | undefined {
  const pts = data.points;
  if (!pts.length) return undefined;
  const v = (n: number) => formatMetric(n, data.percent);
  const dates = [pts[0]!.date, pts[pts.length - 1]!.date, data.periodStart, data.periodEnd].filter((d): d is string => Boolean(d)).map(day);
  let x0 = Math.min(...dates);
  let x1 = Math.max(...dates);
  if (x1 === x0) {
    x0 -= 1;
    x1 += 1;
  }
  const values = [...pts.map((p) => p.value), data.baselineValue, data.targetValue].filter((n): n is number => n !== undefined && Number.isFinite(n));
  let y0 = Math.min(...values);
  let y1 = Math.max(...values);
  if (y1 === y0) {
    y0 -= Math.abs(y0) * 0.1 || 1;
    y1 += Math.abs(y1) * 0.1 || 1;
  }
  const margin = (y1 - y0) * 0.08;
  y0 -= margin;
  y1 += margin;
  const X = (d: number) => (PAD.left + ((d - x0) / (x1 - x0)) * (W - PAD.left - PAD.right)).toFixed(1);
  const Y = (n: number) => (PAD.top + (1 - (n - y0) / (y1 - y0)) * (H - PAD.top - PAD.bottom)).toFixed(1);
  const label = `${id}${title ? ` ${title}` : ''}: ${pts.length} data point${pts.length === 1 ? '' : 's'}, latest ${data.value} on ${data.date}${data.source ? ` (${data.source})` : ''}${data.baselineValue !== undefined ? `, baseline ${v(data.baselineValue)}` : ''}${data.targetValue !== undefined ? `, target ${v(data.targetValue)}` : ''}${data.periodEnd ? `, period ends ${data.periodEnd}` : ''}`;
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" class="northstar-kr-chart" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" role="img">`);
  out.push(`<title>${esc(label)}</title>`);
  out.push(`<rect x="0" y="0" width="${W}" height="${H}" fill="none" stroke="currentColor" stroke-opacity="0.15"/>`);
  const hline = (n: number, color: string, name: string) => out.push(`<g><title>${esc(`${name} ${v(n)}`)}</title><line x1="${PAD.left}" x2="${W - PAD.right}" y1="${Y(n)}" y2="${Y(n)}" stroke="${color}" stroke-width="1" stroke-dasharray="4 3"/><text x="${W - PAD.right}" y="${(Number(Y(n)) - 3).toFixed(1)}" text-anchor="end" font-size="10" fill="${color}">${esc(`${name} ${v(n)}`)}</text></g>`);
  if (data.baselineValue !== undefined) hline(data.baselineValue, '#888888', 'baseline');
  if (data.targetValue !== undefined) hline(data.targetValue, '#2e7d32', 'target');
  if (data.periodStart && data.periodEnd && data.baselineValue !== undefined && data.targetValue !== undefined) {
    out.push(`<g><title>${esc(`planned path: ${v(data.baselineValue)} on ${data.periodStart} to ${v(data.targetValue)} on ${data.periodEnd}`)}</title><line x1="${X(day(data.periodStart))}" y1="${Y(data.baselineValue)}" x2="${X(day(data.periodEnd))}" y2="${Y(data.targetValue)}" stroke="#2e7d32" stroke-opacity="0.6" stroke-width="1"/></g>`);
  }
  if (data.periodEnd) {
    const x = X(day(data.periodEnd));
    out.push(`<g><title>${esc(`period ends ${data.periodEnd}`)}</title><line x1="${x}" x2="${x}" y1="${PAD.top}" y2="${H - PAD.bottom}" stroke="#b26a00" stroke-width="1" stroke-dasharray="2 2"/><text x="${x}" y="${H - 6}" text-anchor="end" font-size="10" fill="#b26a00">${esc(data.periodEnd)}</text></g>`);
  }
  const path = pts.map((p) => `${X(day(p.date))},${Y(p.value)}`).join(' ');
  out.push(`<g><title>${esc(`data points of ${id}`)}</title><polyline points="${path}" fill="none" stroke="#1565c0" stroke-width="1.5"/></g>`);
  for (const p of pts) out.push(`<circle cx="${X(day(p.date))}" cy="${Y(p.value)}" r="2.5" fill="#1565c0"><title>${esc(`${p.date}: ${v(p.value)}`)}</title></circle>`);
  out.push(`<text x="${PAD.left}" y="${H - 6}" font-size="10" fill="currentColor">${esc(pts[0]!.date)}</text>`);
  out.push('</svg>');
  return out.join('');
}

/** The same chart as a data URI (an image a Markdown viewer can show without a file next to it). */
export function keyResultChartDataUri(id: string, data: KeyResultData, title?: string): string | undefined {
  const svg = keyResultChartSvg(id, data, title);
  return svg ? `data:image/svg+xml;utf8,${encodeURIComponent(svg)}` : undefined;
}

/** The data points as a Markdown table (the export keeps the numbers, whatever the viewer shows of the chart). */
export function dataPointsTable(data: KeyResultData, escape: (s: string) => string): string {
  const rows = data.points.map((p) => `| ${p.date} | ${escape(formatMetric(p.value, data.percent))} |`);
  return ['| Date | Value |', '|---|---|', ...rows].join('\n');
}

/** Where a key result's current value came from, for a report cell: ` (Amplitude, 2026-05-01)`, or the data next to a written value. */
export function currentSourceNote(data: KeyResultData | undefined): string {
  if (!data) return '';
  const where = [data.source, data.date].filter(Boolean).join(', ');
  return data.from === 'data' ? ` (${where})` : ` (written; data ${data.value}, ${where})`;
}

/** The charts of an objective's key results for the Markdown report: per key result with data, the chart and the table of its points. */
export function keyResultChartsMarkdown(krs: readonly { id: string; title?: string; data?: KeyResultData }[], escape: (s: string) => string): string[] {
  const out: string[] = [];
  for (const kr of krs) {
    if (!kr.data) continue;
    const uri = keyResultChartDataUri(kr.id, kr.data, kr.title);
    out.push(`#### ${escape(kr.id)} — data`, '');
    if (uri) out.push(`![${escape(`Chart of ${kr.id}: data points, baseline, target, the period's end and the planned path`)}](${uri})`, '');
    out.push(dataPointsTable(kr.data, escape), '');
  }
  return out;
}
