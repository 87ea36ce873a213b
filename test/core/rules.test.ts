/**
 * Rules as units: every code is one file under server/src/core/rules/<group>/<code>.ts; the
 * RULES table, the settings schema's rule list and the index of docs/RULES.md derive from the
 * units (UPDATE_SNAPSHOTS=1 rewrites the page's index and package.json's rule list).
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RULES } from '../../server/src/core/diagnostics.js';
import { RULE_UNITS, rulesIndexTable, rulesSettingSchema } from '../../server/src/core/rules/catalog.js';
import { ROOT } from '../helpers.js';

const RULES_DIR = path.join(ROOT, 'server', 'src', 'core', 'rules');
const UPDATE = process.env.UPDATE_SNAPSHOTS === '1';

test('rules: every unit is one file named after its code, and every unit file is in the catalog', async () => {
  const codes = RULE_UNITS.map((r) => r.code);
  assert.equal(new Set(codes).size, codes.length, 'duplicate codes');
  const files = ['document', 'workspace', 'alignment', 'metrics', 'flags'].flatMap((g) => fs.readdirSync(path.join(RULES_DIR, g)).filter((f) => /^[a-z]+(-[a-z]+)+\.ts$/.test(f)).map((f) => ({ group: g, code: f.replace(/\.ts$/, '') })));
  assert.deepEqual(files.map((f) => f.code).sort(), [...codes].sort());
  for (const f of files) {
    const mod = (await import(`../../server/src/core/rules/${f.group}/${f.code}.js`)) as Record<string, unknown>;
    const unit = Object.values(mod).find((v) => typeof v === 'object' && v !== null && (v as { code?: string }).code === f.code) as (typeof RULE_UNITS)[number] | undefined;
    assert.ok(unit, `${f.group}/${f.code}.ts exports no unit with code ${f.code}`);
    assert.equal(unit.group, f.group, `${f.code} is in ${f.group}/ but says group ${unit.group}`);
    assert.ok(RULE_UNITS.includes(unit), `${f.code} is not in the catalog`);
  }
});

test('rules: the RULES table is the units', () => {
  assert.deepEqual(Object.keys(RULES), RULE_UNITS.map((r) => r.code));
  for (const r of RULE_UNITS) assert.deepEqual(RULES[r.code], { severity: r.severity, summary: r.summary });
});

test('rules: docs/RULES.md has one entry per unit and its index is derived from the units', () => {
  const file = path.join(ROOT, 'docs', 'RULES.md');
  let doc = fs.readFileSync(file, 'utf8');
  const table = /^\| Code \| Default severity \| In short \|\n(?:\|.*\|\n?)*/m;
  assert.match(doc, table, 'docs/RULES.md has no index table');
  const want = `${rulesIndexTable()}\n`;
  if (UPDATE) {
    doc = doc.replace(table, want);
    fs.writeFileSync(file, doc);
  }
  assert.equal(table.exec(doc)![0], want, 'the index of docs/RULES.md is out of date (UPDATE_SNAPSHOTS=1 rewrites it)');
  for (const r of RULE_UNITS) {
    const entries = doc.match(new RegExp(`^## ${r.code}$`, 'gm')) ?? [];
    assert.equal(entries.length, 1, `docs/RULES.md has ${entries.length} "## ${r.code}" entries`);
    const body = doc.slice(doc.indexOf(`\n## ${r.code}\n`)).split(/\n## /)[1]!;
    assert.match(body, new RegExp(`\\*\\*Default severity:\\*\\* ${r.severity}\\b`), `docs/RULES.md: ${r.code} does not give its default severity ${r.severity}`);
  }
});

test('rules: the northstar.rules setting lists every code (package.json)', () => {
  const file = path.join(ROOT, 'package.json');
  const pkg = JSON.parse(fs.readFileSync(file, 'utf8')) as { contributes: { configuration: { properties: Record<string, Record<string, unknown>> } } };
  const setting = pkg.contributes.configuration.properties['northstar.rules']!;
  const want = rulesSettingSchema();
  if (UPDATE) {
    Object.assign(setting, want);
    fs.writeFileSync(file, `${JSON.stringify(pkg, null, 2)}\n`);
  }
  assert.deepEqual(setting.propertyNames, want.propertyNames, 'package.json northstar.rules.propertyNames is out of date (UPDATE_SNAPSHOTS=1 rewrites it)');
  assert.deepEqual(setting.properties, want.properties, 'package.json northstar.rules.properties is out of date (UPDATE_SNAPSHOTS=1 rewrites it)');
});
