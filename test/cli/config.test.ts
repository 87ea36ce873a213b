/**
 * northstar.config.json: types by glob (front matter wins), rule severities (the command line
 * wins), the P-scale, include/exclude, a pinned as-of date; its mistakes at their line; its JSON
 * Schema in step with the reader and contributed to VS Code. Run through the bundled CLI, the MCP
 * command and the reader itself.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FIXTURES, ROOT, UPDATE } from '../helpers.js';
import { CONFIG_KEYS, parseConfig, readingOptions } from '../../server/src/node/config.js';
import { RULES } from '../../server/src/core/diagnostics.js';
import { pathToFileURL } from 'node:url';

const CLI = path.join(ROOT, 'dist', 'cli.cjs');
const CONFIGURED = path.join(FIXTURES, 'workspaces', 'configured');

function run(args: string[], cwd = ROOT): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function tmpCopy(from: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'northstar-config-'));
  fs.cpSync(from, dir, { recursive: true });
  return dir;
}

test('config: documents by glob get their type without front matter; front matter type wins; exclude; P-scale; as-of', () => {
  const r = run(['inspect', '--format', 'json'], CONFIGURED);
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout) as { files: { path: string; type: string | null; entities: { id: string; properties: Record<string, unknown> }[] }[] };
  const types = Object.fromEntries(out.files.map((f) => [f.path, f.type]));
  assert.deepEqual(types, { 'goals/2026-q4.md': 'okr', 'product/overview.md': 'brief', 'specs/checkout/spec.md': 'prd', 'specs/legacy/spec.md': 'brief' });
  // drafts/** is excluded by the config: not read at all.
  assert.ok(!out.files.some((f) => f.path.startsWith('drafts/')));
  // P0 / P1 read through the config's P-scale.
  const features = out.files.find((f) => f.path === 'specs/checkout/spec.md')!.entities;
  assert.equal(features.find((e) => e.id === 'FEAT-cfg-one-tap')!.properties.priority, 'must');
  assert.equal(features.find((e) => e.id === 'FEAT-cfg-reorder')!.properties.priority, 'should');
  // The whole workspace is clean with the config (as-of pinned in it: the OKR is current) …
  const ok = run(['check'], CONFIGURED);
  assert.equal(ok.status, 0, ok.stdout + ok.stderr);
  assert.match(ok.stdout, /0 errors, 0 warnings in 4 Markdown files \(4 spec documents\)/);
  // … and without it the drafts are read and the globbed files are plain Markdown.
  const without = run(['check', '--no-config'], CONFIGURED);
  assert.equal(without.status, 1);
  assert.match(without.stdout, /drafts\/idea\.prd\.md/);
  assert.match(without.stdout, /in 5 Markdown files \(2 spec documents\)/);
});

test('config: rule severities apply; --rule on the command line overrides them', () => {
  const dir = tmpCopy(path.join(FIXTURES, 'workspaces', 'clean'));
  try {
    fs.rmSync(path.join(dir, 'brief.brief.md'));
    assert.equal(run(['check', '--as-of', '2026-11-23'], dir).status, 1);
    fs.writeFileSync(path.join(dir, 'northstar.config.json'), JSON.stringify({ rules: { 'unresolved-reference': 'off', 'wrong-reference-kind': 'off' }, asOf: '2026-11-23' }, null, 2));
    const off = run(['check'], dir);
    assert.doesNotMatch(off.stdout, /unresolved-reference/);
    const back = run(['check', '--rule', 'unresolved-reference=error'], dir);
    assert.equal(back.status, 1);
    assert.match(back.stdout, /KPI-clean-conversion is not defined anywhere.*unresolved-reference/);
    // .northstar.json is read too (northstar.config.json first when both exist).
    fs.renameSync(path.join(dir, 'northstar.config.json'), path.join(dir, '.northstar.json'));
    assert.doesNotMatch(run(['check'], dir).stdout, /unresolved-reference/);
    // A config in a folder above the one checked is found.
    assert.doesNotMatch(run(['check', '.'], path.join(dir)).stdout, /unresolved-reference/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('config: mistakes are errors at their line and column; only an unusable file stops the run (exit 2)', () => {
  const dir = tmpCopy(path.join(FIXTURES, 'workspaces', 'clean'));
  try {
    const cfg = path.join(dir, 'northstar.config.json');
    fs.writeFileSync(
      cfg,
      [
        '{',
        '  "documents": { "specs/*/spec.md": "prd", "okrs/[x": "okr", "../up/**": "okr", "briefs/**": "breif" },',
        '  "rules": { "feature-without-kpi": "warn", "no-such-rule": "off", "duplicate-id": "warning" },',
        '  "ownr": "Ana",',
        '  "priorityScale": { "P1": "should", "Important": "must", "P2": "maybe" },',
        '  "asOf": "next week",',
        '  "include": "*.md"',
        '}',
        '',
      ].join('\n'),
    );
    const r = run(['check', '--as-of', '2026-11-23'], dir);
    assert.equal(r.status, 1, r.stderr);
    const lines = r.stderr.split('\n').filter(Boolean);
    for (const expected of [
      /^northstar\.config\.json:2:44  error  "documents": bad glob "okrs\/\[x": an unclosed bracket  invalid-config$/,
      /^northstar\.config\.json:2:62  error  "documents": bad glob "\.\.\/up\/\*\*": must not leave the folder/,
      /^northstar\.config\.json:2:94  error  "documents": "briefs\/\*\*" maps to "breif"; expected "brief", "prd" or "okr"/,
      /^northstar\.config\.json:3:37  error  "rules": "feature-without-kpi" has severity "warn"/,
      /^northstar\.config\.json:3:45  error  "rules": unknown rule "no-such-rule"/,
      /^northstar\.config\.json:4:3  error  unknown key "ownr"/,
      /^northstar\.config\.json:5:38  error  "priorityScale": "Important" is not a priority label/,
      /^northstar\.config\.json:5:65  error  "priorityScale": "P2" maps to "maybe"/,
      /^northstar\.config\.json:6:11  error  "asOf" must be a date/,
      /^northstar\.config\.json:7:14  error  "include" must be an array of globs/,
    ]) {
      assert.ok(lines.some((l) => expected.test(l)), `missing ${expected}\n--- stderr:\n${r.stderr}`);
    }
    // What is right still applies: the files are checked (and clean).
    assert.match(r.stdout, /0 errors, 0 warnings in 3 Markdown files/);

    // Not JSON: exit 2, the place of the mistake.
    fs.writeFileSync(cfg, '{\n  "rules": {\n    "duplicate-id": "off",\n  }\n}\n');
    const bad = run(['check'], dir);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /^northstar\.config\.json:4:3  error  not valid JSON: .*invalid-config$/m);
    assert.match(bad.stderr, /cannot be used; fix it or run with --no-config/);
    assert.equal(run(['check', '--no-config', '--as-of', '2026-11-23'], dir).status, 0);
    // Not an object: exit 2.
    fs.writeFileSync(cfg, '["prd"]\n');
    assert.equal(run(['check'], dir).status, 2);
    // --config naming a missing file: exit 2.
    const missing = run(['check', '--config', 'nope.json'], dir);
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /no such config file: nope\.json/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('config: never throws on any text', () => {
  for (const text of ['', '{', 'null', '42', '"x"', '{"documents": null}', '{"documents": {"": "prd"}}', '{"rules": []}', '{"metrics": 3}', '\ufeff{"asOf": "2026-02-30"}', '{"a":1,"a":2}', '{"priorityScale": {"P1": 1}}']) {
    const r = parseConfig(text, '/w/northstar.config.json');
    for (const p of r.problems) {
      assert.ok(p.line >= 1 && p.column >= 1 && p.start >= 0 && p.end <= text.length, `${JSON.stringify(text)}: ${JSON.stringify(p)}`);
    }
  }
});

test('config: typeFor matches globs relative to the config folder, first match wins', () => {
  const root = path.join(os.tmpdir(), 'ws');
  const { config } = parseConfig(JSON.stringify({ documents: { 'specs/*/spec.md': 'prd', 'specs/**': 'okr' }, priorityScale: { p1: 'should' } }), path.join(root, 'northstar.config.json'));
  const reading = readingOptions(config)!;
  const uri = (rel: string) => pathToFileURL(path.join(root, rel)).href;
  assert.equal(reading.typeFor!(uri('specs/a/spec.md')), 'prd');
  assert.equal(reading.typeFor!(uri('specs/a/b/spec.md')), 'okr');
  assert.equal(reading.typeFor!(uri('other/spec.md')), undefined);
  assert.equal(reading.typeFor!(pathToFileURL(path.join(os.tmpdir(), 'elsewhere', 'specs', 'a', 'spec.md')).href), undefined);
  assert.deepEqual(reading.priorityScale, { P1: 'should' });
});

test('config: the JSON Schema knows the same keys and rule codes as the reader, and VS Code gets it', async () => {
  const file = path.join(ROOT, 'schemas', 'config.schema.json');
  const schema = JSON.parse(fs.readFileSync(file, 'utf8')) as { properties: Record<string, unknown> & { rules: { properties: Record<string, unknown> } } };
  assert.deepEqual(Object.keys(schema.properties).sort(), [...CONFIG_KEYS].sort());
  // The rule codes complete in VS Code; a code the schema does not list yet is still accepted
  // (the reader checks codes), so a new rule only lacks completion until the next update.
  const codes = Object.keys(RULES);
  const listed = Object.keys(schema.properties.rules.properties);
  if (UPDATE && JSON.stringify(listed) !== JSON.stringify(codes)) {
    schema.properties.rules.properties = Object.fromEntries(codes.map((c) => [c, { $ref: '#/definitions/severity' }]));
    fs.writeFileSync(file, JSON.stringify(schema, null, 2) + '\n');
  }
  const stale = listed.filter((c) => !codes.includes(c));
  assert.deepEqual(stale, [], 'schemas/config.schema.json lists rule codes that do not exist (UPDATE_SNAPSHOTS=1 rewrites them)');
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { contributes: { jsonValidation?: { fileMatch: string[]; url: string }[] } };
  const v = pkg.contributes.jsonValidation?.find((j) => j.url === './schemas/config.schema.json');
  assert.ok(v, 'package.json contributes.jsonValidation names schemas/config.schema.json');
  assert.deepEqual([...v.fileMatch].sort(), ['.northstar.json', 'northstar.config.json']);
  // The schema compiles and agrees with the reader on the fixture and on a bad file.
  const Ajv = (await import('ajv')).default as unknown as new (o: object) => { compile(s: object): ((d: unknown) => boolean) & { errors?: unknown } };
  const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
  const good = JSON.parse(fs.readFileSync(path.join(CONFIGURED, 'northstar.config.json'), 'utf8')) as unknown;
  assert.ok(validate(good), JSON.stringify(validate.errors));
  assert.equal(parseConfig(JSON.stringify(good), path.join(CONFIGURED, 'northstar.config.json')).problems.length, 0);
  for (const bad of [{ ownr: 1 }, { rules: { 'feature-without-kpi': 'warn' } }, { documents: { 'a/**': 'spec' } }, { priorityScale: { P1: 'maybe' } }, { asOf: 'soon' }]) {
    assert.equal(validate(bad), false, JSON.stringify(bad));
    assert.ok(parseConfig(JSON.stringify(bad), '/w/northstar.config.json').problems.length > 0, JSON.stringify(bad));
  }
});

test('config: northstar mcp reads it too (an unusable config stops it with exit 2)', () => {
  const dir = tmpCopy(path.join(FIXTURES, 'workspaces', 'clean'));
  try {
    fs.writeFileSync(path.join(dir, 'northstar.config.json'), '{ "rules": ');
    const r = spawnSync(process.execPath, [CLI, 'mcp', '--root', dir], { encoding: 'utf8', input: '', timeout: 20_000 });
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /northstar\.config\.json:1:\d+  error  not valid JSON/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('config: the language server reads it, shows its mistakes on the file, and reads it again when it changes (exclude included)', async () => {
  const { TestClient } = await import('../lsp/lspClient.js');
  const dir = tmpCopy(CONFIGURED);
  const c = await TestClient.start(dir);
  try {
    const specUri = pathToFileURL(path.join(dir, 'specs', 'checkout', 'spec.md')).href;
    const configFile = path.join(dir, 'northstar.config.json');
    const configUri = pathToFileURL(configFile).href;
    type Info = { type?: string; typeSource?: string } | null;
    const info = () => c.request<Info>('northstar/documentInfo', { uri: specUri });
    const until = async (pred: () => Promise<boolean>, what: string) => {
      for (let i = 0; i < 100; i++) {
        if (await pred()) return;
        await new Promise((r) => setTimeout(r, 100));
      }
      assert.fail(`timed out waiting for ${what}`);
    };
    // Typed by the glob, with no `type:` written and no problem for it.
    await until(async () => (await info())?.typeSource === 'config', 'the spec typed by the config');
    assert.equal((await info())?.type, 'prd');
    const published = await c.diagnostics(specUri);
    assert.ok(!published.diagnostics.some((d) => d.code === 'missing-field'), JSON.stringify(published.diagnostics));

    // A mistake: an invalid-config error at its line on the config file; the rest still applies.
    const text = fs.readFileSync(configFile, 'utf8').replace('"exclude"', '"exclud"');
    fs.writeFileSync(configFile, text);
    await c.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: configUri, type: 2 }] });
    const bad = await c.diagnostics(configUri, (p) => p.diagnostics.length > 0);
    assert.equal(bad.diagnostics[0]!.code, 'invalid-config');
    const line = text.split('\n').findIndex((l) => l.includes('"exclud"'));
    assert.equal((bad.diagnostics[0] as unknown as { range: { start: { line: number } } }).range.start.line, line);
    assert.match(String(bad.diagnostics[0]!.message), /unknown key "exclud"; did you mean "exclude"\?/);
    assert.equal((await info())?.type, 'prd');

    // The globs gone: the spec is plain Markdown again; the config's problems are cleared.
    fs.writeFileSync(configFile, '{ "asOf": "2026-11-23" }\n');
    await c.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: configUri, type: 2 }] });
    await c.diagnostics(configUri, (p) => p.diagnostics.length === 0);
    await until(async () => (await info())?.typeSource !== 'config', 'the spec untyped after the glob is gone');
    // … and the drafts, no longer excluded, are read and get their problems.
    const draftUri = pathToFileURL(path.join(dir, 'drafts', 'idea.prd.md')).href;
    await c.diagnostics(draftUri, (p) => p.diagnostics.some((d) => d.code === 'unresolved-reference'));
  } finally {
    await c.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('config: the MCP check tool answers what check --format json prints with the config (globs, exclude, rules)', async () => {
  const { connect, cliCheckJson, structured } = await import('../mcp/harness.js');
  const m = await connect(CONFIGURED);
  try {
    const answer = structured(await m.client.callTool({ name: 'check', arguments: {} }));
    const cli = cliCheckJson(CONFIGURED) as { files: { path: string }[] };
    assert.deepEqual(answer, cli);
    assert.deepEqual(cli.files.map((f) => f.path).sort(), ['goals/2026-q4.md', 'product/overview.md', 'specs/checkout/spec.md', 'specs/legacy/spec.md']);
  } finally {
    await m.close();
  }
});
