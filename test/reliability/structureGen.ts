/**
 * The structure-aware generator of test/reliability/structure.test.ts: spec documents (PRD front
 * matter, feature headings with `- kpi:` properties before and after) around one deep region that
 * nests Markdown containers — block quotes, bullet and ordered lists (on one line and indented
 * ladders), block HTML, emphasis, strong, strikethrough, links, images, brackets, parentheses,
 * inline HTML — in runs of mixed kinds (a block quote inside a list inside a block quote…), with a
 * leaf inside (a paragraph, a heading, a table whose cell nests inline, a code fence, a front
 * matter block, properties), or deep YAML in the front matter. Depths are log-scale from 10 to
 * 100,000 and documents stay under MAX_CHARS (a size estimate caps the kinds whose size grows
 * faster than their depth).
 */
import fc from 'fast-check';

export const BLOCK_KINDS = ['quote', 'bullet', 'star', 'ordered', 'ladder', 'ladder-ordered', 'div', 'div-md'] as const;
export const INLINE_KINDS = ['em', 'em_', 'strong', 'strong_', 'del', 'link', 'image', 'bracket', 'parens', 'span'] as const;
export const YAML_KINDS = ['yaml-flow-seq', 'yaml-flow-map', 'yaml-seq', 'yaml-map'] as const;
export const LEAVES = ['para', 'feature-heading', 'heading', 'table', 'fence', 'frontmatter', 'properties'] as const;
export type Kind = (typeof BLOCK_KINDS)[number] | (typeof INLINE_KINDS)[number] | (typeof YAML_KINDS)[number];
export type Leaf = (typeof LEAVES)[number];

export interface Run {
  readonly kind: Kind;
  /** Requested depth of this run (capped by size). */
  readonly depth: number;
  /** Inline runs only: false writes the openers alone (never closed). */
  readonly closed: boolean;
}

export interface Spec {
  readonly runs: readonly Run[];
  readonly leaf: Leaf;
}

export interface Case {
  readonly spec: Spec;
  /** The runs as generated, with the depth each really got after the size cap. */
  readonly label: string;
  readonly depth: number;
  readonly text: string;
  /** The deep region [start, end) in `text` (for YAML runs: the front matter line). */
  readonly region: { start: number; end: number };
}

/** Documents stay under this size (the remark path reads up to 2 M characters). */
export const MAX_CHARS = 1_500_000;

const INLINE: Record<(typeof INLINE_KINDS)[number], [string, string]> = {
  em: ['*', '*'],
  em_: ['_', '_'],
  strong: ['**', '**'],
  strong_: ['__', '__'],
  del: ['~~', '~~'],
  link: ['[', '](https://example.com/a)'],
  image: ['![', '](i.png "t")'],
  bracket: ['[', ']'],
  parens: ['[a](', ')'],
  span: ['<span>', '</span>'],
};

export const isBlock = (k: Kind): k is (typeof BLOCK_KINDS)[number] => (BLOCK_KINDS as readonly string[]).includes(k);
export const isInline = (k: Kind): k is (typeof INLINE_KINDS)[number] => (INLINE_KINDS as readonly string[]).includes(k);
export const isYaml = (k: Kind): k is (typeof YAML_KINDS)[number] => (YAML_KINDS as readonly string[]).includes(k);

/** log-uniform integer in [lo, hi]. */
const logInt = (lo: number, hi: number) => fc.double({ min: Math.log(lo), max: Math.log(hi), noNaN: true, noDefaultInfinity: true }).map((x) => Math.max(lo, Math.min(hi, Math.round(Math.exp(x)))));

/** Most cases shallow-ish, a few very deep: 10–100 (70%), –1,000 (20%), –10,000 (8%), –100,000 (2%). */
export const depthArb = fc.oneof(
  { weight: 70, arbitrary: logInt(10, 100) },
  { weight: 20, arbitrary: logInt(100, 1000) },
  { weight: 8, arbitrary: logInt(1000, 10000) },
  { weight: 2, arbitrary: logInt(10000, 100000) },
);

const ALL_KINDS: readonly Kind[] = [...BLOCK_KINDS, ...INLINE_KINDS, ...YAML_KINDS];

