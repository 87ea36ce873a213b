/**
 * The region cache (core/parse/regionCache.ts): a keystroke re-reads only the regions its edit
 * touched, and the analysis with the cache after any sequence of edits deep-equals the analysis
 * without one. Edits are generated with fast-check over the real-world documents and real-style
 * bench documents: inserts and deletes anywhere, headings added and removed (regions split and
 * merged), reference definitions added, changed and removed (other regions' references change
 * meaning), line ends switched between LF and CRLF.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import fc from 'fast-check';
import { analyzeDocument, analyzeDocumentAsync, type Analysis } from '../../server/src/core/analysis.js';
import { parseMarkdown } from '../../server/src/core/parse/markdown.js';
import { RegionCache } from '../../server/src/core/parse/regionCache.js';
import { planRegions, splitRegions } from '../../server/src/core/parse/regions.js';
import { findMarkdownFiles } from '../../server/src/node/host.js';
import { ROOT, schemas } from '../helpers.js';

function assertSame(withCache: Analysis, without: Analysis, what: string): void {
  assert.equal(withCache.parser, without.parser, `parser differs: ${what}`);
  assert.deepEqual(withCache.model, without.model, `models differ: ${what}`);
  assert.deepEqual(withCache.diagnostics, without.diagnostics, `diagnostics differ: ${what}`);
}

// ---- the documents edits start from ---------------------------------------------------------

let corpus: { name: string; text: string }[] | undefined;

async function documents(): Promise<{ name: string; text: string }[]> {
  if (corpus) return corpus;
  const docs = findMarkdownFiles([path.join(ROOT, 'test', 'real-world', 'docs')]).map((f) => ({ name: path.basename(f), text: fs.readFileSync(f, 'utf8') }));
  const gen = (await import(pathToFileURL(path.join(ROOT, 'bench', 'generate-real.mjs')).href)) as { generateCorpus(o: object): unknown };
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'northstar-regioncache-'));
  try {
    gen.generateCorpus({ files: 8, sizeKb: 6, largeMb: [], seed: 11, out });
    for (const f of findMarkdownFiles([path.join(out, 'workspace')])) docs.push({ name: path.basename(f), text: fs.readFileSync(f, 'utf8') });
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
  return (corpus = docs);
}

// ---- edits ----------------------------------------------------------------------------------

type Edit =
  | { kind: 'insert'; at: number; text: string }
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'addHeading'; at: number; depth: number }
  | { kind: 'removeHeading'; which: number }
  | { kind: 'definition'; which: number; change: 'url' | 'label' | 'remove' | 'add' }
  | { kind: 'lineEnds'; crlf: boolean };

const SNIPPETS = ['x', ' ', '\n', '\n\n', 'word ', '> quoted line\n', '\t', '[ref]', '[ref][]', '[^1]', '[Guide]', '- item\n', '  - nested\n', '1. first\n', '| a | b |\n|---|---|\n| 1 | 2 |\n', '**Priority:** P1 · **KPI:** KPI-101', '<!-- note -->', '<details>\n', '```\n', '~~~\ncode\n', 'FEAT-101', 'OBJ-1', '# Heading\n', '## Features\n', '---\n', '===\n', '*', '_', '[', ']', '<', '`', '\\', 'é', '😀', '\r\n'];

const editArb: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ kind: fc.constant('insert' as const), at: fc.double({ min: 0, max: 1, noNaN: true }).map((x) => x), text: fc.constantFrom(...SNIPPETS) }).map((e) => ({ ...e, at: e.at })),
  fc.record({ kind: fc.constant('delete' as const), at: fc.double({ min: 0, max: 1, noNaN: true }), length: fc.integer({ min: 1, max: 60 }) }),
  fc.record({ kind: fc.constant('addHeading' as const), at: fc.double({ min: 0, max: 1, noNaN: true }), depth: fc.integer({ min: 1, max: 3 }) }),
  fc.record({ kind: fc.constant('removeHeading' as const), which: fc.nat(1000) }),
  fc.record({ kind: fc.constant('definition' as const), which: fc.nat(1000), change: fc.constantFrom('url' as const, 'label' as const, 'remove' as const, 'add' as const) }),
  fc.record({ kind: fc.constant('lineEnds' as const), crlf: fc.boolean() }),
);

/** Where a fraction of the text falls, on a UTF-16 boundary (or, with `lineStart`, at the start of a line). */
function offsetAt(text: string, x: number, lineStart = false): number {
  let at = Math.min(text.length, Math.floor(x * text.length));
  if (lineStart) {
    at = text.lastIndexOf('\n', at - 1) + 1;
  } else if (at > 0 && at < text.length && /[\uDC00-\uDFFF]/.test(text[at]!)) at--;
  return at;
}

