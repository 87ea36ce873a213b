/**
 * The extension's MCP server definition provider (client/src/mcp.ts) against a stand-in `vscode`
 * module: without the API (VS Code 1.99, code-server 4.99) it offers nothing and throws nothing;
 * with it, one stdio server per file workspace folder, running the bundled CLI's `mcp --root`.
 * Runs in a child process whose loader maps `vscode` to the stand-in.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from '../helpers.js';

const FAKE_VSCODE = `
const f = globalThis.__fakeVscode;
export const version = f.version;
export const lm = f.lm;
export const McpStdioServerDefinition = f.McpStdioServerDefinition;
export class EventEmitter { constructor() { this.listeners = []; this.event = (l) => { this.listeners.push(l); return { dispose() {} }; }; } fire() { for (const l of this.listeners) l(); } dispose() {} }
export const workspace = f.workspace;
`;

const HOOKS = (fake: string) => `
export async function resolve(specifier, context, next) {
  if (specifier === 'vscode') return { url: ${JSON.stringify(fake)}, shortCircuit: true };
  return next(specifier, context);
}`;

function run(withApi: boolean): { offered: boolean; definitions: { label: string; command: string; args: string[]; env: Record<string, string>; version: string; cwd?: string }[]; log: string[] } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'northstar-vscode-mcp-'));
  const fake = path.join(dir, 'vscode.mjs');
  fs.writeFileSync(fake, FAKE_VSCODE);
  const hooks = path.join(dir, 'hooks.mjs');
  fs.writeFileSync(hooks, HOOKS(pathToFileURL(fake).href));
  const script = path.join(dir, 'main.mjs');
  fs.writeFileSync(
    script,
    `
import { register } from 'node:module';
register(${JSON.stringify(pathToFileURL(hooks).href)});
const registered = [];
globalThis.__fakeVscode = {
  version: ${JSON.stringify(withApi ? '1.105.0' : '1.99.3')},
  lm: ${withApi ? '{ registerMcpServerDefinitionProvider(id, provider) { registered.push({ id, provider }); return { dispose() {} }; } }' : '{}'},
  McpStdioServerDefinition: ${withApi ? 'class { constructor(label, command, args, env, version) { Object.assign(this, { label, command, args, env, version }); } }' : 'undefined'},
  workspace: {
    workspaceFolders: [
      { name: 'specs', uri: { scheme: 'file', fsPath: '/work/specs', toString: () => 'file:///work/specs' } },
      { name: 'remote', uri: { scheme: 'vscode-remote', fsPath: '/x', toString: () => 'vscode-remote://x' } },
    ],
    getConfiguration: () => ({ get: (k) => (k === 'asOf' ? '2026-11-23' : undefined) }),
    onDidChangeWorkspaceFolders: () => ({ dispose() {} }),
    onDidChangeConfiguration: () => ({ dispose() {} }),
  },
};
const { registerMcpServers, MCP_PROVIDER_ID } = await import(${JSON.stringify(pathToFileURL(path.join(ROOT, 'out', 'client', 'src', 'mcp.js')).href)});
const log = [];
const context = { subscriptions: [], asAbsolutePath: (p) => '/ext/' + p, extension: { packageJSON: { version: '9.9.9' } } };
const offered = registerMcpServers(context, (m) => log.push(m));
const definitions = registered.filter((r) => r.id === MCP_PROVIDER_ID).flatMap((r) => r.provider.provideMcpServerDefinitions({})).map((d) => ({ ...d, cwd: d.cwd?.fsPath }));
process.stdout.write(JSON.stringify({ offered, definitions, log }));
`,
  );
  const r = spawnSync(process.execPath, [script], { encoding: 'utf8' });
  fs.rmSync(dir, { recursive: true, force: true });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as ReturnType<typeof run>;
}

test('VS Code without the MCP API (1.99): nothing is offered, nothing throws', () => {
  const r = run(false);
  assert.equal(r.offered, false);
  assert.deepEqual(r.definitions, []);
  assert.match(r.log.join('\n'), /1\.99\.3 has no MCP server definition API/);
});

test('VS Code with the MCP API: one stdio server per file workspace folder, the bundled CLI with --root and the as-of setting', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { contributes: { mcpServerDefinitionProviders?: { id: string }[] } };
  assert.deepEqual(pkg.contributes.mcpServerDefinitionProviders?.map((p) => p.id), ['northstar.mcp']);
  const r = run(true);
  assert.equal(r.offered, true);
  assert.equal(r.definitions.length, 1);
  const d = r.definitions[0]!;
  assert.equal(d.label, 'Northstar: specs');
  assert.equal(d.command, process.execPath);
  assert.deepEqual(d.args, ['/ext/dist/cli.cjs', 'mcp', '--root', '/work/specs', '--as-of', '2026-11-23']);
  assert.deepEqual(d.env, { ELECTRON_RUN_AS_NODE: '1' });
  assert.equal(d.version, '9.9.9');
  assert.equal(d.cwd, '/work/specs');
});
