/**
 * Metric snapshots: reading CSV (every bad row a finding at its line, the rest kept), key-result
 * progress from the data, the stale and disagreeing findings, hover, code lenses and the report
 * on examples/ (with its metrics/ folder).
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { NorthstarService } from '../../server/src/core/service.js';
import { parseSnapshot, readMetricValue, isIsoDate, type MetricFile } from '../../server/src/core/metrics/snapshot.js';
import { sparkline, latestOnOrBefore } from '../../server/src/core/metrics/store.js';
import { keyResultChartSvg } from '../../server/src/core/metrics/chart.js';
import { strategyOf } from '../../server/src/core/alignment/strategy.js';
import { ROOT, FIXTURES, schemas, renderDiagnostics, expectSnapshot } from '../helpers.js';

const AS_OF = '2026-11-23';

function walk(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

/** examples/ in a service: every Markdown file and every CSV under metrics/. */
function examples(extra: Record<string, string> = {}): { service: NorthstarService; uriOf: (rel: string) => string } {
  const service = new NorthstarService(schemas(), { asOf: AS_OF });
  const dir = path.join(ROOT, 'examples');
  const uriOf = (rel: string) => pathToFileURL(path.join(dir, rel)).href;
  for (const f of walk(dir)) {
    const uri = pathToFileURL(f).href;
    if (/\.md$/.test(f)) service.update(service.analyze(uri, fs.readFileSync(f, 'utf8'), 1));
    else if (/[\\/]metrics[\\/].*\.csv$/.test(f)) service.setDataFile(uri, fs.readFileSync(f, 'utf8'));
  }
  for (const [rel, text] of Object.entries(extra)) service.setDataFile(uriOf(rel), text);
  return { service, uriOf };
}

test('metrics: values, dates, sparkline', () => {
  assert.deepEqual(readMetricValue('1,560'), { value: 1560, percent: false });
  assert.deepEqual(readMetricValue('14.5%'), { value: 0.145, percent: true });
  assert.deepEqual(readMetricValue('-3'), { value: -3, percent: false });
  assert.deepEqual(readMetricValue('.5'), { value: 0.5, percent: false });
  for (const bad of ['sixty', '1,56', '', '%', '1.2.3', '12 %x', 'NaN', 'Infinity']) assert.equal(readMetricValue(bad), undefined, bad);
  assert.ok(isIsoDate('2026-02-28'));
  for (const bad of ['2026-02-30', '2026-13-01', '11/05/2026', '2026-1-1']) assert.ok(!isIsoDate(bad), bad);
  assert.equal(sparkline([1, 2, 3, 4, 5, 6, 7, 8]), '▁▂▃▄▅▆▇█');
  assert.equal(sparkline([5, 5]), '▄▄');
  assert.equal(sparkline([]), '');
});

test('metrics: every bad row is a finding at its line; the good rows are kept', () => {
  const { service, uriOf } = examples();
  for (const name of ['bad-rows.csv', 'wrong-header.csv', 'unknown-columns.csv']) {
    const text = fs.readFileSync(path.join(FIXTURES, 'metrics', name), 'utf8');
    const uri = uriOf(`metrics/${name}`);
    const file = service.setDataFile(uri, text) as MetricFile;
    const d = service.diagnostics(uri);
    for (const x of d) assert.ok(x.span.start >= 0 && x.span.end <= text.length && x.span.start <= x.span.end, `${name}: range inside the file`);
    expectSnapshot(path.join(FIXTURES, 'metrics', `${name}.snap`), `points: ${file.points.map((p) => `${p.kpi}@${p.date}=${p.value}`).join(' ')}\n${renderDiagnostics(file, d)}`);
    service.removeDataFile(uri);
  }
  // check() reports the data file with the documents, sorted by URI.
  const uri = uriOf('metrics/bad-rows.csv');
  service.setDataFile(uri, fs.readFileSync(path.join(FIXTURES, 'metrics', 'bad-rows.csv'), 'utf8'));
  const results = service.check();
  assert.ok(results.some((r) => r.uri === uri && r.diagnostics.length >= 7));
  assert.ok(service.reportableUris().includes(uri));
});

test('metrics: text that is not CSV never throws', () => {
  for (const text of ['', '\ufeff', '"', 'kpi,date,value\n"', 'kpi,date,value\r\nKPI-a,2026-01-01,1\r\n', '\u0000\u0001', 'kpi,date,value\n'.repeat(1000), 'a,b\n'.repeat(3)]) {
    const f = parseSnapshot('file:///x.csv', text);
    for (const p of f.problems) assert.ok(p.span.start >= 0 && p.span.end <= text.length);
  }
  const crlf = parseSnapshot('file:///x.csv', 'kpi,date,value\r\nKPI-a,2026-01-01,1\r\nKPI-a,2026-01-02,2\r\n');
  assert.equal(crlf.points.length, 2);
  assert.equal(crlf.problems.length, 0);
  assert.equal(crlf.text.slice(crlf.points[1]!.span.start, crlf.points[1]!.span.end), 'KPI-a,2026-01-02,2');
});

test('metrics: progress from the data, with its source and date; written current wins', () => {
  const { service } = examples();
  const s = strategyOf(service.index, service.registry, AS_OF);
  const revenue = s.keyResults.get('KR-2027Q1.3')!;
  assert.equal(revenue.currentFrom, 'data');
  assert.equal(revenue.current, 1032);
  assert.equal(revenue.dataPoint?.source, 'Stripe Sigma');
  assert.ok(Math.abs(revenue.progress! - 22 / 140) < 1e-9);
  const conversion = s.keyResults.get('KR-2026Q4.1')!;
  assert.equal(conversion.currentFrom, 'written');
  assert.equal(conversion.current, 0.622);
  // Rows with a segment are not the KPI's overall value.
  const saved = s.keyResults.get('KR-2026Q4.2')!;
  assert.equal(saved.dataPoint?.value, 0.146);
  // The as-of date decides the latest point.
  const earlier = strategyOf(service.index, service.registry, '2026-09-30').keyResults.get('KR-2027Q1.3')!;
  assert.equal(earlier.current, 991);
  assert.equal(latestOnOrBefore([], AS_OF), undefined);
});

