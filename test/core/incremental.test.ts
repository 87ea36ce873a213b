/**
 * The incremental analysis (core/model/incremental.ts with parse/regionCache.ts): after any
 * sequence of edits, the analysis through one document's cache equals a from-scratch analysis of
 * the same text — model and diagnostics. Edits are random (fast-check): characters and lines
 * inserted and deleted anywhere, inside headings, across region boundaries, in the front matter,
 * fences opened and closed; on the real-world documents, both bench generators' documents and the
 * diagnostics fixtures.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import fc from 'fast-check';
import { analyzeDocument, type Analysis } from '../../server/src/core/analysis.js';
import { RegionCache } from '../../server/src/core/parse/regionCache.js';
import { entityValues } from '../../server/src/core/schema/entityValues.js';
import { splitRegions } from '../../server/src/core/parse/regions.js';
import { findMarkdownFiles } from '../../server/src/node/host.js';
import { ROOT, schemas } from '../helpers.js';

const registry = schemas();

function assertSame(incremental: Analysis, fresh: Analysis, what: string): void {
  assert.deepEqual(incremental.model, fresh.model, `models differ: ${what}`);
  assert.deepEqual(incremental.diagnostics, fresh.diagnostics, `diagnostics differ: ${what}`);
  // The values read from each entity (moved with an entity that only moved) equal the values read afresh.
  const { type, priorityScale } = fresh.model;
  incremental.model.entities.forEach((e, k) => assert.deepEqual(entityValues(e, type, registry, priorityScale), entityValues(fresh.model.entities[k]!, type, registry, priorityScale), `values of ${e.id} differ: ${what}`));
}

// ---- the documents edits start from ---------------------------------------------------------

let corpus: { name: string; text: string }[] | undefined;

async function documents(): Promise<{ name: string; text: string }[]> {
  if (corpus) return corpus;
  const docs: { name: string; text: string }[] = [];
  const read = (files: string[]) => {
    for (const f of files) docs.push({ name: path.basename(f), text: fs.readFileSync(f, 'utf8') });
  };
  read(findMarkdownFiles([path.join(ROOT, 'test', 'real-world', 'docs')]));
  read(findMarkdownFiles([path.join(ROOT, 'test', 'fixtures', 'diagnostics')]));
  for (const [script, opts] of [
    ['generate-real.mjs', { files: 8, sizeKb: 6, largeMb: [], seed: 5 }],
    ['generate.mjs', { files: 8, sizeKb: 6, largeMb: [], seed: 5 }],
  ] as const) {
    const gen = (await import(pathToFileURL(path.join(ROOT, 'bench', script)).href)) as { generateCorpus(o: object): unknown };
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'northstar-incremental-'));
    try {
      gen.generateCorpus({ ...opts, out });
      read(findMarkdownFiles([path.join(out, 'workspace')]).slice(0, 10));
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  }
  return (corpus = docs);
}

// ---- edits ----------------------------------------------------------------------------------

type Edit =
  | { kind: 'insert'; at: number; text: string }
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'heading'; which: number; text: string }
  | { kind: 'acrossBoundary'; which: number; before: number; after: number }
  | { kind: 'frontMatter'; at: number; text: string }
  | { kind: 'fence'; at: number; close: boolean }
  | { kind: 'deleteLine'; at: number }
  | { kind: 'duplicateLine'; at: number };

const SNIPPETS = ['x', ' ', '\n', '\n\n', 'FEAT-101', ' KPI-7', 'OBJ-1: ', '- kpi: KPI-101\n', '- priority: must\n', '## ', '### FEAT-new: New feature\n', '## Goals\n', '# Title\n', '| ID | Title |\n|---|---|\n| FEAT-t1 | Row |\n', '<!-- northstar-disable-next-line -->\n', '```\n', '---\n', '*', '`', '[', 'é', '😀', '\r\n', '> quote\n', '- item\n', 'P1', 'Priority: P0 = must\n'];

const frac = fc.double({ min: 0, max: 1, noNaN: true });
const editArb: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ kind: fc.constant('insert' as const), at: frac, text: fc.constantFrom(...SNIPPETS) }),
  fc.record({ kind: fc.constant('delete' as const), at: frac, length: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ kind: fc.constant('heading' as const), which: fc.nat(1000), text: fc.constantFrom('x', '#', ' FEAT-9', 'KPI-', ':', '\n', '## ') }),
  fc.record({ kind: fc.constant('acrossBoundary' as const), which: fc.nat(1000), before: fc.integer({ min: 0, max: 20 }), after: fc.integer({ min: 1, max: 20 }) }),
  fc.record({ kind: fc.constant('frontMatter' as const), at: frac, text: fc.constantFrom('x', '\n', 'type: okr\n', 'id: PRD-x\n', ':', '---\n', ' ') }),
  fc.record({ kind: fc.constant('fence' as const), at: frac, close: fc.boolean() }),
  fc.record({ kind: fc.constant('deleteLine' as const), at: frac }),
  fc.record({ kind: fc.constant('duplicateLine' as const), at: frac }),
);

/** Where a fraction of the text falls, on a UTF-16 boundary (or, with `lineStart`, at the start of a line). */
function offsetAt(text: string, x: number, lineStart = false): number {
  let at = Math.min(text.length, Math.floor(x * text.length));
  if (lineStart) at = text.lastIndexOf('\n', at - 1) + 1;
  else if (at > 0 && at < text.length && /[\uDC00-\uDFFF]/.test(text[at]!)) at--;
  return at;
}

