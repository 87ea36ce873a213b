/**
 * `northstar check --changed REF`: the files a branch changed (committed since the merge base,
 * staged, unstaged, untracked) and the findings those changes cause in other files; a missing git,
 * a folder outside a repository or a bad REF is exit 2 with a message. Run in a scratch repository.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ROOT } from '../helpers.js';

const CLI = path.join(ROOT, 'dist', 'cli.cjs');

function run(args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: { ...env, NO_COLOR: '1' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function git(cwd: string, ...args: string[]): string {
  const r = spawnSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@e', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@e' } });
  assert.equal(r.status, 0, `git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

const hasGit = spawnSync('git', ['--version']).status === 0;
const OPTS = ['--as-of', '2026-11-23', '--no-config'];
const listed = (out: string) => out.split('\n').filter((l) => /^\S+:\d+:\d+  /.test(l));

/** The clean workspace, plus an old PRD with a mistake nobody touches, committed on main. */
function scratchRepo(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'northstar-changed-'));
  fs.cpSync(path.join(ROOT, 'test', 'fixtures', 'workspaces', 'clean'), dir, { recursive: true });
  const old = fs.readFileSync(path.join(dir, 'checkout.prd.md'), 'utf8').replace(/clean/g, 'old').replace('## Release plan', 'Old note: KPI-legacy-metric.\n\n## Release plan');
  fs.mkdirSync(path.join(dir, 'archive'));
  fs.writeFileSync(path.join(dir, 'archive', 'old.prd.md'), old);
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'add', '.');
  git(dir, 'commit', '-q', '-m', 'base');
  git(dir, 'checkout', '-q', '-b', 'feature');
  return dir;
}

test('changed: only the changed files and the findings they cause elsewhere', { skip: !hasGit && 'git is not installed' }, () => {
  const dir = scratchRepo();
  try {
    const all = run(['check', ...OPTS], dir);
    assert.match(all.stdout, /archive\/old\.prd\.md:\d+:\d+  error  KPI-legacy-metric is not defined/, 'the old mistake is there in a full check');

    // Nothing changed: nothing reported, even the old mistake.
    const none = run(['check', ...OPTS, '--changed', 'main'], dir);
    assert.equal(none.status, 0, none.stdout);
    assert.deepEqual(listed(none.stdout), []);
    assert.match(none.stdout, /Changed since main: 0 Markdown files/);

    // A commit on the branch renames a KPI in the brief: the PRD and the OKR (unchanged) now cite
    // an ID that is gone — those findings are the change's; the archive's old mistake is not.
    const brief = path.join(dir, 'brief.brief.md');
    fs.writeFileSync(brief, fs.readFileSync(brief, 'utf8').replace('KPI-clean-conversion', 'KPI-clean-checkout-rate'));
    git(dir, 'commit', '-q', '-am', 'rename a KPI');
    const r = run(['check', ...OPTS, '--changed', 'main'], dir);
    assert.equal(r.status, 1, r.stdout);
    const lines = listed(r.stdout);
    assert.ok(lines.some((l) => /^checkout\.prd\.md:\d+:\d+  error  KPI-clean-conversion is not defined/.test(l)), r.stdout);
    assert.ok(lines.some((l) => /^q4\.okr\.md:\d+:\d+  error  KPI-clean-conversion is not defined/.test(l)), r.stdout);
    assert.ok(!lines.some((l) => l.startsWith('archive/')), r.stdout);
    assert.match(r.stdout, /Changed since main: 1 Markdown file;/);

    // An untracked new file and an unstaged edit count as changed too.
    fs.writeFileSync(path.join(dir, 'notes.prd.md'), '---\ntype: prd\nid: PRD-notes\n---\n\n# Notes\n');
    const untracked = run(['check', ...OPTS, '--changed', 'main', '--format', 'json'], dir);
    const files = (JSON.parse(untracked.stdout) as { files: { path: string; diagnostics: unknown[] }[] }).files.filter((f) => f.diagnostics.length).map((f) => f.path);
    assert.ok(files.includes('notes.prd.md'), files.join(', '));
    assert.ok(!files.includes('archive/old.prd.md'), files.join(', '));
    fs.rmSync(path.join(dir, 'notes.prd.md'));
    const archived = path.join(dir, 'archive', 'old.prd.md');
    fs.writeFileSync(archived, fs.readFileSync(archived, 'utf8').replace('Too many steps.', 'Too many steps, still.'));
    assert.match(run(['check', ...OPTS, '--changed', 'main'], dir).stdout, /archive\/old\.prd\.md:\d+:\d+  error  KPI-legacy-metric/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('changed: a file deleted on the branch reports where its IDs are still cited', { skip: !hasGit && 'git is not installed' }, () => {
  const dir = scratchRepo();
  try {
    git(dir, 'rm', '-q', 'q4.okr.md');
    git(dir, 'commit', '-q', '-m', 'drop the OKRs');
    const r = run(['check', ...OPTS, '--changed', 'main'], dir);
    // The PRD still lists OKR-clean-2026Q4 in its front matter.
    assert.ok(listed(r.stdout).some((l) => /^checkout\.prd\.md:\d+:\d+  \w+  .*OKR-clean-2026Q4/.test(l)), r.stdout);
    assert.ok(!listed(r.stdout).some((l) => l.startsWith('archive/')), r.stdout);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('changed: bad ref, no repository, no git: exit 2 with a message', { skip: !hasGit && 'git is not installed' }, () => {
  const dir = scratchRepo();
  const plain = fs.mkdtempSync(path.join(os.tmpdir(), 'northstar-nogit-'));
  try {
    const bad = run(['check', ...OPTS, '--changed', 'no-such-branch'], dir);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /--changed: "no-such-branch" is not a commit, branch or tag of this repository/);
    const option = run(['check', ...OPTS, '--changed', '--output=x'], dir);
    assert.equal(option.status, 2);
    fs.cpSync(path.join(ROOT, 'test', 'fixtures', 'workspaces', 'clean'), plain, { recursive: true });
    const outside = run(['check', ...OPTS, '--changed', 'main'], plain, { ...process.env, GIT_CEILING_DIRECTORIES: path.dirname(plain) });
    assert.equal(outside.status, 2);
    assert.match(outside.stderr, /is not in a git repository/);
    const noGit = run(['check', ...OPTS, '--changed', 'main'], dir, { ...process.env, PATH: path.join(plain, 'no-bin') });
    assert.equal(noGit.status, 2);
    assert.match(noGit.stderr, /--changed needs git, and git is not installed/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(plain, { recursive: true, force: true });
  }
});
