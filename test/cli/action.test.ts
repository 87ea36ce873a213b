/**
 * The GitHub Action (action.yml) and the pre-commit hooks (.pre-commit-hooks.yaml), tested the way
 * one can offline: the YAML parses and has the declared shape, and the commands they run work on
 * a fixture workspace with the built CLI (node dist/cli.cjs) — annotations as workflow commands,
 * the alignment report appended to $GITHUB_STEP_SUMMARY, fail-on, baseline and changed inputs.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse } from 'yaml';
import { ROOT } from '../helpers.js';

const CLI = path.join(ROOT, 'dist', 'cli.cjs');
const hasBash = spawnSync('bash', ['--version']).status === 0;
const hasGit = spawnSync('git', ['--version']).status === 0;

interface Action {
  name: string;
  inputs: Record<string, { description: string; default?: string }>;
  runs: { using: string; steps: { uses?: string; run?: string; shell?: string; env?: Record<string, string>; with?: Record<string, string> }[] };
}

const action = parse(fs.readFileSync(path.join(ROOT, 'action.yml'), 'utf8')) as Action;
const checkStep = action.runs.steps.find((s) => s.run)!;

function workspace(broken: boolean): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'northstar-action-'));
  fs.cpSync(path.join(ROOT, 'test', 'fixtures', 'workspaces', 'clean'), dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'northstar.config.json'), '{ "asOf": "2026-11-23" }\n');
  if (broken) {
    const prd = path.join(dir, 'checkout.prd.md');
    fs.writeFileSync(prd, fs.readFileSync(prd, 'utf8').replace('- kpi: KPI-clean-repeat', '- kpi: KPI-clean-repaet'));
  }
  return dir;
}

/** Runs the action's check step as GitHub would: its env with the inputs (defaults unless given), bash. */
function runStep(cwd: string, inputs: Record<string, string>, env: Record<string, string> = {}) {
  const stepEnv: Record<string, string> = {};
  for (const [k, v] of Object.entries(checkStep.env ?? {})) {
    const m = /^\$\{\{ inputs\.([a-z-]+) \}\}$/.exec(v);
    assert.ok(m, `step env ${k} comes from an input`);
    stepEnv[k] = inputs[m[1]!] ?? action.inputs[m[1]!]!.default ?? '';
  }
  return spawnSync('bash', ['-c', checkStep.run!], { cwd, encoding: 'utf8', env: { PATH: process.env.PATH ?? '', HOME: os.tmpdir(), NO_COLOR: '1', NORTHSTAR_CLI: `${process.execPath} ${CLI}`, ...stepEnv, ...env } });
}

test('action.yml: a composite action with setup-node and the declared inputs', () => {
  assert.equal(action.runs.using, 'composite');
  assert.ok(action.runs.steps.some((s) => s.uses?.startsWith('actions/setup-node@')), 'sets up Node');
  for (const input of ['path', 'baseline', 'changed', 'base-ref', 'fail-on']) assert.ok(action.inputs[input]?.description, `input ${input}`);
  assert.equal(checkStep.shell, 'bash');
  assert.match(checkStep.run!, /npx --yes northstar@/);
  assert.match(checkStep.run!, /check --format github/);
});

