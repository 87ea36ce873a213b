/**
 * The real-world measurement (issue 11, "Measured, not assumed"): every labelled document in
 * test/real-world is read by the core through NorthstarService — one workspace holding all of
 * them, as `northstar check test/real-world/docs` and `northstar inspect` read them — and what
 * `inspect` and `check` answer is compared with the hand-written labels. The result is the table
 * in docs/REAL-WORLD.md, which this test keeps current (UPDATE_SNAPSHOTS=1 rewrites it). It
 * asserts that the measurement runs and the page is current, not the targets: the page
 * states those and how far away they are.
 *
 * The matching, kept simple on purpose (the page repeats it):
 * - An entity is **understood** when Northstar has an entity of the labelled kind whose line — the
 *   heading or table row that defines it, or the line where its ID or its title is written — is the
 *   labelled line. Each Northstar entity answers at most one label. Northstar entities that answer
 *   no label (a wrong kind, or something the labels do not call an entity) are **other entities**.
 * - **Priorities**: every labelled entity for which the labels or Northstar (on the entity matched to
 *   it) give a priority; right when both give the same one (Northstar's `priority` property as the
 *   schema reads it: `must`, `should`, `could`, `wont`). An entity not understood has no priority.
 * - **Parents**: the same with the parent — right when Northstar's parent is the entity matched to the
 *   labelled parent line.
 * - **Findings** (`check` on the document, as-of 2026-11-23), each in one bucket:
 *   1. *conformance* — the document does not follow Northstar's own template: a missing front matter
 *      field (`missing-field`), a missing section (`missing-section`, except the success metrics
 *      section of a document whose labels accept "the document defines no success metric"), or an unknown key
 *      or value in front matter the document already had (`unknown-key`, `invalid-value` inside it);
 *   2. *accepted* — on a line where the labels list an acceptable finding (by line only: lenient);
 *   3. *misreading* — everything else: the labels list every finding a PM would accept.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Diagnostic } from '../../server/src/core/diagnostics.js';
import type { InspectedEntity } from '../../server/src/core/features/inspect.js';
import { NorthstarService } from '../../server/src/core/service.js';
import { ROOT, expectSnapshot, schemas } from '../helpers.js';

const DIR = path.join(ROOT, 'test', 'real-world');
/** The held-out set: measured with the same code, never used to tune Northstar (test/real-world/README.md). */
const HELD_OUT = path.join(DIR, 'heldout');
const PAGE = path.join(ROOT, 'docs', 'REAL-WORLD.md');
const AS_OF = '2026-11-23';
const PRIORITIES = new Set(['must', 'should', 'could', 'wont']);

interface Label {
  kind: string;
  line: number;
  title: string;
  label: string | null;
  priority: string | null;
  parent: number | null;
}
interface Labels {
  type: string;
  entities: Label[];
  acceptableFindings: { line: number; what: string }[];
}

type Bucket = 'accepted' | 'conformance' | 'misreading';

interface DocResult {
  name: string;
  seen: number;
  understood: number;
  priorities: { right: number; of: number };
  parents: { right: number; of: number };
  other: number;
  findings: Record<Bucket, number>;
  acceptedListed: number;
  acceptedReported: number;
  misreadings: { code: string; line: number; message: string }[];
  byKind: Record<string, { seen: number; understood: number }>;
  /** Labelled entities not understood, by the form of their line (`heading/feature`). */
  missedForms: Record<string, number>;
}

/** The form of the line an entity is written on, for the table of what is not read yet. */
function formOf(line: string): string {
  if (/^\s{0,3}#{1,6}\s/.test(line)) return 'heading';
  if (/^\s*\|/.test(line)) return 'table row';
  if (/^\s*(?:[-*+]|\d+[.)])\s+(?:\[[ xX]\]\s+)?(?:\*\*|__)/.test(line)) return 'bullet, bold lead-in';
  if (/^\s*(?:[-*+]|\d+[.)])\s/.test(line)) return 'bullet';
  if (/^\s*(?:[\p{Extended_Pictographic}\uFE0F]+\s*)?(?:\*\*|__)/u.test(line)) return 'bold paragraph';
  return 'other';
}

