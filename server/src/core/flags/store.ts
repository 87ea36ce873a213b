/**
 * The feature-flag exports of a workspace (`launchdarkly.ts`): every export read, the flags by
 * key (the first file by URI wins). One store per workspace index (`flagsOf`), like the metric
 * snapshots, so everything that reads the strategy from the index sees the same flags.
 */
import type { WorkspaceIndex } from '../index/workspaceIndex.js';
import { DataFileStore, storePerIndex } from '../data/fileStore.js';
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

export class FlagStore extends DataFileStore<FlagFile> {
  private byKey: Map<string, Flag & { uri: string }> | undefined;

  protected parse(uri: string, text: string): FlagFile {
    return parseFlagExport(uri, text);
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

  protected override changed(): void {
    super.changed();
    this.byKey = undefined;
  }
}

/** The flag store of a workspace index (made on first use). */
export const flagsOf: (index: WorkspaceIndex) => FlagStore = storePerIndex(() => new FlagStore());