/** A total depth split over 1–4 runs of random kinds (block runs outside, inline runs inside, in the generated order). */
export const specArb: fc.Arbitrary<Spec> = fc
  .record({
    total: depthArb,
    parts: fc.array(fc.record({ kind: fc.constantFrom(...ALL_KINDS), weight: fc.integer({ min: 1, max: 10 }), closed: fc.boolean() }), { minLength: 1, maxLength: 4 }),
    leaf: fc.constantFrom(...LEAVES),
  })
  .map(({ total, parts, leaf }) => {
    const w = parts.reduce((n, p) => n + p.weight, 0);
    return { leaf, runs: parts.map((p) => ({ kind: p.kind, closed: isInline(p.kind) ? p.closed : true, depth: Math.max(1, Math.round((total * p.weight) / w)) })) };
  });

const HEAD = (yamlLine: string) => `---\ntype: prd\nid: PRD-fuzz\ntitle: Structure fuzz\nowner: o\nstatus: draft\nbrief: BRIEF-fuzz\nrelease: 2026-Q4\n${yamlLine}---\n\n# Structure fuzz\n\n## Features\n\n### FEAT-before: Before the deep region\n- priority: must\n- kpi: KPI-before\n\n`;
const TAIL = '\n\n### FEAT-after: After the deep region\n- priority: must\n- kpi: KPI-after\n';

