/**
 * The workspace behind `northstar mcp`: one NorthstarService over every Markdown file under the
 * root (the files `northstar check` reads there), kept in step with the disk.
 *
 * Following changes: before each tool call the root is listed again and every Markdown file is
 * stat'ed (size, mtime, ctime, inode); a file whose stamp changed is read and analysed again, a new
 * one is added, a gone one removed. Listing and stat'ing costs ~45 ms per 1,000 files when nothing
 * changed (measured here), and the next call always sees what is on disk — no watcher events to
 * wait for or lose (fs.watch drops events under load, hits inotify limits and does not work on
 * every file system). The first sync is the initial index; it starts with the server.
 *
 * Syncs run one after another. A sync stops between files when its call is cancelled; the files
 * it did not reach keep their old stamp, so the next sync does them.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { NorthstarService } from '../core/service.js';
import { fileUri, findMarkdownFiles, findMetricFiles, readMarkdownFile } from '../node/host.js';

export interface SyncOptions {
  readonly signal?: AbortSignal;
  /** Files analysed so far of those that changed (called after each one). */
  readonly progress?: (done: number, total: number) => void;
}

export class CancelledError extends Error {
  constructor() {
    super('cancelled');
    this.name = 'AbortError';
  }
}

function stampOf(file: string): string | undefined {
  try {
    const st = fs.statSync(file);
    return `${st.size}:${st.mtimeMs}:${st.ctimeMs}:${st.ino}`;
  } catch {
    return undefined;
  }
}

export class McpWorkspace {
  /** Which files the root's config file lets in (its include/exclude); set by main.ts before the server starts. */
  static fileFilter: ((root: string, rel: string, isDir: boolean) => boolean) | undefined;
  private readonly stamps = new Map<string, string>();
  /** Globs of metric snapshots besides CSV files under metrics/ folders (the config file's `metrics`). */
  static metricGlobs: readonly string[] = [];
  private readonly dataStamps = new Map<string, string>();
  private readonly skippedFiles = new Map<string, string>();
  private readonly paths = new Map<string, string>();
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly root: string,
    readonly service: NorthstarService,
  ) {}

  /** A file's path as `northstar check` run in the root prints it (relative, `/` separators). */
  relative(file: string): string {
    return path.relative(this.root, file).split(path.sep).join('/') || path.basename(file);
  }

  /** The path of an indexed document's URI; other URIs as they are. */
  pathOf = (uri: string): string => this.paths.get(uri) ?? uri;

  /** Files that could not be read (binary, not UTF-8, too large), as `check` lists them. */
  skipped(): { path: string; reason: string }[] {
    return [...this.skippedFiles].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([file, reason]) => ({ path: this.relative(file), reason }));
  }

  /**
   * Brings the index up to date with the disk (queued after any sync still running). A cancelled
   * call stops waiting at once, even while an earlier sync (the initial index) is still running.
   */
  sync(options: SyncOptions = {}): Promise<void> {
    const next = this.queue.then(() => this.sweep(options));
    this.queue = next.catch(() => undefined);
    const signal = options.signal;
    if (!signal) return next;
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => reject(new CancelledError());
      if (signal.aborted) return onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
      next.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
    });
  }

  /** Metric snapshots (CSV files under metrics/ folders): read again when their stamp changed, forgotten when gone. */
  private syncMetrics(): void {
    const files = findMetricFiles([this.root], McpWorkspace.metricGlobs);
    const present = new Set(files);
    for (const file of [...this.dataStamps.keys()]) {
      if (present.has(file)) continue;
      this.service.removeDataFile(fileUri(file));
      this.dataStamps.delete(file);
    }
    for (const file of files) {
      const stamp = stampOf(file);
      if (stamp === undefined || this.dataStamps.get(file) === stamp) continue;
      const uri = fileUri(file);
      this.paths.set(uri, this.relative(file));
      const r = readMarkdownFile(file);
      if (r.text === undefined) this.service.removeDataFile(uri);
      else this.service.setDataFile(uri, r.text);
      this.dataStamps.set(file, stamp);
    }
  }

  private async sweep({ signal, progress }: SyncOptions): Promise<void> {
    const check = () => {
      if (signal?.aborted) throw new CancelledError();
    };
    check();
    this.syncMetrics();
    const files = findMarkdownFiles([this.root], McpWorkspace.fileFilter);
    const present = new Set(files);
    for (const file of [...this.stamps.keys()]) {
      if (present.has(file)) continue;
      this.service.remove(fileUri(file));
      this.stamps.delete(file);
      this.skippedFiles.delete(file);
    }
    const changed: { file: string; stamp: string }[] = [];
    for (const file of files) {
      const stamp = stampOf(file);
      if (stamp === undefined) continue;
      if (this.stamps.get(file) !== stamp) changed.push({ file, stamp });
    }
    let done = 0;
    for (const { file, stamp } of changed) {
      check();
      const uri = fileUri(file);
      this.paths.set(uri, this.relative(file));
      const r = readMarkdownFile(file);
      if (r.text === undefined) {
        this.service.remove(uri);
        this.skippedFiles.set(file, r.skipped ?? 'unreadable');
      } else {
        const a = await this.service.analyzeAsync(uri, r.text, undefined, () => signal?.aborted === true);
        check();
        if (!a) continue;
        this.service.update(a);
        this.skippedFiles.delete(file);
      }
      this.stamps.set(file, stamp);
      progress?.(++done, changed.length);
      // Let the cancellation of this call (and other messages) in between every two files.
      await new Promise((r) => setImmediate(r));
    }
  }
}
