/**
 * The strategy map (core/alignment/map.ts, mapSvg.ts) on every alignment fixture and examples/:
 * every objective, key result and feature is a node, each feature in the state of its verdict,
 * each key result covered as the summary says; layers run left to right; nodes do not overlap;
 * the SVG is well-formed with one node per entity. Then hostile text, a stale active OKR, the
 * Markdown report's wording, and a roadmap too large to draw whole.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { NorthstarService } from '../../server/src/core/service.js';
import { strategyOf } from '../../server/src/core/alignment/strategy.js';
import { featureVerdict } from '../../server/src/core/alignment/verdict.js';
import { wrapText, type MapKind } from '../../server/src/core/alignment/map.js';
import { findMarkdownFiles, readMarkdownFile } from '../../server/src/node/host.js';
import { FIXTURES, ROOT, schemas } from '../helpers.js';
import { xmlProblem } from './wellFormed.js';

const BASE = 'file:///ws';

function load(files: Record<string, string>, asOf: string) {
  const svc = new NorthstarService(schemas(), { asOf, severities: {} });
  for (const [name, text] of Object.entries(files)) svc.update(svc.analyze(`${BASE}/${name}`, text));
  const report = svc.alignmentReport((uri) => uri.slice(BASE.length + 1));
  return { svc, report, strategy: strategyOf(svc.index, schemas(), asOf) };
}

function loadDir(dir: string, asOf: string) {
  const files: Record<string, string> = {};
  for (const f of findMarkdownFiles([dir])) files[path.relative(dir, f).split(path.sep).join('/')] = readMarkdownFile(f).text ?? '';
  return load(files, asOf);
}

const ORDER: MapKind[] = ['brief', 'objective', 'keyResult', 'kpi', 'feature'];

const cases: [string, string, string][] = [['examples', path.join(ROOT, 'examples'), '2026-11-23']];
const dir = path.join(FIXTURES, 'alignment');
for (const name of fs.readdirSync(dir).filter((f) => fs.statSync(path.join(dir, f)).isDirectory()).sort()) {
  const c = JSON.parse(fs.readFileSync(path.join(dir, name, 'case.json'), 'utf8')) as { asOf: string };
  cases.push([name, path.join(dir, name), c.asOf]);
}

for (const [name, folder, asOf] of cases) {
  test(`map: ${name} — every entity a node in the state the verdict and the summary say, laid out in layers`, () => {
    const { report, strategy } = loadDir(folder, asOf);
    const map = report.map;
    const byId = new Map(map.nodes.map((n) => [n.id, n]));
    assert.equal(byId.size, map.nodes.length, 'node IDs are unique');
    for (const f of strategy.features.values()) {
      const n = byId.get(f.id);
      assert.ok(n, `feature ${f.id} is not on the map`);
      const v = featureVerdict(strategy, f).status;
      assert.equal(n.state, v === 'not-planned' ? 'not-planned' : v, `${f.id}: state ${n.state}, verdict ${v}`);
      assert.equal(n.kind, 'feature');
    }
    for (const ob of strategy.objectives.values()) assert.ok(byId.get(ob.id)?.kind === 'objective', `objective ${ob.id} is not on the map`);
    for (const kr of strategy.keyResults.values()) if (kr.objective && strategy.objectives.has(kr.objective)) assert.ok(byId.get(kr.id)?.kind === 'keyResult', `key result ${kr.id} is not on the map`);
    for (const o of report.summary.okrs)
      for (const ob of o.objectives)
        for (const kr of ob.keyResults) assert.equal(byId.get(kr.id)!.state, kr.covered ? 'aligned' : 'uncovered', `${kr.id} covered=${kr.covered}`);
    // Layers left to right; inside the drawing; no two nodes overlap; edges join nodes.
    for (const n of map.nodes) {
      assert.ok(n.x >= 0 && n.y >= 0 && n.x + n.width <= map.width + 0.5 && n.y + n.height <= map.height + 0.5, `${n.id} outside the map`);
      if (n.uri) assert.ok(n.uri.startsWith(BASE) && Number.isInteger(n.line) && n.line! >= 1, `${n.id} has no source line`);
    }
    for (const a of map.nodes)
      for (const b of map.nodes) {
        if (a === b) continue;
        if (ORDER.indexOf(a.kind) < ORDER.indexOf(b.kind)) assert.ok(a.x + a.width <= b.x, `${a.id} (${a.kind}) is not left of ${b.id} (${b.kind})`);
        const overlap = a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
        assert.ok(!overlap, `${a.id} overlaps ${b.id}`);
      }
    for (const e of map.edges) {
      assert.ok(byId.has(e.from) && byId.has(e.to), `edge ${e.from} -> ${e.to} joins no node`);
      assert.ok(ORDER.indexOf(byId.get(e.from)!.kind) < ORDER.indexOf(byId.get(e.to)!.kind), `edge ${e.from} -> ${e.to} runs backwards`);
    }
    // The SVG: well-formed, one node group per node, a title in each.
    const svg = report.svg;
    assert.equal(xmlProblem(svg), undefined);
    assert.equal((svg.match(/<g class="node /g) ?? []).length, map.nodes.length);
    for (const n of map.nodes) assert.ok(svg.includes(`data-id="${n.id.replace(/&/g, '&#38;')}"`), `${n.id} has no data-id in the SVG`);
    assert.doesNotMatch(svg, /<script|<style|\sstyle=|\son[a-z]+=|href=|file:/i);
  });
}

test('map: wrapText wraps words, breaks long ones, cuts with an ellipsis', () => {
  assert.deepEqual(wrapText('Make paying feel effortless for returning shoppers', 20, 2), ['Make paying feel', 'effortless for…']);
  assert.deepEqual(wrapText('short', 20, 2), ['short']);
  assert.deepEqual(wrapText('  ', 20, 2), []);
  assert.deepEqual(wrapText('abcdefghijklmnopqrstuvwxyz', 10, 3), ['abcdefghij', 'klmnopqrst', 'uvwxyz']);
  assert.deepEqual(wrapText('abcdefghijklmnopqrstuvwxyz', 10, 2), ['abcdefghij', 'klmnopqrs…']);
  assert.deepEqual(wrapText('anything', 10, 0), []);
});

const OKR = (period: string, status: string, extra = '') => `---
type: okr
id: OKR-test
title: Test OKRs
owner: Ana
period: ${period}
status: ${status}
---

# Test OKRs

## OBJ-weighted: Weighted objective
- weight: 0.6

### KR-a: Raise activation
- kpi: KPI-activation
- baseline: 10%
- target: 20%
- current: 15%

## OBJ-plain: Objective without a weight ${extra}

### KR-b: Raise NPS
- kpi: KPI-nps
- target: 40
`;

const PRD = (title: string) => `---
type: prd
id: PRD-test
title: Test PRD
owner: Ana
status: approved
brief: BRIEF-none
release: 2026-12-01
---

# Test PRD

## Problem
p
## Goals
g
## Non-goals
n
## Features

### FEAT-one: ${title}
- priority: must
- kpi: KPI-activation
- effort: 1

### FEAT-two: Second
- priority: should
- kpi: KPI-nps
- effort: 4

## Success metrics
s
## Release plan
r
`;

test('map and reports: hostile titles are text, the SVG and the HTML stay well-formed', () => {
  const evil = `<script>alert(1)</script> "quoted" & 'single' \u0001 \u202Eevil\u202C \uD800 </svg>`;
  const { report } = load({ 'q.okr.md': OKR('2026-Q4', 'active', evil), 'p.prd.md': PRD(evil) }, '2026-11-23');
  for (const [what, text] of [['svg', report.svg], ['html', report.html]] as const) {
    assert.equal(xmlProblem(text), undefined, what);
    assert.doesNotMatch(text, /<script/i, what);
    assert.ok(text.includes('&#60;script&#62;alert(1)&#60;/script&#62;'), `${what}: the title is not escaped as text`);
    assert.ok(!text.includes('\u202E') && !text.includes('\u0001'), `${what}: control characters kept`);
  }
  assert.doesNotMatch(report.markdown, /(?<!\\)<script/);
  assert.ok(!report.markdown.includes('\u0001') && !report.markdown.includes('\u202E'), 'markdown: control characters kept');
});

test('report: an active OKR whose period ended is flagged; weight — when unset, said once; units spelled out', () => {
  const { report } = load({ 'q.okr.md': OKR('2020-Q1', 'active'), 'p.prd.md': PRD('First') }, '2026-11-23');
  const okr = report.summary.okrs[0]!;
  assert.equal(okr.periodEnded, '2020-03-31');
  const [weighted, plain] = okr.objectives;
  assert.equal(weighted!.weightSet, true);
  assert.equal(plain!.weightSet, false);
  for (const [what, text] of [['markdown', report.markdown], ['html', report.html]] as const) {
    assert.ok(text.includes('OKR-test is active but its period ended on 2020-03-31'), `${what}: no stale-OKR warning`);
    assert.ok(text.includes('weight 0.6') && text.includes('weight —'), `${what}: weights not shown alike`);
    assert.equal(text.split('Weight —: the objective does not set one').length - 1, 1, `${what}: the unset weight is not explained once`);
    assert.ok(text.includes('(1 person-month)') && text.includes('(4 person-months)'), `${what}: effort without its unit`);
    assert.doesNotMatch(text, /\d pm\b/, `${what}: "pm" for person-months`);
  }
  // The Mermaid source is folded away.
  assert.match(report.markdown, /<details>\n<summary>[^<]+<\/summary>\n\n```mermaid\n[\s\S]*?\n```\n\n<\/details>/);
  // Not stale while the period runs.
  assert.equal(load({ 'q.okr.md': OKR('2026-Q4', 'active') }, '2026-11-23').report.summary.okrs[0]!.periodEnded, undefined);
});

test('report: findings grouped by what to do, groups with an error first, each with its subject and title', () => {
  const { report } = loadDir(path.join(ROOT, 'examples'), '2026-11-23');
  const groups = report.summary.findings.map((f) => f.group).filter((g, i, a) => a.indexOf(g) === i);
  const worst = groups.map((g) => report.summary.findings.some((f) => f.group === g && f.severity === 'error'));
  assert.deepEqual(worst, [...worst].sort((a, b) => Number(b) - Number(a)), `groups with errors come first: ${groups.join(' | ')}`);
  for (const g of groups) {
    const sev = report.summary.findings.filter((f) => f.group === g).map((f) => f.severity === 'error');
    assert.deepEqual(sev, [...sev].sort((a, b) => Number(b) - Number(a)), `errors first within ${g}`);
  }
  const rice = report.summary.findings.find((f) => f.code === 'rice-mismatch')!;
  assert.equal(rice.group, 'Correct these estimates');
  assert.deepEqual(rice.subject, { id: 'FEAT-payout-alerts', title: 'Payout and dispute alerts' });
  assert.equal(report.summary.findings.find((f) => f.code === 'kr-not-covered')!.group, 'Cover these key results');
  assert.ok(report.markdown.includes('### Cover these key results'));
  assert.ok(report.markdown.includes('[FEAT-payout-alerts](prds/payment-recovery.prd.md#L41) Payout and dispute alerts — RICE is written as 2400'));
});

test('map: a roadmap too large to draw keeps its problems and counts the rest, in bounded time', () => {
  const features = Array.from({ length: 600 }, (_, i) => `### FEAT-f${i}: Feature ${i}\n- priority: should\n- kpi: ${i % 7 === 0 ? 'KPI-nowhere' : `KPI-activation`}\n- effort: 1\n`).join('\n');
  const prd = PRD('First').replace('## Success metrics', `${features}\n## Success metrics`);
  const started = performance.now();
  const { report } = load({ 'q.okr.md': OKR('2026-Q4', 'active'), 'p.prd.md': prd }, '2026-11-23');
  const map = report.map;
  const ms = performance.now() - started;
  assert.equal(map.nodes.filter((n) => n.kind === 'feature').length, 400);
  assert.equal(map.omitted, 602 - 400);
  // Every unaligned feature (KPI-nowhere) is kept.
  assert.equal(map.nodes.filter((n) => n.state === 'unaligned').length, 86);
  assert.ok(report.svg.includes('features are not drawn'));
  assert.ok(ms < 20_000, `the map took ${Math.round(ms)} ms`);
});
