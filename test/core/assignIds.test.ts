/**
 * Writing derived IDs, as data: each test/fixtures/findings/assign/<name>.md is read alone; the
 * snapshot holds its no-id-yet hints, the "Assign IDs" summary as `northstar assign-ids` prints it,
 * and the text after the edit. Plus: one hint's quick fix writes one ID, the edit is idempotent
 * on written IDs, and the CLI writes only with --write.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeDocument } from '../../server/src/core/analysis.js';
import { NorthstarService } from '../../server/src/core/service.js';
import { assignIds, provideCodeActions } from '../../server/src/core/features/codeActions.js';
import { applyEdits } from '../../server/src/core/features/edits.js';
import { lineChanges, runAssignIds } from '../../server/src/cli/assignIds.js';
import { FIXTURES, expectSnapshot, schemas } from '../helpers.js';

const dir = path.join(FIXTURES, 'findings', 'assign');
const uriOf = (name: string) => `file:///ws/${name}`;

function serviceWith(files: Record<string, string>): NorthstarService {
  const s = new NorthstarService(schemas(), { asOf: '2026-11-23' });
  for (const [name, text] of Object.entries(files)) s.index.set(analyzeDocument(uriOf(name), text, schemas()));
  return s;
}

for (const name of fs.readdirSync(dir).filter((f) => f.endsWith('.md')).sort()) {
  test(`assign IDs: ${name}`, () => {
    const text = fs.readFileSync(path.join(dir, name), 'utf8');
    const s = serviceWith({ [name]: text });
    const a = s.get(uriOf(name))!;
    const hints = s.diagnostics(a.uri).filter((d) => d.code === 'no-id-yet');
    const action = assignIds(a, hints);
    const out = ['hints:', ...hints.map((d) => `  ${a.lines.positionAt(d.span.start).line + 1}: ${d.message}`)];
    if (action) {
      const edits = action.edits.get(a.uri)!;
      out.push('', `${action.title} [${action.kind}]`, ...lineChanges(a.text, edits).map((c) => `  ${c.line}\n  - ${c.before}\n  + ${c.after}`), '', '=== after', applyEdits(a.text, edits));
      assert.equal(action.fixes.length, hints.length, 'the action fixes every hint');
    }
    expectSnapshot(path.join(dir, `${name}.snap`), out.join('\n'));
  });
}

test('a no-id-yet hint offers to write its one ID; a heading then reads the ID as written', () => {
  const text = fs.readFileSync(path.join(dir, 'headings.prd.md'), 'utf8');
  const s = serviceWith({ 'h.prd.md': text });
  const a = s.get(uriOf('h.prd.md'))!;
  const hint = s.diagnostics(a.uri).find((d) => d.code === 'no-id-yet' && d.message.includes('fr-002'));
  assert.ok(hint, 'a hint on the FR-002 heading');
  const fix = provideCodeActions(s.context, a, hint.span, [hint]).find((x) => x.title.startsWith('Write the ID'));
  assert.ok(fix);
  const after = applyEdits(a.text, fix.edits.get(a.uri)!);
  assert.match(after, /^### FR-002: FEAT-[\w.-]*fr-002: Filters$/m);
  const b = analyzeDocument(a.uri, after, schemas());
  const e = b.model.entities.find((x) => x.title === 'Filters');
  assert.ok(e && !e.idDerived, 'the written ID is read as written');
  assert.equal(e.id, hint.data?.id);
});

test('assign-ids: prints the changes and writes nothing without --write; writes with it', () => {
  const text = fs.readFileSync(path.join(dir, 'headings.prd.md'), 'utf8');
  const s = serviceWith({ 'h.prd.md': text, 'written.prd.md': text.replace('### 1. Quick search', '### FEAT-q: Quick search').replace('### FR-002: Filters', '### FEAT-f: Filters') });
  const pathOf = new Map([[uriOf('h.prd.md'), 'h.prd.md'], [uriOf('written.prd.md'), 'written.prd.md']]);
  let printed = '';
  const written: [string, string][] = [];
  const io = { stdout: (x: string) => (printed += x), stderr: (x: string) => (printed += x), writeFile: (f: string, t: string) => void written.push([f, t]) };
  assert.equal(runAssignIds({ service: s, pathOf }, false, io), 0);
  assert.equal(written.length, 0);
  assert.match(printed, /h\.prd\.md: \d+ IDs? to write/);
  assert.doesNotMatch(printed, /written\.prd\.md/);
  assert.match(printed, /run again with --write/);
  printed = '';
  assert.equal(runAssignIds({ service: s, pathOf }, true, io), 0);
  assert.equal(written.length, 1);
  assert.equal(written[0]![0], '/ws/h.prd.md');
  assert.match(written[0]![1], /### FR-002: FEAT-[\w.-]*fr-002: Filters/);
  assert.match(printed, /Wrote \d+ IDs? in 1 file/);
});

test('where writing one ID would make the document read only written IDs, the hint writes them all and the document reads back the same', () => {
  const text = '---\ntype: prd\n---\n\n# Campaigns\n\n## Features\n\n### Email campaign creation\n\nUsers create campaigns.\n\n### Campaign scheduling\n\nUsers schedule them.\n\n### Test email capability\n\nUsers send a test.\n';
  const s = serviceWith({ 'c.prd.md': text });
  const a = s.get(uriOf('c.prd.md'))!;
  assert.equal(a.model.entities.length, 3);
  const hint = s.diagnostics(a.uri).find((d) => d.code === 'no-id-yet' && d.message.includes('scheduling'))!;
  const fix = provideCodeActions(s.context, a, hint.span, [hint]).find((x) => x.kind === 'quickfix' && x.title.startsWith('Write the ID'));
  assert.ok(fix, 'a fix');
  assert.match(fix.title, /^Write the IDs of all 3 entities \(this ID alone would hide 2 others\)$/);
  const b = analyzeDocument(a.uri, applyEdits(a.text, fix.edits.get(a.uri)!), schemas());
  assert.deepEqual(b.model.entities.map((e) => [e.title, e.idDerived ?? false]), a.model.entities.map((e) => [e.title, false]));
});