const ratio = (a: number, b: number) => (b === 0 ? '–' : `${a} / ${b}`);
const pct = (a: number, b: number) => (b === 0 ? 'n/a' : `${Math.round((1000 * a) / b) / 10}%`);

interface LabelledDocument {
  readonly name: string;
  readonly uri: string;
  readonly text: string;
  readonly labels: Labels;
}

/** The labelled documents of test/real-world (or of its held-out folder), by name. */
function realWorld(dir: string = DIR): LabelledDocument[] {
  return fs
    .readdirSync(path.join(dir, 'labels'))
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -'.json'.length))
    .sort()
    .map((name) => {
      const file = path.join(dir, 'docs', `${name}.md`);
      return { name, uri: pathToFileURL(file).href, text: fs.readFileSync(file, 'utf8'), labels: JSON.parse(fs.readFileSync(path.join(dir, 'labels', `${name}.json`), 'utf8')) as Labels };
    });
}

/** Reads the documents as one workspace and compares each with its labels. */
function measure(docs: readonly LabelledDocument[]): DocResult[] {
  const service = new NorthstarService(schemas(), { asOf: AS_OF });
  for (const d of docs) service.update(service.analyze(d.uri, d.text));

  return docs.map(({ name, uri, text, labels }) => {
    const a = service.get(uri)!;
    const inspected = service.inspect(uri)!;
    assert.equal(inspected.type, labels.type, `${name}: document type`);

    // Lines at which each Northstar entity may answer a label: its heading or row, its ID, its title.
    const model = a.model.entities;
    const linesOf = (e: InspectedEntity, i: number) => {
      const m = model[i]!;
      return new Set([e.line, a.lines.humanPosition(m.idSpan.start).line, ...(m.titleSpan ? [a.lines.humanPosition(m.titleSpan.start).line] : [])]);
    };
    const candidates = inspected.entities.map((e, i) => ({ e, lines: linesOf(e, i) }));
    const matchOf = new Map<Label, InspectedEntity>();
    const labelOf = new Map<InspectedEntity, Label>();
    for (const l of [...labels.entities].sort((x, y) => x.line - y.line)) {
      const hit = candidates.find((c) => !labelOf.has(c.e) && c.e.kind === l.kind && c.lines.has(l.line));
      if (!hit) continue;
      matchOf.set(l, hit.e);
      labelOf.set(hit.e, l);
    }
    const byLine = new Map(labels.entities.map((l) => [l.line, l]));
    const byId = new Map(inspected.entities.map((e) => [e.id, e]));

    const priorities = { right: 0, of: 0 };
    const parents = { right: 0, of: 0 };
    for (const l of labels.entities) {
      const e = matchOf.get(l);
      const p = e?.properties.priority;
      const priority = typeof p === 'string' ? (PRIORITIES.has(p.toLowerCase()) ? p.toLowerCase() : `?${p}`) : null;
      if (l.priority !== null || priority !== null) {
        priorities.of++;
        if (e && priority === l.priority) priorities.right++;
      }
      const parentEntity = e?.parent ? byId.get(e.parent) : undefined;
      if (l.parent !== null || (e && e.parent !== null)) {
        parents.of++;
        const labelledParent = l.parent === null ? undefined : byLine.get(l.parent);
        if (e && (l.parent === null ? e.parent === null : parentEntity !== undefined && labelledParent !== undefined && matchOf.get(labelledParent) === parentEntity)) parents.right++;
      }
    }

    const acceptLines = new Set(labels.acceptableFindings.map((f) => f.line));
    // The labels' one document-level finding: the document defines no success metric at all.
    const noMetricAccepted = labels.acceptableFindings.find((f) => /defines no (?:success metric|KPI)/i.test(f.what));
    const fm = a.model.frontMatter?.span;
    const lineOf = (d: Diagnostic) => a.lines.humanPosition(d.span.start).line;
    const bucketOf = (d: Diagnostic): Bucket => {
      if (d.code === 'missing-field') return 'conformance';
      if (d.code === 'missing-section') return noMetricAccepted && /success metrics/i.test(d.message.split('.')[0]!) ? 'accepted' : 'conformance';
      if (acceptLines.has(lineOf(d))) return 'accepted';
      if ((d.code === 'unknown-key' || d.code === 'invalid-value') && fm && d.span.start >= fm.start && d.span.end <= fm.end) return 'conformance';
      return 'misreading';
    };
    const findings: Record<Bucket, number> = { accepted: 0, conformance: 0, misreading: 0 };
    const reportedAccepted = new Set<number>();
    const misreadings: DocResult['misreadings'] = [];
    for (const d of service.diagnostics(uri)) {
      // Hints (no ID yet, a reference written as a name) show in the text, not as problems, and `check` prints them only with --hints.
      if (d.severity === 'hint') continue;
      const b = bucketOf(d);
      findings[b]++;
      if (b === 'accepted') reportedAccepted.add(d.code === 'missing-section' && noMetricAccepted ? noMetricAccepted.line : lineOf(d));
      if (b === 'misreading') misreadings.push({ code: String(d.code), line: lineOf(d), message: d.message });
    }
    const textLines = text.split('\n');
    const missedForms: Record<string, number> = {};
    for (const l of labels.entities) {
      if (matchOf.has(l)) continue;
      const key = `${formOf(textLines[l.line - 1] ?? '')}/${l.kind}`;
      missedForms[key] = (missedForms[key] ?? 0) + 1;
    }
    return {
      name,
      seen: labels.entities.length,
      understood: matchOf.size,
      priorities,
      parents,
      other: inspected.entities.length - labelOf.size,
      findings,
      acceptedListed: acceptLines.size,
      missedForms,
      byKind: Object.fromEntries([...new Set(labels.entities.map((l) => l.kind))].map((k) => [k, { seen: labels.entities.filter((l) => l.kind === k).length, understood: [...matchOf.keys()].filter((l) => l.kind === k).length }])),
      acceptedReported: reportedAccepted.size,
      misreadings,
    };
  });
}

