/**
 * Reliability (docs/RELIABILITY.md): pathological sizes finish and are capped; workspace schemas
 * are untrusted; the file system is read defensively. No test asserts a time.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { analyzeDocument, MAX_DIAGNOSTICS } from '../../server/src/core/analysis.js';
import { documentSymbols, MAX_SYMBOLS } from '../../server/src/core/features/symbols.js';
import { checkWorkspaceSchema } from '../../server/src/core/schema/safety.js';
import { SchemaRegistry } from '../../server/src/core/schema/registry.js';
import { createGuardedParser } from '../../server/src/node/guardedParser.js';
import { findMarkdownFiles, loadSchemaSet, loadWorkspaceSchemas, readMarkdownFile } from '../../server/src/node/host.js';
import { makeFileFilter } from '../../server/src/node/fileFilter.js';
import { ROOT, assertRangesSane, schemas } from '../helpers.js';

const HEAD = '---\ntype: prd\nid: PRD-p\ntitle: P\nowner: o\nstatus: draft\nbrief: BRIEF-p\nrelease: 2026\n---\n\n';
const WORKER = path.join(ROOT, 'out', 'server', 'src', 'node', 'parseWorker.js');

test('pathological sizes finish, with capped results and ranges inside the document', () => {
  const parse = createGuardedParser(WORKER, 2000);
  try {
    const cases: Record<string, string> = {
      '10k unclosed [': HEAD + '['.repeat(10000),
      '10k *': HEAD + '*'.repeat(10000),
      'lists nested 10k deep (one line)': HEAD + '- '.repeat(10000) + 'x\n',
      'block quotes nested 10k deep': HEAD + '> '.repeat(10000) + 'x\n',
      'a 1 MB single line': HEAD + 'FEAT-a word '.repeat(90000),
      '100k headings': HEAD + Array.from({ length: 100000 }, (_, i) => `## Heading ${i}`).join('\n'),
      '20k features with problems': HEAD + '## Features\n' + Array.from({ length: 20000 }, (_, i) => `### FEAT-h${i}: T\n- priority: must`).join('\n'),
      'a 9 MB document': HEAD + 'Plain text. '.repeat(800000),
      'a 3 MB document the fast path cannot read': HEAD + '- a list\n\n  with a second paragraph (a loose item)\n\n' + 'Text with FEAT-a.\n\n'.repeat(160000),
      'a 3 MB document of block quotes': HEAD + '> quote\n\n' + 'Text with FEAT-a.\n\n'.repeat(160000),
    };
    for (const [name, text] of Object.entries(cases)) {
      const a = analyzeDocument(`file:///p/${encodeURIComponent(name)}.prd.md`, text, schemas(), 1, { parse });
      assertRangesSane(a);
      assert.ok(a.diagnostics.length <= MAX_DIAGNOSTICS + 1, `${name}: ${a.diagnostics.length} diagnostics`);
      assert.ok(documentSymbols(a).length <= MAX_SYMBOLS + 1, `${name}: outline not capped`);
      if (name.startsWith('20k')) assert.ok(a.diagnostics.some((d) => d.code === 'document-too-large' && /more problems/.test(d.message)), name);
      if (name === 'lists nested 10k deep (one line)') assert.ok(a.diagnostics.some((d) => d.code === 'parse-failed' || d.code === 'document-too-large') || a.parser === 'scan', `${name}: ${a.diagnostics.map((d) => d.code).join(',')}`);
      if (name.startsWith('a 9 MB') || name.startsWith('a 3 MB document the fast path')) assert.ok(a.diagnostics.some((d) => d.code === 'document-too-large'), name);
      if (name === 'a 3 MB document of block quotes') assert.equal(a.parser, 'scan', name);
      // The front matter is still read.
      assert.equal(a.model.docId?.id, 'PRD-p', name);
    }
  } finally {
    parse.dispose();
  }
});

test('front matter: 15,000 keys are read (duplicates found with a set, not pairwise); past 256 KB it is not parsed and says so', () => {
  const keys = Array.from({ length: 15000 }, (_, i) => `k${i}: v`).join('\n');
  const many = analyzeDocument('file:///p/many-keys.prd.md', `---\ntype: prd\nid: PRD-p\n${keys}\nk7: again\nnested:\n  a: 1\n  a: 2\n---\n\n# P\n`, schemas());
  assertRangesSane(many);
  assert.equal(many.model.docId?.id, 'PRD-p');
  const dups = many.diagnostics.filter((d) => d.code === 'yaml-syntax' && /unique/.test(d.message)).map((d) => many.text.slice(d.span.start, d.span.end));
  assert.deepEqual(dups, ['k7', 'a']);
  const huge = analyzeDocument('file:///p/huge-front-matter.prd.md', `---\ntype: prd\n${'x: '.padEnd(60, 'y') + '\n'}${'note: '.padEnd(100, 'z').concat('\n').repeat(3000)}---\n\n# P\n`, schemas());
  assertRangesSane(huge);
  const tooLarge = huge.diagnostics.find((d) => d.code === 'document-too-large');
  assert.ok(tooLarge && /front matter is too large/.test(tooLarge.message), huge.diagnostics.map((d) => d.message).join('\n'));
  assert.equal(huge.text.slice(tooLarge.span.start, tooLarge.span.end), '---');
});

test('a runaway parse is stopped by the watchdog and the next parse works', () => {
  const parse = createGuardedParser(WORKER, 500);
  try {
    // Ten thousand nested list markers no longer reach remark: the line is cut before parsing.
    const deep = analyzeDocument('file:///p/deep.prd.md', HEAD + '- '.repeat(10000) + 'x\n', schemas(), 1, { parse, remarkOnly: true });
    assert.ok(deep.diagnostics.some((d) => d.code === 'nesting-too-deep'), deep.diagnostics.map((d) => d.message).join('\n'));
    assert.ok(!deep.diagnostics.some((d) => d.code === 'parse-failed'));
    // More quoted Markdown than remark reads in 500 ms (about 1 MB).
    const runaway = Array.from({ length: 16000 }, (_, i) => `> Quoted line ${i} with *emphasis*, \`code\` and a [link](https://example.com/${i}).`).join('\n');
    const bomb = analyzeDocument('file:///p/bomb.prd.md', HEAD + runaway + '\n', schemas(), 1, { parse, remarkOnly: true });
    assert.ok(bomb.diagnostics.some((d) => d.code === 'parse-failed' && /stopped/.test(d.message)), bomb.diagnostics.map((d) => d.message).join('\n'));
    assert.equal(bomb.model.docId?.id, 'PRD-p');
    const ok = analyzeDocument('file:///p/ok.prd.md', HEAD + '- a list\n\n  with a second paragraph (a loose item)\n\n## Problem\n\nx\n', schemas(), 1, { parse });
    assert.notEqual(ok.parser, 'scan'); // the loose list's region went to remark, in a new worker
    assert.ok(ok.model.sections.some((s) => s.title === 'Problem'));
  } finally {
    parse.dispose();
  }
});

test('workspace schemas: each bad schema is one problem, never fetched or read outside', () => {
  const bundled = loadSchemaSet(path.join(ROOT, 'schemas'));
  const list = [bundled.common!, bundled.brief, bundled.prd, bundled.okr];
  const cases: Record<string, [string, RegExp]> = {
    'invalid JSON': ['{nope', /not valid JSON/],
    'not an object': ['[1]', /must be a JSON object/],
    'fails the meta-schema': [JSON.stringify({ type: 12 }), /does not compile/],
    'unknown keyword': [JSON.stringify({ type: 'object', typo: 1 }), /unknown keyword: "typo"/],
    'cyclic $ref': [JSON.stringify({ $defs: { a: { $ref: '#/$defs/b' }, b: { $ref: '#/$defs/a' } }, $ref: '#/$defs/a' }), /cyclic/],
    '$ref to a missing file': [JSON.stringify({ $ref: 'other.schema.json' }), /refused/],
    '$ref to a missing definition': [JSON.stringify({ $ref: '#/$defs/nope' }), /can't resolve reference/],
    '$ref to http': [JSON.stringify({ $ref: 'https://evil.example/x.json' }), /refused.*nothing is fetched/],
    '$ref to file:///etc': [JSON.stringify({ $ref: 'file:///etc/passwd' }), /refused/],
    'over the depth cap': [JSON.parse(JSON.stringify('{"a":'.repeat(100) + '1' + '}'.repeat(100))) as string, /deeper than 64/],
    'over the size cap': [JSON.stringify({ description: 'x'.repeat(600000) }), /larger than 512 KB/],
  };
  for (const [name, [text, re]] of Object.entries(cases)) {
    const r = checkWorkspaceSchema(text, list);
    assert.equal(r.schema, undefined, name);
    assert.equal(r.problems.length, 1, `${name}: ${r.problems.join(' | ')}`);
    assert.match(r.problems[0]!, re, name);
  }
  const good = checkWorkspaceSchema(JSON.stringify({ $schema: 'https://json-schema.org/draft/2020-12/schema', $id: 'https://example.com/p.json', allOf: [{ $ref: 'https://northstar.dev/schemas/prd.schema.json' }], properties: { frontMatter: { required: ['okrs'] } } }), list);
  assert.deepEqual(good.problems, []);
});

test('workspace schemas: loaded from inside the workspace only; a valid one drives validation; a bad one falls back', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'northstar-schemas-'));
  const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'northstar-outside-'));
  try {
    const bundled = loadSchemaSet(path.join(ROOT, 'schemas'));
    fs.writeFileSync(path.join(outside, 'prd.json'), JSON.stringify({ type: 'object' }));
    fs.symlinkSync(path.join(outside, 'prd.json'), path.join(dir, 'link.json'));
    fs.writeFileSync(path.join(dir, 'bad.json'), JSON.stringify({ $ref: 'https://evil.example/x.json' }));
    fs.writeFileSync(path.join(dir, 'ours.json'), JSON.stringify({ $schema: 'https://json-schema.org/draft/2020-12/schema', $id: 'https://example.com/ours.json', allOf: [{ $ref: 'https://northstar.dev/schemas/prd.schema.json' }], properties: { frontMatter: { required: ['okrs'] } } }));
    const refused = loadWorkspaceSchemas([dir], { prd: '../' + path.basename(outside) + '/prd.json', okr: 'link.json', brief: 'bad.json' }, bundled);
    assert.equal(refused.problems.length, 3, JSON.stringify(refused.problems));
    assert.ok(refused.problems.every((p) => /outside the workspace|refused/.test(p.message)), JSON.stringify(refused.problems));
    assert.equal(refused.set.prd, bundled.prd);
    const ours = loadWorkspaceSchemas([dir], { prd: 'ours.json' }, bundled);
    assert.deepEqual(ours.problems, []);
    const reg = new SchemaRegistry(ours.set);
    assert.deepEqual(reg.problems, []);
    const text = fs.readFileSync(path.join(ROOT, 'test', 'fixtures', 'workspaces', 'clean', 'checkout.prd.md'), 'utf8').replace(/okrs: .*\n/, '');
    const a = analyzeDocument('file:///w/x.prd.md', text, reg);
    assert.ok(a.diagnostics.some((d) => d.code === 'missing-field' && /okrs/.test(d.message)), a.diagnostics.map((d) => d.message).join('\n'));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(outside, { recursive: true, force: true });
  }
});

test('file system: binary and non-UTF-8 files skipped with a reason; symlink loops and links out of the workspace not followed; ignores honoured', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'northstar-fs-'));
  const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'northstar-out-'));
  try {
    fs.writeFileSync(path.join(dir, 'binary.md'), Buffer.from([0x23, 0x20, 0x00, 0x01, 0x02]));
    fs.writeFileSync(path.join(dir, 'latin1.md'), Buffer.from([0x23, 0x20, 0xe9, 0x74, 0xe9]));
    fs.writeFileSync(path.join(dir, 'ok.md'), '# ok\n');
    fs.mkdirSync(path.join(dir, 'sub'));
    fs.symlinkSync(dir, path.join(dir, 'sub', 'loop'));
    fs.writeFileSync(path.join(outside, 'secret.md'), '# secret\n');
    fs.symlinkSync(outside, path.join(dir, 'out-dir'));
    fs.symlinkSync(path.join(outside, 'secret.md'), path.join(dir, 'out-file.md'));
    fs.mkdirSync(path.join(dir, 'ignored'));
    fs.writeFileSync(path.join(dir, 'ignored', 'x.md'), '# x\n');
    fs.writeFileSync(path.join(dir, '.gitignore'), 'ignored/\n');
    const files = findMarkdownFiles([dir]).map((f) => path.relative(dir, f)).sort();
    assert.deepEqual(files, ['binary.md', 'ignored/x.md', 'latin1.md', 'ok.md']);
    const filter = makeFileFilter(dir, { exclude: ['**/latin1.md'] });
    const filtered = findMarkdownFiles([dir], (_root, rel, isDir) => filter(rel, isDir)).map((f) => path.relative(dir, f)).sort();
    assert.deepEqual(filtered, ['binary.md', 'ok.md']);
    assert.match(readMarkdownFile(path.join(dir, 'binary.md')).skipped ?? '', /binary/);
    assert.match(readMarkdownFile(path.join(dir, 'latin1.md')).skipped ?? '', /not valid UTF-8/);
    assert.equal(readMarkdownFile(path.join(dir, 'ok.md')).text, '# ok\n');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(outside, { recursive: true, force: true });
  }
});
