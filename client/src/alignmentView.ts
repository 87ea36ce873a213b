/**
 * The alignment report webview: reads like a product review (score, objectives with their key
 * results and features, findings grouped by rule), themed with VS Code's colours. Presentation
 * only — the numbers come from the server. Strict CSP (default-src 'none', one nonced script),
 * every piece of document text escaped, only the messages defined here accepted, no command URIs.
 */
import * as vscode from 'vscode';
import type { AlignmentSummary, SummaryFeature } from '../../server/src/core/alignment/summary.js';
import { currentSourceNote, keyResultChartSvg } from '../../server/src/core/metrics/chart.js';

export type ViewMessage = { type: 'open'; uri: string; line: number } | { type: 'export' } | { type: 'rerun' };

/** Accepts exactly the messages the view defines; anything else is ignored. */
export function parseMessage(m: unknown): ViewMessage | undefined {
  if (!m || typeof m !== 'object') return undefined;
  const o = m as Record<string, unknown>;
  if (o.type === 'open' && typeof o.uri === 'string' && /^(file|untitled|vscode-remote):/.test(o.uri) && typeof o.line === 'number' && Number.isInteger(o.line) && o.line >= 1 && Object.keys(o).length === 3) {
    return { type: 'open', uri: o.uri, line: o.line };
  }
  if ((o.type === 'export' || o.type === 'rerun') && Object.keys(o).length === 1) return { type: o.type };
  return undefined;
}

