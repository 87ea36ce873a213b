/**
 * Which files of a workspace folder Northstar reads: `northstar.include` / `northstar.exclude`
 * globs, VS Code's `files.exclude`, and the folder's .gitignore.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import picomatch from 'picomatch';
import ignore from 'ignore';

export interface FilterSettings {
  readonly include?: readonly string[];
  readonly exclude?: readonly string[];
  /** VS Code's `files.exclude`: glob -> true/false. */
  readonly filesExclude?: Readonly<Record<string, boolean | unknown>>;
  readonly useGitignore?: boolean;
}

/** A predicate on paths relative to `root` (with `/` separators); folders are only excluded, never required to match `include`. */
export function makeFileFilter(root: string, s: FilterSettings): (rel: string, isDir: boolean) => boolean {
  const opts = { dot: true };
  const include = s.include?.length ? picomatch([...s.include], opts) : undefined;
  const excludeGlobs = [...(s.exclude ?? []), ...Object.entries(s.filesExclude ?? {}).filter(([, v]) => v === true).map(([k]) => k)];
  const exclude = excludeGlobs.length ? picomatch(excludeGlobs, opts) : undefined;
  let git: ReturnType<typeof ignore> | undefined;
  if (s.useGitignore !== false) {
    try {
      const text = fs.readFileSync(path.join(root, '.gitignore'), 'utf8');
      git = ignore().add(text);
    } catch {
      git = undefined;
    }
  }
  return (rel: string, isDir: boolean) => {
    const r = rel.split(path.sep).join('/');
    if (exclude && exclude(r)) return false;
    if (git && git.ignores(isDir ? `${r}/` : r)) return false;
    if (!isDir && include && !include(r)) return false;
    return true;
  };
}
