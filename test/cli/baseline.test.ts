/**
 * `northstar check --write-baseline FILE` / `--baseline FILE [--update]`: today's findings are
 * recorded; from then on only new ones are reported and fail the run, moved lines and reworded
 * surroundings do not make a finding new, and fixed ones are counted. Run as a real process.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ROOT } from '../helpers.js';

function run(args: string[], cwd: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'dist', 'cli.cjs'), ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const AS_OF = ['--as-of', '2026-11-23', '--no-config'];

test('baseline: record, then only new findings fail; moved lines stay known; fixed ones are counted; --update records again', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'northstar-baseline-'));
  try {
    fs.cpSync(path.join(ROOT, 'examples'), path.join(dir, 'examples'), { recursive: true });
    const full = run(['check', 'examples', ...AS_OF], dir);
    assert.equal(full.status, 1, 'the examples have deliberate mistakes');
    const total = Number(/(\d+) errors?/.exec(full.stdout)![1]) + Number(/(\d+) warnings?/.exec(full.stdout)![1]);

    const write = run(['check', 'examples', ...AS_OF, '--write-baseline', '.northstar/baseline.json'], dir);
    assert.equal(write.status, 0, write.stderr);
    assert.match(write.stderr, /recorded \d+ findings? in the baseline \.northstar\/baseline\.json/);
    const baseline = JSON.parse(fs.readFileSync(path.join(dir, '.northstar', 'baseline.json'), 'utf8')) as { version: number; tool: string; findings: { fingerprint: string; code: string; path: string }[] };
    assert.equal(baseline.tool, 'northstar');
    assert.ok(baseline.findings.length >= total, `${baseline.findings.length} entries for ${total} errors and warnings`);
    assert.ok(baseline.findings.every((f) => /^[0-9a-f]{24}$/.test(f.fingerprint) && f.path.startsWith('../examples/')));

    // Nothing new: exit 0, nothing listed, the known ones counted.
    const same = run(['check', 'examples', ...AS_OF, '--baseline', '.northstar/baseline.json'], dir);
    assert.equal(same.status, 0, same.stdout);
    assert.match(same.stdout, /^0 errors, 0 warnings/m);
    assert.match(same.stdout, /Baseline \.northstar\/baseline\.json: 0 new findings, \d+ known \(not shown\), 0 fixed since the baseline\./);

    // Lines moved (a paragraph inserted near the top, another further down): still nothing new.
    const prd = path.join(dir, 'examples', 'prds', 'saved-cards.prd.md');
    const text = fs.readFileSync(prd, 'utf8');
    const firstSection = text.indexOf('\n## ');
    const moved = `${text.slice(0, firstSection)}\n\nA new paragraph\nover two lines.\n${text.slice(firstSection)}`.replace('\n## Success metrics', '\n\nAnother paragraph.\n\n## Success metrics');
    fs.writeFileSync(prd, moved);
    const after = run(['check', 'examples', ...AS_OF, '--baseline', '.northstar/baseline.json'], dir);
    assert.equal(after.status, 0, after.stdout);
    assert.match(after.stdout, /0 new findings/);

    // A new mistake: reported alone, exit 1.
    fs.writeFileSync(prd, moved.replace('\n## Success metrics', '\nSee KPI-not-there-at-all.\n\n## Success metrics'));
    const fresh = run(['check', 'examples', ...AS_OF, '--baseline', '.northstar/baseline.json'], dir);
    assert.equal(fresh.status, 1);
    const listed = fresh.stdout.split('\n').filter((l) => /^\S+:\d+:\d+  /.test(l));
    assert.equal(listed.length, 1, fresh.stdout);
    assert.match(listed[0]!, /saved-cards\.prd\.md:\d+:\d+  error  KPI-not-there-at-all is not defined/);
    assert.match(fresh.stdout, /1 new finding, \d+ known/);
    // The same in the other formats: json lists only the new one, github annotates only it.
    const json = JSON.parse(run(['check', 'examples', ...AS_OF, '--baseline', '.northstar/baseline.json', '--format', 'json'], dir).stdout) as { files: { diagnostics: unknown[] }[] };
    assert.equal(json.files.reduce((n, f) => n + f.diagnostics.length, 0), 1);
    const gh = run(['check', 'examples', ...AS_OF, '--baseline', '.northstar/baseline.json', '--format', 'github'], dir).stdout;
    assert.equal(gh.split('\n').filter((l) => l.startsWith('::')).length, 1, gh);

    // A known mistake fixed (the misspelt ownr key): counted as fixed.
    const recovery = path.join(dir, 'examples', 'prds', 'payment-recovery.prd.md');
    fs.writeFileSync(recovery, fs.readFileSync(recovery, 'utf8').replace(/^ownr:/m, 'owner:'));
    const fixed = run(['check', 'examples', ...AS_OF, '--baseline', '.northstar/baseline.json'], dir);
    assert.match(fixed.stdout, /1 new finding, \d+ known \(not shown\), [1-9]\d* fixed since the baseline \(run with --update to record that\)/);

    // --update records today's findings: the new one is known from now on.
    assert.equal(run(['check', 'examples', ...AS_OF, '--baseline', '.northstar/baseline.json', '--update'], dir).status, 0);
    const updated = run(['check', 'examples', ...AS_OF, '--baseline', '.northstar/baseline.json'], dir);
    assert.equal(updated.status, 0, updated.stdout);
    assert.match(updated.stdout, /0 new findings, \d+ known \(not shown\), 0 fixed/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('baseline: the same finding twice needs two entries; a baseline survives a run from another folder', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'northstar-baseline-'));
  try {
    fs.cpSync(path.join(ROOT, 'test', 'fixtures', 'workspaces', 'clean'), dir, { recursive: true });
    const prd = path.join(dir, 'checkout.prd.md');
    const once = fs.readFileSync(prd, 'utf8').replace('## Release plan', 'Cites KPI-gone.\n\n## Release plan');
    fs.writeFileSync(prd, once);
    assert.equal(run(['check', ...AS_OF, '--write-baseline', 'baseline.json'], dir).status, 0);
    fs.writeFileSync(prd, once.replace('## Release plan', 'Cites KPI-gone.\n\n## Release plan'));
    const twice = run(['check', ...AS_OF, '--baseline', 'baseline.json'], dir);
    assert.equal(twice.status, 1);
    assert.match(twice.stdout, /1 new finding, 1 known/);
    // From the parent folder, paths resolve against the baseline file's folder, not the working directory.
    const parent = path.dirname(dir);
    const rel = path.basename(dir);
    const fromAbove = run(['check', rel, ...AS_OF, '--baseline', path.join(rel, 'baseline.json')], parent);
    assert.match(fromAbove.stdout, /1 new finding, 1 known/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('baseline: a missing, broken or foreign baseline file is exit 2 with a message; bad combinations are usage errors', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'northstar-baseline-'));
  try {
    fs.cpSync(path.join(ROOT, 'test', 'fixtures', 'workspaces', 'clean'), dir, { recursive: true });
    const missing = run(['check', ...AS_OF, '--baseline', 'nope.json'], dir);
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /no baseline file at .*nope\.json \(create one with --write-baseline/);
    fs.writeFileSync(path.join(dir, 'broken.json'), '{"tool": "northstar", "findings": [');
    assert.match(run(['check', ...AS_OF, '--baseline', 'broken.json'], dir).stderr, /broken\.json is not valid JSON/);
    fs.writeFileSync(path.join(dir, 'other.json'), '{"version": 1, "results": []}');
    assert.match(run(['check', ...AS_OF, '--baseline', 'other.json'], dir).stderr, /is not a Northstar baseline/);
    const usage = run(['report', '--baseline', 'x.json'], dir);
    assert.equal(usage.status, 2);
    assert.match(usage.stderr, /--baseline is an option of check/);
    assert.match(run(['check', '--update'], dir).stderr, /--update goes with --baseline/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