test('metrics: stale data and a written current that disagrees are findings on the key result', () => {
  const { service, uriOf } = examples();
  const okr = uriOf('okrs/2026-Q4.okr.md');
  const d = service.diagnostics(okr);
  const stale = d.filter((x) => x.code === 'metric-stale');
  assert.equal(stale.length, 1, JSON.stringify(stale));
  assert.match(stale[0]!.message, /KPI-merchant-nps is from 2026-09-30, 54 days before 2026-11-23/);
  assert.equal(stale[0]!.severity, 'warning');
  const disagree = d.filter((x) => x.code === 'current-disagrees-with-metrics');
  assert.equal(disagree.length, 1, JSON.stringify(disagree));
  assert.match(disagree[0]!.message, /KR-2026Q4\.6 says current 191, but the latest data point of KPI-payment-volume is 186\.4 \(Stripe Sigma, 2026-10-31\)/);
  assert.equal(disagree[0]!.severity, 'information');
  // The setting: 60 days makes the survey fresh enough.
  service.metrics.setStaleAfterDays(60);
  assert.equal(service.diagnostics(okr).filter((x) => x.code === 'metric-stale').length, 0);
  // Removing the data file removes the findings.
  service.metrics.setStaleAfterDays(undefined);
  service.removeDataFile(uriOf('metrics/finance.csv'));
  assert.equal(service.diagnostics(okr).filter((x) => x.code === 'current-disagrees-with-metrics').length, 0);
});

test('metrics: hover, code lens and report say where the number came from', () => {
  const { service, uriOf } = examples();
  const q1 = service.get(uriOf('okrs/2027-Q1.okr.md'))!;
  const at = q1.text.indexOf('KR-2027Q1.3 |');
  const hover = service.hover(q1, at + 2)!.markdown;
  assert.match(hover, /1,032 USD k \(Stripe Sigma, 2026-10-31\)/);
  assert.match(hover, /\*\*Trend\*\* [▁▂▃▄▅▆▇█]{4} 951 USD k → 1,032 USD k \(4 points, 2026-07-31 → 2026-10-31, Stripe Sigma\)/);
  const brief = service.get(uriOf('product/parcel.brief.md'))!;
  const kpiHover = service.hover(brief, brief.text.indexOf('KPI-checkout-conversion |') + 2)!.markdown;
  assert.match(kpiHover, /\*\*Trend\*\* [▁▂▃▄▅▆▇█]{8} 61\.1% → 62\.3%/);
  const lens = service.codeLenses(q1).find((l) => l.id === 'KR-2027Q1.3')!;
  assert.match(lens.title, /16% · 1,032 \(Stripe Sigma, 2026-10-31\)$/);
  const { markdown, summary } = service.alignmentReport((u) => u.slice(u.indexOf('/examples/') + 1));
  const kr = summary.okrs.flatMap((o) => o.objectives).flatMap((o) => o.keyResults).find((k) => k.id === 'KR-2026Q4.6')!;
  assert.equal(kr.data?.from, 'written');
  assert.equal(kr.data?.points.length, 4);
  assert.match(markdown, /191 \(written; data 186\.4, Stripe Sigma, 2026-10-31\)/);
  assert.match(markdown, /#### KR-2026Q4\.6 — data\n\n!\[Chart of KR-2026Q4\.6[^\]]*\]\(data:image\/svg\+xml;utf8,%3Csvg/);
  assert.match(markdown, /\| 2026-10-31 \| 186\.4 \|/);
  assert.match(markdown, /metric-stale/);
  const svg = keyResultChartSvg(kr.id, kr.data!, kr.title)!;
  assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"[^>]*role="img"><title>KR-2026Q4\.6 /);
  for (const t of ['baseline 182', 'target 205', 'period ends 2026-12-31', 'planned path: 182 on 2026-10-01 to 205 on 2026-12-31', '2026-10-31: 186.4']) assert.ok(svg.includes(`<title>${t}`), `chart has a title "${t}"`);
  assert.doesNotMatch(svg, /<script|href=|xlink/);
});

test('metrics: rows with a segment count only for a key result that names the segment', () => {
  const { service } = examples();
  const okr = ['---', 'type: okr', 'id: OKR-beta', 'title: Beta', 'owner: Maya Chen', 'period: 2026-Q4', 'status: active', '---', '', '# Beta', '', '## OBJ-beta: Win the beta merchants', '', '### KR-beta.1: Saved-card share of beta merchants from 12% to 25%', '- kpi: KPI-saved-card-usage', '- segment: Beta Merchants', '- baseline: 12%', '- target: 25%', ''].join('\n');
  const uri = 'file:///beta/okrs/beta.okr.md';
  const a = service.analyze(uri, okr, 1);
  service.update(a);
  assert.deepEqual(a.diagnostics.filter((d) => d.code === 'unknown-key'), []);
  const s = strategyOf(service.index, service.registry, AS_OF);
  assert.equal(s.keyResults.get('KR-beta.1')?.current, 0.19);
  assert.equal(s.keyResults.get('KR-2026Q4.2')?.dataPoint?.value, 0.146);
});
