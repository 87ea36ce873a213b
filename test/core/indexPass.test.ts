/**
 * The index-only pass (core/index/indexPass.ts) against the full analysis: on every fixture,
 * every real-world document and the examples, the definitions it gives (ID, kind, where, title,
 * range, parent) are the full analysis's — for a document that writes its IDs, and for one read
 * tolerantly whose every region the scanner is sure of. Where it is not exact it says so, and then
 * gives no ID the full analysis does not define. Its references are the full analysis's too.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { analyzeDocument } from '../../server/src/core/analysis.js';
import { indexPass } from '../../server/src/core/index/indexPass.js';
import { knownKeys } from '../../server/src/core/model/read/knownKeys.js';
import type { DocumentModel, Entity } from '../../server/src/core/model/types.js';
import { parseMarkdown } from '../../server/src/core/parse/markdown.js';
import { findMarkdownFiles } from '../../server/src/node/host.js';
import { FIXTURES, ROOT, schemas } from '../helpers.js';

function markdownFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...markdownFiles(p));
    else if (/\.(?:md|markdown)$/i.test(e.name)) out.push(p);
  }
  return out.sort();
}

const DOCS = [...markdownFiles(FIXTURES), ...markdownFiles(path.join(ROOT, 'test', 'real-world', 'docs')), ...markdownFiles(path.join(ROOT, 'examples'))];

function definitionsOf(m: DocumentModel) {
  const e = (x: Entity) => ({
    id: x.id,
    kind: x.kind,
    idSpan: x.idSpan,
    title: x.title,
    titleSpan: x.titleSpan,
    definedBy: x.definedBy,
    derived: x.idDerived === true,
    depth: x.depth,
    parent: x.parent,
    span: x.span,
    sectionKeys: x.sectionKeys,
  });
  return { type: m.type, docId: m.docId, title: m.title, frontMatter: m.frontMatter?.fields, entities: m.entities.map(e) };
}

function options() {
  const registry = schemas();
  return { resolveSections: (t: Parameters<typeof registry.resolveSection>[0], n: string) => registry.resolveSection(t, n), knownKey: knownKeys(registry) };
}

test('index-only definitions equal the full analysis on every fixture, real-world document and example', () => {
  assert.ok(DOCS.length > 100, `found ${DOCS.length} documents`);
  const rough: string[] = [];
  for (const file of DOCS) {
    const uri = pathToFileURL(file).href;
    const text = fs.readFileSync(file, 'utf8');
    const full = analyzeDocument(uri, text, schemas(), 1, { parse: parseMarkdown });
    const pass = indexPass(uri, text, options());
    const name = path.relative(ROOT, file);
    if (pass.exact) {
      assert.deepEqual(definitionsOf(pass.model), definitionsOf(full.model), `${name}: the index-only definitions differ`);
      assert.deepEqual(
        pass.model.references.map((r) => `${r.id}@${r.span.start}`),
        full.model.references.map((r) => `${r.id}@${r.span.start}`),
        `${name}: the index-only references differ`,
      );
    } else {
      rough.push(name);
      const defined = new Set(full.model.entities.map((x) => x.id));
      for (const x of pass.model.entities) if (!x.idDerived) assert.ok(defined.has(x.id), `${name}: ${x.id} is not defined by the full analysis`);
    }
  }
  // A rough reading is the exception: a typed document without written IDs with a region the scanner leaves to remark.
  assert.ok(rough.length <= DOCS.length / 5, `${rough.length} of ${DOCS.length} documents read roughly: ${rough.join(', ')}`);
});

test('the index-only pass never throws and keeps every range inside the text', () => {
  const inputs = ['', '---', '---\n', '---\ntype: prd\n', '# FEAT-a\n', '| ID |\n|---|\n| FEAT-x |', '\uFEFF---\nid: PRD-x\n---\n', '#'.repeat(100_000), '> '.repeat(50_000) + '# FEAT-a', '|'.repeat(10_000) + '\n|-|\n', '- '.repeat(40_000) + 'FEAT-a', '```\n# FEAT-a\n'];
  for (const text of inputs) {
    const r = indexPass('file:///w/x.prd.md', text, options());
    for (const e of r.model.entities) assert.ok(e.idSpan.start >= 0 && e.idSpan.end <= text.length && text.slice(e.idSpan.start, e.idSpan.end) === e.id);
    for (const x of r.model.references) assert.ok(x.span.end <= text.length && text.slice(x.span.start, x.span.end) === x.id);
  }
});

test('flat front matter read without the YAML parser reads as the YAML parser reads it', () => {
  const values = ['prd', 'PRD-a', '2026-10-03', '12', '-3', '+4', '007', '1.50', '.5', '1e3', '0x1F', '0o17', 'true', 'False', 'null', '~', '.inf', '.NaN', 'a b c', 'x:y', 'a#b', 'a #b', 'KPI-a, KPI-b', 'a: b', '[a, b]', '[]', '[ OKR-x ,OKR-y ]', '[1, 02, true, null]', '[a, [b]]', "'quoted'", '"dq"', '- x', '&anchor x', '*alias', '!tag x', '|', '>', '{a: 1}', '@x', '`x`', '%x', 'a  ', '[a, b] # c', 'ünïcödé 😀'];
  for (const v of values) {
    for (const eol of ['\n', '\r\n']) {
      const text = ['---', 'type: prd', `title: ${v}`, `okrs: ${v}`, '---', '', '# T', ''].join(eol);
      const uri = 'file:///w/x.prd.md';
      const full = analyzeDocument(uri, text, schemas(), 1, { parse: parseMarkdown });
      const pass = indexPass(uri, text, options());
      assert.deepEqual(pass.model.frontMatter?.fields, full.model.frontMatter?.fields, `front matter value ${JSON.stringify(v)}`);
      assert.deepEqual(pass.model.frontMatter?.span, full.model.frontMatter?.span);
    }
  }
});

for (const [name, file] of [['bench', 'generate.mjs'], ['real-style bench', 'generate-real.mjs']] as const) {
  test(`index-only definitions equal the full analysis on a small ${name} corpus`, async () => {
    const gen = (await import(pathToFileURL(path.join(ROOT, 'bench', file)).href)) as { generateCorpus(o: object): unknown };
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'northstar-indexpass-'));
    try {
      gen.generateCorpus({ files: 30, sizeKb: 12, largeMb: [], seed: 5, out });
      for (const f of findMarkdownFiles([path.join(out, 'workspace')])) {
        const uri = pathToFileURL(f).href;
        const text = fs.readFileSync(f, 'utf8');
        const pass = indexPass(uri, text, options());
        assert.ok(pass.exact, `${path.basename(f)} read roughly`);
        const full = analyzeDocument(uri, text, schemas(), 1, { parse: parseMarkdown });
        assert.deepEqual(definitionsOf(pass.model), definitionsOf(full.model), `${path.basename(f)}: the index-only definitions differ`);
        assert.deepEqual(pass.model.references.map((r) => `${r.id}@${r.span.start}`), full.model.references.map((r) => `${r.id}@${r.span.start}`), `${path.basename(f)}: the index-only references differ`);
      }
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });
}
