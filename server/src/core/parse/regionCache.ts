/**
 * The region cache: a keystroke re-reads only the regions its edit touched.
 *
 * One cache per open document (the server keeps one; the CLI none). It keeps, for every region
 * of the last analysed version, what read it — the scanner's nodes, or remark's tree — so a
 * region that only moved (text inserted above it) is found again and shifted into place. Keys are
 * exact texts:
 * - a scanned region: its own text (and whether it is the document's first region, the one that
 *   may open front matter). The scanner also asks the document-wide definition index whether a
 *   label is defined; every question and its answer is recorded with the entry, and the entry
 *   counts only while the current document answers every one of them the same way.
 * - a region remark reads: the text remark actually reads — its own text plus the document's
 *   definitions it mentions (see `planRegions`) — so a definition changed in another region
 *   invalidates it.
 *
 * Bounded: only the regions of the last version are kept (memory proportional to the document).
 * Scanned nodes are kept where the last version had them and handed out as they are when their
 * region did not move (nothing downstream changes a tree in place; a moved region gets shifted
 * copies, which the entry keeps from then on: typing costs nothing in the regions above the
 * cursor). remark's trees are kept relative to the region (offset 0) and handed out as fresh
 * copies, which assembly shifts in place. A remark answer with an error (a watchdog, a worker
 * that died) is not kept. Each entry is also what the incremental extraction
 * (model/incremental.ts) keeps a region's part of the model by.
 *
 * Invariant (test/core/regionCache.test.ts): the analysis with a cache, after any sequence of
 * edits, deep-equals the analysis without one.
 */
import type { Root, RootContent } from 'mdast';
import { definitionIndex, type DefinitionIndex } from './definitions.js';
import type { ParsedMarkdown } from './markdown.js';
import { remarkTextsFor, splitRegions, type RegionPlan } from './regions.js';
import { scanRegion } from './scan.js';
import { ExtractionParts } from '../model/incremental.js';

/** One question the scanner asked the definition index, and the answer it got. */
type Query = readonly [set: 'defined' | 'mentioned', label: string, answer: boolean];

interface ScanEntry {
  /**
   * The scanner's nodes in document coordinates with the region starting at `at` (the last
   * version's nodes), or undefined: remark must read it. Never changed in place: a region that
   * moved gets shifted copies, which the entry then keeps.
   */
  nodes: readonly RootContent[] | undefined;
  at: number;
  readonly queries: readonly Query[];
}

/** What the region planning with a cache answers: the full plan, and what remark must still read. */
export interface CachedPlan {
  readonly plan: RegionPlan;
  /** The remark texts no cached tree answers (a subsequence of `plan.remarkTexts`). */
  readonly toParse: readonly string[];
  /** remark's answers for `toParse`, in order → one answer per `plan.remarkTexts` (fresh copies); stores them. */
  readonly complete: (parsed: readonly ParsedMarkdown[]) => ParsedMarkdown[];
  /**
   * Per region: the cache entry its nodes come from (the same object means the same nodes,
   * relative to the region), what the extraction keeps its parts by; a region remark reads gets
   * it when `complete` runs.
   */
  readonly sources: readonly (object | undefined)[];
}

export class RegionCache {
  private scans = new Map<string, ScanEntry>();
  private trees = new Map<string, ParsedMarkdown>();
  /** The extraction's parts of this document's regions (model/incremental.ts), kept by the same entries. */
  readonly parts = new ExtractionParts();
  /** How many regions were read (scanned or sent to remark) and reused, since the cache was made. */
  readonly stats = { scanned: 0, scanReused: 0, parsed: 0, parseReused: 0 };

