/**
 * The workspace on disk: indexes every Markdown file of the workspace folders at start (through
 * the persistent model cache), and follows files created, changed and deleted outside the editor.
 * An open buffer always wins over its file on disk.
 */
import { fileURLToPath } from 'node:url';
import { FileChangeType, type Connection, type FileEvent } from 'vscode-languageserver/node';
import type { Analysis } from '../core/analysis.js';
import type { DocumentModel } from '../core/model/types.js';
import type { NorthstarService } from '../core/service.js';
import { findMarkdownFiles, findMetricFiles, fileUri, isMarkdownPath, packageVersion, readMarkdownFile } from '../node/host.js';
import { ModelCache, analyzeThroughCache, entryHash } from '../node/modelCache.js';
import { indexPass, type IndexPassOptions } from '../core/index/indexPass.js';
import { knownKeys } from '../core/model/read/knownKeys.js';
import type { Configuration } from './configuration.js';
import type { OpenDocuments } from './openDocuments.js';

/** How many files are analysed at once in the background (remark runs in a pool of two workers meanwhile). */
const CONCURRENCY = 2;
/** Files read by the index-only pass between two turns of the event loop. */
const INDEX_BATCH = 25;

export class Indexer {
  /** The persistent model cache (initializationOptions.cacheDir). */
  cacheDir: string | undefined;
  private cache: ModelCache | undefined;
  private readonly seenHashes = new Set<string>();

  constructor(
    private readonly connection: Connection,
    private readonly open: OpenDocuments,
    private readonly service: NorthstarService,
    private readonly config: Configuration,
    private readonly schemasDir: string,
  ) {}

  /** Models from other schemas are of no use: the next start rebuilds the cache under a new key. */
  dropCache(): void {
    this.cache = undefined;
  }

  /**
   * The cold index, in two passes. Pass 1 reads every file not yet indexed with the index-only
   * pass (core/index/indexPass.ts: definitions, references, front matter; no remark, no rules) —
   * or, for a text the cache has seen, takes the index part of its cached model (a warm start
   * decodes no full model here) — and logs "indexed N Markdown files": from then on workspace
   * symbols, definition, hover and completion answer across the workspace. Pass 2 analyses those
   * files fully (or decodes their cached models) in the background, a few at a time and yielding
   * to requests between files, replacing each index-only entry (files already indexed are read
   * again and analysed, as a changed config needs); it ends with "analysed N Markdown files".
   * Resolves after pass 2: what is reported (workspace diagnostics, the alignment check) waits for it.
   */
  async indexWorkspace(): Promise<number> {
    const started = Date.now();
    if (this.cacheDir) {
      this.cache = new ModelCache(this.cacheDir, ModelCache.keyOf(packageVersion(this.schemasDir), this.service.registry.schemas, this.config.readingKey));
      const r = this.cache.load();
      if (r.problem) this.connection.console.log(`model cache not used (${r.problem}); rebuilding it`);
    }
    const files = findMarkdownFiles(this.config.folders, this.config.fileFilter());
    const registry = this.service.registry;
    const options = { resolveSections: (t: Parameters<typeof registry.resolveSection>[0], n: string) => registry.resolveSection(t, n), knownKey: knownKeys(registry), ...(this.service.options.reading ? { reading: this.service.options.reading } : {}) };
    /** Pass 2's work: the files whose entry is the index-only pass's, and those indexed before this run (read again). */
    const later: { file: string; reread: boolean }[] = [];
    for (let i = 0; i < files.length; i++) {
      const file = files[i]!;
      const uri = fileUri(file);
      if (this.service.index.get(uri) && !this.service.index.isIndexOnly(uri)) later.push({ file, reread: true });
      else if (this.indexOnly(file, uri, options)) later.push({ file, reread: false });
      if (i % INDEX_BATCH === INDEX_BATCH - 1) await new Promise((r) => setImmediate(r));
    }
    this.connection.console.log(`indexed ${files.length} Markdown files in ${Date.now() - started} ms${this.cache ? ' (with the model cache)' : ''}`);
    const data = this.loadMetrics();
    if (data) this.connection.console.log(`read ${data} metric snapshot${data === 1 ? '' : 's'}`);

    const analysing = Date.now();
    let next = 0;
    const lane = async () => {
      while (next < later.length) {
        const { file, reread } = later[next++]!;
        await (reread ? this.load(file) : this.analyseFully(file));
        // Lower priority than requests: one turn of the event loop between files.
        await new Promise((r) => setImmediate(r));
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, lane));
    this.cache?.save(this.seenHashes);
    this.connection.console.log(`analysed ${later.length} Markdown files in ${Date.now() - analysing} ms after the index (${Date.now() - started} ms in all)`);
    return files.length;
  }

