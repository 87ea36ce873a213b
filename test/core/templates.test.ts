/** New documents are valid against their schemas from the first keystroke; the task's problem matcher reads the CLI. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { analyzeDocument } from '../../server/src/core/analysis.js';
import { diagnosticsFor } from '../../server/src/core/features/check.js';
import { newDocument } from '../../server/src/core/features/templates.js';
import { ROOT, renderDiagnostics, schemas } from '../helpers.js';
import { BASE, loadCase } from '../fixtureWorkspace.js';

for (const type of ['brief', 'prd', 'okr'] as const) {
  test(`a new ${type} has no diagnostics, in the examples workspace and in an empty one`, () => {
    for (const workspace of ['examples', undefined]) {
      const { ctx } = loadCase({ ...(workspace ? { workspace } : {}), files: {}, file: 'x' });
      const doc = newDocument(ctx, { type, title: 'Checkout for marketplaces', ...(type === 'okr' ? { period: '2027-Q2' } : {}) });
      const uri = `${BASE}/new/${doc.fileName}`;
      ctx.index.set(analyzeDocument(uri, doc.text, schemas()));
      const a = ctx.index.get(uri)!;
      // The template writes `owner: TBD` on purpose: the only finding allowed is the reminder that it is not set yet.
      const reminder = (d: { severity: string; message: string }) => d.severity === 'information' && /is not set yet/.test(d.message);
      const own = a.diagnostics.filter((d) => !reminder(d));
      assert.equal(renderDiagnostics(a, own), '', doc.text);
      if (workspace) {
        const all = diagnosticsFor(ctx.index, ctx.registry, uri, { asOf: ctx.asOf }).filter((d) => !['kr-not-covered', 'feature-not-aligned'].includes(String(d.code)) && !reminder(d));
        assert.equal(renderDiagnostics(a, all), '', doc.text);
        assert.ok(!ctx.index.definitions(doc.id).some((d) => d.uri !== uri), `${doc.id} is taken`);
      }
    }
  });
}

test('the $northstar problem matcher reads every line of `northstar check` text output', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { contributes: { problemMatchers: { pattern: { regexp: string } }[] } };
  const re = new RegExp(pkg.contributes.problemMatchers[0]!.pattern.regexp);
  const r = spawnSync(process.execPath, [path.join(ROOT, 'dist', 'cli.cjs'), 'check', 'examples', '--no-color', '--as-of', '2026-11-23'], { cwd: ROOT, encoding: 'utf8' });
  const lines = r.stdout.split('\n').filter((l) => /^examples\//.test(l));
  assert.ok(lines.length >= 10);
  for (const l of lines) {
    const m = re.exec(l);
    assert.ok(m, `not matched: ${l}`);
    assert.match(m[1]!, /\.(?:md|csv|json)$/);
    assert.ok(['error', 'warning', 'information', 'hint'].includes(m[4]!));
    assert.match(m[6]!, /^[a-z-]+$/);
  }
});
