/**
 * The tolerant reader (issue 11): documents written without Northstar IDs. Each
 * test/fixtures/reading/<name>.md is read as its file name says (`.prd.md`, `.okr.md`,
 * `.brief.md`); its `.snap` lists every entity — line, kind, ID (derived or written), title,
 * parent, properties as written — the P-scale and the problems found while reading.
 * UPDATE_SNAPSHOTS=1 rewrites the snapshots; review the diff.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeDocument, type Analysis } from '../../server/src/core/analysis.js';
import { documentSymbols, type DocumentSymbol } from '../../server/src/core/features/symbols.js';
import { derivedId, documentKey, ID_EXACT, slugify } from '../../server/src/core/ids.js';
import { FIXTURES, expectSnapshot, schemas } from '../helpers.js';
import { frontMatterValues } from '../../server/src/core/schema/entityValues.js';

const DIR = path.join(FIXTURES, 'reading');

function render(a: Analysis): string {
  const out: string[] = [];
  for (const e of a.model.entities) {
    const line = a.lines.humanPosition(e.headingSpan.start).line;
    const written = a.text.slice(e.idSpan.start, e.idSpan.end) === e.id;
    const props = e.properties.map((p) => `${p.key}=${JSON.stringify(p.raw)}`).join(' ');
    out.push(`${line} ${e.kind} ${e.id}${written ? '' : ' (derived)'} «${e.title ?? ''}» by ${e.definedBy}${e.parent ? ` parent=${e.parent}` : ''}${props ? ` ${props}` : ''}`);
  }
  // Document fields written in the body (model/read/documentFields.ts), as the schema reads them.
  const type = a.model.type;
  const fields = type ? [...frontMatterValues(a.model, type, schemas())].filter(([, v]) => v.fromBody) : [];
  if (fields.length) out.push(`fields: ${fields.map(([k, v]) => `${k}=${JSON.stringify(v.raw)}${v.read.kind === 'enum' || v.read.kind === 'period' || v.read.kind === 'date' || v.read.kind === 'not-set' ? `->${v.read.kind === 'not-set' ? 'not set' : JSON.stringify(v.value)}` : ''}@${a.lines.humanPosition(v.valueSpan.start).line}`).join(' ')}`);
  const scale = a.model.priorityScale;
  out.push(`scale: ${scale ? Object.entries(scale).map(([k, v]) => `${k}=${v}`).join(' ') : 'none'}`);
  const problems = a.model.problems.map((d) => `${a.lines.humanPosition(d.span.start).line} ${d.code}: ${d.message}`);
  out.push(...(problems.length ? problems : ['problems: none']));
  return out.join('\n');
}

for (const f of fs.readdirSync(DIR).filter((n) => n.endsWith('.md')).sort()) {
  test(`reading: ${f}`, () => {
    const text = fs.readFileSync(path.join(DIR, f), 'utf8');
    const uri = `file:///work/specs/${f}`;
    const a = analyzeDocument(uri, text, schemas());
    const ids = a.model.entities.map((e) => e.id);
    assert.equal(new Set(ids).size, ids.length, `IDs are unique in ${f}: ${ids.join(', ')}`);
    for (const e of a.model.entities) {
      assert.ok(ID_EXACT.test(e.id), `${e.id} is a valid ID`);
      assert.ok(e.idSpan.start >= 0 && e.idSpan.end <= text.length && e.headingSpan.start <= e.idSpan.start + 1000, `${e.id} range`);
      if (e.parent) assert.ok(ids.includes(e.parent), `${e.id}'s parent ${e.parent} is an entity of the document`);
    }
    // The outline shows every entity, named by its title when no ID is written, its selection inside its range.
    const symbols: DocumentSymbol[] = [];
    const walk = (xs: readonly DocumentSymbol[]) => xs.forEach((x) => (symbols.push(x), walk(x.children)));
    walk(documentSymbols(a));
    for (const e of a.model.entities) {
      const sym = symbols.find((x) => x.kind === e.kind && x.selection.start === e.idSpan.start);
      assert.ok(sym, `${e.id} is in the outline`);
      assert.ok(sym.selection.start >= sym.span.start && sym.selection.end <= sym.span.end, `${e.id}: selection inside its range`);
      if (e.idDerived) assert.match(sym.detail ?? '', /no ID written/);
    }
    expectSnapshot(path.join(DIR, `${f}.snap`), render(a));
  });
}

test('derived IDs: slug, document key, and no collision between specs that reuse FR-001', () => {
  assert.equal(slugify('Weekly Active Users (WAU)'), 'weekly-active-users-wau');
  assert.equal(slugify('Café à la carte'), 'cafe-a-la-carte');
  assert.equal(slugify('[Name]'), 'name');
  assert.equal(slugify('!!!'), '');
  assert.ok(slugify('a'.repeat(100)).length <= 40);
  assert.equal(documentKey('file:///repo/specs/001-photo-upload/spec.md'), '001-photo-upload');
  assert.equal(documentKey('file:///repo/docs/checkout.prd.md'), 'checkout');
  assert.equal(documentKey('file:///repo/specs/x/spec.md', 'PRD-saved-cards'), 'saved-cards');
  assert.equal(derivedId('FEAT', 'checkout', 'FR-001'), 'FEAT-checkout.fr-001');
  assert.ok(ID_EXACT.test(derivedId('KR', 'okr', 'Objective 1', 'KR 1.1')));

  const spec = ['---', 'type: prd', '---', '# Spec', '', '## Requirements', '', '- **FR-001**: System MUST do it.', ''].join('\n');
  const a = analyzeDocument('file:///repo/specs/001-a/spec.md', spec, schemas());
  const b = analyzeDocument('file:///repo/specs/002-b/spec.md', spec, schemas());
  assert.equal(a.model.entities.length, 1);
  assert.notEqual(a.model.entities[0]!.id, b.model.entities[0]!.id);
  assert.equal(a.model.entities[0]!.idDerived, true);
});

test('plain Markdown (no document type) defines no entities, however it is written', () => {
  const a = analyzeDocument('file:///repo/notes.md', ['# Notes', '', '## Features', '', '### Search', '', '- **FR-001**: search', ''].join('\n'), schemas());
  assert.equal(a.model.entities.length, 0);
});

test('bad input: ragged tables, empty headings, unclosed pseudo-XML and deep nesting never throw', () => {
  const inputs = [
    '---\ntype: prd\n---\n## Features\n| Feature |\n|---|\n| a | b | c |\n|\n| |\n',
    '---\ntype: okr\n---\n### Objective 1:\n- KR1:\n- KR2\n**Key Results**:\n1.\n2.\n',
    '---\ntype: prd\n---\n<instruction>\n## Features\n### Never closed\n',
    '---\ntype: prd\n---\n## Features\n' + '- '.repeat(40) + '**x**: y\n',
    '---\ntype: brief\n---\n## Success Metrics\n' + '| Metric | Target |\n|---|---|\n'.repeat(3) + '| **',
    '---\ntype: prd\n---\n### User Story 1 - (Priority: P1)\n### Requirement\n### Requirement:\n#### Feature:\n',
  ];
  for (const t of inputs) {
    const a = analyzeDocument('file:///repo/bad.md', t, schemas());
    for (const e of a.model.entities) assert.ok(ID_EXACT.test(e.id), e.id);
  }
});
