/**
 * `northstar check --changed REF`: what a pull request touches. The changed files are those of
 * `git diff --name-only REF...HEAD` plus the working tree's staged, unstaged and untracked changes.
 * Reported: every finding in a changed file, and in any other file the findings that name an ID
 * the change touched — an ID defined or referenced in a changed file, before (at the merge base
 * of REF and HEAD) or after — so a KPI removed in one PRD shows up where another still cites it.
 */
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import type { Analysis } from '../core/analysis.js';
import type { Diagnostic } from '../core/diagnostics.js';

export class GitError extends Error {}

function git(cwd: string, args: string[]): string {
  try {
    return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
  } catch (e) {
    const err = e as NodeJS.ErrnoException & { stderr?: string };
    if (err.code === 'ENOENT') throw new GitError('--changed needs git, and git is not installed (or not on PATH)');
    throw new GitError(String(err.stderr ?? err.message).trim().split('\n')[0] ?? 'git failed');
  }
}

export interface ChangedSet {
  /** The repository's top folder. */
  readonly top: string;
  /** Absolute paths of the changed files (deleted ones included). */
  readonly files: ReadonlySet<string>;
  /** The merge base of REF and HEAD (where the "before" versions come from). */
  readonly base: string;
}

/** The files changed since `ref` in the repository holding `cwd`; throws GitError with a message for people. */
export function changedFiles(cwd: string, ref: string): ChangedSet {
  let top: string;
  try {
    top = git(cwd, ['rev-parse', '--show-toplevel']).trim();
  } catch (e) {
    if (e instanceof GitError && /not installed/.test(e.message)) throw e;
    throw new GitError(`--changed: ${cwd} is not in a git repository`);
  }
  if (ref.startsWith('-')) throw new GitError(`--changed: "${ref}" is not a git revision`);
  try {
    git(top, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
  } catch {
    throw new GitError(`--changed: "${ref}" is not a commit, branch or tag of this repository (fetch it first, e.g. git fetch origin ${ref.replace(/^origin\//, '')})`);
  }
  let base: string;
  try {
    base = git(top, ['merge-base', ref, 'HEAD']).trim();
  } catch {
    throw new GitError(`--changed: "${ref}" and HEAD have no common ancestor (a shallow clone? fetch with more depth)`);
  }
  const lines = [
    ...git(top, ['diff', '--name-only', '-z', `${ref}...HEAD`]).split('\0'),
    ...git(top, ['diff', '--name-only', '-z', 'HEAD']).split('\0'),
    ...git(top, ['ls-files', '--others', '--exclude-standard', '-z']).split('\0'),
  ];
  const files = new Set<string>();
  for (const l of lines) if (l) files.add(path.join(top, l));
  return { top, files, base };
}

/** The text of a file at a commit, or undefined if it did not exist there. */
export function textAt(top: string, commit: string, file: string): string | undefined {
  const rel = path.relative(top, file).split(path.sep).join('/');
  try {
    return execFileSync('git', ['show', `${commit}:${rel}`], { cwd: top, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 64 * 1024 * 1024 });
  } catch {
    return undefined;
  }
}

/** Every ID a document defines or mentions. */
export function idsOf(a: Analysis): string[] {
  return [...a.model.entities.map((e) => e.id), ...(a.model.docId ? [a.model.docId.id] : []), ...a.model.references.map((r) => r.id)];
}

/** Whether a finding of a file the change did not touch names one of the touched IDs. */
export function mentionsTouched(text: string, d: Diagnostic, touched: ReadonlySet<string>): boolean {
  if (!touched.size) return false;
  const covered = text.slice(d.span.start, d.span.end);
  const words = `${d.message} ${covered}`.match(/[A-Za-z][A-Za-z0-9]*(?:[-_.][A-Za-z0-9]+)+/g) ?? [];
  return words.some((w) => touched.has(w));
}
