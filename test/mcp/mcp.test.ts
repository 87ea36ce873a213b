/**
 * `northstar mcp` driven by the MCP SDK's own client over stdio (dist/cli.cjs mcp --root <copy of
 * examples/>): the tools, each one's answer against the CLI's JSON on the same folder and against
 * its contract, errors that leave the server serving, file changes seen by the next call, and a
 * cancelled call. Waits on responses and progress notifications, never on time.
 */
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as readline from 'node:readline';
import type { Client } from '@modelcontextprotocol/client';
import { AS_OF, CLI, assertContract, cliCheckJson, connect, contract, copyExamples, structured, toolError } from './harness.js';

interface CheckJson {
  summary: { errors: number; warnings: number; infos: number; files: number };
  files: { path: string; diagnostics: { code: string; severity: string }[] }[];
  skipped: { path: string; reason: string }[];
}

const TOOLS: Record<string, string> = {
  find_entities: 'find-entities-output.v1.schema.json',
  trace: 'trace-output.v1.schema.json',
  check: 'check-output.v1.schema.json',
  alignment_summary: 'alignment-summary-output.v1.schema.json',
  explain_rule: 'explain-rule-output.v1.schema.json',
};

describe('northstar mcp on examples/', () => {
  let dir: string;
  let client: Client;
  let close: () => Promise<void>;
  let stderr: () => string;
  const call = async (name: string, args: Record<string, unknown> = {}) => {
    const r = await client.callTool({ name, arguments: args });
    if (!r.isError && TOOLS[name]) assertContract(TOOLS[name], r.structuredContent);
    return r;
  };

  before(async () => {
    dir = copyExamples();
    ({ client, close, stderr } = await connect(dir, '--as-of', AS_OF));
  });
  after(async () => {
    await close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('lists five read-only tools, each with a description for a model, an input schema and its contract as output schema', async () => {
    const { tools } = await client.listTools();
    assert.deepEqual(tools.map((t) => t.name).sort(), Object.keys(TOOLS).sort());
    for (const t of tools) {
      assert.ok((t.description ?? '').length > 150, `${t.name}: description too short for a model`);
      assert.equal(t.inputSchema.type, 'object');
      assert.equal((t.inputSchema as { additionalProperties?: unknown }).additionalProperties, false, t.name);
      assert.deepEqual(t.outputSchema, contract(TOOLS[t.name]!), `${t.name}: outputSchema is not schemas/contracts/${TOOLS[t.name]}`);
      assert.equal(t.annotations?.readOnlyHint, true, t.name);
    }
  });

  test('find_entities: by words of the title, by kind, with a limit', async () => {
    const byWords = structured(await call('find_entities', { query: 'saved cards' })) as { entities: { id: string; path: string; line: number }[] };
    assert.deepEqual(
      byWords.entities.map((e) => e.id),
      ['FEAT-network-tokens', 'FEAT-saved-cards', 'PRD-saved-cards'],
    );
    assert.deepEqual(byWords.entities[1], { id: 'FEAT-saved-cards', kind: 'FEAT', title: 'Saved payment cards', document: 'PRD-saved-cards', path: 'prds/saved-cards.prd.md', line: 42 });
    const exact = structured(await call('find_entities', { query: 'kpi-checkout-conversion' })) as { entities: { id: string }[] };
    assert.equal(exact.entities[0]?.id, 'KPI-checkout-conversion');
    const krs = structured(await call('find_entities', { kind: 'KR', limit: 2 })) as { entities: { kind: string }[]; total: number; truncated: boolean };
    assert.equal(krs.entities.length, 2);
    assert.ok(krs.entities.every((e) => e.kind === 'KR'));
    assert.ok(krs.total > 2 && krs.truncated);
  });

  test('trace: a bad ID is a tool error naming the nearest IDs, then a good one on the same connection', async () => {
    const bad = toolError(await call('trace', { id: 'FEAT-savd-cards' }));
    assert.match(bad, /No entity FEAT-savd-cards/);
    assert.match(bad, /Nearest defined IDs: FEAT-saved-cards/);

    assert.equal((structured(await call('trace', { id: 'feat-saved-cards' })) as { id: string }).id, 'FEAT-saved-cards', 'one ID matches regardless of case');
    const t = structured(await call('trace', { id: 'FEAT-saved-cards' })) as {
      kind: string;
      path: string;
      feature: { kpis: { id: string; keyResults: { id: string; progress?: number; objective?: { id: string }; okr?: { id: string; current: boolean } }[] }[]; verdict: { status: string; served: string[] } };
    };
    assert.equal(t.kind, 'FEAT');
    assert.equal(t.path, 'prds/saved-cards.prd.md');
    assert.deepEqual(t.feature.kpis.map((k) => k.id), ['KPI-saved-card-usage', 'KPI-checkout-conversion']);
    const usage = t.feature.kpis[0]!.keyResults[0]!;
    assert.equal(usage.id, 'KR-2026Q4.2');
    assert.ok(Math.abs(usage.progress! - (14.5 - 12) / (20 - 12)) < 1e-9, `progress ${usage.progress}`);
    assert.equal(usage.objective?.id, 'OBJ-effortless-checkout');
    assert.deepEqual(usage.okr, { id: 'OKR-2026Q4', period: '2026-Q4', status: 'active', current: true });
    const conversion = t.feature.kpis[1]!.keyResults;
    assert.deepEqual(conversion.map((k) => [k.id, k.okr?.current]), [['KR-2026Q4.1', true], ['KR-2027Q1.1', false]]);
    assert.ok(Math.abs(conversion[0]!.progress! - 0.48) < 1e-9);
    assert.equal(t.feature.verdict.status, 'aligned');
    assert.deepEqual([...t.feature.verdict.served].sort(), ['KR-2026Q4.1', 'KR-2026Q4.2']);
  });

  test('trace the other way: a KPI to its features and key results, a key result to its features, an objective, a document', async () => {
    const kpi = structured(await call('trace', { id: 'KPI-saved-card-usage' })) as { kpi: { features: { id: string }[]; keyResults: { id: string }[] } };
    assert.ok(kpi.kpi.features.some((f) => f.id === 'FEAT-saved-cards'));
    assert.deepEqual(kpi.kpi.keyResults.map((k) => k.id), ['KR-2026Q4.2']);
    const kr = structured(await call('trace', { id: 'KR-2026Q4.2' })) as { keyResult: { objective: { id: string }; features: { id: string; verdict: string }[] } };
    assert.equal(kr.keyResult.objective.id, 'OBJ-effortless-checkout');
    assert.ok(kr.keyResult.features.some((f) => f.id === 'FEAT-saved-cards' && f.verdict === 'aligned'));
    const obj = structured(await call('trace', { id: 'OBJ-effortless-checkout' })) as { objective: { keyResults: { id: string }[]; progress: number } };
    assert.deepEqual(obj.objective.keyResults.map((k) => k.id), ['KR-2026Q4.1', 'KR-2026Q4.2']);
    assert.ok(obj.objective.progress > 0 && obj.objective.progress < 1);
    const prd = structured(await call('trace', { id: 'PRD-saved-cards' })) as { document: { type: string; brief: string; defines: { id: string }[] } };
    assert.equal(prd.document.type, 'prd');
    assert.equal(prd.document.brief, 'BRIEF-parcel');
    assert.ok(prd.document.defines.some((d) => d.id === 'FEAT-saved-cards'));
  });

  test('check: exactly what northstar check --format json reports on the same folder; paths keep those files', async () => {
    const cli = cliCheckJson(dir) as CheckJson;
    assertContract('check-output.v1.schema.json', cli);
    assert.deepEqual(structured(await call('check')), cli);
    const one = structured(await call('check', { paths: ['prds/saved-cards.prd.md', 'okrs'] })) as unknown as CheckJson;
    assert.deepEqual(
      one.files.map((f) => f.path),
      ['okrs/2026-Q4.okr.md', 'okrs/2027-Q1.okr.md', 'prds/saved-cards.prd.md'],
    );
    for (const f of one.files) assert.deepEqual(f, cli.files.find((c) => c.path === f.path));
    assert.equal(one.summary.files, 3);
    assert.equal(one.summary.errors + one.summary.warnings + one.summary.infos, one.files.reduce((n, f) => n + f.diagnostics.length, 0));
    assert.match(toolError(await call('check', { paths: ['../elsewhere'] })), /outside the workspace root/);
    assert.match(toolError(await call('check', { paths: ['no/such.md'] })), /No such file or folder/);
  });

  test('alignment_summary: the score the report prints, per-objective progress, as of a date', async () => {
    const out = path.join(dir, '..', `${path.basename(dir)}-report.md`);
    const r = spawnSync(process.execPath, [CLI, 'report', '--as-of', AS_OF, '--out', out], { cwd: dir, encoding: 'utf8' });
    fs.rmSync(out, { force: true });
    const score = Number(/alignment score (\d+)%/.exec(r.stderr)?.[1]);
    const s = structured(await call('alignment_summary', { asOf: AS_OF })) as {
      score: number;
      asOf: string;
      okrs: { id: string; objectives: { id: string; keyResults: { id: string; progress: number; covered: boolean; features: { id: string }[] }[] }[] }[];
      findingsByCode: { code: string; count: number }[];
    };
    assert.equal(s.asOf, AS_OF);
    assert.equal(s.score, score);
    assert.deepEqual(s.okrs.map((o) => o.id), ['OKR-2026Q4']);
    const kr = s.okrs[0]!.objectives.find((o) => o.id === 'OBJ-effortless-checkout')!.keyResults.find((k) => k.id === 'KR-2026Q4.1')!;
    assert.ok(Math.abs(kr.progress - 0.48) < 1e-9 && kr.covered && kr.features.some((f) => f.id === 'FEAT-saved-cards'));
    assert.ok(s.findingsByCode.some((f) => f.code === 'kr-not-covered' && f.count >= 1));
    // Another date: Q1 2027 is current then too (Q4 2026 stays current while its status is active).
    const later = structured(await call('alignment_summary', { asOf: '2027-02-01' })) as { asOf: string; okrs: { id: string }[] };
    assert.equal(later.asOf, '2027-02-01');
    assert.ok(later.okrs.some((o) => o.id === 'OKR-2027Q1'));
  });

  test('explain_rule: the rule\'s section of docs/RULES.md; an unknown code names the nearest', async () => {
    const e = structured(await call('explain_rule', { code: 'missing-section' })) as { text: string; severity: string; docs: string };
    assert.equal(e.severity, 'error');
    assert.match(e.text, /^## missing-section\n/);
    assert.match(e.text, /\*\*Default severity:\*\* error\./);
    assert.ok(e.text.includes('## Non-goals'), 'the example headings inside code fences stay in the section');
    assert.ok(!e.text.includes('## missing-property'), 'the section ends at the next rule');
    assert.equal(e.docs, 'https://github.com/northstar-pm/northstar/blob/main/docs/RULES.md#missing-section');
    const rules = fs.readFileSync(path.join(CLI, '..', '..', 'docs', 'RULES.md'), 'utf8');
    assert.ok(rules.includes(e.text));
    assert.match(toolError(await call('explain_rule', { code: 'feature-not-alignd' })), /Nearest codes: feature-not-aligned/);
  });

  test('malformed calls get errors and the server keeps serving', async () => {
    assert.match(toolError(await call('trace', { id: 42 })), /valid|type|string/i);
    assert.match(toolError(await call('trace', {})), /id/);
    assert.match(toolError(await call('alignment_summary', { asOf: 'yesterday' })), /pattern|asOf/i);
    assert.match(toolError(await call('find_entities', { kind: 'EPIC' })), /kind|allowed|enum/i);
    await assert.rejects(client.callTool({ name: 'write_spec', arguments: {} }), /write_spec/);
    assert.equal((structured(await call('trace', { id: 'FEAT-saved-cards' })) as { id: string }).id, 'FEAT-saved-cards');
    assert.doesNotMatch(stderr(), /uncaught|unhandled/);
  });

  test('a file changed, added or deleted on disk is seen by the next call', async () => {
    const okr = path.join(dir, 'okrs', '2026-Q4.okr.md');
    fs.writeFileSync(okr, fs.readFileSync(okr, 'utf8').replace('- current: 14.5%', '- current: 18%'));
    const t = structured(await call('trace', { id: 'KR-2026Q4.2' })) as { keyResult: { current: string; progress: number } };
    assert.equal(t.keyResult.current, '18%');
    assert.ok(Math.abs(t.keyResult.progress - 0.75) < 1e-9);

    fs.writeFileSync(
      path.join(dir, 'prds', 'gift-cards.prd.md'),
      fs.readFileSync(path.join(dir, 'prds', 'saved-cards.prd.md'), 'utf8').replace(/PRD-saved-cards/g, 'PRD-gift-cards').replace(/FEAT-saved-cards/g, 'FEAT-gift-cards').replace(/FEAT-network-tokens/g, 'FEAT-gift-tokens').replace(/FEAT-one-click-checkout/g, 'FEAT-gift-one-click').replace(/FEAT-address-book/g, 'FEAT-gift-address-book'),
    );
    const found = structured(await call('find_entities', { query: 'FEAT-gift-cards' })) as { entities: { id: string; path: string }[] };
    assert.deepEqual(found.entities.map((e) => [e.id, e.path]), [['FEAT-gift-cards', 'prds/gift-cards.prd.md']]);

    fs.rmSync(path.join(dir, 'prds', 'local-payments.prd.md'));
    assert.match(toolError(await call('trace', { id: 'FEAT-pay-by-bank' })), /No entity FEAT-pay-by-bank/);
    // After all that, still exactly the CLI's answer on the folder as it is now.
    assert.deepEqual(structured(await call('check')), cliCheckJson(dir));
  });

  test('a slow call is cancelled when the client aborts it; the files it did not reach are read by the next call', async () => {
    // The client aborts on the first progress notification; the server notices between files.
    // Whether the abort lands before the sweep ends is a race the test does not control, so each
    // attempt gives the sweep more and larger files until one abort lands mid-sweep (the first
    // nearly always does). What is asserted holds for every attempt: an aborted call leaves the
    // files it did not reach to the next call, and the answer ends equal to the CLI's.
    const slow = path.join(dir, 'slow');
    fs.mkdirSync(slow);
    let landedMidSweep = false;
    for (let attempt = 0; attempt < 6 && !landedMidSweep; attempt++) {
      const n = 4 << attempt;
      const lines = 800 << Math.min(attempt, 3);
      const body = `# Interview notes ${attempt}\n\n${'- A shopper said:\n\n  typing the card number again on a phone is the worst part of paying.\n'.repeat(lines)}`;
      for (let i = 0; i < n; i++) fs.writeFileSync(path.join(slow, `notes-${attempt}-${i}.md`), body);
      const ac = new AbortController();
      let first: { progress: number; total?: number } | undefined;
      const outcome = await client.callTool({ name: 'check', arguments: {} }, { signal: ac.signal, onprogress: (p) => {
        first ??= p;
        ac.abort();
      } }).then(() => 'finished' as const, (e: Error) => {
        assert.match(`${e.name} ${e.message}`, /abort/i);
        return 'aborted' as const;
      });
      if (first) assert.equal(first.total, n, 'progress counts the files the sweep has to read');
      const progress: { progress: number; total?: number }[] = [];
      const r = await client.callTool({ name: 'find_entities', arguments: { query: 'FEAT-saved-cards' } }, { onprogress: (p) => progress.push(p) });
      assert.equal((structured(r) as { total: number }).total, 1);
      if (outcome === 'aborted' && progress.length >= 1) {
        // The server stopped: the next call read the files of the cancelled sweep it had not reached.
        assert.ok(progress[0]!.total! < n, `progress after the cancel: ${JSON.stringify(progress)}`);
        landedMidSweep = true;
      }
    }
    assert.ok(landedMidSweep, 'in six attempts, no abort landed before the sweep had read every file');
    fs.rmSync(slow, { recursive: true });
    assert.deepEqual(structured(await call('check')), cliCheckJson(dir));
  });
});

test('northstar mcp: a line that is not JSON-RPC gets no answer and does not end the server; older protocol versions are served', async () => {
  const dir = copyExamples();
  const proc = spawn(process.execPath, [CLI, 'mcp', '--root', dir, '--as-of', AS_OF], { stdio: ['pipe', 'pipe', 'pipe'] });
  const lines = readline.createInterface({ input: proc.stdout! });
  const answers = new Map<number, (v: Record<string, unknown>) => void>();
  lines.on('line', (l) => {
    const m = JSON.parse(l) as { id?: number };
    if (typeof m.id === 'number') answers.get(m.id)?.(m as Record<string, unknown>);
  });
  const ask = (id: number, method: string, params: unknown) =>
    new Promise<Record<string, unknown>>((resolve) => {
      answers.set(id, resolve);
      proc.stdin!.write(`${JSON.stringify({ jsonrpc: '2.0', id, method, params })}\n`);
    });
  proc.stdin!.write('this is not json\n{"jsonrpc":"2.0","id":\n');
  const init = await ask(1, 'initialize', { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } });
  assert.equal((init.result as { protocolVersion: string }).protocolVersion, '2025-06-18');
  proc.stdin!.write(`${JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' })}\n`);
  proc.stdin!.write('{"jsonrpc":"2.0","id":"x","method":\n');
  const r = await ask(2, 'tools/call', { name: 'trace', arguments: { id: 'KPI-checkout-conversion' } });
  const result = r.result as { structuredContent: unknown };
  assertContract('trace-output.v1.schema.json', result.structuredContent);
  const exited = new Promise<number | null>((resolve) => proc.on('exit', resolve));
  proc.stdin!.end();
  assert.equal(await exited, 0);
  fs.rmSync(dir, { recursive: true, force: true });
});

test('northstar mcp: a root that does not exist is bad usage (exit 2)', () => {
  const r = spawnSync(process.execPath, [CLI, 'mcp', '--root', path.join(CLI, 'no-such-folder')], { encoding: 'utf8' });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /no such folder/);
  const p = spawnSync(process.execPath, [CLI, 'mcp', 'examples'], { encoding: 'utf8' });
  assert.equal(p.status, 2);
  assert.match(p.stderr, /mcp takes --root/);
});
