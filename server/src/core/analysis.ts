/**
 * The per-document pipeline: parse (remark) -> model -> validation -> diagnostics.
 * Pure: text and schemas in, model and diagnostics out. Never throws.
 */
import { compareDiagnostics, diag, type Diagnostic } from './diagnostics.js';
import { extractModel } from './model/extract.js';
import { knownKeys } from './model/read/knownKeys.js';
import type { DocType, DocumentModel, ReadingOptions } from './model/types.js';
import type { RootContent } from 'mdast';
import { parseMarkdown, type ParsedMarkdown } from './parse/markdown.js';
import { assembleRegions, planRegions, type RegionPlan } from './parse/regions.js';
import type { ExtractionParts, RegionInput } from './model/incremental.js';
import type { RegionCache } from './parse/regionCache.js';
import { boundNesting } from './parse/nesting.js';
import type { SchemaRegistry } from './schema/registry.js';
import { documentRuleDiagnostics, schemaDiagnostics } from './rules/run.js';
import { LineIndex } from './text/lineIndex.js';

export interface Analysis {
  readonly uri: string;
  readonly version: number | undefined;
  readonly text: string;
  readonly lines: LineIndex;
  readonly model: DocumentModel;
  /** Diagnostics of this document alone (workspace diagnostics are added by the index). */
  readonly diagnostics: readonly Diagnostic[];
  readonly isSpec: boolean;
  /** Which parser read the text: the line scanner (fast path), remark, or each its regions. */
  readonly parser: 'scan' | 'remark' | 'regions';
}

export interface AnalyzeOptions {
  /** Skip the fast path (tests compare both). */
  readonly remarkOnly?: boolean;
  /** The remark parse to use when the fast path does not answer (the host may guard it with a watchdog). */
  readonly parse?: (text: string) => ParsedMarkdown;
  /** What the workspace's config decides about reading (type by glob, P-scale). */
  readonly reading?: ReadingOptions;
  /** The document's region cache (the server keeps one per open document): only regions whose text changed are read again. */
  readonly cache?: RegionCache;
}

/** Above this many characters, nothing but the front matter is read. */
export const MAX_DOCUMENT_CHARS = 8_000_000;
/**
 * Above this many characters of regions the fast path cannot read, a document is not handed to
 * remark (≈ 0.5–1 MB/s here). A 5 MB document fits even if remark must read all of it: it pays
 * that once, in a worker, and a keystroke then re-reads one region (parse/regionCache.ts).
 */
export const MAX_REMARK_CHARS = 6_000_000;
/** Above this, one region (a section without a heading that cuts it) the fast path cannot read is not handed to remark: every keystroke in it would re-read it all. */
export const MAX_REMARK_REGION_CHARS = 2_000_000;
/** At most this many diagnostics per document are reported, then one notice. */
export const MAX_DIAGNOSTICS = 1000;

export function analyzeDocument(uri: string, text: string, registry: SchemaRegistry, version?: number, options: AnalyzeOptions = {}): Analysis {
  const plan = planParse(text, options);
  const parsed = plan.parsed ?? plan.assemble(plan.remarkTexts.map(options.parse ?? parseMarkdown));
  return finishAnalysis(uri, text, registry, version, plan, parsed, options.reading);
}

/**
 * The same analysis with remark awaited rather than waited for (the server's event loop keeps
 * answering while a large document is parsed in the worker). Returns undefined when `parse`
 * answers undefined: the parse was cancelled because the document changed again.
 */
export async function analyzeDocumentAsync(uri: string, text: string, registry: SchemaRegistry, version: number | undefined, parse: (text: string) => Promise<ParsedMarkdown | undefined>, reading?: ReadingOptions, cache?: RegionCache): Promise<Analysis | undefined> {
  const plan = planParse(text, cache ? { cache } : {});
  if (plan.parsed) return finishAnalysis(uri, text, registry, version, plan, plan.parsed, reading);
  const got: ParsedMarkdown[] = [];
  for (const t of plan.remarkTexts) {
    const p = await parse(t);
    if (!p) return undefined;
    got.push(p);
  }
  return finishAnalysis(uri, text, registry, version, plan, plan.assemble(got), reading);
}

interface ParsePlan {
  /** The text the parsers read: the document with lines nested too deep blanked (same length). */
  readonly text: string;
  /** Where the first blanked line starts. */
  readonly cutAt?: number;
  /** The tree when no remark parse is needed (the fast path answered, or the text is too large). */
  readonly parsed?: ParsedMarkdown;
  /** Otherwise: the texts remark must read, and how its trees make the document's. */
  readonly remarkTexts: readonly string[];
  readonly assemble: (parsed: readonly ParsedMarkdown[]) => ParsedMarkdown;
  readonly parser: Analysis['parser'];
  readonly tooLarge?: string;
  /** With a region cache: the regions and their nodes' sources, for the incremental extraction. */
  readonly incremental?: { readonly regions: RegionPlan['regions']; readonly sources: readonly (object | undefined)[]; readonly parts: ExtractionParts };
}

