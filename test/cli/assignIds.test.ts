/** `northstar assign-ids PATH… [--write]`, run as a real process on a copy of the fixtures. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FIXTURES, ROOT } from '../helpers.js';

function run(args: string[], cwd: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'dist', 'cli.cjs'), ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('assign-ids prints the changes and writes nothing; with --write it writes the IDs', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'northstar-assign-'));
  try {
    const src = path.join(FIXTURES, 'findings', 'assign');
    for (const f of fs.readdirSync(src).filter((x) => x.endsWith('.md'))) fs.copyFileSync(path.join(src, f), path.join(dir, f));
    const before = fs.readFileSync(path.join(dir, 'headings.prd.md'), 'utf8');

    const dry = run(['assign-ids', '.'], dir);
    assert.equal(dry.status, 0, dry.stderr);
    assert.match(dry.stdout, /^headings\.prd\.md: 2 IDs to write$/m);
    assert.match(dry.stdout, /^ {2}- ### FR-002: Filters$/m);
    assert.match(dry.stdout, /^ {2}\+ ### FR-002: FEAT-search\.fr-002: Filters$/m);
    assert.match(dry.stdout, /run again with --write/);
    assert.equal(fs.readFileSync(path.join(dir, 'headings.prd.md'), 'utf8'), before, 'nothing written without --write');

    const wet = run(['assign-ids', 'headings.prd.md', '--write'], dir);
    assert.equal(wet.status, 0, wet.stderr);
    assert.match(wet.stdout, /Wrote 2 IDs in 1 file\./);
    const after = fs.readFileSync(path.join(dir, 'headings.prd.md'), 'utf8');
    assert.match(after, /^### FR-002: FEAT-search\.fr-002: Filters$/m);
    assert.match(after, /^### 1\. FEAT-search\.quick-search: Quick search$/m);
    assert.equal(fs.readFileSync(path.join(dir, 'tables.prd.md'), 'utf8'), fs.readFileSync(path.join(src, 'tables.prd.md'), 'utf8'), 'only the paths given are written');

    const usage = run(['check', '.', '--write'], dir);
    assert.equal(usage.status, 2);
    assert.match(usage.stderr, /--write is an option of assign-ids/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
