/** Shared test helpers: the registry from schemas/, analysis, snapshots that UPDATE_SNAPSHOTS rewrites. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as assert from 'node:assert/strict';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { analyzeDocument, type Analysis } from '../server/src/core/analysis.js';
import type { Diagnostic } from '../server/src/core/diagnostics.js';
import { SchemaRegistry } from '../server/src/core/schema/registry.js';
import { loadSchemaSet } from '../server/src/node/host.js';

/** The repository root (tests run from out/test/). */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const FIXTURES = path.join(ROOT, 'test', 'fixtures');
export const UPDATE = process.env.UPDATE_SNAPSHOTS === '1';

let registry: SchemaRegistry | undefined;
export function schemas(): SchemaRegistry {
  return (registry ??= new SchemaRegistry(loadSchemaSet(path.join(ROOT, 'schemas'))));
}

export function analyze(name: string, text: string): Analysis {
  return analyzeDocument(name.includes(':') ? name : pathToFileURL(path.join(ROOT, name)).href, text, schemas(), 1);
}

/** One line per diagnostic: range, severity, code, the text it underlines, the message. */
export function renderDiagnostics(a: Pick<Analysis, 'lines' | 'text'>, diagnostics: readonly Diagnostic[]): string {
  return diagnostics
    .map((d) => {
      const s = a.lines.positionAt(d.span.start);
      const e = a.lines.positionAt(d.span.end);
      const under = a.text.slice(d.span.start, d.span.end).replace(/\r?\n/g, '⏎');
      return `${s.line + 1}:${s.character + 1}-${e.line + 1}:${e.character + 1} ${d.severity} ${d.code} «${under.length > 60 ? `${under.slice(0, 57)}...` : under}» ${d.message}`;
    })
    .join('\n');
}

/** Compares with the snapshot file, or writes it when UPDATE_SNAPSHOTS=1. */
export function expectSnapshot(file: string, actual: string): void {
  const body = actual.endsWith('\n') || actual === '' ? actual : `${actual}\n`;
  if (UPDATE || !fs.existsSync(file)) {
    if (!UPDATE && process.env.CI) assert.fail(`missing snapshot ${path.relative(ROOT, file)} (run npm run test:update)`);
    fs.writeFileSync(file, body);
    return;
  }
  assert.equal(body, fs.readFileSync(file, 'utf8'), `snapshot ${path.relative(ROOT, file)} differs (run npm run test:update if the change is intended)`);
}

/** Every range of an analysis inside the document and on UTF-16 boundaries. */
export function assertRangesSane(a: Analysis): void {
  const len = a.text.length;
  const ok = (s: { start: number; end: number }, what: string) => {
    assert.ok(s.start >= 0 && s.end <= len && s.start <= s.end, `${what} range ${s.start}-${s.end} outside 0-${len}`);
    for (const o of [s.start, s.end]) {
      const c = a.text.charCodeAt(o);
      const p = a.text.charCodeAt(o - 1);
      assert.ok(!(c >= 0xdc00 && c <= 0xdfff && p >= 0xd800 && p <= 0xdbff), `${what} splits a surrogate pair at ${o}`);
    }
  };
  for (const d of a.diagnostics) ok(d.span, `diagnostic ${d.code}`);
  for (const e of a.model.entities) {
    ok(e.idSpan, `entity ${e.id}`);
    ok(e.span, `entity ${e.id} body`);
    for (const p of e.properties) {
      ok(p.keySpan, `property key ${p.key}`);
      ok(p.valueSpan, `property value ${p.key}`);
    }
  }
  for (const r of a.model.references) {
    ok(r.span, `reference ${r.id}`);
    assert.equal(a.text.slice(r.span.start, r.span.end), r.id);
  }
  for (const s of a.model.sections) ok(s.span, `section ${s.title}`);
}
