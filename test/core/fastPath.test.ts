/**
 * The fast path (core/parse/scan.ts) against the full remark pipeline: whenever the line scanner
 * answers, the extracted model — front matter, sections, entities with every property and range,
 * references, suppressions — is identical to the one remark's tree gives. Checked on the examples,
 * the fixtures, the real-world corpus, every CommonMark spec example, and generated documents.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import fc from 'fast-check';
import { tests as commonmark } from 'commonmark-spec';
import { analyzeDocument } from '../../server/src/core/analysis.js';
import { findMarkdownFiles } from '../../server/src/node/host.js';
import { planRegions } from '../../server/src/core/parse/regions.js';
import { ROOT, schemas } from '../helpers.js';

/** The model from the fast path (whole-document scan, or scanned and remark-read regions) equals remark's of the whole document. */
function same(uri: string, text: string): 'scan' | 'remark' | 'regions' {
  const fast = analyzeDocument(uri, text, schemas());
  const full = analyzeDocument(uri, text, schemas(), undefined, { remarkOnly: true });
  assert.equal(full.parser, 'remark');
  assert.deepEqual(fast.model, full.model, `models differ for ${uri}:\n${text.slice(0, 2000)}`);
  assert.deepEqual(fast.diagnostics, full.diagnostics);
  return fast.parser;
}

test('fast path == remark on the examples (and the examples take the fast path)', () => {
  for (const f of findMarkdownFiles([path.join(ROOT, 'examples')])) {
    assert.equal(same(f, fs.readFileSync(f, 'utf8')), 'scan', `${f} fell back to remark`);
  }
});

test('fast path == remark on the fixtures and the real-world corpus', () => {
  const dirs = [path.join(ROOT, 'test', 'fixtures'), path.join(ROOT, 'test', 'real-world', 'docs'), path.join(ROOT, '..', 'shared', 'corpus', 'real-world')].filter((d) => fs.existsSync(d));
  let fast = 0;
  for (const f of findMarkdownFiles(dirs)) if (same(f, fs.readFileSync(f, 'utf8')) === 'scan') fast++;
  assert.ok(fast > 50, `only ${fast} documents took the fast path`);
});

test('fast path == remark on every CommonMark spec example it accepts', () => {
  const head = '---\ntype: prd\nid: PRD-cm\n---\n\n## Features\n\n### FEAT-cm: Title\n\n';
  let fast = 0;
  for (const ex of commonmark) {
    const body = ex.markdown.replace(/→/g, '\t');
    const variants = [body, body.replace(/foo|bar|baz/g, 'FEAT-x').replace(/^(\s*[-*+] )(\w+)/gm, '$1priority: $2')];
    for (const v of variants) if (same(`file:///cm/${ex.number}.prd.md`, head + v) === 'scan') fast++;
  }
  assert.ok(fast > 500, `only ${fast} examples took the fast path`);
});

// ---- generated product documents -----------------------------------------------------------

