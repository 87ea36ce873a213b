/** `northstar check`: exit status, formats, SARIF 2.1.0 validity — run as a real process. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { ROOT } from '../helpers.js';
import { assertContract } from '../mcp/contract.js';

const require = createRequire(import.meta.url);

function run(args: string[], cwd = ROOT): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'dist', 'cli.cjs'), ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('check examples/: exit 1, each deliberate mistake at file:line', () => {
  const r = run(['check', 'examples', '--as-of', '2026-11-23']);
  assert.equal(r.status, 1, r.stderr);
  for (const expected of [
    'examples/prds/saved-cards.prd.md:59:13  error  `mandatory` is not a valid priority',
    'examples/prds/local-payments.prd.md:13:3  error  Missing section `## Non-goals`',
    'examples/prds/payment-recovery.prd.md:5:1  error  Unknown front matter key `ownr`. Did you mean `owner`?',
    'examples/prds/saved-cards.prd.md:91:8  error  KPI-checkout-convrsion is not defined anywhere in the workspace. Did you mean KPI-checkout-conversion?',
    'examples/prds/merchant-onboarding.prd.md:69:5  error  FEAT-platform-import is a must-have that moves no KPI',
    'examples/prds/payment-recovery.prd.md:41:150  warning  RICE is written as 2400',
  ]) {
    assert.ok(r.stdout.includes(expected), `missing: ${expected}\n--- output:\n${r.stdout}`);
  }
  // One finding per problem: the misspelt key is not also a missing field, the must-have without a KPI not also a missing property.
  assert.doesNotMatch(r.stdout, /payment-recovery\.prd\.md:1:1 .*missing-field|merchant-onboarding\.prd\.md:69:5 .*missing-property/);
  assert.match(r.stdout, /\d+ errors?, \d+ warnings? in 9 Markdown files \(7 spec documents\)\./);
});

test('check a clean workspace: exit 0; a broken reference: exit 1', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'northstar-cli-'));
  fs.cpSync(path.join(ROOT, 'test', 'fixtures', 'workspaces', 'clean'), dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'notes.md'), '# Notes\n\nKPI-anything in a plain note is fine.\n');
  const ok = run(['check'], dir);
  assert.equal(ok.status, 0, ok.stdout);
  assert.match(ok.stdout, /0 errors, 0 warnings in 4 Markdown files \(3 spec documents\)/);
  fs.rmSync(path.join(dir, 'brief.brief.md'));
  const broken = run(['check', '.'], dir);
  assert.equal(broken.status, 1);
  assert.match(broken.stdout, /checkout\.prd\.md:\d+:\d+  error  KPI-clean-conversion is not defined anywhere/);
  fs.rmSync(dir, { recursive: true, force: true });
});

test('bad usage and failures: exit 2 with a message', () => {
  const cases: [string[], RegExp][] = [
    [['check', '--format', 'xml', 'examples'], /unknown format "xml"/],
    [['check', 'no/such/folder'], /no such file or folder: no\/such\/folder/],
    [['frobnicate'], /unknown command "frobnicate"/],
    [[], /no command given/],
    [['check', '--as-of', 'yesterday'], /--as-of expects a date/],
    [['check', '--bogus'], /unknown option "--bogus"/],
  ];
  for (const [args, message] of cases) {
    const r = run(args);
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stdout}${r.stderr}`);
    assert.match(r.stderr, message);
  }
  assert.equal(run(['--help']).status, 0);
  assert.match(run(['--version']).stdout, /^\d+\.\d+\.\d+\n$/);
});

test('--format sarif is valid SARIF 2.1.0', async () => {
  const r = run(['check', 'examples', '--format', 'sarif']);
  assert.equal(r.status, 1);
  const sarif = JSON.parse(r.stdout) as { version: string; runs: { results: { ruleId: string; locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[] }[] }[] };
  const Ajv04 = (await import('ajv-draft-04')).default as unknown as new (o: object) => { compile(s: object): ((d: unknown) => boolean) & { errors?: unknown } };
  const addFormats = (await import('ajv-formats')).default as unknown as (a: unknown) => void;
  const ajv = new Ajv04({ allErrors: true, strict: false, unicodeRegExp: false });
  addFormats(ajv);
  const schema = JSON.parse(fs.readFileSync(require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8')) as object;
  const validate = ajv.compile(schema);
  assert.ok(validate(sarif), JSON.stringify(validate.errors, null, 2));
  assert.equal(sarif.version, '2.1.0');
  const results = sarif.runs[0]!.results;
  const priority = results.find((x) => x.ruleId === 'invalid-value')!;
  assert.equal(priority.locations[0]!.physicalLocation.artifactLocation.uri, 'examples/prds/saved-cards.prd.md');
  assert.equal(priority.locations[0]!.physicalLocation.region.startLine, 59);
});

test('--format json and --format github', () => {
  const j = run(['check', 'examples', '--format', 'json']);
  assert.equal(j.status, 1);
  const data = JSON.parse(j.stdout) as { summary: { errors: number }; files: { path: string; diagnostics: { code: string; range: { startLine: number } }[] }[] };
  assertContract('check-output.v1.schema.json', data);
  assert.ok(data.summary.errors > 0);
  const sc = data.files.find((f) => f.path === 'examples/prds/saved-cards.prd.md')!;
  assert.ok(sc.diagnostics.some((d) => d.code === 'invalid-value' && d.range.startLine === 59));
  const g = run(['check', 'examples', '--format', 'github']);
  assert.equal(g.status, 1);
  assert.match(g.stdout, /^::error file=examples\/prds\/saved-cards\.prd\.md,line=59,col=13,endLine=59,endColumn=22,title=Northstar invalid-value::`mandatory` is not a valid priority/m);
});