function deleteRange(text: string, at: number, end: number): string {
  if (at > 0 && /[\uDC00-\uDFFF]/.test(text[at] ?? '')) at--;
  if (end < text.length && /[\uDC00-\uDFFF]/.test(text[end]!)) end++;
  return text.slice(0, at) + text.slice(Math.min(end, text.length));
}

function apply(text: string, e: Edit): string {
  switch (e.kind) {
    case 'insert': {
      const at = offsetAt(text, e.at);
      return text.slice(0, at) + e.text + text.slice(at);
    }
    case 'delete': {
      const at = offsetAt(text, e.at);
      return deleteRange(text, at, at + e.length);
    }
    case 'heading': {
      // Inside a heading line: right after its marker, or at its end.
      const hs = [...text.matchAll(/^#{1,6}[ \t][^\r\n]*/gm)];
      if (!hs.length) return text;
      const m = hs[e.which % hs.length]!;
      const at = e.which % 2 ? m.index + m[0].length : m.index + m[0].indexOf(' ') + 1;
      return text.slice(0, at) + e.text + text.slice(at);
    }
    case 'acrossBoundary': {
      // A deletion that starts before a region's first line and ends inside it (two regions become one, or change).
      const regions = splitRegions(text);
      if (regions.length < 2) return text;
      const r = regions[1 + (e.which % (regions.length - 1))]!;
      return deleteRange(text, Math.max(0, r.start - e.before), r.start + e.after);
    }
    case 'frontMatter': {
      const close = text.startsWith('---') ? text.indexOf('\n---', 3) : -1;
      const end = close > 0 ? close + 1 : Math.min(text.length, 40);
      const at = offsetAt(text.slice(0, end), e.at, e.text.endsWith('\n'));
      return text.slice(0, at) + e.text + text.slice(at);
    }
    case 'fence': {
      const at = offsetAt(text, e.at, true);
      return text.slice(0, at) + (e.close ? '```\ncode FEAT-1\n```\n' : '```\n') + text.slice(at);
    }
    case 'deleteLine': {
      const at = offsetAt(text, e.at, true);
      const nl = text.indexOf('\n', at);
      return text.slice(0, at) + (nl < 0 ? '' : text.slice(nl + 1));
    }
    case 'duplicateLine': {
      const at = offsetAt(text, e.at, true);
      const nl = text.indexOf('\n', at);
      const line = nl < 0 ? `${text.slice(at)}\n` : text.slice(at, nl + 1);
      return text.slice(0, at) + line + text.slice(at);
    }
  }
}

// ---- the invariant --------------------------------------------------------------------------

test('after any sequence of edits, the incremental analysis equals a fresh analysis (model and diagnostics)', async () => {
  const docs = await documents();
  assert.ok(docs.length > 60, `only ${docs.length} documents`);
  fc.assert(
    fc.property(fc.nat(docs.length - 1), fc.array(editArb, { minLength: 1, maxLength: 6 }), (k, edits) => {
      const doc = docs[k]!;
      const uri = `file:///w/${doc.name}`;
      const cache = new RegionCache();
      let text = doc.text;
      assertSame(analyzeDocument(uri, text, registry, 1, { cache }), analyzeDocument(uri, text, registry, 1), `${doc.name}, unedited`);
      edits.forEach((e, v) => {
        text = apply(text, e);
        assertSame(analyzeDocument(uri, text, registry, v + 2, { cache }), analyzeDocument(uri, text, registry, v + 2), `${doc.name} after ${JSON.stringify(edits.slice(0, v + 1))}`);
      });
    }),
    { numRuns: 120, seed: 4 },
  );
});

test('every document, edited once in each region, equals a fresh analysis each time', async () => {
  for (const doc of (await documents()).filter((_, k) => k % 3 === 0)) {
    const uri = `file:///w/${doc.name}`;
    const cache = new RegionCache();
    let text = doc.text;
    analyzeDocument(uri, text, registry, 1, { cache });
    const n = splitRegions(text).length;
    for (let k = 0; k < Math.min(n, 12); k++) {
      const r = splitRegions(text)[k]!;
      const nl = text.indexOf('\n', r.start);
      const at = nl < 0 || nl >= r.end ? r.end : nl;
      text = `${text.slice(0, at)} FEAT-${k}${text.slice(at)}`;
      assertSame(analyzeDocument(uri, text, registry, k + 2, { cache }), analyzeDocument(uri, text, registry, k + 2), `${doc.name}, region ${k}`);
    }
  }
});

test('a keystroke in one feature of a document with written IDs re-reads one region; the others are reused', () => {
  const parts = ['---\ntype: prd\nid: PRD-big\ntitle: Big\n---\n\n# Big PRD\n\n## Features\n'];
  for (let k = 1; k <= 60; k++) parts.push(`\n### FEAT-f${k}: Feature ${k}\n\nWhat feature ${k} does, for KPI-k${k % 7}.\n\n- priority: must\n- kpi: KPI-k${k % 7}\n- status: planned\n<!-- northstar-disable-next-line -->\n- release: 2027-Q${1 + (k % 4)}\n`);
  let text = parts.join('');
  const cache = new RegionCache();
  const uri = 'file:///w/big.prd.md';
  assertSame(analyzeDocument(uri, text, registry, 1, { cache }), analyzeDocument(uri, text, registry, 1), 'unedited');
  const regions = splitRegions(text).length;
  for (const [what, edit] of [
    ['a word in feature 30', (t: string) => t.replace('What feature 30 does', 'What feature 30 really does')],
    ['a line in feature 2 (every later region moves a line down)', (t: string) => t.replace('What feature 2 does', 'What feature 2 does\nand more')],
    ['a property of feature 59', (t: string) => t.replace('- priority: must\n- kpi: KPI-k3\n- status: planned\n<!-- northstar-disable-next-line -->\n- release: 2027-Q4\n', '- priority: could\n- kpi: KPI-k3\n- status: planned\n<!-- northstar-disable-next-line -->\n- release: 2027-Q4\n')],
  ] as const) {
    const before = { ...cache.parts.stats };
    text = edit(text);
    assertSame(analyzeDocument(uri, text, registry, 2, { cache }), analyzeDocument(uri, text, registry, 2), what);
    assert.equal(cache.parts.stats.read - before.read, 1, `${what}: regions re-extracted`);
    assert.equal(cache.parts.stats.reused - before.reused, regions - 1, `${what}: regions reused`);
  }
});
