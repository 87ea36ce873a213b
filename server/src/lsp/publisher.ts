/**
 * Publishes diagnostics: an open document after a debounce that adapts to its cost, every
 * published document when the set of defined IDs changes, and closed files once the alignment
 * check has shown their findings. Until the workspace is indexed, only a document's own
 * findings are published (what needs the workspace would be wrong).
 */
import type { Connection } from 'vscode-languageserver/node';
import type { Analysis } from '../core/analysis.js';
import type { NorthstarService } from '../core/service.js';
import { toLspDiagnostic } from './convert.js';
import type { OpenDocuments } from './openDocuments.js';

const DEBOUNCE_MS = 150;

export class Publisher {
  /** Closed files whose findings are shown since the alignment check ran. */
  readonly published = new Set<string>();
  indexed = false;
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** How long the last analysis of each document took: the debounce adapts to it. */
  private readonly lastCost = new Map<string, number>();

  constructor(
    private readonly connection: Connection,
    private readonly open: OpenDocuments,
    private readonly service: NorthstarService,
  ) {}

  async publish(uri: string): Promise<void> {
    const a = await this.open.analysis(uri);
    if (!a) {
      if (this.published.delete(uri)) void this.connection.sendDiagnostics({ uri, diagnostics: [] });
      return;
    }
    const found = this.indexed ? this.service.diagnostics(uri) : a.diagnostics;
    const linesOf = (u: string) => this.service.get(u)?.lines;
    const diagnostics = found.map((d) => toLspDiagnostic(d, a.lines, linesOf));
    const isOpen = this.open.documents.get(uri) !== undefined;
    void this.connection.sendDiagnostics({ uri, ...(isOpen && a.version !== undefined ? { version: a.version } : {}), diagnostics });
  }

  /** After the index changed, workspace diagnostics of other documents may have changed too. */
  publishAll(): void {
    const uris = new Set([...this.open.documents.all().map((d) => d.uri), ...this.published]);
    for (const uri of uris) this.guarded(`publish ${uri}`, this.publish(uri));
  }

  /** An open document changed: analyse and publish it after a pause in typing. */
  schedule(uri: string): void {
    this.cancel(uri);
    // Cheap documents are analysed almost at once; expensive ones wait for a pause in typing.
    const delay = Math.min(DEBOUNCE_MS, Math.max(10, 2 * (this.lastCost.get(uri) ?? 0)));
    this.timers.set(
      uri,
      setTimeout(() => {
        this.timers.delete(uri);
        this.guarded(`analyse ${uri}`, this.analyseAndPublish(uri));
      }, delay),
    );
  }

  cancel(uri: string): void {
    const t = this.timers.get(uri);
    if (t) clearTimeout(t);
    this.timers.delete(uri);
  }

  private async analyseAndPublish(uri: string): Promise<void> {
    const before = definedIdsKey(this.service.get(uri));
    const started = performance.now();
    const a = await this.open.analysis(uri);
    if (!a) return;
    void a.diagnostics;
    this.lastCost.set(uri, performance.now() - started);
    if (definedIdsKey(a) !== before) this.publishAll();
    else await this.publish(uri);
  }

  private guarded(what: string, p: Promise<void>): void {
    p.catch((e: unknown) => this.connection.console.error(`${what} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`));
  }
}

function definedIdsKey(a: Analysis | undefined): string {
  if (!a) return '';
  return [a.model.docId?.id ?? '', ...a.model.entities.map((e) => e.id)].join(',');
}
