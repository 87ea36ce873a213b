/**
 * What the workspace's data files have in common (metric snapshots, feature-flag exports): the
 * files read by URI, listed in URI order, and a generation that changes with every file set or
 * removed, so that caches derived from them (and the strategy) know when to drop. A subclass
 * parses the text and forgets what it derived in `changed()`.
 */
import type { WorkspaceIndex } from '../index/workspaceIndex.js';

export abstract class DataFileStore<F> {
  /** Changes with every file set or removed and every option change (caches key on it). */
  generation = 0;
  protected readonly files = new Map<string, F>();

  /** Reads a data file's text; never throws (problems are part of the result). */
  protected abstract parse(uri: string, text: string): F;

  /** Reads (or reads again) a data file. */
  set(uri: string, text: string): F {
    const f = this.parse(uri, text);
    this.files.set(uri, f);
    this.changed();
    return f;
  }

  remove(uri: string): boolean {
    const had = this.files.delete(uri);
    if (had) this.changed();
    return had;
  }

  get(uri: string): F | undefined {
    return this.files.get(uri);
  }

  uris(): string[] {
    return [...this.files.keys()].sort();
  }

  get size(): number {
    return this.files.size;
  }

  /** Something derived from the files is stale: bump the generation and drop it. */
  protected changed(): void {
    this.generation++;
  }
}

/** One store of a kind per workspace index, made on first use. */
export function storePerIndex<S>(make: () => S): (index: WorkspaceIndex) => S {
  const stores = new WeakMap<WorkspaceIndex, S>();
  return (index) => stores.get(index) ?? stores.set(index, make()).get(index)!;
}
