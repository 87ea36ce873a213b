/**
 * The alignment report webview: reads like a product review (score, the strategy map, objectives
 * with their key results and features, findings grouped by what to do about them, errors first),
 * themed with VS Code's colours. Presentation only — the numbers, the map (laid out and drawn as
 * SVG) and the exports come from the server. Strict CSP (default-src 'none', one nonced script),
 * every piece of document text escaped, only the messages defined here accepted, no command URIs.
 * A click on a map node names its ID only; the extension looks it up in the map it was sent.
 */
import * as vscode from 'vscode';
import type { AlignmentSummary, SummaryFeature, SummaryFinding } from '../../server/src/core/alignment/summary.js';
import type { AlignmentReport } from '../../server/src/lsp/protocol.js';

export type ExportFormat = 'markdown' | 'html' | 'svg';
export type ViewMessage = { type: 'open'; uri: string; line: number } | { type: 'openNode'; id: string } | { type: 'export'; format: ExportFormat } | { type: 'rerun' };

const EXPORTS: Record<ExportFormat, { label: string; ext: string; filter: string }> = {
  markdown: { label: 'Markdown', ext: 'md', filter: 'Markdown' },
  html: { label: 'HTML', ext: 'html', filter: 'HTML page' },
  svg: { label: 'SVG', ext: 'svg', filter: 'SVG image' },
};

/** Accepts exactly the messages the view defines; anything else is ignored. */
export function parseMessage(m: unknown): ViewMessage | undefined {
  if (!m || typeof m !== 'object') return undefined;
  const o = m as Record<string, unknown>;
  if (o.type === 'open' && typeof o.uri === 'string' && /^(file|untitled|vscode-remote):/.test(o.uri) && typeof o.line === 'number' && Number.isInteger(o.line) && o.line >= 1 && Object.keys(o).length === 3) {
    return { type: 'open', uri: o.uri, line: o.line };
  }
  if (o.type === 'openNode' && typeof o.id === 'string' && o.id.length <= 200 && Object.keys(o).length === 2) return { type: 'openNode', id: o.id };
  if (o.type === 'export' && Object.keys(o).length === 1) return { type: 'export', format: 'markdown' };
  if (o.type === 'export' && (o.format === 'markdown' || o.format === 'html' || o.format === 'svg') && Object.keys(o).length === 2) return { type: 'export', format: o.format };
  if (o.type === 'rerun' && Object.keys(o).length === 1) return { type: 'rerun' };
  return undefined;
}

