/**
 * The feature-flag exports of a workspace (`launchdarkly.ts`): every export read, the flags by
 * key (the first file by URI wins). One store per workspace index (`flagsOf`), like the metric
 * snapshots, so everything that reads the strategy from the index sees the same flags.
 */
import type { WorkspaceIndex } from '../index/workspaceIndex.js';
import { parseFlagExport, type Flag, type FlagFile } from './launchdarkly.js';

/** The data files read as LaunchDarkly exports: `launchdarkly*.json` or `*.launchdarkly.json`. */
export const FLAG_FILE = /(?:^|\/)[^/]*launchdarkly[^/]*\.json$/i;

/** Whether a URI, a path or a file name is a flag export. */
export function isFlagFile(uri: string): boolean {
  const p = uri.replace(/[?#].*$/, '');
  let decoded = p;
  try {
    decoded = decodeURIComponent(p);
  } catch {
    // a name with a bare % is read as written
  }
  return FLAG_FILE.test(decoded);
}

export class FlagStore {
  /** Changes with every file set or removed (caches key on it). */
  generation = 0;
  private readonly files = new Map<string, FlagFile>();
  private byKey: Map<string, Flag & { uri: string }> | undefined;

  set(uri: string, text: string): FlagFile {
    const f = parseFlagExport(uri, text);
    this.files.set(uri, f);
    this.changed();
    return f;
  }

  remove(uri: string): boolean {
    const had = this.files.delete(uri);
    if (had) this.changed();
    return had;
  }

  get(uri: string): FlagFile | undefined {
    return this.files.get(uri);
  }

  uris(): string[] {
    return [...this.files.keys()].sort();
  }

  get size(): number {
    return this.files.size;
  }

  /** A flag by key, with the export it is in. */
  flag(key: string): (Flag & { uri: string }) | undefined {
    if (!this.byKey) {
      const m = new Map<string, Flag & { uri: string }>();
      for (const uri of this.uris()) for (const f of this.files.get(uri)!.flags.values()) if (!m.has(f.key)) m.set(f.key, { ...f, uri });
      this.byKey = m;
    }
    return this.byKey.get(key);
  }

  private changed(): void {
    this.generation++;
    this.byKey = undefined;
  }
}

const stores = new WeakMap<WorkspaceIndex, FlagStore>();

/** The flag store of a workspace index (made on first use). */
export function flagsOf(index: WorkspaceIndex): FlagStore {
  return stores.get(index) ?? stores.set(index, new FlagStore()).get(index)!;
}