test('action: annotations for the pull request, the alignment report in the job summary, exit by fail-on', { skip: !hasBash && 'bash is not installed' }, () => {
  const dir = workspace(true);
  try {
    const summary = path.join(dir, 'summary.md');
    fs.writeFileSync(summary, '# Earlier step\n\n');
    const r = runStep(dir, {}, { GITHUB_STEP_SUMMARY: summary, GITHUB_EVENT_NAME: 'push' });
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stdout, /^::error file=checkout\.prd\.md,line=\d+,col=\d+,endLine=\d+,endColumn=\d+,title=Northstar unresolved-reference::KPI-clean-repaet is not defined/m);
    const written = fs.readFileSync(summary, 'utf8');
    assert.ok(written.startsWith('# Earlier step\n\n'), 'appends, never replaces');
    assert.match(written, /KPI-clean-conversion|FEAT-clean-one-tap/, 'the alignment report names the workspace entities');
    assert.ok(written.length > 200, written);
    // fail-on never: the annotations still come, the job does not fail.
    const never = runStep(dir, { 'fail-on': 'never' }, { GITHUB_EVENT_NAME: 'push' });
    assert.equal(never.status, 0, never.stderr);
    assert.match(never.stdout, /^::error /m);
    // summary false: nothing written.
    const before = fs.readFileSync(summary, 'utf8');
    runStep(dir, { summary: 'false' }, { GITHUB_STEP_SUMMARY: summary, GITHUB_EVENT_NAME: 'push' });
    assert.equal(fs.readFileSync(summary, 'utf8'), before);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('action: fail-on warning, path, and a baseline input', { skip: !hasBash && 'bash is not installed' }, () => {
  const dir = workspace(false);
  try {
    const prd = path.join(dir, 'checkout.prd.md');
    // The only planned work for a key result's KPI dropped: the key result is not covered, a warning.
    fs.writeFileSync(prd, fs.readFileSync(prd, 'utf8').replace('- priority: should', '- priority: wont'));
    assert.equal(runStep(dir, {}, { GITHUB_EVENT_NAME: 'push' }).status, 0);
    const warn = runStep(dir, { 'fail-on': 'warning' }, { GITHUB_EVENT_NAME: 'push' });
    assert.equal(warn.status, 1, warn.stdout);
    assert.match(warn.stdout, /^::warning file=q4\.okr\.md,.*title=Northstar kr-not-covered::/m);
    // A baseline recorded today: the same warning is known, the job passes even on fail-on warning.
    assert.equal(spawnSync(process.execPath, [CLI, 'check', '--write-baseline', 'baseline.json'], { cwd: dir }).status, 0);
    const known = runStep(dir, { 'fail-on': 'warning', baseline: 'baseline.json' }, { GITHUB_EVENT_NAME: 'push' });
    assert.equal(known.status, 0, known.stdout);
    assert.doesNotMatch(known.stdout, /^::warning/m);
    // path: a folder with no spec documents is clean.
    fs.mkdirSync(path.join(dir, 'empty'));
    fs.writeFileSync(path.join(dir, 'empty', 'README.md'), '# Nothing\n');
    assert.equal(runStep(dir, { path: 'empty', 'fail-on': 'warning' }, { GITHUB_EVENT_NAME: 'push' }).status, 0);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('action: on a pull request only what it changes is checked (changed: auto, base-ref)', { skip: (!hasBash || !hasGit) && 'bash or git is not installed' }, () => {
  const dir = workspace(true);
  const env = { GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@e', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@e' };
  const git = (...args: string[]) => assert.equal(spawnSync('git', args, { cwd: dir, env: { ...process.env, ...env } }).status, 0, args.join(' '));
  try {
    git('init', '-q', '-b', 'main');
    git('add', '.');
    git('commit', '-q', '-m', 'base with a known mistake');
    git('checkout', '-q', '-b', 'feature');
    fs.writeFileSync(path.join(dir, 'other.md'), '# Unrelated notes\n');
    git('add', '.');
    git('commit', '-q', '-m', 'unrelated change');
    const pr = runStep(dir, { 'base-ref': 'main' }, { GITHUB_EVENT_NAME: 'pull_request', GITHUB_BASE_REF: 'main' });
    assert.equal(pr.status, 0, pr.stdout + pr.stderr);
    assert.doesNotMatch(pr.stdout, /^::error/m);
    assert.match(pr.stdout, /Changed since main/);
    // The same branch checked whole (a push): the old mistake is reported.
    assert.equal(runStep(dir, {}, { GITHUB_EVENT_NAME: 'push' }).status, 1);
    // A bad base ref is a clear failure (exit 2), not a silent pass.
    const bad = runStep(dir, { changed: 'true', 'base-ref': 'origin/nowhere' }, { GITHUB_EVENT_NAME: 'push' });
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /"origin\/nowhere" is not a commit/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('.pre-commit-hooks.yaml: northstar-check runs `northstar check` on the workspace', { skip: !hasGit && 'git is not installed' }, () => {
  const hooks = parse(fs.readFileSync(path.join(ROOT, '.pre-commit-hooks.yaml'), 'utf8')) as { id: string; entry: string; language: string; files: string; pass_filenames: boolean }[];
  assert.ok(Array.isArray(hooks));
  const ids = hooks.map((h) => h.id);
  assert.ok(ids.includes('northstar-check'), ids.join(', '));
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string> };
  for (const hook of hooks) {
    assert.equal(hook.language, 'node');
    assert.ok(new RegExp(hook.files).test('docs/prds/x.prd.md'));
    assert.ok(!new RegExp(hook.files).test('src/index.ts'));
    const [bin, ...args] = hook.entry.split(/\s+/);
    assert.ok(pkg.bin[bin!], `${bin} is a bin of the package`);
    for (const broken of [false, true]) {
      const dir = workspace(broken);
      try {
        for (const a of [['init', '-q', '-b', 'main'], ['add', '.'], ['-c', 'user.name=t', '-c', 'user.email=t@e', 'commit', '-q', '-m', 'base']]) spawnSync('git', a, { cwd: dir });
        if (broken) fs.appendFileSync(path.join(dir, 'checkout.prd.md'), '\nAlso KPI-clean-nothing.\n');
        const r = spawnSync(process.execPath, [path.join(ROOT, pkg.bin[bin!]!), ...args], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
        assert.equal(r.status, broken ? 1 : 0, `${hook.id} (${broken ? 'broken' : 'clean'}): ${r.stdout}${r.stderr}`);
        if (broken) assert.match(r.stdout, /checkout\.prd\.md:\d+:\d+  error  KPI-clean-nothing is not defined/);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    }
  }
});
