/**
 * Publishes diagnostics: an open document as soon as it changed (one analysis at a time per
 * document: changes made while it runs are analysed together right after it); the whole
 * workspace's problems once it is indexed (unless `northstar.problems` is `openFiles`), or the
 * closed files the alignment check showed; and again every published document, debounced and in
 * the background, when an edit changes what others report (the IDs a document defines or its
 * relationships). Until the workspace is indexed, only a document's own findings are published
 * (what needs the workspace would be wrong).
 */
import type { Connection } from 'vscode-languageserver/node';
import type { Analysis } from '../core/analysis.js';
import type { NorthstarService } from '../core/service.js';
import { toLspDiagnostic } from './convert.js';
import type { OpenDocuments } from './openDocuments.js';

/**
 * How long a change waits before its analysis starts: only enough to take the changes of one
 * burst together. Typing is not debounced by time: while a document's analysis runs, further
 * changes wait for it and are then analysed at once, in their newest version (a keystroke costs
 * what its incremental analysis costs, and a slow analysis never queues up versions).
 */
const DEBOUNCE_MS = 5;
/** How long after an edit that affects other documents they are published again. */
const DEPENDENTS_DEBOUNCE_MS = 300;
/** Documents published between two turns of the event loop when publishing everything. */
const PUBLISH_BATCH = 25;

export class Publisher {
  /** Closed files whose findings are shown since the alignment check ran. */
  readonly published = new Set<string>();
  indexed = false;
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** Open documents being analysed and published now; those changed meanwhile are in `again`. */
  private readonly running = new Set<string>();
  private readonly again = new Set<string>();
  /** The analysis each open document was last published with. */
  private readonly seen = new Map<string, Analysis>();
  /** Per document edited since the last check of its dependents: what it was before those edits. */
  private readonly unchecked = new Map<string, Analysis | undefined>();

  constructor(
    private readonly connection: Connection,
    private readonly open: OpenDocuments,
    private readonly service: NorthstarService,
  ) {}

  async publish(uri: string): Promise<void> {
    // A metric snapshot (CSV): its rows' findings, at their lines.
    const data = this.service.get(uri) ? undefined : this.service.dataFile(uri);
    if (data) {
      const found = this.indexed ? this.service.diagnostics(uri) : [];
      void this.connection.sendDiagnostics({ uri, diagnostics: found.map((d) => toLspDiagnostic(d, data.lines, (u) => this.service.linesOf(u))) });
      return;
    }
    const a = await this.open.analysis(uri);
    if (!a) {
      if (this.published.delete(uri)) void this.connection.sendDiagnostics({ uri, diagnostics: [] });
      return;
    }
    const found = this.indexed ? this.service.diagnostics(uri) : a.diagnostics;
    const linesOf = (u: string) => this.service.linesOf(u);
    const diagnostics = found.map((d) => toLspDiagnostic(d, a.lines, linesOf));
    const isOpen = this.open.documents.get(uri) !== undefined;
    void this.connection.sendDiagnostics({ uri, ...(isOpen && a.version !== undefined ? { version: a.version } : {}), diagnostics });
  }

  private allRunning = false;
  private allAgain = false;
  private dependents: NodeJS.Timeout | undefined;

  /**
   * After the index changed, workspace diagnostics of other documents may have changed too: every
   * open and published document is published again, in batches that let requests through; a
   * request for this while it runs makes it run once more at the end.
   */
  publishAll(): void {
    if (this.allRunning) {
      this.allAgain = true;
      return;
    }
    this.allRunning = true;
    this.guarded('publish all', this.runAll());
  }

  private async runAll(): Promise<void> {
    try {
      do {
        this.allAgain = false;
        const uris = [...new Set([...this.open.documents.all().map((d) => d.uri), ...this.published])];
        for (let i = 0; i < uris.length; i++) {
          await this.publish(uris[i]!).catch((e: unknown) => this.connection.console.error(`publish ${uris[i]} failed: ${e instanceof Error ? e.message : String(e)}`));
          if (i % PUBLISH_BATCH === PUBLISH_BATCH - 1) await new Promise((r) => setImmediate(r));
        }
      } while (this.allAgain);
    } finally {
      this.allRunning = false;
    }
  }

  /** Publishes every document again after a pause (edits that change what others report). */
  publishDependents(): void {
    if (this.dependents) clearTimeout(this.dependents);
    this.dependents = setTimeout(() => {
      this.dependents = undefined;
      this.publishAll();
    }, DEPENDENTS_DEBOUNCE_MS);
  }

  /**
   * After a pause in editing: whether the edits since the last check changed what other documents
   * report (the IDs a document defines, its relationships); if so, every document is published
   * again. Compared once per pause, not per keystroke: the comparison reads the whole document.
   */
  private checkDependents(): void {
    if (this.dependents) clearTimeout(this.dependents);
    this.dependents = setTimeout(() => {
      this.dependents = undefined;
      let affected = false;
      for (const [uri, before] of this.unchecked) {
        const after = this.seen.get(uri);
        if (!after || this.service.affectsOthers(before, after)) affected = true;
        if (affected) break;
      }
      this.unchecked.clear();
      if (affected) this.publishAll();
    }, DEPENDENTS_DEBOUNCE_MS);
  }

  /** Closed files' problems are shown too: every document with something to report. */
  showWorkspace(uris: readonly string[]): void {
    for (const uri of uris) this.published.add(uri);
  }

  /** Back to open files only: the closed files' problems are cleared. */
  showOpenFilesOnly(): void {
    for (const uri of this.published) if (!this.open.documents.get(uri)) void this.connection.sendDiagnostics({ uri, diagnostics: [] });
    this.published.clear();
  }

  /** An open document changed: analyse and publish it now, or right after the analysis running for it. */
  schedule(uri: string): void {
    if (this.running.has(uri)) {
      this.again.add(uri);
      return;
    }
    if (this.timers.has(uri)) return;
    this.timers.set(
      uri,
      setTimeout(() => {
        this.timers.delete(uri);
        this.run(uri);
      }, DEBOUNCE_MS),
    );
  }

  /** The document closed: nothing more is published for it from its buffer. */
  cancel(uri: string): void {
    this.seen.delete(uri);
    this.unchecked.delete(uri);
    this.again.delete(uri);
    const t = this.timers.get(uri);
    if (t) clearTimeout(t);
    this.timers.delete(uri);
  }

  private run(uri: string): void {
    this.running.add(uri);
    this.guarded(
      `analyse ${uri}`,
      this.analyseAndPublish(uri).finally(() => {
        this.running.delete(uri);
        // Changed while it ran: the newest version now (its analysis may already be done).
        if (this.again.delete(uri) && this.open.documents.get(uri)) this.run(uri);
      }),
    );
  }

  private async analyseAndPublish(uri: string): Promise<void> {
    const a = await this.open.analysis(uri);
    if (!a) return;
    void a.diagnostics;
    if (!this.unchecked.has(uri)) this.unchecked.set(uri, this.seen.get(uri));
    this.seen.set(uri, a);
    await this.publish(uri);
    this.checkDependents();
  }

  private guarded(what: string, p: Promise<void>): void {
    p.catch((e: unknown) => this.connection.console.error(`${what} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`));
  }
}
