/** The persistent model cache: warm equals cold, corruption and version changes are survived. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { analysisFromModel, analyzeDocument } from '../../server/src/core/analysis.js';
import { ModelCache, analyzeThroughCache } from '../../server/src/node/modelCache.js';
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
    fs.writeFileSync(file, '{"format":1,"key":"v2","entries":{"x":');
    const afterCorrupt = run('v2');
    assert.ok(afterCorrupt.loaded.problem);
    assert.equal(afterCorrupt.parsed, files.length);
    assert.equal(run('v2').parsed, 0);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