/**
 * The fast path answers for the regions it is sure of; only the others go to remark (all of
 * the document with `remarkOnly`).
 */
function planParse(input: string, options: AnalyzeOptions): ParsePlan {
  const none = { remarkTexts: [], assemble: () => ({ root: { type: 'root', children: [] } }) as ParsedMarkdown };
  if (input.length > MAX_DOCUMENT_CHARS) return { text: input, ...none, parsed: parseMarkdown(frontMatterOnly(input)), parser: 'scan', tooLarge: `${(input.length / 1e6).toFixed(1)} million characters` };
  const { text, cutAt } = boundNesting(input);
  const cut = cutAt === undefined ? {} : { cutAt };
  if (options.remarkOnly) return { text, ...cut, remarkTexts: [text], assemble: (p) => readParsed(text, p[0]!), parser: 'remark' };
  // With a cache, only the regions whose text (or whose definitions) changed are read again.
  const cached = options.cache?.plan(text);
  const regions = cached ? cached.plan : planRegions(text);
  const incremental = cached && options.cache ? { incremental: { regions: regions.regions, sources: cached.sources, parts: options.cache.parts } } : {};
  if (!regions.remarkTexts.length) return { text, ...cut, ...none, parsed: assembleRegions(text, regions, cached ? cached.complete([]) : []), parser: 'scan', ...incremental };
  if (regions.remarkChars > MAX_REMARK_CHARS || regions.remarkTexts.some((t) => t.length > MAX_REMARK_REGION_CHARS)) {
    // Bounded work: read the front matter only and say so.
    return { text, ...cut, ...none, parsed: parseMarkdown(frontMatterOnly(text)), parser: 'remark', tooLarge: `${(text.length / 1e6).toFixed(1)} million characters` };
  }
  const parser = regions.remarkTexts.length === regions.regions.length ? 'remark' : 'regions';
  if (cached) {
    const assemble = (p: readonly ParsedMarkdown[]) => readParsed(text, assembleRegions(text, regions, cached.complete(p)));
    if (!cached.toParse.length) return { text, ...cut, remarkTexts: [], assemble, parsed: assemble([]), parser, ...incremental };
    return { text, ...cut, remarkTexts: cached.toParse, assemble, parser, ...incremental };
  }
  return { text, ...cut, remarkTexts: regions.remarkTexts, assemble: (p) => readParsed(text, assembleRegions(text, regions, p)), parser };
}

/** A parse that failed or was stopped still lets the front matter be read. */
function readParsed(text: string, parsed: ParsedMarkdown): ParsedMarkdown {
  return parsed.error ? { root: parseMarkdown(frontMatterOnly(text)).root, error: parsed.error } : parsed;
}

function finishAnalysis(uri: string, text: string, registry: SchemaRegistry, version: number | undefined, plan: ParsePlan, parsed: ParsedMarkdown, reading?: ReadingOptions): Analysis {
  const resolve = (t: DocType | undefined, n: string) => registry.resolveSection(t, n);
  const inc = plan.incremental && !parsed.error && !plan.tooLarge ? regionInputs(plan.incremental.regions, plan.incremental.sources, parsed.root.children) : undefined;
  const model = inc ? plan.incremental!.parts.extract(uri, plan.text, parsed.root, inc, resolve, reading, knownKeys(registry)) : extractModel(uri, plan.text, parsed.root, resolve, reading, knownKeys(registry));
  const notices: Diagnostic[] = [];
  if (plan.tooLarge) {
    notices.push(diag('document-too-large', { start: 0, end: 0 }, `This document is too large to read in full (${plan.tooLarge}${text.length > MAX_DOCUMENT_CHARS ? '' : ' in Markdown the fast reader does not cover'}); Northstar checked its front matter only. Split it into smaller documents.`));
  }
  const cuts = [plan.cutAt, parsed.truncatedAt].filter((x): x is number => x !== undefined);
  if (cuts.length) {
    const at = Math.min(Math.max(0, Math.min(...cuts)), text.length);
    notices.push(diag('nesting-too-deep', { start: at, end: at }, 'The Markdown here nests or repeats markup far beyond any real document (more than 32 block quotes, lists, brackets or emphasis inside one another, or a thousand HTML tags on one line); Northstar does not read this part. Simplify it to have it checked.'));
  }
  const withNotices = notices.length ? { ...model, problems: [...model.problems, ...notices] } : model;
  return analysisOf(uri, text, withNotices, registry, version, plan.parser, parsed.error);
}

