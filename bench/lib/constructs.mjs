/**
 * A black-box probe: which Markdown constructs of real documents make `northstar check` slow?
 * One regular-corpus PRD (the base) gets one construct added per variant (in every section, or
 * in 15 prose lines, or once under the title); each variant is written as 12 distinct copies and
 * checked by the CLI; the CPU time (user + system, all threads) of each run is compared with the
 * base's. A variant that costs much more than the base sends work to the slow path (remark in
 * the parse worker). Written without looking at the scanner: it only times the CLI.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';

export function variants(base) {
  const lines = base.split('\n');
  const afterH2 = (snippet) => lines.flatMap((l) => (l.startsWith('## ') ? [l, '', snippet, ''] : [l])).join('\n');
  const inline = (snip, n = 15) => {
    let k = 0;
    return lines.map((l) => (k < n && /^[A-Z][^|#>\-*].*\.$/.test(l) && l.length > 40 ? (k++, `${l} ${snip}`) : l)).join('\n');
  };
  const afterTitle = (snippet) => base.replace(/^(# .*)$/m, (m) => `${m}\n\n${snippet}`);
  return {
    base,
    'block quote under the title': afterTitle('> **Status:** approved · **Owner:** @maya · **Brief:** [BRIEF-x](../../product/x.brief.md)\n> Context lives in the brief.'),
    'callout (> [!NOTE]) in each section': afterH2('> [!NOTE]\n> Read this first.'),
    'HTML comment in each section': afterH2('<!-- TODO: review this section -->'),
    '<details>/<summary> block in each section': afterH2('<details>\n<summary>Raw numbers</summary>\n\nSome text here.\n\n</details>'),
    '<img> HTML block in each section': afterH2('<img src="https://cdn.example.com/x.png" alt="s" width="480">'),
    'inline HTML (<kbd>, <br>) in 15 lines': inline('Press <kbd>Ctrl</kbd> + <kbd>K</kbd> <br> to open it.'),
    'reference links + definitions': `${inline('See the [spec][spec-1].')}\n\n[spec-1]: https://example.com/spec "Spec"\n`,
    'footnotes + definitions': `${inline('It matters[^1].')}\n\n[^1]: A survey of 400 users.\n`,
    'autolinks <https://…> in 15 lines': inline('Thread: <https://chat.example.com/x>.'),
    'images ![…](…) in each section': afterH2('![Funnel](./img/funnel.png "flow")'),
    'table with inline code, link, escaped pipes': afterH2('| Endpoint | Note |\n|---|---|\n| `GET /v2/x?f=a\\|b` | [spec](https://e.com/x#y) \\| more |'),
    'nested list 4 deep (spaces)': afterH2('- a\n  - b\n    - c\n      - d deep item\n- e'),
    'nested list (tabs)': afterH2('- a\n\t- b\n\t\t- c'),
    'task list': afterH2('- [ ] open item\n- [x] done item'),
    'bold inline properties line': afterH2('**Priority:** P1 · **KPI:** [KPI-x](../../product/x.brief.md#success-metrics) · **Owner:** @name'),
    '~~~ fence': afterH2('~~~json\n{"a": 1}\n~~~'),
    'strikethrough in 15 lines': inline('The ~~first~~ second one.'),
    'emoji in 15 lines': inline('Ship it 🚀 ✅ ⚠️.'),
    'a 750-character line in 15 lines': inline('word '.repeat(150).trim()),
    'setext title': base.replace(/^# (.*)$/m, (m, t) => `${t}\n${'='.repeat(t.length)}`),
    'numbered section headings': base.replace(/^## /gm, '## 1. '),
    'nested YAML front matter': base.replace('\n---\n', '\nreviewers:\n  - name: Ana\n    approved: true\nlinks:\n  design: https://x.example.com\n---\n'),
    'CRLF line ends': base.replace(/\n/g, '\r\n'),
  };
}

function cpuRun(cliPath, dir, asOf) {
  const r = spawnSync('/usr/bin/time', ['-f', '%e %U %S', process.execPath, cliPath, 'check', '.', '--as-of', asOf, '--no-color'], { cwd: dir, encoding: 'utf8', maxBuffer: 64 << 20 });
  const [wall, user, sys] = (r.stderr.trim().split('\n').pop() ?? '').split(' ').map(Number);
  return { wallMs: wall * 1000, cpuMs: (user + sys) * 1000 };
}

/** Runs every variant (base first and last); returns rows sorted by CPU time over the base's. */
export function probeConstructs({ cliPath, baseFile, asOf, workDir, copies = 12, log = () => {} }) {
  const base = fs.readFileSync(baseFile, 'utf8');
  const V = variants(base);
  const rows = [];
  const measure = (name, text) => {
    const dir = path.join(workDir, String(rows.length));
    fs.mkdirSync(dir, { recursive: true });
    // Distinct copies, so nothing can be answered from a cache of identical texts.
    for (let i = 0; i < copies; i++) fs.writeFileSync(path.join(dir, `copy-${i}.md`), `${text}${text.includes('\r\n') ? '\r\n' : '\n'}Copy ${i}.${text.includes('\r\n') ? '\r\n' : '\n'}`);
    const r = cpuRun(cliPath, dir, asOf);
    rows.push({ name, ...r });
    fs.rmSync(dir, { recursive: true, force: true });
    return r;
  };
  for (const [name, text] of Object.entries(V)) {
    const r = measure(name, text);
    log(`constructs: ${name}: CPU ${Math.round(r.cpuMs)} ms`);
  }
  const baseAgain = measure('base (again)', base);
  const baseRows = rows.filter((x) => x.name.startsWith('base'));
  const baseCpu = baseRows.reduce((s, x) => s + x.cpuMs, 0) / baseRows.length;
  for (const x of rows) x.overBase = x.cpuMs / baseCpu;
  log(`constructs: base CPU ${Math.round(baseCpu)} ms (again: ${Math.round(baseAgain.cpuMs)} ms)`);
  return { baseFile, copies, baseCpuMs: baseCpu, baseBytes: Buffer.byteLength(base), rows: rows.filter((x) => !x.name.startsWith('base')).sort((a, b) => b.overBase - a.overBase) };
}
