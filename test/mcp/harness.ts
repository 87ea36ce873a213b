/**
 * Test harness for `northstar mcp`: the MCP SDK's own client over stdio against the bundled CLI,
 * a scratch copy of examples/, the CLI's JSON on the same folder, and the contracts compiled with
 * ajv. Waits on responses, never on time.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { ROOT } from '../helpers.js';

export const AS_OF = '2026-11-23';
export const CLI = path.join(ROOT, 'dist', 'cli.cjs');
export { CONTRACTS, assertContract, contract } from './contract.js';

/** A scratch copy of examples/ (the server and the CLI read the same files). */
export function copyExamples(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'northstar-mcp-'));
  fs.cpSync(path.join(ROOT, 'examples'), dir, { recursive: true });
  return dir;
}

/** `northstar check --format json` run in `dir`. */
export function cliCheckJson(dir: string, ...args: string[]): unknown {
  const r = spawnSync(process.execPath, [CLI, 'check', '--format', 'json', '--as-of', AS_OF, ...args], { cwd: dir, encoding: 'utf8' });
  assert.ok(r.status === 0 || r.status === 1, `check failed (${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout) as unknown;
}

export async function connect(root: string, ...extra: string[]): Promise<{ client: Client; stderr: () => string; close: () => Promise<void> }> {
  const transport = new StdioClientTransport({ command: process.execPath, args: [CLI, 'mcp', '--root', root, ...extra], cwd: root, stderr: 'pipe' });
  let err = '';
  transport.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  const client = new Client({ name: 'northstar-test', version: '1.0.0' });
  await client.connect(transport);
  return { client, stderr: () => err, close: () => client.close() };
}

/** The structured output of a successful call (its text block holds the same JSON). */
export function structured(r: { content?: unknown; structuredContent?: unknown; isError?: unknown }): Record<string, unknown> {
  assert.notEqual(r.isError, true, `tool error: ${JSON.stringify(r.content)}`);
  const content = r.content as { type: string; text: string }[];
  assert.equal(content[0]?.type, 'text');
  assert.deepEqual(JSON.parse(content[0].text), r.structuredContent);
  return r.structuredContent as Record<string, unknown>;
}

/** The text of a tool error. */
export function toolError(r: { content?: unknown; isError?: unknown }): string {
  assert.equal(r.isError, true, `expected a tool error, got ${JSON.stringify(r).slice(0, 500)}`);
  return (r.content as { type: string; text: string }[]).map((c) => c.text).join('\n');
}