/** The assembled tree's nodes cut back into their regions (in order: a region's nodes start inside it). */
function regionInputs(regions: RegionPlan['regions'], sources: readonly (object | undefined)[], children: readonly RootContent[]): RegionInput[] | undefined {
  const out: RegionInput[] = [];
  let i = 0;
  for (let k = 0; k < regions.length; k++) {
    const r = regions[k]!;
    const from = i;
    while (i < children.length && (children[i]!.position?.start.offset ?? r.start) < r.end) i++;
    out.push({ start: r.start, end: r.end, nodes: children.slice(from, i), source: sources[k] });
  }
  return i === children.length ? out : undefined;
}

/** The front matter block of a text (or nothing), for a parse of bounded cost. */
function frontMatterOnly(text: string): string {
  const m = /^---\r?\n[\s\S]{0,65536}?\r?\n---[ \t]*(?:\r?\n|$)/.exec(text);
  return m ? m[0] : '';
}

/**
 * An analysis from a model read earlier (the persistent cache): the same object
 * analyzeDocument builds, without parsing.
 */
export function analysisFromModel(uri: string, text: string, model: DocumentModel, registry: SchemaRegistry, version?: number): Analysis {
  return analysisOf(uri, text, { ...model, uri }, registry, version, 'scan', undefined);
}

/** Diagnostics are computed on first use: indexing a closed file needs its model, not its diagnostics. */
function analysisOf(uri: string, text: string, model: DocumentModel, registry: SchemaRegistry, version: number | undefined, parser: Analysis['parser'], parseError: string | undefined): Analysis {
  let lines: LineIndex | undefined;
  let diagnostics: readonly Diagnostic[] | undefined;
  const isSpec = model.type !== undefined;
  return {
    uri,
    version,
    text,
    model,
    isSpec,
    parser,
    get lines() {
      return (lines ??= new LineIndex(text));
    },
    get diagnostics() {
      return (diagnostics ??= documentDiagnostics(model, registry, this.lines, parseError));
    },
  };
}

function documentDiagnostics(model: DocumentModel, registry: SchemaRegistry, lines: LineIndex, parseError: string | undefined): Diagnostic[] {
  let diagnostics: Diagnostic[];
  if (model.type === undefined) {
    // Plain Markdown is left alone, except a `type` that is nearly a spec type.
    diagnostics = model.problems.filter((d) => d.code === 'unknown-type');
  } else {
    diagnostics = [...model.problems];
    const frontMatterUnread = model.problems.some((d) => d.code === 'frontmatter-unclosed' || d.code === 'frontmatter-unsupported');
    const yamlBroken = frontMatterUnread || model.problems.some((d) => d.code === 'yaml-syntax' && d.severity === 'error') || model.problems.some((d) => d.code === 'frontmatter-not-mapping');
    try {
      const schemaDiags = schemaDiagnostics(model, model.type, registry);
      // When the front matter cannot be read, the fields it hides are not "missing" or "wrong":
      // report the front matter problem only.
      const fm = model.frontMatter?.span;
      const hidden = (d: { code: string; span: { start: number; end: number } }) => d.code === 'missing-field' || (fm !== undefined && d.span.start >= fm.start && d.span.end <= fm.end);
      for (const d of yamlBroken ? schemaDiags.filter((d) => !hidden(d)) : schemaDiags) diagnostics.push(d);
      for (const d of documentRuleDiagnostics(model, registry)) diagnostics.push(d);
    } catch (e) {
      diagnostics.push({ code: 'schema-violation', severity: 'error', message: `Northstar could not validate this document: ${e instanceof Error ? e.message : String(e)}`, span: { start: 0, end: 0 } });
    }
    if (parseError) {
      // Only the front matter was read: what the body would hold is unknown, not missing.
      diagnostics = diagnostics.filter((d) => d.code !== 'missing-section');
      diagnostics.push(diag('parse-failed', { start: 0, end: 0 }, `The Markdown could not be read (${parseError}); Northstar checked the front matter only.`));
    }
  }
  const sorted = applySuppressions(diagnostics, model, lines).sort(compareDiagnostics);
  if (sorted.length <= MAX_DIAGNOSTICS) return sorted;
  const rest = sorted.length - MAX_DIAGNOSTICS;
  return [
    ...sorted.slice(0, MAX_DIAGNOSTICS),
    diag('document-too-large', { start: 0, end: 0 }, `${rest} more problem${rest === 1 ? '' : 's'} in this document ${rest === 1 ? 'is' : 'are'} not shown (at most ${MAX_DIAGNOSTICS} per document).`, { severity: 'information' }),
  ];
}

export function applySuppressions(diagnostics: Diagnostic[], model: DocumentModel, lines: LineIndex): Diagnostic[] {
  if (!model.suppressions.length) return diagnostics;
  return diagnostics.filter((d) => {
    const line = lines.positionAt(d.span.start).line;
    return !model.suppressions.some((s) => s.line === line && (s.codes.length === 0 || s.codes.includes(String(d.code))));
  });
}
