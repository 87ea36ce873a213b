/**
 * `northstar report --format html|svg|markdown` on examples/, run as a process (dist/cli.cjs):
 * the HTML page holds every objective, key result and feature of examples/ as an SVG node
 * (data-id), loads nothing (no script, no external URL), and is well-formed; the SVG stands alone;
 * bad format combinations are usage errors.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ROOT } from '../helpers.js';
import { xmlProblem } from './wellFormed.js';

const AS_OF = '2026-11-23';

function cli(args: string[], cwd = ROOT): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'dist', 'cli.cjs'), ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, maxBuffer: 64 * 1024 * 1024 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Every objective, key result and feature `northstar inspect` finds in examples/. */
function exampleIds(): string[] {
  const out = JSON.parse(cli(['inspect', 'examples', '--format', 'json']).stdout) as { files: { entities: { id: string; kind: string }[] }[] };
  const ids = out.files.flatMap((f) => f.entities.filter((e) => ['objective', 'keyResult', 'key-result', 'feature', 'OBJ', 'KR', 'FEAT'].includes(e.kind) || /^(OBJ|KR|FEAT)-/.test(e.id)).map((e) => e.id));
  return [...new Set(ids)];
}

/** The data-id of every node group inside the page's <svg>. */
function svgNodeIds(text: string): Set<string> {
  const svg = text.slice(text.indexOf('<svg'), text.lastIndexOf('</svg>'));
  return new Set([...svg.matchAll(/<g class="node [^"]*" data-id="([^"]+)"/g)].map((m) => m[1]!.replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n)))));
}

test('report --format html: every objective, key result and feature of examples/ is an SVG node; no script, no external URL; well-formed', () => {
  const r = cli(['report', 'examples', '--format', 'html', '--as-of', AS_OF]);
  assert.equal(r.status, 0, r.stderr);
  const html = r.stdout;
  assert.match(html, /^<!DOCTYPE html>\n<html lang="en">/);
  assert.equal(xmlProblem(html), undefined);
  const ids = exampleIds();
  assert.ok(ids.length >= 25, `expected the objectives, key results and features of examples/, got ${ids.join(', ')}`);
  const nodes = svgNodeIds(html);
  const missing = ids.filter((id) => !nodes.has(id));
  assert.deepEqual(missing, [], 'entities of examples/ missing from the map');
  // Nothing to load, nothing to run.
  assert.doesNotMatch(html, /<script/i);
  assert.doesNotMatch(html, /\s(?:src|href|xlink:href|action|data)\s*=\s*["']?\s*(?:https?:)?\/\//i, 'a URL to another host');
  assert.doesNotMatch(html, /url\(\s*["']?(?:https?:)?\/\//i, 'a CSS url() to another host');
  assert.doesNotMatch(html, /@import/i);
  assert.doesNotMatch(html, /<(?:iframe|object|embed|link|img|image|use|foreignObject)\b/i);
  assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:"\/>/);
  // What a CPO reads: the score, the warnings, the groups, the units.
  assert.match(html, /<p class="score">85%<\/p>/);
  assert.ok(html.includes('<h2>What to do ('), 'no "What to do" section');
  assert.ok(html.includes('Cover these key results') && html.includes('Fix these references'));
  assert.ok(html.includes('(4 person-months)') && !/\d pm\b/.test(html));
  // Print-friendly: a print stylesheet, a light scheme.
  assert.match(html, /@media print/);
  assert.match(html, /color-scheme: light/);
});

test('report --format svg: the map alone, standalone SVG, well-formed, one node per entity', () => {
  const r = cli(['report', 'examples', '--format', 'svg', '--as-of', AS_OF]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" class="strategy-map"/);
  assert.equal(xmlProblem(r.stdout), undefined);
  const nodes = svgNodeIds(r.stdout);
  for (const id of exampleIds()) assert.ok(nodes.has(id), `${id} is not on the map`);
  assert.match(r.stdout, /<g class="legend">/);
  assert.doesNotMatch(r.stdout, /<script|file:|href=/i);
});

test('report --format markdown is the default; --out writes the file and says the score; wrong formats are usage errors', () => {
  const md = cli(['report', 'examples', '--format', 'markdown', '--as-of', AS_OF]);
  assert.equal(md.status, 0, md.stderr);
  assert.equal(md.stdout, cli(['report', 'examples', '--as-of', AS_OF]).stdout);
  assert.match(md.stdout, /<details>\n<summary>The map as a Mermaid diagram<\/summary>\n\n```mermaid\n/);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'northstar-report-'));
  try {
    const out = path.join(dir, 'report.html');
    const w = cli(['report', path.join(ROOT, 'examples'), '--format', 'html', '--as-of', AS_OF, '--out', out]);
    assert.equal(w.status, 0, w.stderr);
    assert.match(w.stderr, /alignment score 85%/);
    const page = fs.readFileSync(out, 'utf8');
    assert.equal(xmlProblem(page), undefined);
    // Links to the sources are relative to where the page is written.
    const rel = path.relative(dir, path.join(ROOT, 'examples', 'okrs', '2026-Q4.okr.md')).split(path.sep).join('/');
    assert.ok(page.includes(`href="${encodeURI(rel)}#L17"`), `no link to ${rel}#L17`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const bad = cli(['report', 'examples', '--format', 'sarif']);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /report writes markdown, html or svg, not sarif/);
  const badCheck = cli(['check', 'examples', '--format', 'html']);
  assert.equal(badCheck.status, 2);
  assert.match(badCheck.stderr, /check prints text, json, sarif or github, not html/);
});
