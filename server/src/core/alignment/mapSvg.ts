/**
 * The strategy map (alignment/map.ts) as SVG: one `<g class="node kind-… state-…" data-id="…">`
 * per node with a `<title>` (the tooltip: title, progress, verdict), the edges as paths, a
 * header over each layer and a legend of the states shown.
 *
 * One SVG serves everywhere: standalone (the "Export as SVG" file), inline in the HTML report and
 * in the webview. So it holds no script, no `<style>` element (a strict CSP would refuse it) and
 * no `style` attribute: colours are presentation attributes — a light, print-friendly scheme —
 * and every part carries a class, so a page's stylesheet can theme it (CSS wins over presentation
 * attributes). No link, no URI: a node names its ID only. Every piece of document text is
 * escaped, and characters XML does not allow are dropped, so the output is well-formed XML.
 */
import { MAP, type MapKind, type MapNode, type MapState, type StrategyMap } from './map.js';

/** Text for XML content and attribute values. */
export function xml(text: unknown): string {
  return String(text ?? '')
    .replace(/[\u202A-\u202E\u2066-\u2069]/g, '')
    // Characters XML 1.0 does not allow, and lone surrogates.
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '')
    .replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The light scheme: stroke, fill, and whether the border is dashed. */
export const STATE_STYLE: Record<MapState, { stroke: string; fill: string; dashed?: boolean; label: string }> = {
  aligned: { stroke: '#2e7d32', fill: '#edf7ee', label: 'Aligned, covered' },
  late: { stroke: '#b45f06', fill: '#fff4e0', label: 'Late: ships after the period it serves' },
  unaligned: { stroke: '#c62828', fill: '#fdecea', label: 'Unaligned: serves no current key result' },
  'no-kpi': { stroke: '#7b1fa2', fill: '#f6ecf9', label: 'Moves no KPI' },
  uncovered: { stroke: '#d84315', fill: '#fff0eb', dashed: true, label: 'Not covered by planned work' },
  unmeasured: { stroke: '#607d8b', fill: '#f1f4f6', dashed: true, label: 'KPI no current key result measures' },
  undefined: { stroke: '#c62828', fill: '#fdecea', dashed: true, label: 'KPI defined nowhere' },
  inactive: { stroke: '#8a949e', fill: '#f7f8f9', dashed: true, label: 'Not current (another period, draft or closed)' },
  'not-planned': { stroke: '#8a949e', fill: '#f7f8f9', label: 'Not planned (shipped, dropped or wont)' },
  neutral: { stroke: '#37474f', fill: '#eef1f4', label: 'Product (brief)' },
};

const LAYER_TITLE: Record<MapKind, string> = { brief: 'Products', objective: 'Objectives', keyResult: 'Key results', kpi: 'KPIs', feature: 'Features' };
const LEGEND_ORDER: readonly MapState[] = ['aligned', 'late', 'unaligned', 'no-kpi', 'uncovered', 'unmeasured', 'undefined', 'inactive', 'not-planned'];

const TEXT = '#1f2933';
const MUTED = '#52606d';
const EDGE = '#9aa5b1';
const HEADER = 28;
const LEGEND_ROW = 22;
const FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif";

/** An estimate of a text's width at 12px (no DOM to measure). */
const textWidth = (s: string) => s.length * 6.6;

export interface MapSvgOptions {
  /** The SVG's own title (read by screen readers, shown by a viewer). */
  readonly title?: string;
}