function totalsOf(results: readonly DocResult[]) {
  const sum = (f: (r: DocResult) => number) => results.reduce((n, r) => n + f(r), 0);
  return {
    seen: sum((r) => r.seen),
    understood: sum((r) => r.understood),
    pRight: sum((r) => r.priorities.right),
    pOf: sum((r) => r.priorities.of),
    parRight: sum((r) => r.parents.right),
    parOf: sum((r) => r.parents.of),
    other: sum((r) => r.other),
    accepted: sum((r) => r.findings.accepted),
    conformance: sum((r) => r.findings.conformance),
    misreading: sum((r) => r.findings.misreading),
    listed: sum((r) => r.acceptedListed),
    reported: sum((r) => r.acceptedReported),
  };
}

/** The per-document table with its totals row. */
function perDocumentTable(results: readonly DocResult[]): string[] {
  const t = totalsOf(results);
  const findings = t.accepted + t.conformance + t.misreading;
  const out = [
    '| Document | Entities understood / seen | Priorities right | Parents right | Other entities | Findings | Conformance | Accepted (lines reported / listed) | Misreadings |',
    '|---|---|---|---|---|---|---|---|---|',
  ];
  for (const r of results) {
    const n = r.findings.accepted + r.findings.conformance + r.findings.misreading;
    out.push(
      `| ${r.name} | ${r.understood} / ${r.seen} | ${ratio(r.priorities.right, r.priorities.of)} | ${ratio(r.parents.right, r.parents.of)} | ${r.other} | ${n} | ${r.findings.conformance} | ${r.findings.accepted} (${r.acceptedReported} / ${r.acceptedListed}) | ${r.findings.misreading} |`,
    );
  }
  out.push(
    `| **total** | **${t.understood} / ${t.seen}** | **${ratio(t.pRight, t.pOf)}** | **${ratio(t.parRight, t.parOf)}** | **${t.other}** | **${findings}** | **${t.conformance}** | **${t.accepted} (${t.reported} / ${t.listed})** | **${t.misreading}** |`,
  );
  return out;
}

