/**
 * Diagnostics as data: every test/fixtures/diagnostics/<name>.md is analysed on its own and its
 * diagnostics (range, severity, code, underlined text, message) compared with <name>.md.snap.
 */
import { test } from 'node:test';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FIXTURES, analyze, assertRangesSane, expectSnapshot, renderDiagnostics } from '../helpers.js';

const dir = path.join(FIXTURES, 'diagnostics');
for (const name of fs.readdirSync(dir).filter((f) => f.endsWith('.md')).sort()) {
  test(`diagnostics: ${name}`, () => {
    const text = fs.readFileSync(path.join(dir, name), 'utf8');
    const a = analyze(`test/fixtures/diagnostics/${name}`, text);
    assertRangesSane(a);
    expectSnapshot(path.join(dir, `${name}.snap`), renderDiagnostics(a, a.diagnostics));
  });
}