function apply(text: string, e: Edit): string {
  switch (e.kind) {
    case 'insert': {
      const at = offsetAt(text, e.at);
      return text.slice(0, at) + e.text + text.slice(at);
    }
    case 'delete': {
      const at = offsetAt(text, e.at);
      let end = Math.min(text.length, at + e.length);
      if (end < text.length && /[\uDC00-\uDFFF]/.test(text[end]!)) end++;
      return text.slice(0, at) + text.slice(end);
    }
    case 'addHeading': {
      const at = offsetAt(text, e.at, true);
      return `${text.slice(0, at)}${'#'.repeat(e.depth)} Added section\n\nA paragraph with [ref] and FEAT-101.\n\n${text.slice(at)}`;
    }
    case 'removeHeading': {
      const starts = [...text.matchAll(/^#{1,6}(?=[ \t]|\r?$)/gm)];
      if (!starts.length) return text;
      const m = starts[e.which % starts.length]!;
      return text.slice(0, m.index) + 'Heading no more:' + text.slice(m.index + m[0].length);
    }
    case 'definition': {
      const defs = [...text.matchAll(/^ {0,3}\[([^\]\n]+)\]:[^\n]*$/gm)];
      if (e.change === 'add' || !defs.length) {
        // Define a label the document mentions (a reference elsewhere may become a link).
        const labels = [...text.matchAll(/\[([^\]\n[]{1,30})\]/g)].map((m) => m[1]!);
        const label = labels.length ? labels[e.which % labels.length]! : 'ref';
        return `${text}${text.endsWith('\n') ? '' : '\n'}\n[${label}]: https://example.com/${e.which}\n`;
      }
      const m = defs[e.which % defs.length]!;
      const end = m.index + m[0].length;
      if (e.change === 'remove') return text.slice(0, m.index) + text.slice(end);
      if (e.change === 'url') return `${text.slice(0, end)}x${text.slice(end)}`;
      const open = text.indexOf('[', m.index);
      return `${text.slice(0, open + 1)}z${text.slice(open + 1)}`;
    }
    case 'lineEnds':
      return e.crlf ? text.replace(/\r?\n/g, '\r\n') : text.replace(/\r\n/g, '\n');
  }
}

// ---- the invariant --------------------------------------------------------------------------

test('with the region cache, the analysis after any sequence of edits equals the analysis without it', async () => {
  const docs = await documents();
  assert.ok(docs.length > 20, `only ${docs.length} documents`);
  fc.assert(
    fc.property(fc.nat(docs.length - 1), fc.array(editArb, { minLength: 1, maxLength: 5 }), (k, edits) => {
      const doc = docs[k]!;
      const uri = `file:///w/${doc.name}`;
      const cache = new RegionCache();
      let text = doc.text;
      assertSame(analyzeDocument(uri, text, schemas(), 1, { cache }), analyzeDocument(uri, text, schemas(), 1), `${doc.name}, unedited`);
      edits.forEach((e, v) => {
        text = apply(text, e);
        const what = `${doc.name} after ${JSON.stringify(edits.slice(0, v + 1))}`;
        assertSame(analyzeDocument(uri, text, schemas(), v + 2, { cache }), analyzeDocument(uri, text, schemas(), v + 2), what);
        // The trees themselves, not only what is read from them: the cached plan equals a fresh one.
        assert.deepEqual(cache.plan(text).plan, planRegions(text), `plans differ: ${what}`);
        // Bounded: the last version's regions only (each at most once as scanned and once as parsed).
        assert.ok(cache.size <= 2 * splitRegions(text).length, `the cache holds ${cache.size} entries for ${splitRegions(text).length} regions`);
      });
    }),
    { numRuns: 40, seed: 12 },
  );
});

test('every document of the corpus, re-analysed through one cache version after version, equals a fresh analysis', async () => {
  // One cache across unrelated texts: nothing of one document may leak into another.
  const cache = new RegionCache();
  for (const doc of await documents()) {
    const uri = `file:///w/${doc.name}`;
    assertSame(analyzeDocument(uri, doc.text, schemas(), 1, { cache }), analyzeDocument(uri, doc.text, schemas(), 1), doc.name);
  }
});

test('the async analysis (the server path) with the cache equals the analysis without it', async () => {
  const docs = await documents();
  for (const doc of docs.slice(0, 8)) {
    const cache = new RegionCache();
    const uri = `file:///w/${doc.name}`;
    let text = doc.text;
    for (const e of [{ kind: 'insert', at: 0.5, text: 'word ' }, { kind: 'addHeading', at: 0.3, depth: 2 }, { kind: 'lineEnds', crlf: true }, { kind: 'definition', which: 3, change: 'add' }] as Edit[]) {
      text = apply(text, e);
      const a = await analyzeDocumentAsync(uri, text, schemas(), 1, async (t) => parseMarkdown(t), undefined, cache);
      assert.ok(a);
      assertSame(a, analyzeDocument(uri, text, schemas(), 1), `${doc.name} after ${JSON.stringify(e)}`);
    }
  }
});

// ---- what a keystroke costs -----------------------------------------------------------------

/** A 50-region document every region of which needs remark (inline HTML across lines keeps the scanner away). */
function fiftyRegions(): string {
  const out = ['---\ntype: prd\nid: PRD-1\ntitle: Big\n---\n\nIntro <span\nclass="a">with</span> HTML.\n\n# Big PRD\n\nThe <span\nclass="a">summary</span>.\n'];
  for (let k = 2; k < 50; k++) out.push(`\n## Section ${k}\n\nSome text <span\nclass="a">and</span> [a link][ref] in section ${k}.\n\n- a list\n- of items\n`);
  out.push('\n[ref]: https://example.com/ref\n');
  return out.join('');
}

test('an edit inside one region of a 50-region document calls the remark parse at most once', () => {
  let calls = 0;
  const parse = (t: string) => {
    calls++;
    return parseMarkdown(t);
  };
  const cache = new RegionCache();
  let text = fiftyRegions();
  assert.equal(splitRegions(text).length, 50);
  const uri = 'file:///w/big.md';
  const first = analyzeDocument(uri, text, schemas(), 1, { cache, parse });
  assert.equal(first.parser, 'remark');
  assert.equal(calls, 50);
  const edits: [string, (t: string) => string][] = [
    ['a word typed in section 20', (t) => t.replace('in section 20.', 'in section 20 typed.')],
    ['a character deleted in section 7', (t) => t.replace('in section 7.', 'in section 7')],
    ['text inserted in the first region (every later region moves)', (t) => t.replace('Intro', 'Intro, longer,')],
    ['a line added to the last region', (t) => t.replace('in section 49.', 'in section 49.\n\nMore.')],
  ];
  let version = 2;
  for (const [what, edit] of edits) {
    text = edit(text);
    calls = 0;
    const a = analyzeDocument(uri, text, schemas(), version++, { cache, parse });
    assert.ok(calls <= 1, `${what}: remark ran ${calls} times`);
    assertSame(a, analyzeDocument(uri, text, schemas(), version), what);
  }
  // Nothing changed: nothing is parsed.
  calls = 0;
  analyzeDocument(uri, text, schemas(), version++, { cache, parse });
  assert.equal(calls, 0);
  // The definition 48 regions use changes (in the last region): every region that uses it is read again, and no other.
  text = text.replace('https://example.com/ref', 'https://example.com/other');
  calls = 0;
  const a = analyzeDocument(uri, text, schemas(), version++, { cache, parse });
  assert.equal(calls, 48);
  assertSame(a, analyzeDocument(uri, text, schemas(), version), 'the definition changed');
});

test('an edit in a scanned region of a large document re-scans that region only', () => {
  const parts = ['---\ntype: prd\nid: PRD-1\ntitle: Big\n---\n\n# Big PRD\n'];
  for (let k = 1; k < 50; k++) parts.push(`\n## Section ${k}\n\nPlain text in section ${k}, FEAT-${k}.\n`);
  let text = parts.join('');
  const cache = new RegionCache();
  const uri = 'file:///w/scan.md';
  assert.equal(analyzeDocument(uri, text, schemas(), 1, { cache }).parser, 'scan');
  const before = { ...cache.stats };
  text = text.replace('in section 30,', 'in section thirty,');
  assertSame(analyzeDocument(uri, text, schemas(), 2, { cache }), analyzeDocument(uri, text, schemas(), 2), 'one scanned region edited');
  assert.equal(cache.stats.scanned - before.scanned, 1);
  assert.equal(cache.stats.scanReused - before.scanReused, splitRegions(text).length - 1);
});

test('a scanned region whose reference a definition elsewhere turns into a link is scanned again', () => {
  const cache = new RegionCache();
  const before = '# A\n\nSee [the guide][foo] and [^note].\n\n# B\n\nText.\n';
  const after = `${before}\n[foo]: https://example.com/foo\n\n[^note]: A note.\n`;
  const unlinked = cache.plan(before);
  assert.deepEqual(unlinked.plan, planRegions(before));
  unlinked.complete([]);
  const linked = cache.plan(after);
  assert.deepEqual(linked.plan, planRegions(after));
  assert.notDeepEqual(linked.plan.scanned[0], unlinked.plan.scanned[0]);
  linked.complete([]);
  // And back: the definition goes, the reference is text again.
  const again = cache.plan(before);
  assert.deepEqual(again.plan, planRegions(before));
});
