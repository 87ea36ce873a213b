/** Values read once: each property is read as its schema says, once per (model, registry). */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { analyzeDocument } from '../../server/src/core/analysis.js';
import { entityValues, frontMatterValues } from '../../server/src/core/schema/entityValues.js';
import { schemas } from '../helpers.js';

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