export function renderMapSvg(map: StrategyMap, opts: MapSvgOptions = {}): string {
  const states = LEGEND_ORDER.filter((st) => st === 'aligned' || map.nodes.some((n) => n.state === st));
  const width = Math.max(map.width, 640);
  // The legend: as many items per row as fit.
  const legend: { state: MapState; x: number; row: number }[] = [];
  let x = MAP.margin;
  let row = 0;
  for (const st of states) {
    const w = 22 + textWidth(STATE_STYLE[st].label) + 18;
    if (x + w > width - MAP.margin && x > MAP.margin) {
      row++;
      x = MAP.margin;
    }
    legend.push({ state: st, x, row });
    x += w;
  }
  const legendHeight = (row + 1) * LEGEND_ROW + 8;
  const top = legendHeight + HEADER;
  const footer = map.omitted || !map.nodes.length ? 22 : 0;
  const height = top + map.height + footer;
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" class="strategy-map" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-labelledby="strategy-map-title" font-family="${xml(FONT)}" font-size="12">`,
    `<title id="strategy-map-title">${xml(opts.title ?? 'Strategy map')}</title>`,
    `<rect class="map-background" x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>`,
    `<defs><marker id="strategy-map-arrow" viewBox="0 0 8 8" refX="8" refY="4" markerWidth="7" markerHeight="7" orient="auto"><path class="arrow" d="M0,0 L8,4 L0,8 z" fill="${EDGE}"/></marker></defs>`,
  );
  // Legend.
  out.push('<g class="legend">');
  for (const l of legend) {
    const st = STATE_STYLE[l.state];
    const y = 8 + l.row * LEGEND_ROW;
    out.push(
      `<g class="legend-item state-${l.state}"><rect class="box" x="${l.x}" y="${y}" width="16" height="12" rx="3" fill="${st.fill}" stroke="${st.stroke}" stroke-width="1.5"${st.dashed ? ' stroke-dasharray="4 2"' : ''}/><text class="legend-label" x="${l.x + 22}" y="${y + 10}" fill="${MUTED}">${xml(st.label)}</text></g>`,
    );
  }
  out.push('</g>');
  // A header over each layer.
  out.push(`<g class="layers" transform="translate(0 ${legendHeight})">`);
  const layers = new Map<MapKind, number>();
  for (const n of map.nodes) if (!layers.has(n.kind)) layers.set(n.kind, n.x + n.width / 2);
  for (const [kind, cx] of layers) out.push(`<text class="layer-title" x="${cx}" y="18" text-anchor="middle" font-weight="600" fill="${MUTED}">${xml(LAYER_TITLE[kind])}</text>`);
  out.push('</g>');
  out.push(`<g class="graph" transform="translate(0 ${top})">`);
  out.push('<g class="edges">');
  for (const e of map.edges) {
    if (e.points.length < 2) continue;
    out.push(`<path class="edge${e.state ? ` ${e.state}` : ''}" data-from="${xml(e.from)}" data-to="${xml(e.to)}" d="${pathOf(e.points)}" fill="none" stroke="${e.state === 'late' ? STATE_STYLE.late.stroke : EDGE}" stroke-width="1.3"${e.state === 'late' ? ' stroke-dasharray="5 3"' : ''} marker-end="url(#strategy-map-arrow)"/>`);
  }
  out.push('</g>', '<g class="nodes">');
  for (const n of map.nodes) out.push(nodeSvg(n));
  out.push('</g>', '</g>');
  if (!map.nodes.length) out.push(`<text class="omitted" x="${MAP.margin}" y="${height - 8}" fill="${MUTED}">Nothing to draw yet: no objective, key result, KPI or feature in these documents.</text>`);
  if (map.omitted) out.push(`<text class="omitted" x="${MAP.margin}" y="${height - 8}" fill="${MUTED}">${xml(`${map.omitted} features are not drawn (the map shows at most 400: planned work with a problem first).`)}</text>`);
  out.push('</svg>');
  return out.join('\n');
}

function nodeSvg(n: MapNode): string {
  const st = STATE_STYLE[n.state];
  const parts: string[] = [];
  parts.push(`<g class="node kind-${n.kind} state-${n.state}" data-id="${xml(n.id)}" data-kind="${n.kind}" data-state="${n.state}">`);
  parts.push(`<title>${xml(n.detail)}</title>`);
  parts.push(`<rect class="box" x="${n.x}" y="${n.y}" width="${n.width}" height="${n.height}" rx="${n.kind === 'objective' || n.kind === 'brief' ? 10 : 5}" fill="${st.fill}" stroke="${st.stroke}" stroke-width="1.5"${st.dashed ? ' stroke-dasharray="5 3"' : ''}/>`);
  parts.push(`<rect class="band" x="${n.x}" y="${n.y}" width="4" height="${n.height}" rx="2" fill="${st.stroke}"/>`);
  let y = n.y + MAP.padding;
  const tx = n.x + MAP.padding + 4;
  n.title.forEach((t, i) => {
    y += MAP.lineHeight;
    const id = i < n.idLines;
    parts.push(`<text class="${id ? 'id' : 'label'}" x="${tx}" y="${y - 3}" fill="${TEXT}"${id ? ' font-weight="600"' : ''}>${xml(t)}</text>`);
  });
  if (n.meta) {
    y += MAP.lineHeight;
    parts.push(`<text class="meta" x="${tx}" y="${y - 3}" fill="${MUTED}" font-size="11">${xml(n.meta)}</text>`);
  }
  if (n.progress !== undefined) {
    const w = n.width - MAP.padding * 2 - 4;
    const p = Math.max(0, Math.min(1, n.progress));
    parts.push(`<rect class="bar-track" x="${tx}" y="${y + 3}" width="${w}" height="${MAP.barHeight}" rx="2" fill="#d9dee3"/>`);
    parts.push(`<rect class="bar" x="${tx}" y="${y + 3}" width="${Math.round(w * p * 10) / 10}" height="${MAP.barHeight}" rx="2" fill="${st.stroke}"/>`);
  }
  parts.push('</g>');
  return parts.join('');
}

/** A smooth path: a horizontal S-curve between two points, quadratic curves through more. */
function pathOf(points: readonly { x: number; y: number }[]): string {
  const f = (n: number) => String(Math.round(n * 10) / 10);
  const p0 = points[0]!;
  if (points.length === 2) {
    const p1 = points[1]!;
    const dx = Math.max(12, (p1.x - p0.x) / 2);
    return `M${f(p0.x)},${f(p0.y)} C${f(p0.x + dx)},${f(p0.y)} ${f(p1.x - dx)},${f(p1.y)} ${f(p1.x)},${f(p1.y)}`;
  }
  let d = `M${f(p0.x)},${f(p0.y)}`;
  for (let i = 1; i < points.length - 1; i++) {
    const p = points[i]!;
    const q = points[i + 1]!;
    d += ` Q${f(p.x)},${f(p.y)} ${f((p.x + q.x) / 2)},${f((p.y + q.y) / 2)}`;
  }
  const last = points[points.length - 1]!;
  d += ` L${f(last.x)},${f(last.y)}`;
  return d;
}
