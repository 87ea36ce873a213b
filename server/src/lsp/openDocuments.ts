/**
 * The analyses of open buffers: one per (uri, version), started at most once, awaited by every
 * request and by the publisher. remark runs in a worker and is awaited, so the event loop keeps
 * answering other documents while a large one is parsed; an analysis whose buffer changed again
 * is cancelled (its worker stopped) and the newer version analysed instead.
 */
import type { TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Analysis } from '../core/analysis.js';
import { RegionCache } from '../core/parse/regionCache.js';
import type { NorthstarService } from '../core/service.js';

export class OpenDocuments {
  private readonly pending = new Map<string, { version: number; promise: Promise<Analysis | undefined> }>();
  /** Per open document: its regions' trees, so a keystroke re-reads only the regions it touched. */
  private readonly regions = new Map<string, RegionCache>();

  constructor(
    readonly documents: TextDocuments<TextDocument>,
    private readonly service: NorthstarService,
    private readonly log: (message: string) => void,
  ) {}

  /** The analysis a request works on: the open buffer's current version, else the indexed file. */
  async analysis(uri: string): Promise<Analysis | undefined> {
    for (;;) {
      const doc = this.documents.get(uri);
      if (!doc) return this.service.get(uri);
      const cur = this.service.get(uri);
      if (cur && cur.version === doc.version && cur.text.length === doc.getText().length) return cur;
      // Cancelled or overtaken by a newer version: look again.
      await this.analyse(doc);
    }
  }

  private analyse(doc: TextDocument): Promise<Analysis | undefined> {
    const { uri, version } = doc;
    const p = this.pending.get(uri);
    if (p && p.version === version) return p.promise;
    const current = () => this.documents.get(uri)?.version === version;
    let cache = this.regions.get(uri);
    if (!cache) this.regions.set(uri, (cache = new RegionCache()));
    const promise = this.service.analyzeAsync(uri, doc.getText(), version, () => !current(), cache).then((a) => {
      if (this.pending.get(uri)?.promise === promise) this.pending.delete(uri);
      if (a && current()) this.service.update(a);
      else if (!a) this.log(`analysis of ${uri} (version ${version}) cancelled: the document changed again`);
      return a;
    });
    this.pending.set(uri, { version, promise });
    return promise;
  }

  forget(uri: string): void {
    this.pending.delete(uri);
    this.regions.delete(uri);
  }
}
