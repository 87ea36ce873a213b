/**
 * Tolerant reading: every CommonMark spec example as a PRD body, every real-world document of
 * ../shared/corpus (or test/fixtures/corpus) as each document type, and awkward encodings — no
 * exception, every range inside its document.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { tests as commonmarkExamples } from 'commonmark-spec';
import { ROOT, analyze, assertRangesSane, renderDiagnostics } from '../helpers.js';

const PRD_HEAD = '---\ntype: prd\nid: PRD-cm\ntitle: CommonMark\nowner: Ana\nstatus: draft\nbrief: BRIEF-x\nrelease: 2026-Q4\n---\n\n';

test('every CommonMark spec example runs through the pipeline as a PRD body', () => {
  assert.ok(commonmarkExamples.length > 600);
  for (const ex of commonmarkExamples) {
    const body = ex.markdown.replace(/→/g, '\t');
    for (const text of [PRD_HEAD + body, body]) {
      const a = analyze(`test/commonmark-${ex.number}.prd.md`, text);
      assertRangesSane(a);
    }
  }
});

const corpusDirs = [path.join(ROOT, '..', 'shared', 'corpus', 'real-world'), path.join(ROOT, 'test', 'fixtures', 'corpus')];
const corpus = corpusDirs.filter((d) => fs.existsSync(d)).flatMap((d) => fs.readdirSync(d).filter((f) => f.endsWith('.md') && f !== 'MANIFEST.md').map((f) => path.join(d, f)));

test('real-world PRDs, OKRs and briefs are read tolerantly as every document type', { skip: corpus.length === 0 && 'no corpus on this machine' }, () => {
  for (const file of corpus) {
    const text = fs.readFileSync(file, 'utf8');
    for (const type of ['prd', 'okr', 'brief']) {
      const a = analyze(`test/corpus/${path.basename(file, '.md')}.${type}.md`, text);
      assertRangesSane(a);
      // Without front matter, the fields are reported once, at the top.
      assert.equal(a.diagnostics.filter((d) => d.code === 'missing-field').length, 1, `${file} as ${type}`);
    }
  }
});

test('real-world section variants are recognised (numbered, "&", aliases)', () => {
  const text = ['# PRD', '## 1. Problem Statement', '## 2) Goals & Success Metrics', '## 3. Out of Scope', '## 4. Functional Requirements', '## 5. Rollout Plan'].join('\n\n');
  const a = analyze('test/sections.prd.md', `---\ntype: prd\nid: PRD-s\ntitle: t\nowner: o\nstatus: draft\nbrief: BRIEF-s\nrelease: 2026\n---\n${text}\n`);
  assert.equal(renderDiagnostics(a, a.diagnostics), '');
});

test('CRLF line endings and a BOM: a YAML error is reported on the right line and column', () => {
  const lines = ['---', 'type: prd', 'id: PRD-crlf', 'title: CRLF', 'owner:\tAna', 'status: [draft', '---', '', '# CRLF', ''];
  const text = `\uFEFF${lines.join('\r\n')}`;
  const a = analyze('test/crlf.prd.md', text);
  assertRangesSane(a);
  const yaml = a.diagnostics.filter((d) => d.code === 'yaml-syntax');
  assert.ok(yaml.length >= 1, renderDiagnostics(a, a.diagnostics));
  const first = a.lines.positionAt(yaml[0]!.span.start);
  assert.ok(first.line >= 4 && first.line <= 6, `YAML error on line ${first.line + 1}: ${renderDiagnostics(a, yaml)}`);
  assert.ok(!a.diagnostics.some((d) => d.code === 'missing-field'));
});

test('empty, whitespace-only, BOM-only and NUL-containing documents', () => {
  for (const text of ['', '   \n\n\t', '\uFEFF', 'a\u0000b\n## Problem\u0000', '---', '---\n', '---\n---\n', '\n---\ntype: prd\n---\n']) {
    for (const name of ['test/edge.prd.md', 'test/edge.md']) {
      const a = analyze(name, text);
      assertRangesSane(a);
    }
  }
});

test('an alias bomb in the front matter is rejected, not expanded', () => {
  const bomb = ['---', 'type: prd', 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]', 'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]', 'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]', 'd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]', 'e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]', 'f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]', 'g: [*f,*f,*f,*f,*f,*f,*f,*f,*f]', '---', '# Bomb'].join('\n');
  const a = analyze('test/bomb.prd.md', bomb);
  assertRangesSane(a);
  assert.ok(a.diagnostics.some((d) => d.code === 'yaml-syntax'), renderDiagnostics(a, a.diagnostics));
});
