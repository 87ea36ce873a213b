/**
 * Values read once: each property is read as its schema says, once per (model, registry); and
 * the forms people write, as a table (test/fixtures/values/readings.json: written → value and
 * reading), plus what "not set" means for validation and inspect.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeDocument } from '../../server/src/core/analysis.js';
import type { DocType, Priority } from '../../server/src/core/model/types.js';
import { boundDirection, readValue } from '../../server/src/core/schema/coerce.js';
import { entityValues, frontMatterValues, readingOf, writtenDirection } from '../../server/src/core/schema/entityValues.js';
import { span } from '../../server/src/core/text/lineIndex.js';
import type { EntityKind } from '../../server/src/core/ids.js';
import { provideHover } from '../../server/src/core/features/hover.js';
import { FIXTURES, schemas } from '../helpers.js';
import { loadCase } from '../fixtureWorkspace.js';

const PRD = `---
type: prd
id: PRD-v
title: Values
owner: Ana
status: In review
release: 2026-10-15
okrs: [OKR-a]
---

# Values

## Features

### FEAT-v: Typed

- priority: Must have
- kpi: KPI-a, KPI-b
- depends_on: FEAT-w
- release: 2026-Q4
- effort: 2
- reach: 1,200
- confidence: 80%
- notes: free text
`;

test('values: each property is read as its schema says', () => {
  const a = analyzeDocument('file:///v.prd.md', PRD, schemas());
  const fm = frontMatterValues(a.model, 'prd', schemas());
  assert.deepEqual(fm.get('status')?.read, { kind: 'enum', value: 'review' });
  assert.deepEqual(fm.get('release')?.read, { kind: 'date', period: { start: '2026-10-15', end: '2026-10-15' } });
  assert.equal(fm.get('okrs')?.read.kind, 'ids');
  const v = entityValues(a.model.entities[0]!, 'prd', schemas());
  assert.deepEqual(v.get('priority')?.read, { kind: 'enum', value: 'must' });
  assert.deepEqual(v.get('release')?.read, { kind: 'period', period: { start: '2026-10-01', end: '2026-12-31' } });
  assert.deepEqual(v.get('effort')?.read, { kind: 'number', number: 2, percent: false });
  assert.deepEqual(v.get('reach')?.read, { kind: 'number', number: 1200, percent: false });
  assert.deepEqual(v.get('confidence')?.read, { kind: 'number', number: 0.8, percent: true });
  const kpi = v.get('kpi')?.read;
  assert.ok(kpi?.kind === 'ids');
  assert.deepEqual(kpi.ids.map((x) => x.id), ['KPI-a', 'KPI-b']);
  assert.equal(v.get('depends_on')?.read.kind, 'ids');
  // Read once: the same map for the same entity and registry.
  assert.equal(entityValues(a.model.entities[0]!, 'prd', schemas()), v);
});

interface Case {
  at: string;
  written: string;
  value?: unknown;
  read?: Record<string, unknown>;
  scale?: Record<string, Priority>;
  direction?: 'up' | 'down';
}

const table = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'values', 'readings.json'), 'utf8')) as { cases: Case[] };

/** The comma-split items of a written value, as the property reader gives them. */
function itemsOf(s: string): { text: string; span: ReturnType<typeof span> }[] {
  let at = 0;
  return s.split(',').map((part) => {
    const start = at + (part.length - part.trimStart().length);
    at += part.length + 1;
    return { text: part.trim(), span: span(start, start + part.trim().length) };
  });
}

test('values: the forms people write, read as the table says', () => {
  const registry = schemas();
  const failures: string[] = [];
  for (const c of table.cases) {
    const [type, owner, key] = c.at.split('.') as [DocType, string, string];
    const o = owner === 'frontMatter' ? registry.at(type, ['frontMatter']) : registry.entitySchema(type, owner as EntityKind);
    assert.ok(o, `${c.at}: no such schema`);
    const ps = registry.propertySchema(o, key);
    assert.ok(ps, `${c.at}: no such property`);
    const is = registry.itemsSchema(ps, o.base);
    const items = itemsOf(c.written);
    const got = readValue(c.written, items, ps, is, c.scale);
    const read = readingOf(got, c.written, items, ps, is) as unknown as Record<string, unknown>;
    const label = `${c.at} ${JSON.stringify(c.written)}${c.scale ? ` (scale ${JSON.stringify(c.scale)})` : ''}`;
    try {
      assert.deepEqual(got.value, c.value, 'value');
      for (const [k, want] of Object.entries(c.read ?? {})) assert.deepEqual(read[k], want, `read.${k}`);
      if (c.direction) assert.equal(got.number ? boundDirection(got.number) : undefined, c.direction, 'direction');
    } catch (e) {
      failures.push(`${label}: ${(e as Error).message.split('\n')[0]} — got value ${JSON.stringify(got.value)}, read ${JSON.stringify(read)}`);
    }
  }
  assert.deepEqual(failures, []);
});

const NOT_SET = `---
type: prd
id: PRD-n
title: Not set yet
owner: TBD
status: draft
brief: BRIEF-fixture
release: N/A
---

# Not set yet

## Problem
x
## Goals
x
## Non-goals
x
## Features

### FEAT-n-one: One

- priority: TBD
- kpi: KPI-a
- effort: ?
- reach: -
- status: n/a

### FEAT-n-two: Two

- priority: Should-have (Phase 2)
- kpi: [TBD]

## Success metrics

### KPI-n: Latency

- target: <500ms

## Release plan
x
`;

