/**
 * One finding per problem, as data: each test/fixtures/findings/<case>.json is a workspace (inline
 * files); the snapshot holds every document's findings (after the one-finding-per-problem step)
 * and, when the case names an action (by title, at the cursor `$0` or `at`), the quick fixes
 * offered there and the text after the chosen one.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { diagnosticsFor } from '../../server/src/core/features/check.js';
import { provideCodeActions } from '../../server/src/core/features/codeActions.js';
import { applyEdits } from '../../server/src/core/features/edits.js';
import { FIXTURES, expectSnapshot, renderDiagnostics } from '../helpers.js';
import { BASE, loadCase, type WorkspaceCase } from '../fixtureWorkspace.js';
import { listIds } from '../../server/src/core/rules/list.js';
import { onePerProblem } from '../../server/src/core/rules/dedupe.js';
import { provideDefinition, provideReferences } from '../../server/src/core/features/navigation.js';

interface Case extends WorkspaceCase {
  action?: string;
}

const dir = path.join(FIXTURES, 'findings');
for (const name of fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
  test(`findings: ${name.replace(/\.json$/, '')}`, () => {
    const c = JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8')) as Case;
    const { ctx, uri, offset } = loadCase(c);
    const out: string[] = [];
    for (const u of [...ctx.index.uris()].sort()) {
      const a = ctx.index.get(u)!;
      const ds = diagnosticsFor(ctx.index, ctx.registry, u, { asOf: ctx.asOf });
      out.push(`=== ${u.slice(BASE.length + 1)}`, renderDiagnostics(a, ds).trimEnd());
      // One finding per problem: no two findings of a document share a problem.
      const again = onePerProblem(ds);
      assert.equal(again.length, ds.length, 'the step is idempotent');
    }
    if (c.action) {
      const a = ctx.index.get(uri)!;
      const ds = diagnosticsFor(ctx.index, ctx.registry, uri, { asOf: ctx.asOf });
      const actions = provideCodeActions(ctx, a, { start: offset, end: offset }, ds);
      out.push('', 'offered:', ...actions.map((x) => `${x.preferred ? '* ' : '  '}${x.title} [${x.kind}]`));
      const chosen = actions.find((x) => x.title === c.action);
      assert.ok(chosen, `no action "${c.action}"; offered:\n${actions.map((x) => x.title).join('\n')}`);
      for (const [u, edits] of [...chosen.edits].sort(([x], [y]) => x.localeCompare(y))) out.push(`=== ${u.slice(BASE.length + 1)} after "${chosen.title}"`, applyEdits(ctx.index.get(u)!.text, edits));
    }
    expectSnapshot(path.join(dir, name.replace(/\.json$/, '.snap')), out.join('\n') + '\n');
  });
}

test('listIds: a few, then "and N more"', () => {
  assert.equal(listIds([]), 'none');
  assert.equal(listIds(['A']), 'A');
  assert.equal(listIds(['A', 'B', 'C']), 'A, B and C');
  const many = Array.from({ length: 235 }, (_, i) => `FEAT-${i}`);
  assert.equal(listIds(many), 'FEAT-0, FEAT-1, FEAT-2, FEAT-3, FEAT-4 and 230 more');
  assert.equal(listIds(['A', 'A', 'B']), 'A and B');
});

test('references by name: definition goes to the one entity a name resolves to, to both when two have it, and references include names', () => {
  const load = (n: string) => loadCase(JSON.parse(fs.readFileSync(path.join(dir, `${n}.json`), 'utf8')) as Case);
  const r = load('name-resolved');
  const a = r.ctx.index.get(r.uri)!;
  const defs = provideDefinition(r.ctx, a, r.offset);
  assert.deepEqual(defs.map((d) => d.uri.slice(BASE.length + 1)), ['b.brief.md']);
  assert.equal(r.ctx.index.get(defs[0]!.uri)!.text.slice(defs[0]!.span.start, defs[0]!.span.end), 'KPI-wat');
  const refs = provideReferences(r.ctx, a, r.offset, false).map((x) => x.uri.slice(BASE.length + 1));
  assert.deepEqual(refs, ['a.prd.md', 'q4.okr.md'], 'both names are references of KPI-wat');
  const amb = load('name-ambiguous');
  const b = amb.ctx.index.get(amb.uri)!;
  const at = b.text.indexOf('Weekly active teams') + 3;
  assert.equal(provideDefinition(amb.ctx, b, at).length, 2, 'an ambiguous name lists both, never one silently');
});