/** The largest k <= want with cost(k) <= budget (cost grows with k). */
function capDepth(want: number, budget: number, cost: (k: number) => number): number {
  if (budget <= 0) return 0;
  if (cost(want) <= budget) return want;
  let lo = 0;
  let hi = want;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (cost(mid) <= budget) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

function inlineText(runs: readonly Run[], budget: number, got: Map<Run, number>): string {
  let s = 'x FEAT-inner y';
  for (let i = runs.length - 1; i >= 0; i--) {
    const r = runs[i]!;
    const [o, c] = INLINE[r.kind as (typeof INLINE_KINDS)[number]];
    const per = o.length + (r.closed ? c.length : 0);
    const k = capDepth(r.depth, budget - s.length, (n) => n * per);
    got.set(r, k);
    s = o.repeat(k) + s + (r.closed ? c.repeat(k) : '');
  }
  return s;
}

function leafLines(leaf: Leaf, inline: string): string[] {
  switch (leaf) {
    case 'para':
      return [`Some text ${inline} and more`];
    case 'feature-heading':
      return [`### FEAT-inner: ${inline}`, '- kpi: KPI-inner'];
    case 'heading':
      return [`## Inner ${inline}`];
    case 'table':
      return ['| ID | Note |', '|---|---|', `| FEAT-t | ${inline} |`, '| b | `code` |'];
    case 'fence':
      return ['```js', `const x = '${inline.length > 200 ? 'long' : inline.replace(/'/g, '')}';`, '> not a quote', '```', `after ${inline}`];
    case 'frontmatter':
      return ['---', 'type: prd', `title: ${inline}`, '---'];
    case 'properties':
      return [`- kpi: KPI-inner ${inline}`, '- priority: must'];
  }
}

/** Applies `k` levels of a block container to lines (innermost first); O(size). */
function applyBlock(kind: (typeof BLOCK_KINDS)[number], k: number, lines: string[]): string[] {
  const prefix = (first: string, rest: string) => lines.map((l, i) => (i === 0 ? first.repeat(k) : rest.repeat(k)) + l);
  switch (kind) {
    case 'quote':
      return lines.map((l) => '> '.repeat(k) + l);
    case 'bullet':
      return prefix('- ', '  ');
    case 'star':
      return prefix('* ', '  ');
    case 'ordered':
      return prefix('1. ', '   ');
    case 'ladder':
      return [...Array.from({ length: k }, (_, i) => `${'  '.repeat(i)}- a`), ...lines.map((l) => '  '.repeat(k) + l)];
    case 'ladder-ordered':
      return [...Array.from({ length: k }, (_, i) => `${'   '.repeat(i)}1. a`), ...lines.map((l) => '   '.repeat(k) + l)];
    case 'div':
      return ['<div>'.repeat(k), ...lines, '</div>'.repeat(k)];
    case 'div-md':
      return [...Array.from({ length: k }, () => ['<div>', '']).flat(), ...lines, ...Array.from({ length: k }, () => ['', '</div>']).flat()];
  }
}

/** Size after k levels of a block kind around (nLines, size). */
function blockCost(kind: (typeof BLOCK_KINDS)[number], nLines: number, size: number): (k: number) => number {
  switch (kind) {
    case 'quote':
    case 'bullet':
    case 'star':
      return (k) => size + 2 * k * nLines;
    case 'ordered':
      return (k) => size + 3 * k * nLines;
    case 'ladder':
      return (k) => size + k * k + 4 * k + 2 * k * nLines;
    case 'ladder-ordered':
      return (k) => size + 1.5 * k * k + 5 * k + 3 * k * nLines;
    case 'div':
      return (k) => size + 11 * k + 2;
    case 'div-md':
      return (k) => size + 14 * k;
  }
}

const YAML: Record<(typeof YAML_KINDS)[number], (k: number) => string> = {
  'yaml-flow-seq': (k) => `deep: ${'['.repeat(k)}1${']'.repeat(k)}\n`,
  'yaml-flow-map': (k) => `deep: ${'{a: '.repeat(k)}1${'}'.repeat(k)}\n`,
  'yaml-seq': (k) => `deep:\n  ${'- '.repeat(k)}x\n`,
  'yaml-map': (k) => `deep:\n${Array.from({ length: k }, (_, i) => `${'  '.repeat(i + 1)}a${i}:`).join('\n')} x\n`,
};
const yamlCost: Record<(typeof YAML_KINDS)[number], (k: number) => number> = {
  'yaml-flow-seq': (k) => 2 * k,
  'yaml-flow-map': (k) => 5 * k,
  'yaml-seq': (k) => 2 * k,
  'yaml-map': (k) => k * k + 6 * k,
};

export function buildCase(spec: Spec): Case {
  const got = new Map<Run, number>();
  let budget = MAX_CHARS - 1000;
  let yamlLine = '';
  for (const r of spec.runs.filter((x) => isYaml(x.kind))) {
    const kind = r.kind as (typeof YAML_KINDS)[number];
    const k = capDepth(r.depth, Math.min(budget, 400_000), yamlCost[kind]);
    got.set(r, k);
    if (k > 0) yamlLine += YAML[kind](k).replace(/^deep/, `deep${got.size}`);
    budget -= yamlLine.length;
  }
  const inline = inlineText(
    spec.runs.filter((r) => isInline(r.kind)),
    Math.floor(budget / 2),
    got,
  );
  let lines = leafLines(spec.leaf, inline);
  let size = lines.reduce((n, l) => n + l.length + 1, 0);
  const blocks = spec.runs.filter((r) => isBlock(r.kind));
  for (let i = blocks.length - 1; i >= 0; i--) {
    const r = blocks[i]!;
    const kind = r.kind as (typeof BLOCK_KINDS)[number];
    const k = capDepth(r.depth, budget, blockCost(kind, lines.length, size));
    got.set(r, k);
    if (k === 0) continue;
    lines = applyBlock(kind, k, lines);
    size = lines.reduce((n, l) => n + l.length + 1, 0);
  }
  const head = HEAD(yamlLine);
  const region = lines.join('\n');
  const text = head + region + TAIL;
  const label = spec.runs.map((r) => `${r.kind}${r.closed ? '' : '(open)'}×${got.get(r) ?? 0}${(got.get(r) ?? 0) < r.depth ? `(of ${r.depth})` : ''}`).join(' > ') + ` > ${spec.leaf}`;
  const depth = spec.runs.reduce((n, r) => n + (got.get(r) ?? 0), 0);
  const yamlStart = head.indexOf(yamlLine);
  return {
    spec,
    label,
    depth,
    text,
    region: yamlLine && !blocks.length && !spec.runs.some((r) => isInline(r.kind)) ? { start: yamlStart, end: yamlStart + yamlLine.length } : { start: yamlLine ? yamlStart : head.length, end: head.length + region.length },
  };
}

/** One container kind alone at a depth (the fixed deep cases). */
export function single(kind: Kind, depth: number, leaf: Leaf = 'para', closed = true): Case {
  return buildCase({ runs: [{ kind, depth, closed }], leaf });
}