test('values: "not set" is absent for the schema — a required one is reported once, never as a type error', () => {
  const a = analyzeDocument('file:///n.prd.md', NOT_SET, schemas());
  const found = a.diagnostics.filter((d) => ['invalid-value', 'missing-property', 'missing-field', 'schema-violation'].includes(d.code)).map((d) => `${a.lines.humanPosition(d.span.start).line} ${d.code} ${d.message}`);
  // owner, release (front matter), priority of FEAT-n-one, kpi of FEAT-n-two: one finding each; effort, reach and status are optional.
  assert.equal(found.length, 4, found.join('\n'));
  assert.ok(!found.some((f) => /invalid-value|Expected/.test(f)), found.join('\n'));
  for (const line of [5, 8, 23, 32]) assert.ok(found.some((f) => f.startsWith(`${line} `)), `a finding on line ${line}:\n${found.join('\n')}`);
  const one = entityValues(a.model.entities[0]!, 'prd', schemas(), a.model.priorityScale);
  assert.deepEqual(one.get('priority')?.read, { kind: 'not-set', written: 'TBD' });
  assert.equal(one.get('priority')?.value, undefined);
  const two = entityValues(a.model.entities[1]!, 'prd', schemas(), a.model.priorityScale);
  assert.deepEqual(two.get('priority')?.read, { kind: 'enum', value: 'should', note: 'Phase 2' });
  const kpi = entityValues(a.model.entities.find((e) => e.kind === 'KPI')!, 'prd', schemas(), a.model.priorityScale);
  assert.equal(writtenDirection(kpi.get('target')), 'down');
});

test('values: a P-scale reads P1 through it, and the map is read once per scale', () => {
  const text = PRD.replace('- priority: Must have', '- priority: P1');
  const a = analyzeDocument('file:///p.prd.md', text, schemas());
  const e = a.model.entities[0]!;
  const scale = { P1: 'must', P2: 'should', P3: 'could' } as const;
  assert.equal(entityValues(e, 'prd', schemas()).get('priority')?.value, 'should');
  const withScale = entityValues(e, 'prd', schemas(), scale);
  assert.equal(withScale.get('priority')?.value, 'must');
  assert.equal(entityValues(e, 'prd', schemas(), scale), withScale);
});

test('values: unreadable and long text never throws and stays as written', () => {
  const registry = schemas();
  const o = registry.entitySchema('okr', 'KR')!;
  const ps = registry.propertySchema(o, 'target')!;
  for (const s of ['*'.repeat(20000), `5${' '.repeat(5000)}x!`, `${'1 → '.repeat(3000)}2`, `(${'('.repeat(5000)}`, '\u0000', '🚧'.repeat(1000)]) {
    const t0 = Date.now();
    const got = readValue(s, itemsOf(s), ps, undefined);
    assert.ok(Date.now() - t0 < 200, `slow on ${JSON.stringify(s.slice(0, 20))}…`);
    assert.ok(got.value === s.trim() || got.value === undefined, JSON.stringify(got.value).slice(0, 40));
  }
});

test('values: hover on a value says what the reading kept (not set, a bound, a note)', () => {
  const cases: [string, RegExp][] = [
    ['- priority: Must Have (Ph$0ase 2)', /read as `must`[\s\S]*Note\\?: Phase 2\./],
    ['- target: <5$000ms', /Read as below 500 ms\\?: lower is better\./],
    ['- effort: T$0BD', /Not set yet\\?: read as no value\./],
  ];
  for (const [at, want] of cases) {
    const { ctx, uri, offset } = loadCase({ files: { 'h.prd.md': NOT_SET.replace('- reach: -', '- effort: TBD').replace('- priority: Should-have (Phase 2)', '- priority: Must Have (Phase 2)') }, file: 'h.prd.md', at });
    const h = provideHover(ctx, ctx.index.get(uri)!, offset);
    assert.match(h?.markdown ?? '', want, at);
  }
});

test('values: the strategy takes a baseline from a target written as a change, and a direction from a bound', async () => {
  const { buildStrategy, directionOf } = await import('../../server/src/core/alignment/strategy.js');
  const okr = ['---', 'type: okr', 'id: OKR-v', 'title: V', 'owner: Ana', 'period: Q4 2026', 'status: active', '---', '', '# V', '', '## OBJ-v: Faster', '',
    '### KR-v.1: Conversion', '- kpi: KPI-v-conv', '- target: from 12% to 20%', '- current: 16%', '',
    '### KR-v.2: Latency', '- kpi: KPI-v-lat', '- target: <500ms', '',
    '## KPI-v-conv: Conversion', '', '## KPI-v-lat: Latency', '- target: <500ms', ''].join('\n');
  const { ctx } = loadCase({ files: { 'v.okr.md': okr }, file: 'v.okr.md' });
  const s = buildStrategy(ctx.index, ctx.registry, ctx.asOf);
  const kr1 = s.keyResults.get('KR-v.1')!;
  assert.equal(kr1.baseline, 0.12);
  assert.equal(kr1.target, 0.2);
  assert.equal(kr1.progress, 0.5);
  assert.equal(directionOf(s, kr1), 'up');
  assert.equal(directionOf(s, s.keyResults.get('KR-v.2')!), 'down');
  assert.equal(s.okrs.get('OKR-v')?.periodText, '2026-Q4');
});
