/** Architecture invariants from docs/ARCHITECTURE.md, checked. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RULES } from '../../server/src/core/diagnostics.js';
import { ROOT } from '../helpers.js';

function files(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []));
}

test('the core imports neither vscode, the LSP libraries nor Node built-ins', () => {
  const forbidden = /^(vscode|vscode-languageserver.*|vscode-languageclient.*|vscode-jsonrpc.*|node:.*|fs|path|os|child_process|url|worker_threads|http|https|net)$/;
  for (const f of files(path.join(ROOT, 'server', 'src', 'core'))) {
    const src = fs.readFileSync(f, 'utf8');
    for (const m of src.matchAll(/(?:^|\n)\s*(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]/g)) {
      assert.ok(!forbidden.test(m[1]!), `${path.relative(ROOT, f)} imports ${m[1]}`);
    }
    assert.ok(!/\brequire\(/.test(src), `${path.relative(ROOT, f)} calls require()`);
  }
});

test('the client imports nothing from the server but types', () => {
  for (const f of files(path.join(ROOT, 'client', 'src'))) {
    const src = fs.readFileSync(f, 'utf8');
    for (const m of src.matchAll(/(?:^|\n)\s*import\s+(type\s+)?[^'"]*?from\s+['"]([^'"]+)['"]/g)) {
      if (m[2]!.includes('server/')) assert.ok(m[1], `${path.relative(ROOT, f)} imports server code: ${m[2]}`);
    }
  }
});

test('every diagnostic code has an entry in docs/RULES.md', () => {
  const doc = fs.readFileSync(path.join(ROOT, 'docs', 'RULES.md'), 'utf8');
  for (const code of Object.keys(RULES)) assert.match(doc, new RegExp(`^## ${code}$`, 'm'), `docs/RULES.md has no "## ${code}"`);
});