export function escapeHtml(s: unknown): string {
  return String(s ?? '')
    .replace(/[\u202A-\u202E\u2066-\u2069]/g, '')
    .replace(/[&<>"'`=\/]/g, (c) => `&#${c.charCodeAt(0)};`);
}

const pct = (p: number | undefined) => (p === undefined ? 'n/a' : `${Math.round(p * 100)}%`);
const pm = (n: number) => `${n} person-month${n === 1 ? '' : 's'}`;

function nonce(): string {
  const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  let out = '';
  for (let i = 0; i < 32; i++) out += chars[Math.floor(Math.random() * chars.length)];
  return out;
}

/** The key of an "open" link: the view may only ask to open what the report itself links to. */
export const linkKey = (uri: string, line: number): string => `${line}:${uri}`;

function bar(p: number | undefined): string {
  const w = p === undefined ? 0 : Math.max(0, Math.min(100, Math.round(p * 100)));
  return `<progress max="100" value="${w}" aria-label="${w}%"></progress> <span class="pct">${pct(p)}</span>`;
}

/**
 * The report's HTML. Every link it renders is added to `links` (see linkKey). `mapSvg` is the
 * strategy map the server drew (its text escaped there); the page's stylesheet themes it.
 * `charts` are the key results' metric notes and charts, drawn by the server too.
 */
export function renderHtml(s: AlignmentSummary, cspSource: string, relPath: (uri: string) => string, links: Set<string> = new Set(), mapSvg = '', charts: AlignmentReport['charts'] = {}): string {
  const n = nonce();
  const link = (label: string, uri: string, line: number): string => {
    const l = Number(line) || 1;
    links.add(linkKey(uri, l));
    return `<a href="#" class="src" data-uri="${escapeHtml(uri)}" data-line="${l}">${escapeHtml(label)}</a>`;
  };
  const feats = (list: SummaryFeature[]) =>
    list.length ? list.map((f) => `${link(f.id, f.uri, f.line)}${f.title ? ` ${escapeHtml(f.title)}` : ''}${f.effort !== undefined ? ` <span class="muted">(${escapeHtml(pm(f.effort))})</span>` : ''}`).join('<br>') : '<span class="warn">no planned feature</span>';
  const score = s.score === null ? 'n/a' : `${s.score}%`;
  const basis = s.basis === 'effort' ? `${escapeHtml(s.alignedEffort)} of ${escapeHtml(pm(s.plannedEffort))} of planned effort` : `${escapeHtml(s.aligned)} of ${escapeHtml(s.planned)} planned features`;
  let unweighted = false;
  const okrs = s.okrs
    .map(
      (o) => `<section class="okr"><h2>${link(o.id, o.uri, o.line)} <span class="muted">${escapeHtml(o.title)}</span></h2>
      ${o.periodEnded ? `<p class="stale warn">⚠ ${escapeHtml(o.id)} is active but its period ended on ${escapeHtml(o.periodEnded)}: it still counts as current. Close it, or correct its period.</p>` : ''}
      <p class="muted">${escapeHtml(o.period)} · ${escapeHtml(o.status)} · progress ${bar(o.progress)}</p>
      ${o.objectives
        .map(
          (ob) => `<div class="objective"><h3>${link(ob.id, ob.uri, ob.line)} ${escapeHtml(ob.title)}</h3>
          <p class="muted">progress ${bar(ob.progress)} · weight ${ob.weightSet === false ? ((unweighted = true), '—') : escapeHtml(ob.weight)}</p>
          <table><thead><tr><th>Key result</th><th>KPI</th><th>Baseline → current → target</th><th>Progress</th><th>Features</th><th>Effort</th></tr></thead><tbody>
          ${ob.keyResults
            .map(
              (kr) => `<tr class="${kr.covered ? 'covered' : 'uncovered'}"><td>${link(kr.id, kr.uri, kr.line)} ${escapeHtml(kr.title)}</td><td>${escapeHtml(kr.kpi ?? '—')}${kr.kpiTitle ? `<br><span class="muted">${escapeHtml(kr.kpiTitle)}</span>` : ''}</td>
              <td>${escapeHtml(kr.baseline ?? '?')} → ${escapeHtml(kr.current ?? '?')}${escapeHtml(charts[kr.id]?.note ?? '')} → ${escapeHtml(kr.target ?? '?')}</td><td>${bar(kr.progress)}</td><td>${feats(kr.features)}</td><td>${kr.effort ? escapeHtml(pm(kr.effort)) : '—'}</td></tr>${charts[kr.id]?.svg ? `<tr class="kr-chart"><td colspan="6">${charts[kr.id]!.svg}</td></tr>` : ''}`,
            )
            .join('')}
          </tbody></table></div>`,
        )
        .join('')}</section>`,
    )
    .join('');
  // The server sorted the findings by group (groups with an error first), errors first within.
  const groups: { title: string; list: SummaryFinding[] }[] = [];
  for (const f of s.findings) {
    const title = f.group ?? f.code;
    const last = groups[groups.length - 1];
    if (last && last.title === title) last.list.push(f);
    else groups.push({ title, list: [f] });
  }
  const findings = groups
    .map(({ title, list }) => {
      const errors = list.filter((f) => f.severity === 'error').length;
      return `<details open class="rule"><summary><strong>${escapeHtml(title)}</strong> <span class="muted">(${list.length}${errors ? `, ${errors} error${errors === 1 ? '' : 's'}` : ''})</span></summary><ul>${list
        .map(
          (f) =>
            `<li class="${f.severity === 'error' ? 'error' : 'warning'}"><span class="sev">${f.severity === 'error' ? 'error' : 'warning'}</span> ${f.subject ? `${link(f.subject.id, f.uri, f.line)}${f.subject.title ? ` ${escapeHtml(f.subject.title)}` : ''} — ` : ''}${escapeHtml(f.message)} <span class="muted">${link(`${relPath(f.uri)}:${f.line}`, f.uri, f.line)} · <code>${escapeHtml(f.code)}</code></span></li>`,
        )
        .join('')}</ul></details>`;
    })
    .join('');
  const map = mapSvg
    ? `<section class="map-section"><h2>Strategy map</h2><p class="muted">Products → objectives → key results → KPIs → features. Hover a node for its title, progress and verdict; click it to open its source.</p><div class="map" id="map">${mapSvg}</div><p class="muted node-info" id="node-info"></p></section>`
    : '';
  const unaligned = s.unaligned.length
    ? `<section><h2>Planned work that serves no current key result</h2><ul>${s.unaligned.map((f) => `<li>${link(f.id, f.uri, f.line)} ${escapeHtml(f.title)} <span class="muted">${escapeHtml([f.priority, f.status, f.release].filter(Boolean).join(' · '))}</span></li>`).join('')}</ul></section>`
    : '';
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src ${cspSource} 'nonce-${n}'; script-src 'nonce-${n}'; img-src ${cspSource};">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Roadmap alignment</title>
<style nonce="${n}">
body { font-family: var(--vscode-font-family); color: var(--vscode-foreground); background: var(--vscode-editor-background); padding: 0 24px 24px; line-height: 1.45; }
a.src { color: var(--vscode-textLink-foreground); text-decoration: none; cursor: pointer; }
a.src:hover { text-decoration: underline; }
.muted { color: var(--vscode-descriptionForeground); }
.score { font-size: 2.4em; font-weight: 600; margin: 0; }
header { border-bottom: 1px solid var(--vscode-panel-border); margin-bottom: 12px; padding: 8px 0 12px; display: flex; align-items: baseline; gap: 24px; flex-wrap: wrap; }
button { background: var(--vscode-button-background); color: var(--vscode-button-foreground); border: none; padding: 4px 12px; cursor: pointer; }
button:hover { background: var(--vscode-button-hoverBackground); }
table { border-collapse: collapse; width: 100%; margin: 6px 0 18px; }
th, td { text-align: left; vertical-align: top; padding: 4px 8px; border-bottom: 1px solid var(--vscode-panel-border); }
th { color: var(--vscode-descriptionForeground); font-weight: 600; }
tr.uncovered td:first-child { border-left: 3px solid var(--vscode-editorWarning-foreground); }
progress { width: 80px; height: 8px; vertical-align: middle; accent-color: var(--vscode-progressBar-background); }
.warn { color: var(--vscode-editorWarning-foreground); }
li.error .sev { color: var(--vscode-editorError-foreground); font-weight: 600; }
li.warning .sev { color: var(--vscode-editorWarning-foreground); font-weight: 600; }
details.rule { margin: 6px 0; }
details.rule summary { cursor: pointer; }
.stale { font-weight: 600; }
.map { overflow: auto; border: 1px solid var(--vscode-panel-border); border-radius: 4px; }
.map svg { display: block; max-width: 100%; height: auto; }
.node-info { white-space: pre-line; min-height: 3.2em; }
.strategy-map .map-background { fill: var(--vscode-editor-background); }
.strategy-map text { fill: var(--vscode-foreground); }
.strategy-map text.meta, .strategy-map text.legend-label, .strategy-map text.layer-title, .strategy-map text.omitted { fill: var(--vscode-descriptionForeground); }
.strategy-map .edge { stroke: var(--vscode-descriptionForeground); opacity: 0.6; }
.strategy-map .edge.late { stroke: var(--vscode-editorWarning-foreground); opacity: 1; }
.strategy-map .arrow { fill: var(--vscode-descriptionForeground); }
.strategy-map .box { fill: var(--vscode-editor-background); }
.strategy-map .bar-track { fill: var(--vscode-panel-border); }
.strategy-map g.node { cursor: pointer; }
.strategy-map g.node:hover .box { stroke-width: 3; }
.strategy-map .state-aligned .box { stroke: var(--vscode-testing-iconPassed, #388a34); } .strategy-map .state-aligned .band, .strategy-map .state-aligned .bar { fill: var(--vscode-testing-iconPassed, #388a34); }
.strategy-map .state-late .box { stroke: var(--vscode-editorWarning-foreground); } .strategy-map .state-late .band, .strategy-map .state-late .bar { fill: var(--vscode-editorWarning-foreground); }
.strategy-map .state-unaligned .box, .strategy-map .state-undefined .box { stroke: var(--vscode-editorError-foreground); } .strategy-map .state-unaligned .band, .strategy-map .state-undefined .band { fill: var(--vscode-editorError-foreground); }
.strategy-map .state-no-kpi .box { stroke: var(--vscode-charts-purple, #a074c4); } .strategy-map .state-no-kpi .band { fill: var(--vscode-charts-purple, #a074c4); }
.strategy-map .state-uncovered .box { stroke: var(--vscode-charts-orange, #d18616); } .strategy-map .state-uncovered .band, .strategy-map .state-uncovered .bar { fill: var(--vscode-charts-orange, #d18616); }
.strategy-map .state-inactive, .strategy-map .state-not-planned { opacity: 0.7; }
.strategy-map .state-unmeasured .box, .strategy-map .state-neutral .box, .strategy-map .state-inactive .box, .strategy-map .state-not-planned .box { stroke: var(--vscode-descriptionForeground); } .strategy-map .state-unmeasured .band, .strategy-map .state-neutral .band { fill: var(--vscode-descriptionForeground); }
</style></head>
<body>
<header>
  <div><p class="score" id="score">${escapeHtml(score)}</p><p class="muted">alignment score — ${basis} serve a key result of a current OKR</p></div>
  <div class="muted">as of ${escapeHtml(s.asOf)} · ${escapeHtml(s.planned)} planned features, ${escapeHtml(s.aligned)} aligned · ${escapeHtml(s.findings.length)} findings</div>
  <div><button id="rerun">Re-run</button> <button id="export" data-format="markdown">Export as Markdown</button> <button id="export-html" data-format="html">Export as HTML</button> <button id="export-svg" data-format="svg">Export as SVG</button></div>
</header>
${map}
${s.okrs.length ? okrs : `<p class="warn">No OKR document is current as of ${escapeHtml(s.asOf)}.</p>`}
${s.otherOkrs.length ? `<p class="muted">Not current: ${s.otherOkrs.map((o) => `${escapeHtml(o.id)} (${escapeHtml(o.period)}, ${escapeHtml(o.status)})`).join(', ')}</p>` : ''}
${unweighted ? '<p class="muted">Weight —: the objective does not set one; it counts as 1 in the OKR’s progress.</p>' : ''}
${unaligned}
<section><h2>What to do</h2>${findings || '<p>No findings.</p>'}</section>
<script nonce="${n}">
(function () {
  const vscode = acquireVsCodeApi();
  document.addEventListener('click', function (e) {
    const a = e.target instanceof Element ? e.target.closest('a.src') : null;
    if (a) { e.preventDefault(); vscode.postMessage({ type: 'open', uri: a.getAttribute('data-uri'), line: Number(a.getAttribute('data-line')) }); return; }
    const node = e.target instanceof Element ? e.target.closest('g.node') : null;
    if (node) vscode.postMessage({ type: 'openNode', id: node.getAttribute('data-id') });
  });
  const info = document.getElementById('node-info');
  document.addEventListener('mouseover', function (e) {
    const node = e.target instanceof Element ? e.target.closest('g.node') : null;
    const title = node ? node.querySelector('title') : null;
    if (info && title) info.textContent = title.textContent;
  });
  document.querySelectorAll('button[data-format]').forEach(function (b) {
    b.addEventListener('click', function () { vscode.postMessage({ type: 'export', format: b.getAttribute('data-format') }); });
  });
  document.getElementById('rerun').addEventListener('click', function () { vscode.postMessage({ type: 'rerun' }); });
})();
</script>
</body></html>`;
}

/** The single report panel; re-running refreshes it in place. */
export class AlignmentPanel {
  private panel: vscode.WebviewPanel | undefined;
  private report: AlignmentReport | undefined;
  /** The (uri, line) pairs the current report links to: the only ones an "open" message may name. */
  private links = new Set<string>();

  constructor(
    private readonly run: () => Promise<AlignmentReport | undefined>,
    private readonly relPath: (uri: string) => string,
  ) {}

  get isOpen(): boolean {
    return this.panel !== undefined;
  }

  show(report: AlignmentReport): void {
    this.report = report;
    if (!this.panel) {
      // The main editor area: a report is read, not glanced at beside a document.
      this.panel = vscode.window.createWebviewPanel('northstar.alignment', 'Roadmap Alignment', { viewColumn: vscode.ViewColumn.Active, preserveFocus: false }, { enableScripts: true, enableCommandUris: false, localResourceRoots: [], retainContextWhenHidden: false });
      this.panel.onDidDispose(() => (this.panel = undefined));
      this.panel.webview.onDidReceiveMessage((m: unknown) => {
        this.onMessage(parseMessage(m)).catch((e: unknown) => void vscode.window.showErrorMessage(`Northstar: ${e instanceof Error ? e.message : String(e)}`));
      });
    }
    this.panel.title = `Roadmap Alignment — ${report.summary.score === null ? 'n/a' : `${report.summary.score}%`}`;
    const links = new Set<string>();
    this.panel.webview.html = renderHtml(report.summary, this.panel.webview.cspSource, this.relPath, links, report.svg ?? '', report.charts ?? {});
    this.links = links;
    this.panel.reveal(undefined, true);
  }

  private async onMessage(m: ViewMessage | undefined): Promise<void> {
    if (!m) return;
    if (m.type === 'open') {
      // Well-formed is not enough: only a link the report rendered (no other file, no other line).
      if (!this.links.has(linkKey(m.uri, m.line))) return;
      const uri = vscode.Uri.parse(m.uri, true);
      const doc = await vscode.workspace.openTextDocument(uri);
      const pos = new vscode.Position(Math.max(0, m.line - 1), 0);
      await vscode.window.showTextDocument(doc, { selection: new vscode.Range(pos, pos), viewColumn: vscode.ViewColumn.One });
    } else if (m.type === 'openNode') {
      // The view names an ID; where it is defined comes from the map the server sent.
      const node = this.report?.map?.nodes.find((n) => n.id === m.id);
      if (!node?.uri) return;
      const doc = await vscode.workspace.openTextDocument(vscode.Uri.parse(node.uri, true));
      const pos = new vscode.Position(Math.max(0, (node.line ?? 1) - 1), 0);
      await vscode.window.showTextDocument(doc, { selection: new vscode.Range(pos, pos), viewColumn: vscode.ViewColumn.One });
    } else if (m.type === 'export') {
      const r = this.report;
      if (!r) return;
      const e = EXPORTS[m.format];
      const text = m.format === 'html' ? r.html : m.format === 'svg' ? r.svg : r.markdown;
      if (typeof text !== 'string') return;
      const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
      const target = await vscode.window.showSaveDialog({ filters: { [e.filter]: [e.ext] }, ...(folder ? { defaultUri: vscode.Uri.joinPath(folder, `roadmap-alignment.${e.ext}`) } : {}) });
      if (!target) return;
      await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(text));
      const choice = await vscode.window.showInformationMessage(`Northstar: report exported as ${e.label} to ${vscode.workspace.asRelativePath(target)}.`, 'Open');
      if (choice === 'Open') await vscode.commands.executeCommand('vscode.open', target);
    } else if (m.type === 'rerun') {
      const r = await this.run();
      if (r) this.show(r);
    }
  }
}