/** Understood / seen by kind, and the labelled entities not understood by the form of their line. */
function kindAndFormTables(results: readonly DocResult[]): { byKind: string[]; forms: string[] } {
  const sum = (f: (r: DocResult) => number) => results.reduce((n, r) => n + f(r), 0);
  const byKind = ['| Kind | Understood / seen |', '|---|---|'];
  for (const kind of ['feature', 'kpi', 'objective', 'key-result', 'persona']) {
    byKind.push(`| ${kind} | ${sum((r) => r.byKind[kind]?.understood ?? 0)} / ${sum((r) => r.byKind[kind]?.seen ?? 0)} |`);
  }
  const counts = new Map<string, number>();
  for (const r of results) for (const [k, n] of Object.entries(r.missedForms)) counts.set(k, (counts.get(k) ?? 0) + n);
  const forms = ['| Form | Kind | Entities |', '|---|---|---|'];
  for (const [k, n] of [...counts].sort((x, y) => y[1] - x[1] || x[0].localeCompare(y[0]))) forms.push(`| ${k.split('/')[0]} | ${k.split('/')[1]} | ${n} |`);
  return { byKind, forms };
}

/** The held-out section: the same tables, its own totals, and every misreading (the set is small). */
function renderHeldOut(results: readonly DocResult[]): string[] {
  const { byKind, forms } = kindAndFormTables(results);
  const out = [
    '',
    '## Held-out set (never tuned on)',
    '',
    `${results.length} more public documents in \`test/real-world/heldout/\`, from authors who appear nowhere else here, labelled the same way`,
    'and committed before Northstar was run on them. They are measured with the same code (one workspace of their own) and',
    'are never used to tune Northstar: they say how far what was tuned on the main set generalises. When a misreading seen',
    'here is fixed, its document moves to the main set and a new held-out document replaces it (test/real-world/README.md).',
    '',
    ...perDocumentTable(results),
    '',
    '### Held-out: by kind',
    '',
    ...byKind,
    '',
    '### Held-out: not understood yet, by the form of the line',
    '',
    ...forms,
    '',
    '### Held-out: misreadings',
    '',
  ];
  const all = results.flatMap((r) => r.misreadings.map((m) => ({ ...m, doc: r.name })));
  if (!all.length) out.push('None.');
  else {
    out.push('| Document:line | Rule | Message |', '|---|---|---|');
    for (const m of all) out.push(`| ${m.doc}:${m.line} | \`${m.code}\` | ${m.message.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ')} |`);
  }
  return out;
}

