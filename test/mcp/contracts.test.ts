/**
 * The written contract (schemas/contracts/): every schema compiles strictly and is named by its
 * version; every JSON output Northstar gives — `check --format json` and each MCP tool's
 * structured output — follows its contract on examples/ and on every alignment fixture, for every
 * ID the workspace defines and every rule code.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { runCli } from '../../server/src/cli/main.js';
import { RULES } from '../../server/src/core/diagnostics.js';
import { NorthstarService } from '../../server/src/core/service.js';
import { McpWorkspace } from '../../server/src/mcp/workspace.js';
import { TOOLS, type ToolEnv } from '../../server/src/mcp/tools.js';
import { FIXTURES, ROOT, schemas } from '../helpers.js';
import { AS_OF, CONTRACTS, assertContract } from './harness.js';

const workspaces = (): { name: string; dir: string; asOf: string }[] => [
  { name: 'examples', dir: path.join(ROOT, 'examples'), asOf: AS_OF },
  { name: 'workspaces/clean', dir: path.join(FIXTURES, 'workspaces', 'clean'), asOf: AS_OF },
  ...fs
    .readdirSync(path.join(FIXTURES, 'alignment'), { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => {
      const dir = path.join(FIXTURES, 'alignment', d.name);
      const c = fs.existsSync(path.join(dir, 'case.json')) ? (JSON.parse(fs.readFileSync(path.join(dir, 'case.json'), 'utf8')) as { asOf?: string }) : {};
      return { name: `alignment/${d.name}`, dir, asOf: c.asOf ?? AS_OF };
    }),
];

test('every contract is a strict JSON Schema 2020-12 named <name>.v<N>.schema.json with its $id', () => {
  const files = fs.readdirSync(CONTRACTS);
  assert.ok(files.length >= 5);
  const ajv = new Ajv2020({ strict: true });
  for (const f of files) {
    assert.match(f, /^[a-z-]+\.v\d+\.schema\.json$/);
    const s = JSON.parse(fs.readFileSync(path.join(CONTRACTS, f), 'utf8')) as { $schema: string; $id: string; title?: string; description?: string };
    assert.equal(s.$schema, 'https://json-schema.org/draft/2020-12/schema', f);
    assert.equal(s.$id, `https://northstar.dev/schemas/contracts/${f}`);
    assert.ok(s.title && s.description, `${f}: title and description`);
    ajv.compile(s);
  }
  for (const t of TOOLS) assert.ok(files.includes(t.contract), `${t.name}: no ${t.contract}`);
});

test('check --format json follows check-output.v1 on examples/ and every alignment fixture', async () => {
  for (const w of workspaces()) {
    let out = '';
    const code = await runCli(['check', '--format', 'json', '--as-of', w.asOf], { stdout: (s) => (out += s), stderr: () => undefined, cwd: w.dir, isTty: false });
    assert.ok(code === 0 || code === 1, `${w.name}: exit ${code}`);
    assertContract('check-output.v1.schema.json', JSON.parse(out));
  }
});

test('every MCP tool output follows its contract: every ID traced, every kind found, every rule explained', async () => {
  const rules = fs.readFileSync(path.join(ROOT, 'docs', 'RULES.md'), 'utf8');
  for (const w of workspaces()) {
    const service = new NorthstarService(schemas(), { asOf: w.asOf });
    const ws = new McpWorkspace(w.dir, service);
    await ws.sync();
    const env: ToolEnv = { ws, rulesPage: () => rules, asOf: () => w.asOf };
    const run = (name: string, args: Record<string, unknown>) => {
      const tool = TOOLS.find((t) => t.name === name)!;
      const a = tool.run(args, env);
      assert.ok('output' in a, `${w.name} ${name} ${JSON.stringify(args)}: ${'error' in a ? a.error : ''}`);
      assertContract(tool.contract, a.output);
      return a.output;
    };
    const all = run('find_entities', { limit: 500 }) as { entities: { id: string; kind: string }[] };
    for (const e of all.entities) run('trace', { id: e.id });
    for (const kind of new Set(all.entities.map((e) => e.kind))) run('find_entities', { kind });
    run('check', {});
    run('alignment_summary', {});
    assert.ok(all.entities.length > 0, w.name);
  }
  const ws = new McpWorkspace(path.join(ROOT, 'examples'), new NorthstarService(schemas(), { asOf: AS_OF }));
  for (const code of Object.keys(RULES)) {
    const a = TOOLS.find((t) => t.name === 'explain_rule')!.run({ code }, { ws, rulesPage: () => rules, asOf: () => AS_OF });
    assert.ok('output' in a, code);
    assertContract('explain-rule-output.v1.schema.json', a.output);
  }
});
