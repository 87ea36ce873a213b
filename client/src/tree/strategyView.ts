/**
 * The Northstar view in the activity bar: renders the tree the server answers
 * (`northstar/strategyTree`, built by core/features/tree.ts) — no domain logic here. Icons map
 * the server's meaning (a verdict, a covered key result) to codicons; a click opens the ID's
 * line; the tree reloads, debounced, when diagnostics, documents, Markdown or metric (CSV) files change; the
 * filters are quick picks over the values the server lists.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { StrategyTree, TreeFilter, TreeIcon, TreeNode, TreeTarget } from '../../../server/src/core/features/tree.js';
import { send, StrategyTreeRequest } from '../protocol.js';

export const VIEW_ID = 'northstar.strategy';

const ICONS: Record<TreeIcon, [string, string?]> = {
  okrs: ['target'],
  okr: ['milestone', 'charts.blue'],
  'okr-other': ['history', 'disabledForeground'],
  objective: ['flag'],
  'kr-covered': ['graph-line', 'charts.blue'],
  'kr-uncovered': ['warning', 'list.warningForeground'],
  'kr-achieved': ['pass', 'testing.iconPassed'],
  roadmap: ['calendar'],
  period: ['calendar'],
  'unaligned-group': ['debug-disconnect', 'list.warningForeground'],
  'uncovered-group': ['circle-large-outline', 'list.warningForeground'],
  info: ['info'],
  aligned: ['pass-filled', 'testing.iconPassed'],
  late: ['clock', 'list.warningForeground'],
  unaligned: ['warning', 'list.warningForeground'],
  'no-kpi': ['circle-slash', 'list.warningForeground'],
  'must-unaligned': ['error', 'list.errorForeground'],
  'must-no-kpi': ['error', 'list.errorForeground'],
  'not-planned': ['circle-outline', 'disabledForeground'],
};

const FILTER_LABEL: Record<keyof TreeFilter, string> = { owner: 'Owner', period: 'Period', stage: 'Product stage' };

export class StrategyView implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private tree: StrategyTree | undefined;
  private error: string | undefined;
  private filter: TreeFilter;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private seq = 0;
  private readonly view: vscode.TreeView<TreeNode>;
  private readonly disposables: vscode.Disposable[] = [];
  /** Resolves after each load (tests and the walkthrough wait on it). */
  private loaded: Promise<void> = Promise.resolve();

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly client: () => LanguageClient | undefined,
  ) {
    this.filter = context.workspaceState.get<TreeFilter>('northstar.view.filter') ?? {};
    this.view = vscode.window.createTreeView(VIEW_ID, { treeDataProvider: this, showCollapseAll: true });
    const md = (d: vscode.TextDocument) => d.languageId === 'markdown';
    const watcher = vscode.workspace.createFileSystemWatcher('**/*.{md,markdown,csv}');
    this.disposables.push(
      this.view,
      this.changed,
      watcher,
      watcher.onDidCreate(() => this.schedule()),
      watcher.onDidDelete(() => this.schedule()),
      watcher.onDidChange(() => this.schedule()),
      vscode.languages.onDidChangeDiagnostics(() => this.schedule()),
      vscode.workspace.onDidChangeTextDocument((e) => md(e.document) && e.contentChanges.length && this.schedule(1000)),
      vscode.workspace.onDidSaveTextDocument((d) => md(d) && this.schedule()),
      vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration('northstar') && this.schedule()),
      this.view.onDidChangeVisibility((e) => e.visible && this.schedule(0)),
      vscode.commands.registerCommand('northstar.view.refresh', () => this.reload()),
      vscode.commands.registerCommand('northstar.view.open', (target: TreeTarget) => openTarget(target)),
      vscode.commands.registerCommand('northstar.view.filter', () => this.pickFilter()),
      vscode.commands.registerCommand('northstar.view.filterOwner', () => this.pickValue('owner')),
      vscode.commands.registerCommand('northstar.view.filterPeriod', () => this.pickValue('period')),
      vscode.commands.registerCommand('northstar.view.filterStage', () => this.pickValue('stage')),
      vscode.commands.registerCommand('northstar.view.clearFilter', () => this.setFilter({})),
    );
    this.showFilter();
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const d of this.disposables) d.dispose();
  }

  /** Loads the tree again after a quiet moment (many changes, one request). */
  schedule(ms = 400): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.reload();
    }, ms);
  }

  /** Asks the server for the tree now; answers it (undefined when the server is not running). */
  reload(): Promise<StrategyTree | undefined> {
    const mine = ++this.seq;
    const run = (async () => {
      const client = this.client();
      if (!client?.isRunning()) {
        this.tree = undefined;
        this.error = undefined;
        this.view.message = 'Waiting for the Northstar language server…';
        return undefined;
      }
      try {
        const tree = await send(client, StrategyTreeRequest, this.filter);
        if (mine !== this.seq) return tree;
        // The same tree again (most changes do not touch the strategy): nothing to redraw.
        const same = !this.error && this.tree !== undefined && JSON.stringify(this.tree) === JSON.stringify(tree);
        this.tree = tree;
        this.error = undefined;
        this.view.message = tree.counts.documents ? undefined : 'No brief, PRD or OKR document in this workspace yet. Create a sample workspace or a new document from the view’s title bar.';
        void vscode.commands.executeCommand('setContext', 'northstar.hasSpecDocuments', tree.counts.documents > 0);
        if (!same) this.changed.fire(undefined);
        return tree;
      } catch (e) {
        if (mine !== this.seq) return undefined;
        this.error = e instanceof Error ? e.message : String(e);
        this.view.message = `Northstar could not build the view: ${this.error}`;
        this.changed.fire(undefined);
        return undefined;
      }
    })();
    this.loaded = run.then(() => undefined);
    return run;
  }

  /** The tree as last loaded (for tests). */
  get current(): StrategyTree | undefined {
    return this.tree;
  }

  whenLoaded(): Promise<void> {
    return this.loaded;
  }

  getChildren(node?: TreeNode): TreeNode[] {
    if (!node) {
      // No folder: the view's welcome content (Open Folder, Create Sample Workspace) shows instead.
      if (!vscode.workspace.workspaceFolders?.length) return [];
      if (!this.tree && !this.error) this.schedule(0);
      return [...(this.tree?.roots ?? [])];
    }
    return [...(node.children ?? [])];
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    const state = node.children?.length
      ? node.expanded
        ? vscode.TreeItemCollapsibleState.Expanded
        : vscode.TreeItemCollapsibleState.Collapsed
      : vscode.TreeItemCollapsibleState.None;
    const item = new vscode.TreeItem(node.label, state);
    item.id = node.key;
    if (node.description) item.description = node.description;
    // Plain text: document text never becomes Markdown here.
    if (node.tooltip) item.tooltip = node.tooltip;
    const [icon, color] = ICONS[node.icon] ?? ['circle-outline'];
    item.iconPath = new vscode.ThemeIcon(icon, color ? new vscode.ThemeColor(color) : undefined);
    item.contextValue = node.kind;
    if (node.target) {
      item.command = { command: 'northstar.view.open', title: 'Open', arguments: [node.target] };
      item.resourceUri = undefined;
    }
    item.accessibilityInformation = { label: [node.label, node.description].filter(Boolean).join(', ') };
    return item;
  }

  getParent(): undefined {
    return undefined;
  }

  private async setFilter(filter: TreeFilter): Promise<void> {
    this.filter = filter;
    await this.context.workspaceState.update('northstar.view.filter', filter);
    this.showFilter();
    await this.reload();
  }

  private showFilter(): void {
    const parts = (Object.keys(FILTER_LABEL) as (keyof TreeFilter)[]).filter((k) => this.filter[k]).map((k) => `${FILTER_LABEL[k].toLowerCase()}: ${this.filter[k]}`);
    this.view.description = parts.length ? parts.join(' · ') : undefined;
    void vscode.commands.executeCommand('setContext', 'northstar.view.filtered', parts.length > 0);
  }

  private async pickFilter(): Promise<void> {
    const tree = this.tree ?? (await this.reload());
    const keys = Object.keys(FILTER_LABEL) as (keyof TreeFilter)[];
    const items: (vscode.QuickPickItem & { key?: keyof TreeFilter })[] = keys.map((k) => ({
      key: k,
      label: FILTER_LABEL[k],
      description: this.filter[k] ? `now: ${this.filter[k]}` : `${(tree ? valuesOf(tree, k) : []).length} values`,
    }));
    if (Object.values(this.filter).some(Boolean)) items.push({ label: 'Clear all filters' });
    const pick = await vscode.window.showQuickPick(items, { title: 'Northstar: filter the view by' });
    if (!pick) return;
    if (!pick.key) return this.setFilter({});
    return this.pickValue(pick.key);
  }

  private async pickValue(key: keyof TreeFilter): Promise<void> {
    const tree = this.tree ?? (await this.reload());
    const values = tree ? valuesOf(tree, key) : [];
    const any = `Any ${FILTER_LABEL[key].toLowerCase()}`;
    const items: vscode.QuickPickItem[] = [{ label: any }, ...values.map((v) => ({ label: v, ...(this.filter[key] === v ? { description: 'current' } : {}) }))];
    const pick = await vscode.window.showQuickPick(items, {
      title: `Northstar: filter by ${FILTER_LABEL[key].toLowerCase()}`,
      placeHolder: values.length ? undefined : `No document in this workspace names a ${FILTER_LABEL[key].toLowerCase()}`,
    });
    if (!pick) return;
    const next: TreeFilter = { ...this.filter };
    if (pick.label === any) delete (next as Record<string, unknown>)[key];
    else (next as Record<string, unknown>)[key] = pick.label;
    return this.setFilter(next);
  }
}

function valuesOf(tree: StrategyTree, key: keyof TreeFilter): readonly string[] {
  return key === 'owner' ? tree.filters.owners : key === 'period' ? tree.filters.periods : tree.filters.stages;
}

/** Opens a document with the cursor on an ID (what a click on a node does). */
async function openTarget(target: TreeTarget): Promise<void> {
  if (!target?.uri) return;
  const pos = new vscode.Position(target.line, target.character);
  await vscode.window.showTextDocument(vscode.Uri.parse(target.uri), { selection: new vscode.Range(pos, pos), preview: false });
}
