/**
 * Analytics importers: each vendor's sample export (test/fixtures/metrics-exports/, written as the
 * vendors emit them) into data points; bad input into errors that name the line or field; the
 * merge into a snapshot (append, skip the same value, stop on a different one unless replacing);
 * and `northstar metrics import` end to end (dist/cli.cjs in a temporary folder).
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FIXTURES, ROOT } from '../helpers.js';
import { importExport, type ImportResult, type Vendor } from '../../server/src/core/metrics/importers/index.js';
import { mergeIntoSnapshot } from '../../server/src/core/metrics/importers/merge.js';
import { parseSnapshot } from '../../server/src/core/metrics/snapshot.js';

const DIR = path.join(FIXTURES, 'metrics-exports');
const sample = (name: string) => fs.readFileSync(path.join(DIR, name), 'utf8');
const rows = (r: ImportResult, segment?: string) => r.points.filter((p) => p.segment === segment).map((p) => `${p.date}=${p.raw}`);

function ok(vendor: Vendor, file: string, options = {}): ImportResult {
  const r = importExport(vendor, sample(file), options);
  assert.deepEqual(r.errors, [], `${file}: ${JSON.stringify(r.errors)}`);
  return r;
}

test('amplitude chart CSV: title lines skipped, guard tabs and thousands separators read, All Users is the overall series, a segment row is a segment', () => {
  const r = ok('amplitude', 'amplitude-chart.csv');
  assert.equal(r.source, 'Amplitude');
  const all = rows(r);
  assert.equal(all.length, 14);
  assert.equal(all[0], '2026-04-27=1180');
  assert.equal(all[13], '2026-05-10=940');
  const team = rows(r, 'plan = Team');
  assert.equal(team.length, 13, 'the empty cell is a gap, not a zero');
  assert.ok(!team.some((x) => x.startsWith('2026-05-02=')));
  const line = r.points.find((p) => p.segment === 'plan = Team')!.where.line;
  assert.equal(line, 6);
});

test('amplitude Dashboard REST JSON (events/segmentation): data.series against data.xValues', () => {
  const r = ok('amplitude', 'amplitude-segmentation.json');
  assert.deepEqual(rows(r).slice(0, 3), ['2026-04-27=1180', '2026-04-28=1212', '2026-04-29=1248']);
  assert.equal(r.points.length, 14);
  // Grouped by a property: [eventIndex, value] labels become segments; {setId, value} cells are read.
  const grouped = importExport('amplitude', JSON.stringify({ data: { series: [[{ setId: '', value: 5 }, 6], [1, null]], seriesLabels: [[0, 'United States'], [0, 'Canada']], xValues: ['2026-05-01', '2026-05-02'] } }));
  assert.deepEqual(grouped.errors, []);
  assert.deepEqual(grouped.points.map((p) => `${p.segment}:${p.date}=${p.raw}`), ['United States:2026-05-01=5', 'United States:2026-05-02=6', 'Canada:2026-05-01=1']);
  // Two events: one must be picked.
  const two = importExport('amplitude', JSON.stringify({ data: { series: [[1], [2]], seriesLabels: [0, 1], xValues: ['2026-05-01'] } }));
  assert.match(two.errors[0]!.message, /2 events: "event 1", "event 2"; pick one with --series/);
  assert.deepEqual(rows(importExport('amplitude', JSON.stringify({ data: { series: [[1], [2]], seriesLabels: [0, 1], xValues: ['2026-05-01'] } }), { series: 'event 2' })), ['2026-05-01=2']);
});

test('mixpanel Insights JSON: the metric\'s $overall is the KPI, breakdown values are segments, dates keep the project\'s day', () => {
  const r = ok('mixpanel', 'mixpanel-insights.json');
  assert.equal(r.source, 'Mixpanel');
  assert.equal(rows(r)[0], '2026-04-27=412');
  assert.equal(rows(r).length, 14);
  assert.equal(rows(r, 'iOS').length, 14);
  assert.equal(rows(r, 'Android')[0], '2026-04-27=182');
  // The older Segmentation answer.
  const seg = importExport('mixpanel', JSON.stringify({ data: { series: ['2026-05-01', '2026-05-02'], values: { 'Signed up': { '2026-05-01': 147, '2026-05-02': 146 } } }, legend_size: 1 }));
  assert.deepEqual(rows(seg), ['2026-05-01=147', '2026-05-02=146']);
});

test('posthog trends (query API results): data against days, the series named by its custom name', () => {
  const r = ok('posthog', 'posthog-trends.json');
  assert.equal(r.source, 'PostHog');
  assert.deepEqual(rows(r).slice(0, 2), ['2026-04-27=3120', '2026-04-28=3188']);
  assert.equal(r.points[0]!.where.field, 'results[0].data[0]');
  // A saved insight (`result`), broken down, with only `labels` for dates; the previous period is left out.
  const saved = importExport('posthog', JSON.stringify({ result: [
    { label: '$pageview - Chrome', breakdown_value: 'Chrome', data: [3, 4], labels: ['1-May-2026', '2-May-2026'] },
    { label: '$pageview - Safari', breakdown_value: 'Safari', data: [1, 2], labels: ['1-May-2026', '2-May-2026'] },
    { label: '$pageview - Chrome', breakdown_value: 'Chrome', compare_label: 'previous', data: [9, 9], labels: ['1-May-2026', '2-May-2026'] },
  ] }));
  assert.deepEqual(saved.errors, []);
  assert.deepEqual(rows(saved, 'Safari'), ['2026-05-01=1', '2026-05-02=2']);
  // A HogQL answer: columns and rows.
  const hogql = importExport('posthog', JSON.stringify({ columns: ['day', 'count()'], results: [['2026-05-01', 10], ['2026-05-02', 12]], types: [] }));
  assert.deepEqual(rows(hogql), ['2026-05-01=10', '2026-05-02=12']);
});

test('pendo aggregation JSON: day timestamps (local midnight) to dates, the value field picked or named', () => {
  const r = ok('pendo', 'pendo-aggregation.json');
  assert.equal(r.source, 'Pendo');
  assert.deepEqual(rows(r).slice(0, 2), ['2026-04-27=2311', '2026-04-28=2380']);
  assert.ok(r.notes.some((n) => n.includes('"numEvents"')));
  assert.deepEqual(rows(ok('pendo', 'pendo-aggregation.json', { field: 'numMinutes' })).slice(0, 1), ['2026-04-27=410']);
  // A day that starts at midnight in Tokyo (15:00 UTC the day before) is still that day.
  const tokyo = importExport('pendo', JSON.stringify({ results: [{ day: Date.UTC(2026, 4, 1) - 9 * 3600_000, count: 3 }] }));
  assert.deepEqual(rows(tokyo), ['2026-05-01=3']);
});

test('pendo report CSV: US dates need --date-order; the value column by name or --field', () => {
  const bad = importExport('pendo', sample('pendo-report.csv'));
  assert.equal(bad.errors[0]!.line, 2);
  assert.match(bad.errors[0]!.message, /could be month\/day or day\/month: say which with --date-order/);
  const r = ok('pendo', 'pendo-report.csv', { dateOrder: 'mdy' });
  assert.deepEqual(rows(r).slice(0, 1), ['2026-04-27=812']);
  assert.deepEqual(rows(ok('pendo', 'pendo-report.csv', { dateOrder: 'mdy', field: 'Accounts' })).slice(0, 1), ['2026-04-27=121']);
});

test('generic CSV: the date column and the only numeric column, percentages kept as percentages', () => {
  const r = ok('csv', 'generic.csv');
  assert.equal(r.source, undefined);
  assert.equal(rows(r)[0], '2026-04-27=61.2%');
  assert.equal(r.points[0]!.value, 0.612);
  assert.equal(r.points[0]!.percent, true);
});

test('bad input: a clear error naming the line or field, nothing imported, never a throw', () => {
  const cases: [Vendor, string, RegExp, { line?: number; field?: string }][] = [
    ['csv', 'date,value\n2026-05-01,12\n2026-13-01,14\n', /`2026-13-01` is not a date/, { line: 3, field: 'date' }],
    ['csv', 'date,value\n2026-05-01,12\n2026-05-02,lots\n', /`lots` is not a number/, { line: 3, field: 'value' }],
    ['csv', 'date,value\n2026-05-01,12\n2026-05-01,13\n', /a second value for 2026-05-01: 12 \(line 2\) and 13/, { line: 3 }],
    ['csv', 'when,a,b\nx,1,2\n', /no date column/, { line: 1 }],
    ['mixpanel', '{"series": {"A": {"2026-05-01": 1,}}}', /not JSON/, { line: 1 }],
    ['mixpanel', '{"results": []}', /not a Mixpanel query answer/, { field: 'series' }],
    ['amplitude', '{"data": {"series": [[1, "n/a"]], "seriesLabels": [0], "xValues": ["2026-05-01", "2026-05-02"]}}', /"n\/a" is not a number/, { field: 'data.series[0][1]' }],
    ['amplitude', 'just a title\nno table here\n', /no header with dates/, { line: 1 }],
    ['posthog', '{"result": [{"data": [1, 2], "days": ["2026-05-01"]}]}', /more values than days/, { field: 'result[0].data[1]' }],
    ['pendo', '{"results": [{"day": "soon", "count": 1}]}', /"soon" is not a day/, { field: 'results[0].day' }],
    ['pendo', '{"results": [{"visitorId": "v1", "count": 1}]}', /no day field/, { field: 'results[0]' }],
  ];
  for (const [vendor, text, message, at] of cases) {
    const r = importExport(vendor, text);
    assert.equal(r.points.length, 0, `${vendor}: ${text}`);
    const e = r.errors[0];
    assert.ok(e, `${vendor}: no error for ${text}`);
    assert.match(e.message, message);
    if (at.line !== undefined) assert.equal(e.line, at.line, `${vendor} ${text}: ${JSON.stringify(e)}`);
    if (at.field !== undefined) assert.equal(e.field, at.field, `${vendor} ${text}: ${JSON.stringify(e)}`);
  }
  for (const vendor of ['amplitude', 'mixpanel', 'posthog', 'pendo', 'csv'] as const) {
    for (const junk of ['', '\u0000\u0001', '[[[[', '{"data": null}', '"', 'a,b\n"unclosed', '{"results": [null, 1, "x"]}']) {
      const r = importExport(vendor, junk);
      assert.ok(r.errors.length > 0 && r.points.length === 0, `${vendor} accepted ${JSON.stringify(junk)}`);
    }
  }
});

test('merge: a new snapshot gets its header; the same value is skipped; a different one is a conflict unless replaced', () => {
  const r = ok('csv', 'generic.csv');
  const created = mergeIntoSnapshot({ uri: 'file:///m.csv', kpi: 'KPI-activation', source: 'Warehouse', points: r.points.slice(0, 3) });
  assert.equal(created.text, 'kpi,date,value,source\nKPI-activation,2026-04-27,61.2%,Warehouse\nKPI-activation,2026-04-28,61.5%,Warehouse\nKPI-activation,2026-04-29,61.9%,Warehouse\n');
  assert.deepEqual(parseSnapshot('file:///m.csv', created.text!).problems, []);
  const again = mergeIntoSnapshot({ existing: created.text!, uri: 'file:///m.csv', kpi: 'KPI-activation', source: 'Warehouse', points: r.points.slice(0, 5) });
  assert.equal(again.added, 2);
  assert.equal(again.same, 3);
  assert.ok(again.text!.startsWith(created.text!), 'existing lines are kept as they are');
  const changed = created.text!.replace('61.5%', '60%');
  const conflict = mergeIntoSnapshot({ existing: changed, uri: 'file:///m.csv', kpi: 'KPI-activation', points: r.points.slice(0, 4) });
  assert.equal(conflict.text, undefined);
  assert.deepEqual(conflict.conflicts.map((c) => [c.date, c.existing, c.line, c.imported]), [['2026-04-28', '60%', 3, '61.5%']]);
  const replaced = mergeIntoSnapshot({ existing: changed, uri: 'file:///m.csv', kpi: 'KPI-activation', source: 'Warehouse', points: r.points.slice(0, 4), replace: true });
  assert.equal(replaced.replaced, 1);
  assert.equal(replaced.added, 1);
  assert.match(replaced.text!, /^KPI-activation,2026-04-28,61.5%,Warehouse$/m);
  // Another KPI's rows and the same date are no conflict; segments need a segment column.
  const other = mergeIntoSnapshot({ existing: 'kpi,date,value\nKPI-other,2026-04-27,5\n', uri: 'file:///m.csv', kpi: 'KPI-activation', points: r.points.slice(0, 1) });
  assert.equal(other.added, 1);
  const seg = mergeIntoSnapshot({ existing: 'kpi,date,value\n', uri: 'file:///m.csv', kpi: 'KPI-x', points: [{ ...r.points[0]!, segment: 'iOS' }] });
  assert.match(seg.errors[0]!, /no `segment` column/);
  const bad = mergeIntoSnapshot({ existing: 'when,what\n1,2\n', uri: 'file:///m.csv', kpi: 'KPI-x', points: r.points.slice(0, 1) });
  assert.match(bad.errors[0]!, /header/);
});

// --- the command, end to end ------------------------------------------------------------------

function cli(args: string[], cwd: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'dist', 'cli.cjs'), ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('northstar metrics import: every vendor end to end, appending and never silently overwriting', { skip: !fs.existsSync(path.join(ROOT, 'dist', 'cli.cjs')) }, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'northstar-import-'));
  for (const f of fs.readdirSync(DIR)) fs.copyFileSync(path.join(DIR, f), path.join(dir, f));
  const first = cli(['metrics', 'import', '--from', 'amplitude', 'amplitude-segmentation.json', '--kpi', 'KPI-weekly-active-teams'], dir);
  assert.equal(first.status, 0, first.stderr);
  const out = path.join(dir, 'metrics', 'KPI-weekly-active-teams.csv');
  const text = fs.readFileSync(out, 'utf8');
  assert.match(text, /^kpi,date,value,source\nKPI-weekly-active-teams,2026-04-27,1180,Amplitude\n/);
  assert.match(first.stderr, /14 rows added/);
  // The chart CSV holds the same days (same values: skipped) and a segment the snapshot has no column for.
  const seg = cli(['metrics', 'import', '--from', 'amplitude', 'amplitude-chart.csv', '--kpi', 'KPI-weekly-active-teams'], dir);
  assert.equal(seg.status, 2);
  assert.match(seg.stderr, /segment/);
  assert.equal(fs.readFileSync(out, 'utf8'), text, 'file untouched');
  // A different value for a date already there: stop, list it, leave the file alone; --replace rewrites it.
  fs.writeFileSync(path.join(dir, 'changed.json'), sample('amplitude-segmentation.json').replace('1212', '1213'));
  const conflict = cli(['metrics', 'import', '--from', 'amplitude', 'changed.json', '--kpi', 'KPI-weekly-active-teams'], dir);
  assert.equal(conflict.status, 2);
  assert.match(conflict.stderr, /2026-04-28: 1212 in metrics\/KPI-weekly-active-teams\.csv:3, 1213 in changed\.json \(data\.series\[0\]\[1\]\)/);
  assert.match(conflict.stderr, /--replace/);
  assert.equal(fs.readFileSync(out, 'utf8'), text, 'file untouched');
  const replaced = cli(['metrics', 'import', '--from', 'amplitude', 'changed.json', '--kpi', 'KPI-weekly-active-teams', '--replace'], dir);
  assert.equal(replaced.status, 0, replaced.stderr);
  assert.match(fs.readFileSync(out, 'utf8'), /^KPI-weekly-active-teams,2026-04-28,1213,Amplitude$/m);
  // The other vendors, each into its own file; --source names the source.
  for (const [vendor, file, extra] of [
    ['mixpanel', 'mixpanel-insights.json', []],
    ['posthog', 'posthog-trends.json', []],
    ['pendo', 'pendo-aggregation.json', []],
    ['pendo', 'pendo-report.csv', ['--date-order', 'mdy', '--out', 'metrics/pendo-visitors.csv']],
    ['csv', 'generic.csv', ['--source', 'Looker']],
  ] as const) {
    const r = cli(['metrics', 'import', '--from', vendor, file, '--kpi', `KPI-${vendor}`, ...extra], dir);
    assert.equal(r.status, 0, `${vendor} ${file}: ${r.stderr}`);
  }
  assert.match(fs.readFileSync(path.join(dir, 'metrics', 'KPI-mixpanel.csv'), 'utf8'), /^kpi,date,value,source,segment\nKPI-mixpanel,2026-04-27,412,Mixpanel,\n/);
  assert.match(fs.readFileSync(path.join(dir, 'metrics', 'KPI-csv.csv'), 'utf8'), /^KPI-csv,2026-04-27,61\.2%,Looker$/m);
  assert.match(fs.readFileSync(path.join(dir, 'metrics', 'pendo-visitors.csv'), 'utf8'), /^KPI-pendo,2026-04-27,812,Pendo$/m);
  // Bad input: exit 2, the file and line named, nothing written.
  fs.writeFileSync(path.join(dir, 'bad.csv'), 'date,value\n2026-05-01,12\n2026-05-02,lots\n');
  const bad = cli(['metrics', 'import', '--from', 'csv', 'bad.csv', '--kpi', 'KPI-bad'], dir);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /bad\.csv:3: value: `lots` is not a number/);
  assert.ok(!fs.existsSync(path.join(dir, 'metrics', 'KPI-bad.csv')));
  // Usage errors.
  assert.equal(cli(['metrics', 'import', '--from', 'excel', 'bad.csv', '--kpi', 'KPI-x'], dir).status, 2);
  assert.match(cli(['metrics', 'import', '--from', 'csv', 'bad.csv', '--kpi', 'checkout'], dir).stderr, /KPI- ID/);
  assert.match(cli(['metrics', 'import', '--from', 'csv', 'missing.csv', '--kpi', 'KPI-x'], dir).stderr, /missing\.csv/);
});
