/** The persistent model cache: warm equals cold, corruption and version changes are survived. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { analysisFromModel, analyzeDocument } from '../../server/src/core/analysis.js';
import { ModelCache, analyzeThroughCache, decodeIndexPart, encodeIndexPart, indexModel, pack, unpack } from '../../server/src/node/modelCache.js';
import { WorkspaceIndex } from '../../server/src/core/index/workspaceIndex.js';
import { findMarkdownFiles, readMarkdownFile } from '../../server/src/node/host.js';
import { ROOT, schemas } from '../helpers.js';

test('a warm start from the cache gives the same models and diagnostics as a cold one; corrupt or outdated caches are ignored', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'northstar-cache-'));
  try {
    const files = findMarkdownFiles([path.join(ROOT, 'examples')]);
    const run = (key: string) => {
      const cache = new ModelCache(dir, key);
      const loaded = cache.load();
      let parsed = 0;
      const seen = new Set<string>();
      const out = files.map((f) => {
        const text = readMarkdownFile(f).text!;
        return analyzeThroughCache(cache, `file://${f}`, text, (u, t) => (parsed++, analyzeDocument(u, t, schemas())), (u, t, m) => analysisFromModel(u, t, m, schemas()), seen);
      });
      cache.save(seen);
      return { out, parsed, loaded };
    };
    const cold = run('v1');
    assert.equal(cold.parsed, files.length);
    const warm = run('v1');
    assert.equal(warm.parsed, 0, 'a warm start parses nothing');
    assert.equal(warm.loaded.loaded, files.length);
    for (let i = 0; i < files.length; i++) {
      // The same data (a JSON round trip drops keys whose value is undefined).
      assert.deepEqual(JSON.parse(JSON.stringify(warm.out[i]!.model)), JSON.parse(JSON.stringify(cold.out[i]!.model)));
      assert.deepEqual(warm.out[i]!.diagnostics, cold.out[i]!.diagnostics);
    }
    // A new version (or other schemas) invalidates the whole cache.
    assert.equal(run('v2').parsed, files.length);
    // A corrupt file is ignored and rebuilt.
    const file = new ModelCache(dir, 'v2').file;
    fs.writeFileSync(file, '{"format":2,"key":"v2","entries":["x",');
    const afterCorrupt = run('v2');
    assert.ok(afterCorrupt.loaded.problem);
    assert.equal(afterCorrupt.parsed, files.length);
    assert.equal(run('v2').parsed, 0);
    // One generation's data file at a time (older ones are removed once the new index is in place).
    const dataFiles = () => fs.readdirSync(dir).filter((f) => f.endsWith('.dat'));
    assert.equal(dataFiles().length, 1);
    assert.deepEqual(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp')), []);
    // A damaged entry in the data file: that file is parsed again, the others still come from the cache.
    const index = JSON.parse(fs.readFileSync(file, 'utf8')) as { data: string; entries: (string | number)[] };
    const data = path.join(dir, index.data);
    const bytes = fs.readFileSync(data);
    bytes.fill(0x7b, index.entries[1] as number, (index.entries[1] as number) + 20); // '{' over the first entry's start
    fs.writeFileSync(data, bytes);
    assert.equal(run('v2').parsed, 1);
    assert.equal(run('v2').parsed, 0, 'the damaged entry was rewritten');
    // A damaged index part (after the entry's model): the first pass gets none (it reads that file
    // itself), the entry is forgotten and rebuilt; the other entries' index parts still decode.
    {
      const index = JSON.parse(fs.readFileSync(file, 'utf8')) as { data: string; entries: (string | number)[] };
      const data = path.join(dir, index.data);
      const bytes = fs.readFileSync(data);
      const [h0, off0, len0] = [index.entries[0] as string, index.entries[1] as number, index.entries[2] as number];
      bytes.fill(0x7b, off0 + len0, off0 + len0 + 5);
      fs.writeFileSync(data, bytes);
      const cache = new ModelCache(dir, 'v2');
      assert.equal(cache.load().loaded, files.length);
      assert.equal(cache.getIndexOnly(h0, 'file:///x.md'), undefined);
      assert.equal(cache.has(h0), false);
      for (let i = 4; i < index.entries.length; i += 4) assert.ok(cache.getIndexOnly(index.entries[i] as string, 'file:///x.md')?.entities);
      cache.save();
      assert.equal(run('v2').parsed, 1, 'the forgotten entry is analysed again');
      assert.equal(run('v2').parsed, 0);
    }
    // A data file that does not match its index (truncated, or gone): everything is rebuilt.
    const current = path.join(dir, (JSON.parse(fs.readFileSync(file, 'utf8')) as { data: string }).data);
    fs.truncateSync(current, fs.statSync(current).size - 10);
    const truncated = run('v2');
    assert.ok(truncated.loaded.problem);
    assert.equal(truncated.parsed, files.length);
    fs.rmSync(path.join(dir, (JSON.parse(fs.readFileSync(file, 'utf8')) as { data: string }).data));
    const gone = run('v2');
    assert.ok(gone.loaded.problem);
    assert.equal(gone.parsed, files.length);
    assert.equal(run('v2').parsed, 0);
    assert.equal(dataFiles().length, 1);
    // An index naming a file outside the cache folder is refused.
    const bad = JSON.parse(fs.readFileSync(file, 'utf8')) as { data: string };
    fs.writeFileSync(file, JSON.stringify({ ...bad, data: '../models.v2.x.dat' }));
    assert.ok(run('v2').loaded.problem);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('the packed form round-trips JSON data: shapes, arrays, repeated strings, odd keys', () => {
  const values: unknown[] = [
    null,
    3,
    'x',
    [],
    {},
    [[], [[0]], { a: [1, 'two', null, true] }],
    { start: 1, end: 2, nested: [{ start: 3, end: 4 }, { end: 5, start: 6 }], s: 'KPI-a, KPI-b' },
    { __proto__x: 1, ['__proto__']: { polluted: true }, constructor: 'c', '': 'empty' },
    { id: 'KPI-repeated-name', items: Array.from({ length: 30 }, (_, i) => ({ text: 'KPI-repeated-name', i, tag: i % 2 ? 'odd' : 'even' })) },
    { dropped: undefined, kept: [undefined, 1] },
  ];
  for (const v of values) {
    const round = unpack(JSON.parse(JSON.stringify(pack(v))));
    assert.deepEqual(round, JSON.parse(JSON.stringify(v)));
  }
  // An own `__proto__` key stays data (no prototype is set).
  const p = unpack(pack(JSON.parse('{"__proto__":{"polluted":true}}'))) as Record<string, unknown>;
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
  assert.ok(Object.prototype.hasOwnProperty.call(p, '__proto__'));
  // Malformed packed values throw (the cache treats that as a miss).
  for (const bad of [1, [], [[], [7, 1]], [[['a']], [1]], [[], [-1]], [[1], [1, 2]]]) assert.throws(() => unpack(bad));
});

test('the index part of a cached model decodes to the model cut down to what the index reads, and the index built from it equals the full index', () => {
  const files = [...findMarkdownFiles([path.join(ROOT, 'examples')]), ...findMarkdownFiles([path.join(ROOT, 'test', 'fixtures')])];
  const full = new WorkspaceIndex();
  const part = new WorkspaceIndex();
  for (const f of files) {
    const text = readMarkdownFile(f).text;
    if (text === undefined) continue;
    const a = analyzeDocument(`file://${f}`, text, schemas());
    const { uri: _uri, ...stored } = a.model;
    const decoded = decodeIndexPart(encodeIndexPart(stored));
    assert.deepEqual(JSON.parse(JSON.stringify(decoded)), JSON.parse(JSON.stringify(indexModel(stored))), f);
    full.set(a);
    part.set(analysisFromModel(a.uri, text, { ...decoded, uri: a.uri }, schemas()), true);
  }
  const defs = (ix: WorkspaceIndex) => ix.allDefinitions().map((d) => `${d.id} ${d.kind} ${d.uri} ${d.span.start}-${d.span.end} ${d.derived ?? ''} ${d.entity?.title ?? ''} ${d.entity?.parent ?? ''}`).sort();
  assert.deepEqual(defs(part), defs(full));
  for (const id of full.definedIds()) {
    assert.deepEqual(part.references(id), full.references(id), id);
  }
  for (const u of full.uris()) assert.deepEqual(part.nameReferences(u), full.nameReferences(u), u);
  // Malformed index parts throw (the cache treats that as a miss).
  for (const bad of ['', '[]', '[1,[[["props"]],[1,[0]]],[],[],[]]', '[2,[[],[0]],[],[],[]]', '[2,[[["props"]],[1,[0]]],[],[0],[]]', '[2,[[["props"]],[1,[0]]],["x"],[],[0,0,0,1,0,0]]', '[2,[[["props"]],[1,[0]]],["x"],[],[5,0,0,1,0,-1,-1]]', '[2,[[["props"]],[1,[0,[0,7,[0]]]]],["x"],[],[]]']) assert.throws(() => decodeIndexPart(bad));
});

test('the same text under another file name is read again, never given the first file\'s model (type by file name, derived document key)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'northstar-cache-'));
  try {
    const text = '---\ntype: prd\n---\n\n# Search\n\n## Features\n\n### Saved searches\n\nUsers keep a search.\n';
    const cache = new ModelCache(dir, 'k');
    cache.load();
    const seen = new Set<string>();
    const read = (uri: string) => analyzeThroughCache(cache, uri, text, (u, t) => analyzeDocument(u, t, schemas()), (u, t, m) => analysisFromModel(u, t, m, schemas()), seen);
    const a = read('file:///ws/team-a/search.prd.md');
    const b = read('file:///ws/team-b/checkout.prd.md');
    assert.notDeepEqual(a.model.entities.map((e) => e.id), b.model.entities.map((e) => e.id));
    assert.deepEqual(b.model.entities.map((e) => e.id), analyzeDocument('file:///ws/team-b/checkout.prd.md', text, schemas()).model.entities.map((e) => e.id));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
