/**
 * `northstar inspect`: the real CLI's JSON follows schemas/contracts/inspect-output.v1 on
 * examples/ and on the real-world documents; each entity sits on the line that defines it;
 * paths are relative to the folder given; the text format and bad usage.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT } from '../helpers.js';
import { assertContract } from '../mcp/contract.js';

interface Output {
  files: { path: string; type: string | null; entities: { id: string; kind: string; title: string; line: number; idWritten: boolean; properties: Record<string, unknown>; parent: string | null }[] }[];
}

function run(args: string[], cwd = ROOT): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'dist', 'cli.cjs'), 'inspect', ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function inspectJson(folder: string): Output {
  const r = run([folder, '--format', 'json']);
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout) as Output;
  assertContract('inspect-output.v1.schema.json', out);
  return out;
}

test('inspect --format json follows inspect-output.v1 on examples/ and test/real-world/docs', () => {
  for (const folder of ['examples', 'test/real-world/docs']) {
    const out = inspectJson(folder);
    const onDisk = fs.readdirSync(path.join(ROOT, folder), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.md'));
    assert.deepEqual(out.files.map((f) => f.path).sort(), onDisk.map((f) => f.split(path.sep).join('/')).sort(), `${folder}: every Markdown file, relative to the folder`);
    for (const f of out.files) {
      const lines = fs.readFileSync(path.join(ROOT, folder, f.path), 'utf8').split(/\r?\n/);
      const ids = new Set(f.entities.map((e) => e.id));
      for (const e of f.entities) {
        assert.ok(e.line >= 1 && e.line <= lines.length, `${f.path}: ${e.id} line ${e.line}`);
        if (e.idWritten) assert.ok(lines[e.line - 1]!.includes(e.id), `${f.path}:${e.line} does not hold ${e.id}: ${lines[e.line - 1]}`);
        if (e.parent !== null) assert.ok(ids.has(e.parent), `${f.path}: ${e.id}'s parent ${e.parent} is defined in the file`);
      }
    }
  }
});

test('inspect examples/: types, kinds, written IDs, normalised properties and parents', () => {
  const out = inspectJson('examples');
  const byPath = new Map(out.files.map((f) => [f.path, f]));
  assert.equal(byPath.get('notes/roadmap-notes.md')?.type, null);
  assert.deepEqual(byPath.get('notes/roadmap-notes.md')?.entities, []);
  const prd = byPath.get('prds/saved-cards.prd.md')!;
  assert.equal(prd.type, 'prd');
  const feat = prd.entities.find((e) => e.id === 'FEAT-saved-cards')!;
  assert.deepEqual({ ...feat, properties: undefined }, { id: 'FEAT-saved-cards', kind: 'feature', title: 'Saved payment cards', line: 42, idWritten: true, properties: undefined, parent: null });
  assert.equal(feat.properties.priority, 'must');
  assert.deepEqual(feat.properties.kpi, ['KPI-saved-card-usage', 'KPI-checkout-conversion']);
  // A value the schema cannot read stays as written (validation reports it).
  assert.equal(prd.entities.find((e) => e.id === 'FEAT-network-tokens')?.properties.priority, 'mandatory');
  const okr = byPath.get('okrs/2026-Q4.okr.md')!;
  const kr = okr.entities.find((e) => e.id === 'KR-2026Q4.1')!;
  assert.equal(kr.kind, 'key-result');
  assert.equal(kr.parent, 'OBJ-effortless-checkout');
  assert.equal(kr.properties.target, 0.635);
  assert.equal(okr.entities.find((e) => e.id === 'OBJ-effortless-checkout')?.kind, 'objective');
  const kinds = new Set(out.files.flatMap((f) => f.entities.map((e) => e.kind)));
  assert.deepEqual([...kinds].sort(), ['feature', 'key-result', 'kpi', 'objective', 'persona']);
});

test('inspect: a file given on its own is named by its file name; text format; bad usage', () => {
  const one = JSON.parse(run(['examples/okrs/2026-Q4.okr.md', '--format=json']).stdout) as Output;
  assert.deepEqual(one.files.map((f) => f.path), ['2026-Q4.okr.md']);
  const text = run(['okrs'], path.join(ROOT, 'examples'));
  assert.equal(text.status, 0, text.stderr);
  assert.match(text.stdout, /^2026-Q4\.okr\.md {2}okr {2}9 entities$/m);
  assert.match(text.stdout, /^ {4}17 {2}objective {3}OBJ-effortless-checkout {2}Make paying feel effortless/m);
  assert.match(text.stdout, /^ {6}24 {2}key-result {2}KR-2026Q4\.1 {2}Lift checkout conversion/m, 'a key result is indented under its objective');
  assert.match(text.stdout, /^ +target: 0\.635$/m);
  assert.match(text.stdout, /\d+ entities in 2 Markdown files\.\n$/);
  const bad = run(['examples', '--format', 'sarif']);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /inspect prints text or json, not sarif/);
});

test('inspect shows values as read: coerced, null when not set, and what the reading kept as notes', () => {
  const out = inspectJson('test/fixtures/values');
  const f = out.files.find((x) => x.path === 'forms.prd.md')!;
  const byId = new Map(f.entities.map((e) => [e.id, e as typeof e & { notes?: Record<string, string> }]));
  const one = byId.get('FEAT-forms-one')!;
  assert.deepEqual(one.properties, { priority: 'must', kpi: ['KPI-forms-latency'], status: 'shipped', release: '2026-03-15', reach: 2000, confidence: 0.8 });
  assert.equal(one.notes?.priority, 'Note: Phase 2.');
  assert.equal(one.notes?.reach, 'Note: 67%.');
  const two = byId.get('FEAT-forms-two')!;
  assert.equal(two.properties.priority, 'should');
  assert.equal(two.properties.release, null);
  assert.equal(two.properties.effort, null);
  const kpi = byId.get('KPI-forms-latency')!;
  assert.equal(kpi.properties.target, 500);
  assert.match(kpi.notes?.target ?? '', /below 500 ms: lower is better/);
});