export function escapeHtml(s: unknown): string {
  return String(s ?? '')
    .replace(/[\u202A-\u202E\u2066-\u2069]/g, '')
    .replace(/[&<>"'`=\/]/g, (c) => `&#${c.charCodeAt(0)};`);
}

const pct = (p: number | undefined) => (p === undefined ? 'n/a' : `${Math.round(p * 100)}%`);

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

/** The report's HTML. Every link it renders is added to `links` (see linkKey). */
export function renderHtml(s: AlignmentSummary, cspSource: string, relPath: (uri: string) => string, links: Set<string> = new Set()): string {
  const n = nonce();
  const link = (label: string, uri: string, line: number): string => {
    const l = Number(line) || 1;
    links.add(linkKey(uri, l));
    return `<a href="#" class="src" data-uri="${escapeHtml(uri)}" data-line="${l}">${escapeHtml(label)}</a>`;
  };
  const feats = (list: SummaryFeature[]) =>
    list.length ? list.map((f) => `${link(f.id, f.uri, f.line)}${f.effort !== undefined ? ` <span class="muted">${escapeHtml(f.effort)} pm</span>` : ''}`).join(', ') : '<span class="warn">no planned feature</span>';
  const score = s.score === null ? 'n/a' : `${s.score}%`;
  const basis = s.basis === 'effort' ? `${escapeHtml(s.alignedEffort)} of ${escapeHtml(s.plannedEffort)} person-months of planned effort` : `${escapeHtml(s.aligned)} of ${escapeHtml(s.planned)} planned features`;
  const okrs = s.okrs
    .map(
      (o) => `<section class="okr"><h2>${link(o.id, o.uri, o.line)} <span class="muted">${escapeHtml(o.title)}</span></h2>
      <p class="muted">${escapeHtml(o.period)} · ${escapeHtml(o.status)} · progress ${bar(o.progress)}</p>
      ${o.objectives
        .map(
          (ob) => `<div class="objective"><h3>${link(ob.id, ob.uri, ob.line)} ${escapeHtml(ob.title)}</h3>
          <p class="muted">progress ${bar(ob.progress)}${ob.weight !== 1 ? ` · weight ${escapeHtml(ob.weight)}` : ''}</p>
          <table><thead><tr><th>Key result</th><th>KPI</th><th>Baseline → current → target</th><th>Progress</th><th>Features</th><th>Effort</th></tr></thead><tbody>
          ${ob.keyResults
            .map(
              (kr) => `<tr class="${kr.covered ? 'covered' : 'uncovered'}"><td>${link(kr.id, kr.uri, kr.line)} ${escapeHtml(kr.title)}</td><td>${escapeHtml(kr.kpi ?? '—')}${kr.kpiTitle ? `<br><span class="muted">${escapeHtml(kr.kpiTitle)}</span>` : ''}</td>
              <td>${escapeHtml(kr.baseline ?? '?')} → ${escapeHtml(kr.current ?? '?')}${escapeHtml(currentSourceNote(kr.data))} → ${escapeHtml(kr.target ?? '?')}</td><td>${bar(kr.progress)}</td><td>${feats(kr.features)}</td><td>${escapeHtml(kr.effort || '—')}</td></tr>${kr.data ? `<tr class="kr-chart"><td colspan="6">${keyResultChartSvg(kr.id, kr.data, kr.title) ?? ''}</td></tr>` : ''}`,
            )
            .join('')}
          </tbody></table></div>`,
        )
        .join('')}</section>`,
    )
    .join('');
  const codes = [...new Set(s.findings.map((f) => f.code))];
  const findings = codes
    .map((code) => {
      const list = s.findings.filter((f) => f.code === code);
      return `<details open class="rule"><summary><code>${escapeHtml(code)}</code> <span class="muted">(${list.length})</span></summary><ul>${list
        .map((f) => `<li class="${f.severity === 'error' ? 'error' : 'warning'}"><span class="sev">${f.severity === 'error' ? 'error' : 'warning'}</span> ${link(`${relPath(f.uri)}:${f.line}`, f.uri, f.line)} — ${escapeHtml(f.message)}</li>`)
        .join('')}</ul></details>`;
    })
    .join('');
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
</style></head>
<body>
<header>
  <div><p class="score" id="score">${escapeHtml(score)}</p><p class="muted">alignment score — ${basis} serve a key result of a current OKR</p></div>
  <div class="muted">as of ${escapeHtml(s.asOf)} · ${escapeHtml(s.planned)} planned features, ${escapeHtml(s.aligned)} aligned · ${escapeHtml(s.findings.length)} findings</div>
  <div><button id="rerun">Re-run</button> <button id="export">Export as Markdown</button></div>
</header>
${s.okrs.length ? okrs : `<p class="warn">No OKR document is current as of ${escapeHtml(s.asOf)}.</p>`}
${s.otherOkrs.length ? `<p class="muted">Not current: ${s.otherOkrs.map((o) => `${escapeHtml(o.id)} (${escapeHtml(o.period)}, ${escapeHtml(o.status)})`).join(', ')}</p>` : ''}
${unaligned}
<section><h2>Findings</h2>${findings || '<p>No findings.</p>'}</section>
<script nonce="${n}">
(function () {
  const vscode = acquireVsCodeApi();
  document.addEventListener('click', function (e) {
    const a = e.target instanceof Element ? e.target.closest('a.src') : null;
    if (a) { e.preventDefault(); vscode.postMessage({ type: 'open', uri: a.getAttribute('data-uri'), line: Number(a.getAttribute('data-line')) }); }
  });
  document.getElementById('export').addEventListener('click', function () { vscode.postMessage({ type: 'export' }); });
  document.getElementById('rerun').addEventListener('click', function () { vscode.postMessage({ type: 'rerun' }); });
})();
</script>
</body></html>`;
}

/** The single report panel; re-running refreshes it in place. */
export class AlignmentPanel {
  private panel: vscode.WebviewPanel | undefined;
  private markdown = '';
  /** The (uri, line) pairs the current report links to: the only ones an "open" message may name. */
  private links = new Set<string>();

  constructor(
    private readonly run: () => Promise<{ summary: AlignmentSummary; markdown: string } | undefined>,
    private readonly relPath: (uri: string) => string,
  ) {}

  get isOpen(): boolean {
    return this.panel !== undefined;
  }

  show(report: { summary: AlignmentSummary; markdown: string }): void {
    this.markdown = report.markdown;
    if (!this.panel) {
      this.panel = vscode.window.createWebviewPanel('northstar.alignment', 'Roadmap Alignment', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: false }, { enableScripts: true, enableCommandUris: false, localResourceRoots: [], retainContextWhenHidden: false });
      this.panel.onDidDispose(() => (this.panel = undefined));
      this.panel.webview.onDidReceiveMessage((m: unknown) => {
        this.onMessage(parseMessage(m)).catch((e: unknown) => void vscode.window.showErrorMessage(`Northstar: ${e instanceof Error ? e.message : String(e)}`));
      });
    }
    this.panel.title = `Roadmap Alignment — ${report.summary.score === null ? 'n/a' : `${report.summary.score}%`}`;
    const links = new Set<string>();
    this.panel.webview.html = renderHtml(report.summary, this.panel.webview.cspSource, this.relPath, links);
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
    } else if (m.type === 'export') {
      const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
      const target = await vscode.window.showSaveDialog({ filters: { Markdown: ['md'] }, ...(folder ? { defaultUri: vscode.Uri.joinPath(folder, 'roadmap-alignment.md') } : {}) });
      if (!target) return;
      await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(this.markdown));
      void vscode.window.showInformationMessage(`Northstar: report exported to ${vscode.workspace.asRelativePath(target)}.`);
    } else if (m.type === 'rerun') {
      const r = await this.run();
      if (r) this.show(r);
    }
  }
}
