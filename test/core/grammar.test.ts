/** The TextMate injection grammar, tokenized with vscode-textmate and Oniguruma (as VS Code does). */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import vsctm from 'vscode-textmate';
import oniguruma from 'vscode-oniguruma';
import { ROOT } from '../helpers.js';

const require = createRequire(import.meta.url);

async function tokenizer(): Promise<(line: string) => { text: string; scopes: string[] }[]> {
  const wasm = fs.readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new vsctm.Registry({
    onigLib: Promise.resolve({ createOnigScanner: (p: string[]) => new oniguruma.OnigScanner(p), createOnigString: (s: string) => new oniguruma.OnigString(s) }),
    loadGrammar: async (scope: string) => (scope === 'northstar.injection' ? vsctm.parseRawGrammar(fs.readFileSync(path.join(ROOT, 'syntaxes', 'northstar.injection.tmLanguage.json'), 'utf8'), 'x.json') : null),
  });
  const grammar = (await registry.loadGrammar('northstar.injection'))!;
  return (line: string) => {
    const r = grammar.tokenizeLine(line, vsctm.INITIAL);
    return r.tokens.map((t) => ({ text: line.slice(t.startIndex, t.endIndex), scopes: t.scopes }));
  };
}

test('IDs by kind, property keys and the front matter type are scoped', async () => {
  const tok = await tokenizer();
  const scopeOf = (line: string, text: string) => tok(line).find((t) => t.text === text)?.scopes.slice(1).join(' ') ?? '(not a token)';
  assert.equal(scopeOf('- kpi: KPI-checkout-conversion, KPI-b', 'KPI-checkout-conversion'), 'constant.other.northstar.id.kpi');
  assert.equal(scopeOf('### FEAT-saved-cards: Saved cards', 'FEAT-saved-cards'), 'entity.name.type.northstar.id.feature');
  assert.equal(scopeOf('serves KR-2026Q4.1 of OBJ-grow.', 'KR-2026Q4.1'), 'entity.name.function.northstar.id.okr');
  assert.equal(scopeOf('brief: BRIEF-parcel', 'BRIEF-parcel'), 'entity.name.section.northstar.id.document');
  assert.equal(scopeOf('- priority: must', 'priority'), 'variable.other.property.northstar');
  assert.equal(scopeOf('- **Target:** 40%', 'Target'), 'variable.other.property.northstar');
  assert.equal(scopeOf('type: prd', 'prd'), 'support.constant.northstar.type');
  // Not an ID: a prefix inside a word, or no rest.
  assert.equal(scopeOf('MYFEAT-x and FEAT- alone', 'MYFEAT-x and FEAT- alone'), '');
});