function render(results: readonly DocResult[], heldOut: readonly DocResult[] = []): string {
  const t = totalsOf(results);
  const findings = t.accepted + t.conformance + t.misreading;
  const h = totalsOf(heldOut);
  const hFindings = h.accepted + h.conformance + h.misreading;
  // The targets table shows the held-out set in a column of its own when there is one.
  const col = (cell: string) => (heldOut.length ? ` ${cell} |` : '');
  const out: string[] = [];
  out.push(
    '# Northstar on real-world documents',
    '',
    '<!-- Generated by test/real-world/measure.test.ts; `npm run test:update` rewrites it. Do not edit by hand. -->',
    '',
    `How much of ${results.length} public product documents Northstar understands (issue 11, "Measured, not assumed"). The documents`,
    'are in `test/real-world/docs/`, verbatim apart from the front matter `type:` line; what a reader sees in each',
    '(entities with kind, line, title, priority, parent) and the findings a product manager would accept are labelled by',
    'hand in `test/real-world/labels/` (conventions: `test/real-world/README.md`). The test reads all of them as one',
    'workspace through `NorthstarService`, as `northstar check test/real-world/docs` and `northstar inspect` do',
    `(as-of ${AS_OF}), and compares.`,
    '',
    '## Targets and where we are',
    '',
    '| Measure | Target (issue 11) | Now |' + col('Held-out set, never tuned on (now)'),
    '|---|---|---|' + (heldOut.length ? '---|' : ''),
    `| Entities understood | ≥ 95% | ${t.understood} / ${t.seen} (${pct(t.understood, t.seen)}) |` + col(`${h.understood} / ${h.seen} (${pct(h.understood, h.seen)})`),
    `| Priorities right | ≥ 95% | ${t.pRight} / ${t.pOf} (${pct(t.pRight, t.pOf)}) |` + col(`${h.pRight} / ${h.pOf} (${pct(h.pRight, h.pOf)})`),
    `| Parents right | ≥ 95% | ${t.parRight} / ${t.parOf} (${pct(t.parRight, t.parOf)}) |` + col(`${h.parRight} / ${h.parOf} (${pct(h.parRight, h.parOf)})`),
    `| Findings that are misreadings | 0 | ${t.misreading} of ${findings} |` + col(`${h.misreading} of ${hFindings}`),
    '',
    ...(heldOut.length
      ? [`"Now" is the main set of ${results.length} documents, which Northstar is tuned on; the last column is the held-out set of ${heldOut.length} documents,`, 'measured the same way and never tuned on (its tables are at the end of this page).', '']
      : []),
    `Besides: ${t.other} Northstar entit${t.other === 1 ? 'y answers' : 'ies answer'} no label; ${t.conformance} findings are template conformance`,
    `(not counted either way); ${t.accepted} findings are accepted, reporting ${t.reported} of the ${t.listed} lines where the labels list an acceptable finding.`,
    '',
    '## How it is counted',
    '',
    '- **Understood**: Northstar has an entity of the labelled kind whose line — the heading or table row that defines it,',
    '  or the line where its ID or title is written — is the labelled line. Each Northstar entity answers at most one',
    '  label. **Other entities** are Northstar entities that answer none (a wrong kind, or something the labels do not',
    '  call an entity).',
    '- **Priorities right**: over every labelled entity for which the labels or Northstar give a priority; right when',
    "  both give the same (Northstar's `priority` property as the schema reads it). An entity not understood has none.",
    "- **Parents right**: the same with the parent; right when Northstar's parent is the entity matched to the labelled",
    '  parent line.',
    '- **Findings** (everything `check` reports on the document; hints such as "no ID yet", which the editor shows in the text and `check` prints only with `--hints`, are not findings), each in one bucket: *conformance* — a missing front',
    '  matter field or Northstar section (except a missing success metrics section where the labels accept "the document',
    '  defines no success metric"), or an unknown key or value in front matter the document already had; *accepted* — on',
    '  a line where the labels list an acceptable finding (matched by line only, so this is lenient); *misreading* —',
    '  everything else.',
    '',
    '## Per document',
    '',
    ...perDocumentTable(results),
  );
  const { byKind, forms } = kindAndFormTables(results);
  out.push('', '## By kind', '', ...byKind);
  out.push('', '## Not understood yet, by the form of the line', '', 'What the parser work has to read: the labelled entities Northstar does not understand, by how their line is written.', '', ...forms);
  out.push('', '## Misreadings', '');
  const all = results.flatMap((r) => r.misreadings.map((m) => ({ ...m, doc: r.name })));
  if (!all.length) out.push('None.');
  else {
    const byCode = new Map<string, typeof all>();
    for (const m of all) (byCode.get(m.code) ?? byCode.set(m.code, []).get(m.code)!).push(m);
    out.push('| Rule | Count | Example |', '|---|---|---|');
    for (const [code, ms] of [...byCode].sort((x, y) => y[1].length - x[1].length || x[0].localeCompare(y[0]))) {
      const ex = ms[0]!;
      out.push(`| \`${code}\` | ${ms.length} | ${ex.doc}:${ex.line} — ${ex.message.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ')} |`);
    }
  }
  if (heldOut.length) out.push(...renderHeldOut(heldOut));
  return out.join('\n') + '\n';
}

