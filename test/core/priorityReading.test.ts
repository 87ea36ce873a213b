/**
 * Priorities the tolerant reader gives entities written without IDs (issue 11): a heading or bold
 * label that names a priority level (`### Must-Have (Required for Success)`, `**Should Have (…):**`)
 * gives it to the entities under it, KPIs and objectives included; a prioritisation list names
 * entities defined elsewhere (`- [x] Human-in-the-Loop Review Points` = the row `Human-in-the-Loop`)
 * and gives each the one it names uniquely, defining nothing; `**Priority**: P0` on an objective.
 * The fixtures are test/fixtures/reading/priority-*.md (their snapshots are checked by reading.test.ts);
 * here: what `inspect` makes of them (the priority as the schema reads it) and that nothing is reported.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { applyPriorityMentions, nameWords, namesMatch } from '../../server/src/core/model/read/mentions.js';
import type { Property } from '../../server/src/core/model/types.js';
import { NorthstarService } from '../../server/src/core/service.js';
import { FIXTURES, schemas } from '../helpers.js';

const DIR = path.join(FIXTURES, 'reading');

/** Each entity's title and priority as `inspect` reports them, and the findings other than hints and the template's. */
function read(file: string): { priorities: Record<string, unknown>; findings: string[] } {
  const service = new NorthstarService(schemas(), { asOf: '2026-11-23' });
  const uri = `file:///work/docs/${file}`;
  service.update(service.analyze(uri, fs.readFileSync(path.join(DIR, file), 'utf8')));
  const priorities: Record<string, unknown> = {};
  for (const e of service.inspect(uri)!.entities) priorities[e.title] = e.properties['priority'] ?? null;
  const findings = service
    .diagnostics(uri)
    .filter((d) => d.severity !== 'hint' && d.code !== 'missing-field' && d.code !== 'missing-section')
    .map((d) => `${d.code}: ${d.message}`);
  return { priorities, findings };
}

test('a heading or bold label naming a priority level gives it to the KPIs under it', () => {
  const r = read('priority-headings.brief.md');
  assert.deepEqual(r.priorities, { 'Time Savings': 'must', 'Daily Usage': 'must', 'Fewer Stock-outs': 'could', 'Faster Approvals': 'should', 'Login frequency': null });
  assert.deepEqual(r.findings, []);
});

test('a prioritisation list gives its priorities to the entities it names uniquely, and defines none', () => {
  const r = read('priority-list.prd.md');
  assert.deepEqual(r.priorities, {
    'Spec-Driven Workflow': 'must',
    'Human-in-the-Loop': 'must',
    'Technology-Agnostic Skills': 'must',
    'Automated Testing': 'should',
    // `Search` names two features: no match. `Offline Mode` sits under `**Next Milestone:**`, which names no priority.
    // `- **Search History**: …` under `### Launch scope (Must Have)` names the row: no second entity.
    'Search Filters': null,
    'Search History': 'must',
    'Offline Mode': null,
  });
  assert.ok(!r.findings.some((f) => /^(?:invalid-value|unknown-key|duplicate-id|unresolved-reference)/.test(f)), r.findings.join('\n'));
});

test('an objective takes its `**Priority**: P0` line through the document P-scale', () => {
  const r = read('priority-objectives.okr.md');
  assert.equal(r.priorities['Build scalable, reliable infrastructure'], 'must');
  assert.ok(r.priorities['Improve developer velocity'] !== null);
  assert.deepEqual(r.findings, []);
});

test('names match by words: case, plurals, asides and hyphens aside; the shorter at least half the longer', () => {
  assert.deepEqual(nameWords('Human-in-the-Loop Review Points'), ['human', 'in', 'the', 'loop', 'review', 'point']);
  assert.ok(namesMatch('Human-in-the-Loop Review Points', 'Human-in-the-Loop'));
  assert.ok(namesMatch('Technology-Agnostic Skill Templates', 'Technology-Agnostic Skills'));
  assert.ok(namesMatch('spec-driven workflow (Plan, Specify, Execute)', 'Spec-Driven Workflow'));
  assert.ok(namesMatch('Automated Testing', 'Automated Testing Integration'));
  assert.ok(!namesMatch('Integration', 'Automated Testing Integration'), 'one word of three is no name');
  assert.ok(!namesMatch('Search', 'Offline Mode'));
  assert.ok(!namesMatch('', 'Search'));
  assert.ok(!namesMatch('(aside only)', 'Search'));
});

test('a mention gives nothing to two candidates, nor to an entity that has a priority', () => {
  const prop = (raw: string): Property => ({ key: 'priority', rawKey: 'priority', keySpan: { start: 0, end: 1 }, raw, valueSpan: { start: 0, end: 1 }, items: [] });
  const a = { title: 'Search Filters', properties: [] as Property[] };
  const b = { title: 'Search History', properties: [] as Property[] };
  const c = { title: 'Export', properties: [prop('Could Have')] };
  const given = applyPriorityMentions([a, b, c], [{ name: 'Search', priority: prop('Must Have') }, { name: 'Export', priority: prop('Must Have') }], () => true);
  assert.deepEqual(given, []);
  assert.deepEqual([a.properties.length, b.properties.length, c.properties.map((p) => p.raw)], [0, 0, ['Could Have']]);
});

test('a table with an ID column of the document\'s own codes (`FR-1`) is read, its Priority column too', () => {
  const r = read('id-codes.prd.md');
  assert.deepEqual(r.priorities, {
    'Enable user authentication': 'must',
    'Apply row-level security': 'must',
    'Provide filters by status': 'should',
    // `| US-1.1 | … |` rows under `### Epic 1 – …`: sub-features of the epic (the reading snapshot shows the parent).
    'User Accounts': null,
    'As a user, I can register with email': null,
    'As a user, I can log out': null,
  });
  assert.deepEqual(r.findings.filter((f) => !f.startsWith('must-feature-unaligned')), []);
});

test('values in words, a template\'s menu of choices and an ID-shaped document number are read as a PM reads them', () => {
  const r = read('worded-values.okr.md');
  // `P0 / P1 / P2` offers choices: no priority chosen yet.
  assert.deepEqual(r.priorities, { 'Build scalable infrastructure': null, 'Go multi-region': null, 'Shift payments online': null, 'Launch the audit trail': null });
  // No type error for `Single region` / `Not started` / `Implemented by Q2` (words, not numbers), none for
  // `High / Medium / Low`, `50%+ of total transactions/month` is a number, and `OKR-Q1-2025` in the
  // document control table of a document that writes no Northstar ID is a mention. The retrospective restates.
  assert.deepEqual(r.findings, []);
});