const id = (kind: string) => fc.stringMatching(/^[a-z][a-z0-9]{1,6}(-[a-z0-9]{1,5})?$/).map((s) => `${kind}-${s}`);
const anyId = fc.oneof(id('KPI'), id('FEAT'), id('KR'), id('OBJ'), id('PRD'));
const words = fc.array(fc.constantFrom('the', 'checkout', 'shoppers', 'pay', 'faster', 'with', 'saved', 'cards', 'and', 'fewer', 'steps', '80%', '2026-Q4', '—', '(beta)', 'e.g.', 'a/b'), { minLength: 1, maxLength: 10 }).map((w) => w.join(' '));
const inline = fc.oneof(
  words,
  anyId,
  anyId.map((i) => `\`${i}\``),
  anyId.map((i) => `**${i}**`),
  anyId.map((i) => `_${i}_`),
  fc.tuple(words, anyId).map(([w, i]) => `[${w}](https://example.com/${i})`),
  fc.tuple(words, anyId).map(([w, i]) => `[${i}](#${w.replace(/\W+/g, '-')})`),
  anyId.map((i) => `${i}.`),
  fc.constant('a | b'),
);
const sentence = fc.array(inline, { minLength: 1, maxLength: 6 }).map((p) => p.join(' '));
const propKey = fc.constantFrom('priority', 'kpi', 'status', 'release', 'effort', 'reach', 'impact', 'confidence', 'depends_on', 'Target', 'owner', 'colour');
const propVal = fc.oneof(fc.constantFrom('must', 'Must have', 'should', 'wont', '80%', 'High', '2026-12-01', '3', 'in-progress'), anyId, fc.tuple(anyId, anyId).map(([a, b]) => `${a}, ${b}`));
const propLine = fc.tuple(fc.constantFrom('- ', '* ', '- [ ] ', '- **'), propKey, propVal).map(([m, k, v]) => (m === '- **' ? `- **${k}:** ${v}` : `${m}${k}: ${v}`));
const block = fc.oneof(
  { weight: 4, arbitrary: sentence },
  { weight: 3, arbitrary: fc.array(propLine, { minLength: 1, maxLength: 5 }).map((l) => l.join('\n')) },
  { weight: 1, arbitrary: fc.array(propLine, { minLength: 1, maxLength: 3 }).map((l) => l.map((x) => `  ${x}`).join('\n')).map((nested) => `- parent item\n${nested}`) },
  { weight: 2, arbitrary: fc.tuple(fc.array(fc.tuple(anyId, words, propVal), { minLength: 1, maxLength: 4 })).map(([rows]) => ['| ID | Title | KPI |', '|----|:-----:|-----|', ...rows.map(([i, w, v]) => `| ${i} | ${w} | ${v} |`)].join('\n')) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom('```', '~~~', '````'), sentence).map(([f, s]) => `${f}yaml\n## not a heading ${s}\n${f}`) },
  { weight: 1, arbitrary: fc.constantFrom('<!-- northstar-disable-next-line invalid-value -->', '<!-- a comment -->', '---', '***') },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom('**Priority**: Must have', '**KPI**: KPI-a'), sentence).map(([a, b]) => `${a}\n${b}`) },
  { weight: 1, arbitrary: fc.tuple(words).map(([w]) => `${w}\n${'-'.repeat(3)}`) },
  { weight: 1, arbitrary: fc.tuple(fc.integer({ min: 1, max: 3 }), sentence).map(([n, s]) => `${n}. ${s}\n${n + 1}. ${s}`) },
);
const heading = fc.oneof(
  fc.tuple(fc.integer({ min: 1, max: 4 }), words).map(([d, w]) => `${'#'.repeat(d)} ${w}`),
  fc.tuple(fc.integer({ min: 2, max: 4 }), anyId, words).map(([d, i, w]) => `${'#'.repeat(d)} ${i}: ${w}`),
  fc.constantFrom('## Problem', '## 2. Goals & Success Metrics', '## Out of scope', '## Features', '## Success metrics', '## Release plan ##'),
);
const documentArb = fc.tuple(
  fc.constantFrom('', '---\ntype: prd\nid: PRD-gen\ntitle: Generated\nowner: Ana\nstatus: draft\nbrief: BRIEF-gen\nrelease: 2026-Q4\n---\n\n', '---\ntype: okr\nid: OKR-gen\nperiod: 2026-Q4\n---\n'),
  fc.array(fc.tuple(heading, fc.array(block, { maxLength: 4 })), { maxLength: 8 }),
  fc.boolean(),
  fc.boolean(),
).map(([fm, sections, crlf, trailing]) => {
  const body = sections.map(([h, bs]) => [h, ...bs].join('\n\n')).join('\n\n');
  const t = fm + body + (trailing ? '\n' : '');
  return crlf ? t.replace(/\n/g, '\r\n') : t;
});

test('fast path == remark on 1,000 generated product documents', () => {
  let fast = 0;
  fc.assert(
    fc.property(documentArb, (text) => {
      if (same('file:///gen/doc.prd.md', text) === 'scan') fast++;
    }),
    { numRuns: 1000, seed: 424242 },
  );
  assert.ok(fast > 500, `only ${fast} of 1000 generated documents took the fast path`);
});

// ---- both bench corpora (bench/generate.mjs and the real-style bench/generate-real.mjs) ------

for (const [name, file] of [['bench', 'generate.mjs'], ['real-style bench', 'generate-real.mjs']] as const) {
  test(`fast path == remark on a small ${name} corpus (and most of its text is scanned)`, async () => {
    const gen = (await import(pathToFileURL(path.join(ROOT, 'bench', file)).href)) as { generateCorpus(o: object): unknown };
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'northstar-fastpath-'));
    try {
      gen.generateCorpus({ files: 24, sizeKb: 12, largeMb: [], seed: 7, out });
      let chars = 0;
      let remarkChars = 0;
      for (const f of findMarkdownFiles([path.join(out, 'workspace')])) {
        const text = fs.readFileSync(f, 'utf8');
        same(pathToFileURL(f).href, text);
        chars += text.length;
        remarkChars += planRegions(text).remarkChars;
      }
      assert.ok(remarkChars < chars * 0.25, `${((100 * remarkChars) / chars).toFixed(1)}% of the ${name} corpus went to remark`);
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });
}

// ---- tabs: CommonMark's tab stops (4 columns) and partial tabs, in every kind of indentation ----

