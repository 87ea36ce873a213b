/** Failures found while building and fuzzing Northstar, each kept as a regression test. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { analyzeDocument } from '../../server/src/core/analysis.js';
import { LineIndex } from '../../server/src/core/text/lineIndex.js';
import { SchemaRegistry } from '../../server/src/core/schema/registry.js';
import { loadSchemaSet } from '../../server/src/node/host.js';
import * as path from 'node:path';
import { ROOT, schemas } from '../helpers.js';

test('regression: an unterminated YAML quote is underlined on its own line, not on the closing fence', () => {
  const a = analyzeDocument('file:///r/q.prd.md', '---\ntype: prd\ntitle: "open\nowner: x\n---\n# T\n', schemas());
  const d = a.diagnostics.find((x) => x.code === 'yaml-syntax')!;
  assert.equal(a.lines.positionAt(d.span.start).line, 2);
});

test('regression: two schema patterns are two patterns (ajv keys RE2 patterns by toString)', () => {
  const set = loadSchemaSet(path.join(ROOT, 'schemas'));
  const reg = new SchemaRegistry(set);
  const errs = reg.validate('prd', { frontMatter: { type: 'prd', id: 'XPRD-x', brief: 'BRIEF-ok', title: 't', owner: 'o', status: 'draft', release: '2026' }, sections: {}, entities: {} });
  assert.ok(errs.some((e) => e.instancePath === '/frontMatter/id' && e.keyword === 'pattern'));
  assert.ok(!errs.some((e) => e.instancePath === '/frontMatter/brief'));
});

test('regression: _FEAT-a_ (emphasis) is a reference in both the fast path and remark', () => {
  const text = '---\ntype: prd\nid: PRD-r\n---\n\nSee _FEAT-a_ and snake_FEAT-b.\n';
  const fast = analyzeDocument('file:///r/u.prd.md', text, schemas());
  const full = analyzeDocument('file:///r/u.prd.md', text, schemas(), undefined, { remarkOnly: true });
  assert.deepEqual(fast.model.references.map((r) => r.id), ['FEAT-a', 'FEAT-b']);
  assert.deepEqual(full.model.references, fast.model.references);
});

test('regression: an offset between CR and LF is not a position of its own', () => {
  const li = new LineIndex('a\r\nb');
  assert.deepEqual(li.positionAt(2), { line: 0, character: 2 });
  assert.equal(li.offsetAt({ line: 0, character: 5 }), 1);
});

test('regression: list markers indented by one to three spaces are siblings, as in CommonMark', () => {
  const text = '---\ntype: prd\nid: PRD-r\n---\n\n## Features\n\n### FEAT-r: R\n\n- priority: must\n - kpi: KPI-a\n  - status: planned\n';
  const fast = analyzeDocument('file:///r/l.prd.md', text, schemas());
  const full = analyzeDocument('file:///r/l.prd.md', text, schemas(), undefined, { remarkOnly: true });
  assert.equal(fast.parser, 'scan');
  assert.deepEqual(fast.model.entities[0]!.properties.map((p) => p.key), ['priority', 'kpi', 'status']);
  assert.deepEqual(fast.model, full.model);
});

test('regression: extraction is linear in the number of entities (no quadratic lookups)', () => {
  // 20,000 references to 5,000 entities: finished here in well under a second; quadratic it took 20 s.
  const features = Array.from({ length: 5000 }, (_, i) => `### FEAT-q${i}: Q\n\n- priority: must\n- kpi: KPI-a, KPI-b, KPI-c, KPI-d\n`).join('\n');
  const a = analyzeDocument('file:///r/big.prd.md', `---\ntype: prd\nid: PRD-q\n---\n\n## Features\n\n${features}`, schemas());
  assert.equal(a.model.entities.length, 5000);
  assert.equal(a.model.references.length, 20000);
});

test('regression (fuzz, seed 1123): a bare `|` line over `---` is read as remark reads it', () => {
  for (const body of ['|\n---\n', '| a\n---\n', 'a | b\n---\n', '|x|\n|-|\n']) {
    const text = `---\ntype: prd\nid: PRD-f\n---\n${body}`;
    const fast = analyzeDocument('file:///r/t.prd.md', text, schemas());
    const full = analyzeDocument('file:///r/t.prd.md', text, schemas(), undefined, { remarkOnly: true });
    assert.deepEqual(fast.model, full.model, JSON.stringify(body));
  }
});

test('regression: a heading title that ends in a link runs to the link\'s closing parenthesis in the scanned regions too', () => {
  // Found by the security e2e suite once regions without HTML were scanned: the title stopped at the label.
  const text = '---\ntype: okr\nid: OKR-l\ntitle: L\nowner: o\nperiod: 2026-Q4\nstatus: active\n---\n\n# L\n\n- a list\n\n  with a second paragraph (a loose item) sends this region to remark\n\n## OBJ-l1: Support [OAuth](https://example.com/oauth) and [SSO](command:x)\n- owner: o\n';
  const fast = analyzeDocument('file:///r/l.okr.md', text, schemas());
  const full = analyzeDocument('file:///r/l.okr.md', text, schemas(), undefined, { remarkOnly: true });
  assert.equal(fast.parser, 'regions');
  assert.equal(fast.model.entities[0]!.title, 'Support [OAuth](https://example.com/oauth) and [SSO](command:x)');
  assert.deepEqual(fast.model, full.model);
});