  /**
   * Pass 1 for one file: an index-only entry, from the index part of its cached model
   * (modelCache.ts `getIndexOnly`) or from the index-only pass. Answers whether the file still
   * needs pass 2 (its cached model, or the full analysis). Never throws.
   */
  private indexOnly(file: string, uri: string, options: IndexPassOptions): boolean {
    try {
      if (this.open.documents.get(uri)) return false; // an open buffer always wins over the file on disk
      const r = readMarkdownFile(file);
      if (r.text === undefined) {
        this.service.remove(uri);
        if (r.skipped) this.connection.console.log(`skipped ${file}: ${r.skipped}`);
        return false;
      }
      const text = r.text;
      // A text seen before: the index part of its cached model (cheap to decode; the model itself is
      // decoded in pass 2); else the index-only pass.
      let model: DocumentModel | undefined;
      if (this.cache) {
        const h = entryHash(uri, text);
        this.seenHashes.add(h);
        model = this.cache.getIndexOnly(h, uri);
      }
      this.service.index.set(this.service.fromModel(uri, text, model ?? indexPass(uri, text, options).model), true);
      return true;
    } catch (e) {
      this.connection.console.error(`index ${file} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      return true;
    }
  }

  /**
   * Pass 2 for one file: the full analysis of the text pass 1 read, or its cached model. An entry
   * replaced meanwhile (the file changed, was opened, or new schemas analysed it) is left as it is;
   * one that is gone (the pass could not read the file) is read again. Never rejects.
   */
  private async analyseFully(file: string): Promise<void> {
    const uri = fileUri(file);
    const entry = this.service.index.get(uri);
    if (!entry) return this.load(file);
    if (!this.service.index.isIndexOnly(uri)) return;
    try {
      if (this.open.documents.get(uri)) return;
      const a = await analyzeThroughCache(this.cache, uri, entry.text, (u, t) => this.service.analyzeAsync(u, t), (u, t, m) => this.service.fromModel(u, t, m), this.seenHashes);
      if (a && this.service.index.get(uri) === entry && !this.open.documents.get(uri)) this.service.update(a);
    } catch (e) {
      this.connection.console.error(`analyse ${file} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    }
  }

  /**
   * Reads every metric snapshot of the workspace folders (CSV files under `metrics/` folders and
   * the `northstar.metrics.files` / config file globs), and forgets those that are no longer one.
   */
  loadMetrics(): number {
    const found = new Set<string>();
    for (const folder of this.config.folders) for (const f of findMetricFiles([folder], this.config.metricGlobs(folder))) found.add(f);
    const uris = new Set([...found].map((f) => fileUri(f)));
    for (const uri of this.service.dataFileUris()) if (!uris.has(uri)) this.service.removeDataFile(uri);
    for (const f of found) this.loadData(f);
    return found.size;
  }

  /** Reads a metric snapshot into the service (an unreadable one leaves it). Never throws. */
  loadData(file: string): void {
    const uri = fileUri(file);
    try {
      const r = readMarkdownFile(file);
      if (r.text === undefined) {
        this.service.removeDataFile(uri);
        if (r.skipped) this.connection.console.log(`skipped ${file}: ${r.skipped}`);
        return;
      }
      if (this.service.dataFile(uri)?.text !== r.text) this.service.setDataFile(uri, r.text);
    } catch (e) {
      this.connection.console.error(`read ${file} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    }
  }

  /** Reads a file into the index (unless it is open); a file that cannot be read leaves it. Never rejects. */
  async load(file: string): Promise<void> {
    const uri = fileUri(file);
    try {
      if (this.open.documents.get(uri)) return; // an open buffer always wins over the file on disk
      const r = readMarkdownFile(file);
      if (r.text === undefined) {
        this.service.remove(uri);
        if (r.skipped) this.connection.console.log(`skipped ${file}: ${r.skipped}`);
        return;
      }
      const text = r.text;
      const a: Analysis | undefined = await analyzeThroughCache(this.cache, uri, text, (u, t) => this.service.analyzeAsync(u, t), (u, t, m) => this.service.fromModel(u, t, m), this.seenHashes);
      if (a && !this.open.documents.get(uri)) this.service.update(a);
    } catch (e) {
      this.connection.console.error(`index ${file} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    }
  }

  /** Files changed outside the editor. */
  async changed(changes: readonly FileEvent[]): Promise<void> {
    for (const c of changes) {
      if (!c.uri.startsWith('file:') || this.open.documents.get(c.uri)) continue;
      const file = fileURLToPath(c.uri);
      if (c.type === FileChangeType.Deleted) {
        // A deleted folder arrives as one event for the folder.
        const prefix = c.uri.endsWith('/') ? c.uri : `${c.uri}/`;
        for (const uri of [...this.service.index.uris()]) if (uri === c.uri || uri.startsWith(prefix)) this.service.remove(uri);
        for (const uri of this.service.dataFileUris()) if (uri === c.uri || uri.startsWith(prefix)) this.service.removeDataFile(uri);
      } else if (this.config.isMetricFile(file)) {
        this.loadData(file);
      } else if (isMarkdownPath(file) && this.config.accepted(file)) {
        await this.load(file);
      }
    }
  }

  /** A closed buffer: its file on disk takes its place again. */
  async closed(uri: string): Promise<void> {
    if (uri.startsWith('file:')) await this.load(fileURLToPath(uri));
    else this.service.remove(uri);
  }
}