  /** `planRegions(text)`, reading only the regions the cache does not hold. */
  plan(text: string): CachedPlan {
    const regions = splitRegions(text);
    let index: DefinitionIndex | undefined;
    const definitions = () => (index ??= definitionIndex(text));
    const nextScans = new Map<string, ScanEntry>();
    const scanned: (RootContent[] | undefined)[] = [];
    const sources: (object | undefined)[] = [];
    for (const r of regions) {
      const own = text.slice(r.start, r.end);
      const key = (r.start === 0 ? 'd' : 'r') + own;
      let entry = nextScans.get(key) ?? this.scans.get(key);
      if (entry && !entry.queries.every(([set, label, answer]) => definitions()[set].has(label) === answer)) entry = undefined;
      if (!entry) {
        this.stats.scanned++;
        const queries: Query[] = [];
        const recorder = (set: Query[0]) => ({ has: (label: string) => { const answer = definitions()[set].has(label); queries.push([set, label, answer]); return answer; } }) as unknown as ReadonlySet<string>;
        const recording: DefinitionIndex = { defined: recorder('defined'), mentioned: recorder('mentioned') };
        const nodes = scanRegion(text, r.start, r.end, () => recording);
        entry = { nodes, at: r.start, queries };
      } else {
        this.stats.scanReused++;
        if (entry.nodes && entry.at !== r.start) {
          // Moved (text inserted or deleted above it): shifted copies; a region that did not move costs nothing.
          entry.nodes = copyShifted(entry.nodes, r.start - entry.at);
          entry.at = r.start;
        }
      }
      nextScans.set(key, entry);
      sources.push(entry.nodes ? entry : undefined);
      scanned.push(entry.nodes ? [...entry.nodes] : undefined);
    }
    this.scans = nextScans;

    const { remarkTexts, remarkChars } = remarkTextsFor(text, regions, scanned);
    const plan: RegionPlan = { regions, scanned, remarkTexts, remarkChars };

    // Taken now: another version's analysis may complete (and replace the trees) before this one does.
    const reused = new Map<string, ParsedMarkdown>();
    for (const t of remarkTexts) {
      const p = this.trees.get(t);
      if (p) reused.set(t, p);
    }
    const toParse = [...new Set(remarkTexts.filter((t) => !reused.has(t)))];
    this.stats.parseReused += remarkTexts.length - toParse.length;
    this.stats.parsed += toParse.length;
    const complete = (parsed: readonly ParsedMarkdown[]): ParsedMarkdown[] => {
      const fresh = new Map<string, ParsedMarkdown>();
      toParse.forEach((t, k) => fresh.set(t, parsed[k]!));
      const nextTrees = new Map<string, ParsedMarkdown>();
      const remarkRegions = scanned.flatMap((s, k) => (s ? [] : [k]));
      const out = remarkTexts.map((t, j) => {
        const p = fresh.get(t) ?? reused.get(t)!;
        if (!p.error) {
          const kept = nextTrees.get(t) ?? (fresh.has(t) ? copyParsed(p) : p);
          nextTrees.set(t, kept);
          sources[remarkRegions[j]!] = kept;
        }
        // Every answer is a copy: two regions with the same text must not share one tree.
        return copyParsed(p);
      });
      this.trees = nextTrees;
      return out;
    };
    return { plan, toParse, complete, sources };
  }

  /** How many regions it holds (scanned or parsed): bounded by the last version's regions. */
  get size(): number {
    return this.scans.size + this.trees.size;
  }
}

interface Positioned {
  position?: { start: { offset?: number }; end: { offset?: number } };
  children?: Positioned[];
}

function copyParsed(p: ParsedMarkdown): ParsedMarkdown {
  const root = { ...p.root, children: copyShifted(p.root.children, 0) } as Root;
  return { ...p, root };
}

/**
 * Copies of nodes with every offset moved by `by`: new node, position and children objects,
 * the rest shared (iterative: trees are depth-bounded, but stay so).
 */
function copyShifted(nodes: readonly RootContent[], by: number): RootContent[] {
  const copy = (n: Positioned): Positioned => {
    const c: Positioned = { ...n };
    if (n.position) {
      const { start, end } = n.position;
      c.position = { ...n.position, start: { ...start, ...(start.offset !== undefined ? { offset: start.offset + by } : {}) }, end: { ...end, ...(end.offset !== undefined ? { offset: end.offset + by } : {}) } };
    }
    return c;
  };
  const out = nodes.map((n) => copy(n as Positioned));
  const stack: Positioned[] = [...out];
  while (stack.length) {
    const n = stack.pop()!;
    if (Array.isArray(n.children)) {
      n.children = n.children.map(copy);
      for (const c of n.children) stack.push(c);
    }
  }
  return out as RootContent[];
}
