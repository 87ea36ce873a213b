/**
 * LaunchDarkly flag exports next to features that carry `flag:`: reading the export of
 * GET /api/v2/flags/{projectKey} (test/fixtures/metrics-exports/launchdarkly-flags.json), a
 * planned feature whose flag serves 100% (`feature-flag-fully-on`), a shipped feature whose flag
 * is off (`shipped-flag-off`), at the feature's `flag` value; bad exports never throw.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { NorthstarService } from '../../server/src/core/service.js';
import { environmentOf, parseFlagExport, readFlagRef } from '../../server/src/core/flags/launchdarkly.js';
import { flagsOf, isFlagFile } from '../../server/src/core/flags/store.js';
import { pathToFileURL } from 'node:url';
import { FIXTURES, ROOT, schemas } from '../helpers.js';
import { TestClient } from '../lsp/lspClient.js';

const EXPORT = fs.readFileSync(path.join(FIXTURES, 'metrics-exports', 'launchdarkly-flags.json'), 'utf8');
const FLAGS_URI = 'file:///ws/metrics/launchdarkly-flags.json';
const PRD_URI = 'file:///ws/prds/checkout.prd.md';

const PRD = `---
type: prd
id: PRD-checkout
title: Checkout
owner: Maya Chen
status: in-progress
release: 2026-Q4
---

# Checkout

## Problem

Checkout is slow.

## Goals

- Faster checkout.

## Non-goals

- Wallets.

## Features

### FEAT-new-checkout: New checkout

- priority: must
- kpi: KPI-checkout-conversion
- status: planned
- flag: new-checkout

### FEAT-saved-cards: Saved cards

- priority: must
- kpi: KPI-checkout-conversion
- status: in-progress
- flag: saved-cards

### FEAT-smart-retry: Smart retry

- priority: should
- kpi: KPI-checkout-conversion
- status: shipped
- flag: smart-retry

### FEAT-staging-only: New checkout in staging

- priority: could
- kpi: KPI-checkout-conversion
- status: shipped
- flag: new-checkout@staging

### FEAT-bulk-export: Bulk export

- priority: could
- kpi: KPI-checkout-conversion
- status: planned
- flag: bulk-export

### FEAT-express-pay: Express pay

- priority: could
- kpi: KPI-checkout-conversion
- status: in-progress
- flag: express-pay

### FEAT-legacy: Legacy banner removed

- priority: could
- kpi: KPI-checkout-conversion
- status: shipped
- flag: legacy-banner

### FEAT-unflagged: No flag

- priority: could
- kpi: KPI-checkout-conversion
- status: shipped

## Success metrics

### KPI-checkout-conversion: Checkout conversion

- baseline: 60%

## Release plan

- 2026-Q4: everything.
`;

function workspace(prd = PRD): NorthstarService {
  const service = new NorthstarService(schemas(), { asOf: '2026-11-23' });
  service.update(service.analyze(PRD_URI, prd, 1));
  return service;
}

const flagFindings = (service: NorthstarService) =>
  service
    .diagnostics(PRD_URI)
    .filter((d) => d.code === 'feature-flag-fully-on' || d.code === 'shipped-flag-off')
    .map((d) => `${d.code} ${PRD.slice(d.span.start, d.span.end)}: ${d.message}`);

test('launchdarkly export: each flag\'s state in production (full flags, a rollout, rules, the list API\'s summary)', () => {
  const f = parseFlagExport(FLAGS_URI, EXPORT);
  assert.deepEqual(f.problems, []);
  const state = (key: string, env?: string) => {
    const e = environmentOf(f.flags.get(key)!, env)!;
    return `${e.env} on=${e.on} fullyOn=${e.fullyOn} ${e.serving}`;
  };
  assert.equal(state('new-checkout'), 'production on=true fullyOn=true true to 100%');
  assert.equal(state('new-checkout', 'staging'), 'staging on=false fullyOn=false off');
  assert.equal(state('saved-cards'), 'production on=true fullyOn=false true to 25%');
  assert.equal(state('smart-retry'), 'production on=false fullyOn=false off');
  assert.match(state('bulk-export'), /^production on=true fullyOn=false true to 100%, with rules/);
  assert.equal(state('express-pay'), 'production on=true fullyOn=true true to 100%', 'the list API summary (no fallthrough) is read from _summary');
  assert.equal(f.flags.get('legacy-banner')!.archived, true);
  assert.equal(EXPORT.slice(f.flags.get('saved-cards')!.span.start, f.flags.get('saved-cards')!.span.end), '"saved-cards"');
  assert.deepEqual(readFlagRef('new-checkout@staging'), { key: 'new-checkout', env: 'staging' });
  assert.ok(isFlagFile(FLAGS_URI));
  assert.ok(isFlagFile('file:///ws/metrics/payments.launchdarkly.json'));
  assert.ok(!isFlagFile('file:///ws/metrics/amplitude.json'));
});

test('flag findings: planned work fully on, shipped work off, at the feature\'s flag value', () => {
  const service = workspace();
  assert.deepEqual(flagFindings(service), [], 'no export, no finding');
  flagsOf(service.index).set(FLAGS_URI, EXPORT);
  assert.deepEqual(flagFindings(service), [
    'feature-flag-fully-on new-checkout: FEAT-new-checkout is planned, but its flag `new-checkout` serves true to 100% of traffic in production (launchdarkly-flags.json): set `status: shipped` if it has shipped, or roll the flag back.',
    'shipped-flag-off smart-retry: FEAT-smart-retry is shipped, but its flag `smart-retry` is off in production (launchdarkly-flags.json): nobody gets it. Turn the flag on, or set the feature\'s status back to `in-progress`.',
    'shipped-flag-off new-checkout@staging: FEAT-staging-only is shipped, but its flag `new-checkout` is off in staging (launchdarkly-flags.json): nobody gets it. Turn the flag on, or set the feature\'s status back to `in-progress`.',
    'feature-flag-fully-on express-pay: FEAT-express-pay is in-progress, but its flag `express-pay` serves true to 100% of traffic in production (launchdarkly-flags.json): set `status: shipped` if it has shipped, or roll the flag back.',
  ]);
  const d = service.diagnostics(PRD_URI).find((x) => x.code === 'feature-flag-fully-on')!;
  assert.equal(d.severity, 'warning');
  assert.equal(d.related?.[0]?.uri, FLAGS_URI);
  // The export changes: the findings follow (the findings cache keys on the flag store).
  flagsOf(service.index).set(FLAGS_URI, EXPORT.replace(/"on": false/g, '"on": true'));
  assert.ok(!flagFindings(service).some((x) => x.startsWith('shipped-flag-off')));
  flagsOf(service.index).remove(FLAGS_URI);
  assert.deepEqual(flagFindings(service), []);
});

test('flag: is a feature property in the PRD schema (a key, optionally @environment)', () => {
  const service = workspace(PRD.replace('- flag: bulk-export', '- flag: not a key!'));
  const bad = service.diagnostics(PRD_URI).filter((d) => d.severity === 'error' && /flag/.test(d.message));
  assert.equal(bad.length, 1, JSON.stringify(bad.map((d) => d.message)));
  assert.match(bad[0]!.message, /Expected a LaunchDarkly flag key .* for `flag`, got `not a key!`/);
  assert.ok(!workspace().diagnostics(PRD_URI).some((d) => d.code === 'unknown-key'));
});

test('bad exports: a problem in the file, never a throw', () => {
  for (const [text, message] of [
    ['{"items": [', /not JSON/],
    ['{"flags": []}', /Not a LaunchDarkly flag export/],
    ['[{"name": "no key"}]', /has no `key`/],
    ['', /not JSON/],
  ] as const) {
    const f = parseFlagExport(FLAGS_URI, text);
    assert.match(f.problems[0]?.message ?? '', message, text);
    for (const p of f.problems) assert.ok(p.span.start >= 0 && p.span.end <= text.length);
  }
  for (const junk of ['null', '1', '{"items": [null, 1, {"key": "x", "environments": {"production": {"on": true, "fallthrough": {"rollout": {"variations": "x"}}}}}]}', '{"key": "x", "environments": null}']) {
    const f = parseFlagExport(FLAGS_URI, junk);
    for (const fl of f.flags.values()) environmentOf(fl);
  }
});

test('the export is a data file: setDataFile routes it, its problems are its findings, removeDataFile drops it', () => {
  const service = workspace();
  service.setDataFile(FLAGS_URI, EXPORT);
  assert.equal(service.flags.size, 1);
  assert.ok(flagFindings(service).length > 0);
  assert.deepEqual(service.diagnostics(FLAGS_URI), []);
  const broken = 'file:///ws/metrics/launchdarkly-broken.json';
  service.setDataFile(broken, '{\n  "items": [\n    {"key": "a"},\n  ]\n}\n');
  const d = service.diagnostics(broken);
  assert.equal(d.length, 1);
  assert.equal(d[0]!.code, 'flag-export-invalid');
  assert.equal(service.linesOf(broken)!.positionAt(d[0]!.span.start).line, 3, 'at the line of the syntax error');
  assert.ok(service.check().some((r) => r.uri === broken));
  assert.ok(service.removeDataFile(broken));
  assert.ok(service.removeDataFile(FLAGS_URI));
  assert.deepEqual(flagFindings(service), []);
});

test('northstar check: a metrics/launchdarkly-flags.json next to the PRDs is read; its findings at the feature\'s flag', { skip: !fs.existsSync(path.join(ROOT, 'dist', 'cli.cjs')) }, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'northstar-flags-'));
  fs.mkdirSync(path.join(dir, 'metrics'));
  fs.writeFileSync(path.join(dir, 'checkout.prd.md'), PRD);
  fs.writeFileSync(path.join(dir, 'metrics', 'launchdarkly-flags.json'), EXPORT);
  const r = spawnSync(process.execPath, [path.join(ROOT, 'dist', 'cli.cjs'), 'check', '.', '--as-of', '2026-11-23'], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  const line = PRD.split('\n').findIndex((l) => l === '- flag: smart-retry') + 1;
  assert.match(r.stdout, new RegExp(`checkout\\.prd\\.md:${line}:9 +warning +FEAT-smart-retry is shipped, but its flag \`smart-retry\` is off in production`), r.stdout + r.stderr);
  assert.match(r.stdout, /FEAT-new-checkout is planned, but its flag `new-checkout` serves true to 100%/);
  fs.writeFileSync(path.join(dir, 'metrics', 'launchdarkly-flags.json'), '{"flags": []}');
  const bad = spawnSync(process.execPath, [path.join(ROOT, 'dist', 'cli.cjs'), 'check', '.', '--as-of', '2026-11-23'], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  assert.match(bad.stdout, /metrics\/launchdarkly-flags\.json:1:1 +error +Not a LaunchDarkly flag export/);
  assert.equal(bad.status, 1);
});

test('language server: the export under metrics/ is read at start and followed on disk; its findings are published on the PRD', { skip: !fs.existsSync(path.join(ROOT, 'dist', 'server.cjs')) }, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'northstar-flags-lsp-'));
  fs.mkdirSync(path.join(dir, 'metrics'));
  fs.writeFileSync(path.join(dir, 'checkout.prd.md'), PRD);
  const exportFile = path.join(dir, 'metrics', 'launchdarkly-flags.json');
  fs.writeFileSync(exportFile, EXPORT);
  const c = await TestClient.start(dir);
  try {
    const prdUri = pathToFileURL(path.join(dir, 'checkout.prd.md')).href;
    await c.diagnostics(prdUri, (p) => p.diagnostics.some((d) => d.code === 'shipped-flag-off'));
    fs.writeFileSync(exportFile, EXPORT.replace(/"on": false/g, '"on": true'));
    await c.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(exportFile).href, type: 2 }] });
    await c.diagnostics(prdUri, (p) => !p.diagnostics.some((d) => d.code === 'shipped-flag-off') && p.diagnostics.some((d) => d.code === 'feature-flag-fully-on'));
    fs.writeFileSync(exportFile, '{"flags": []}');
    await c.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(exportFile).href, type: 2 }] });
    await c.diagnostics(pathToFileURL(exportFile).href, (p) => p.diagnostics.some((d) => d.code === 'flag-export-invalid'));
  } finally {
    await c.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('quick fixes: the written status becomes shipped (fully on) or in-progress (flag off)', () => {
  const service = workspace();
  flagsOf(service.index).set(FLAGS_URI, EXPORT);
  const a = service.get(PRD_URI)!;
  const fixOf = (code: string, feature: string) => {
    const d = service.diagnostics(PRD_URI).find((x) => x.code === code && x.message.startsWith(`${feature} `))!;
    const action = service.codeActions(a, d.span, { quickFixes: true, fixAll: false }).find((x) => x.fixes.includes(d) || x.fixes.some((f) => f.code === code));
    assert.ok(action, `${code}: no fix`);
    const [edit] = action.edits.get(PRD_URI)!;
    return `${action.title}: ${PRD.slice(edit!.span.start, edit!.span.end)} -> ${edit!.newText}`;
  };
  assert.equal(fixOf('feature-flag-fully-on', 'FEAT-new-checkout'), "Set FEAT-new-checkout's status to shipped: planned -> shipped");
  assert.equal(fixOf('shipped-flag-off', 'FEAT-smart-retry'), "Set FEAT-smart-retry's status to in-progress: shipped -> in-progress");
});

test('unknown-flag: a key the export does not have (with the nearest one), an environment the flag does not have', () => {
  const prd = PRD.replace('- flag: bulk-export', '- flag: bulk-exprt').replace('- flag: saved-cards', '- flag: saved-cards@qa');
  const service = workspace(prd);
  flagsOf(service.index).set(FLAGS_URI, EXPORT);
  const found = service.diagnostics(PRD_URI).filter((d) => d.code === 'unknown-flag');
  assert.deepEqual(found.map((d) => `${prd.slice(d.span.start, d.span.end)}: ${d.message}`), [
    'saved-cards@qa: FEAT-saved-cards\'s flag `saved-cards` has no environment `qa` in launchdarkly-flags.json (it has `production`): the flag checks cannot judge it.',
    'bulk-exprt: FEAT-bulk-export\'s flag `bulk-exprt` is not in the flag export (launchdarkly-flags.json); did you mean `bulk-export`?: the flag checks cannot judge it. Fix the key, or export the flags again.',
  ]);
  assert.equal(found[0]!.severity, 'information');
  const a = service.get(PRD_URI)!;
  const fix = service.codeActions(a, found[1]!.span, { quickFixes: true, fixAll: false }).find((x) => x.title === 'Change to bulk-export');
  assert.ok(fix);
  assert.deepEqual(workspace(prd).diagnostics(PRD_URI).filter((d) => d.code === 'unknown-flag'), [], 'no export, no finding');
});