const gap = fc.constantFrom(' ', ' ', '\t', '  ', ' \t', '\t ');
const indentUnit = fc.constantFrom('\t', '  ', '   ', '    ', ' \t', '\t ', '  \t', '\t\t');
const marker = fc.constantFrom('-', '*', '+', '1.', '2)', '10.');
const tabbed = (s: string) => fc.array(fc.constantFrom(' ', '\t', '\t', ' \t'), { minLength: 1, maxLength: 1 }).map(([g]) => s.replace(/ /g, g!));
const itemText = fc.oneof(
  sentence,
  fc.tuple(propKey, gap, propVal).map(([k, g, v]) => `${k}:${g}${v}`),
  fc.tuple(propKey, gap, propVal).map(([k, g, v]) => `**${k}:**${g}${v}`),
  fc.tuple(fc.constantFrom('[ ]', '[x]'), gap, sentence).map(([c, g, s]) => `${c}${g}${s}`),
  sentence.chain(tabbed),
);
/** A list up to four deep: each level's indentation a random mix of tabs and spaces. */
const tabList = fc
  .array(fc.tuple(fc.integer({ min: 0, max: 3 }), indentUnit, marker, gap, itemText), { minLength: 1, maxLength: 8 })
  .map((items) => {
    const out: string[] = [];
    let depth = 0;
    const prefixes = [''];
    for (const [d0, unit, m, g, t] of items) {
      const d = Math.min(d0, depth + 1);
      prefixes.length = d + 1;
      if (prefixes[d] === undefined) prefixes[d] = prefixes[d - 1]! + unit;
      out.push(`${prefixes[d]}${m}${g}${t}`);
      depth = d;
    }
    return out.join('\n');
  });
const quotePrefix = fc.array(fc.constantFrom('>', '> ', '>\t', ' >\t', '> \t'), { minLength: 1, maxLength: 3 }).map((p) => p.join(''));
const tabBlock = fc.oneof(
  { weight: 4, arbitrary: tabList },
  { weight: 2, arbitrary: fc.tuple(quotePrefix, fc.oneof(sentence, tabList)).map(([q, b]) => b.split('\n').map((l) => `${q}${l}`).join('\n')) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom('\t', '    ', '  \t', ' \t '), sentence).map(([i, s]) => `${i}${s}\n${i}## not a heading ${s}`) },
  { weight: 1, arbitrary: fc.tuple(sentence, fc.constantFrom('\t', ' \t', '\t\t'), sentence).map(([a, i, b]) => `${a}\n${i}${b}`) },
  { weight: 1, arbitrary: fc.tuple(fc.array(fc.tuple(anyId, words, propVal), { minLength: 1, maxLength: 3 }), gap).map(([rows, g]) => [`|${g}ID${g}|${g}Title${g}|${g}KPI${g}|`, '|----|:-----:|-----|', ...rows.map(([i, w, v]) => `|${g}${i}${g}|${g}${w}${g}|${g}${v}${g}|`)].join('\n')) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom('```', '~~~'), gap, sentence).map(([f, g, s]) => `${g === ' ' ? '' : g}${f}${g}yaml\n\t## not a heading ${s}\n${g === ' ' ? '' : g}${f}`) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom('*\t*\t*', '-\t-\t-', '***\t', '- - -'), sentence).map(([t, s]) => `${s}\n\n${t}`) },
  { weight: 1, arbitrary: fc.tuple(words, fc.constantFrom('===\t', '---\t', '\t===', ' ---')).map(([w, u]) => `${w}\n${u}`) },
  { weight: 2, arbitrary: block },
);
const tabHeading = fc.oneof(
  heading,
  fc.tuple(fc.integer({ min: 1, max: 4 }), gap, anyId, gap, words).map(([d, g, i, g2, w]) => `${'#'.repeat(d)}${g}${i}:${g2}${w}`),
  fc.tuple(fc.integer({ min: 2, max: 3 }), words).map(([d, w]) => `${'#'.repeat(d)}\t${w}\t${'#'.repeat(d)}\t`),
);
const tabDocumentArb = fc.tuple(
  fc.constantFrom('', '---\ntype: prd\nid: PRD-tab\ntitle: Tabs\nowner: Ana\nstatus: draft\nbrief: BRIEF-gen\nrelease: 2026-Q4\n---\n\n', '---\ntype: okr\nid: OKR-tab\nperiod: 2026-Q4\n---\n'),
  fc.array(fc.tuple(tabHeading, fc.array(tabBlock, { maxLength: 4 })), { maxLength: 6 }),
  fc.boolean(),
).map(([fm, sections, crlf]) => {
  const t = fm + sections.map(([h, bs]) => [h, ...bs].join('\n\n')).join('\n\n') + '\n';
  return crlf ? t.replace(/\n/g, '\r\n') : t;
});

test('fast path == remark on 1,000 generated documents with tabs in list, quote and code indentation', () => {
  let scanned = 0;
  let chars = 0;
  let remarkChars = 0;
  fc.assert(
    fc.property(tabDocumentArb, (text) => {
      if (same('file:///gen/tabs.prd.md', text) === 'scan') scanned++;
      chars += text.length;
      remarkChars += planRegions(text).remarkChars;
    }),
    { numRuns: 1000, seed: 9090 },
  );
  // Most of the text is scanned; what is not is what the scanner does not read with spaces either.
  assert.ok(remarkChars < chars * 0.5, `${((100 * remarkChars) / chars).toFixed(1)}% of the tab documents went to remark`);
  assert.ok(scanned > 100, `only ${scanned} of 1000 tab documents took the fast path`);
});