test('the matching counts what Northstar reads: understood, kind, priority, parent, findings', () => {
  const prd = ['---', 'type: prd', '---', '# Checkout', '', '## Features', '', '### FEAT-a: Saved cards', '- priority: must', '', '### FEAT-b: Wallets', '- priority: should', ''].join('\n');
  const okr = ['---', 'type: okr', '---', '# OKRs', '', '## OBJ-grow: Grow', '', '### KR-grow.1: Lift conversion', '', '### KR-grow.2: Cut churn', ''].join('\n');
  const label = (kind: string, line: number, priority: string | null = null, parent: number | null = null): Label => ({ kind, line, title: '', label: null, priority, parent });
  const [p, o] = measure([
    // FEAT-a understood with its priority; FEAT-b understood, priority wrong; a KPI Northstar does not see.
    { name: 'p', uri: 'file:///m/p.md', text: prd, labels: { type: 'prd', entities: [label('feature', 8, 'must'), label('feature', 11, 'could'), label('kpi', 12)], acceptableFindings: [{ line: 8, what: 'no KPI' }] } },
    // The objective understood; KR 1 with its parent; KR 2 labelled under no objective (Northstar's parent is wrong); nothing at line 4.
    { name: 'o', uri: 'file:///m/o.md', text: okr, labels: { type: 'okr', entities: [label('objective', 6), label('key-result', 8, null, 6), label('key-result', 10), label('persona', 4)], acceptableFindings: [] } },
  ]);
  assert.deepEqual([p!.understood, p!.seen, p!.priorities, p!.other], [2, 3, { right: 1, of: 2 }, 0]);
  assert.deepEqual([o!.understood, o!.seen, o!.parents, o!.other], [3, 4, { right: 1, of: 2 }, 0]);
  // FEAT-a's finding is on a listed line; FEAT-b's and the key results' (no KPI, no target) are not. One finding per
  // problem: a feature without a KPI is one finding (must-feature-unaligned, feature-without-kpi), not also missing-property.
  assert.deepEqual([p!.findings.accepted, p!.acceptedReported, p!.acceptedListed, p!.findings.misreading, o!.findings.misreading], [1, 1, 1, 1, 4], JSON.stringify([p!.misreadings, o!.misreadings]));
  assert.ok(p!.findings.conformance > 0 && o!.findings.conformance > 0, 'missing front matter fields and sections are conformance');
});

test('every labels file has its document, and every labelled line is inside it (main and held-out sets)', () => {
  for (const [dir, atLeast] of [[DIR, 20], [HELD_OUT, 8]] as const) {
    const labels = fs.readdirSync(path.join(dir, 'labels')).filter((f) => f.endsWith('.json'));
    const docs = fs.readdirSync(path.join(dir, 'docs')).filter((f) => f.endsWith('.md'));
    assert.deepEqual(labels.map((f) => f.replace(/\.json$/, '')).sort(), docs.map((f) => f.replace(/\.md$/, '')).sort());
    assert.ok(labels.length >= atLeast, dir);
    for (const f of labels) {
      const l = JSON.parse(fs.readFileSync(path.join(dir, 'labels', f), 'utf8')) as Labels;
      const lines = fs.readFileSync(path.join(dir, 'docs', f.replace(/\.json$/, '.md')), 'utf8').split('\n').length;
      for (const e of l.entities) {
        assert.ok(e.line >= 1 && e.line <= lines, `${f}: entity line ${e.line}`);
        if (e.parent !== null) assert.ok(l.entities.some((p) => p.line === e.parent), `${f}: parent line ${e.parent} is a labelled entity`);
      }
    }
  }
  // No document is in both sets: a held-out document that moves to the main set leaves the held-out folder.
  const main = new Set(fs.readdirSync(path.join(DIR, 'docs')));
  assert.deepEqual(fs.readdirSync(path.join(HELD_OUT, 'docs')).filter((f) => main.has(f)), []);
});

test('the real-world measurement runs and docs/REAL-WORLD.md is current', () => {
  const results = measure(realWorld());
  // The held-out set is a workspace of its own, so that it neither changes nor is changed by the main set's reading.
  const heldOut = measure(realWorld(HELD_OUT));
  assert.equal(results.length, fs.readdirSync(path.join(DIR, 'labels')).filter((f) => f.endsWith('.json')).length);
  assert.equal(heldOut.length, fs.readdirSync(path.join(HELD_OUT, 'labels')).filter((f) => f.endsWith('.json')).length);
  for (const r of [...results, ...heldOut]) {
    assert.ok(r.understood <= r.seen && r.priorities.right <= r.priorities.of && r.parents.right <= r.parents.of, r.name);
  }
  expectSnapshot(PAGE, render(results, heldOut));
});
