/**
 * The core's one facade: a workspace (index + schemas + options) and everything Northstar can
 * tell about it. The language server, the command line and the tests all call this; none of
 * them assembles a pipeline of its own. Pure: no file system, no LSP, no VS Code.
 */
import { analysisFromModel, analyzeDocument, analyzeDocumentAsync, type Analysis } from './analysis.js';
import { applySeverities, compareDiagnostics, type Diagnostic, type SeverityOverrides } from './diagnostics.js';
import type { DocumentModel, ReadingOptions } from './model/types.js';
import { parseMarkdown as defaultParse, type ParsedMarkdown } from './parse/markdown.js';
import type { RegionCache } from './parse/regionCache.js';
import { idsKey, WorkspaceIndex } from './index/workspaceIndex.js';
import type { SchemaRegistry } from './schema/registry.js';
import type { LineIndex, Span } from './text/lineIndex.js';
import { metricsOf, type MetricStore } from './metrics/store.js';
import type { MetricFile } from './metrics/snapshot.js';
import { snapshotDiagnostics } from './metrics/diagnostics.js';
import { flagsOf, isFlagFile, type FlagStore } from './flags/store.js';
import type { FlagFile } from './flags/launchdarkly.js';
import { flagExportDiagnostics } from './flags/diagnostics.js';
import { checkWorkspace, diagnosticsFor, reportableUris, type CheckOptions, type FileResult } from './features/check.js';
import type { FeatureContext, Location } from './features/context.js';
import { provideHover } from './features/hover.js';
import { isIncomplete, provideCompletion } from './features/completion.js';
import { provideDefinition, provideReferences } from './features/navigation.js';
import { prepareRename, rename } from './features/rename.js';
import { documentSymbols, workspaceSymbols } from './features/symbols.js';
import { provideCodeLenses } from './features/codeLens.js';
import { provideDocumentLinks } from './features/documentLinks.js';
import { assignIds, fixAll, provideCodeActions } from './features/codeActions.js';
import { newDocument, type NewDocumentRequest } from './features/templates.js';
import { traceId, type TraceAnswer } from './features/trace.js';
import { findEntities, type FindQuery, type FindResult } from './features/entities.js';
import { inspectDocument, type InspectedDocument } from './features/inspect.js';
import { strategyTree, type StrategyTree, type TreeFilter } from './features/tree.js';
import { strategyOf, strategySignature } from './alignment/strategy.js';
import { summarize, type AlignmentSummary } from './alignment/summary.js';
import { keyResultCharts, renderMarkdownReport } from './alignment/report.js';
import { buildStrategyMap, type StrategyMap } from './alignment/map.js';
import { renderMapSvg } from './alignment/mapSvg.js';
import { renderHtmlReport } from './alignment/reportHtml.js';
import type { IdKind } from './ids.js';

export interface ServiceOptions {
  /** YYYY-MM-DD: decides which OKRs are current. */
  readonly asOf: string;
  readonly severities?: SeverityOverrides;
  /** The remark parse for what the fast path does not read (the host guards it with a watchdog). */
  readonly parse?: (text: string) => ParsedMarkdown;
  /** The same parse, awaited and cancellable (answers undefined when cancelled). */
  readonly parseAsync?: (text: string, cancelled?: () => boolean) => Promise<ParsedMarkdown | undefined>;
  /** What the workspace's config file decides about reading (type by glob, P-scale). */
  readonly reading?: ReadingOptions;
}

export interface AlignmentReportResult {
  readonly summary: AlignmentSummary;
  readonly markdown: string;
  /** The documents whose findings the report counted. */
  readonly uris: readonly string[];
  /** The strategy map, laid out (computed on first read: the MCP tool reads the summary only). */
  readonly map: StrategyMap;
  /** The map as a standalone SVG (computed on first read). */
  readonly svg: string;
  /** The report as a self-contained HTML page with the map inline (computed on first read). */
  readonly html: string;
  /** Per key result with metric data: where its current value came from and its chart (SVG). */
  readonly charts: Record<string, { note: string; svg?: string }>;
}

export class NorthstarService {
  readonly index = new WorkspaceIndex();

  constructor(
    public registry: SchemaRegistry,
    public options: ServiceOptions,
  ) {}

  get context(): FeatureContext {
    return { index: this.index, registry: this.registry, asOf: this.options.asOf, reread: (uri, text) => this.analyze(uri, text) };
  }

  get checkOptions(): CheckOptions {
    return { asOf: this.options.asOf, ...(this.options.severities ? { severities: this.options.severities } : {}) };
  }

  // --- documents -------------------------------------------------------------------------

  /** Analyses a text (not yet in the index: `update` puts it there); with the document's region cache, only changed regions are read. */
  analyze(uri: string, text: string, version?: number, cache?: RegionCache): Analysis {
    return analyzeDocument(uri, text, this.registry, version, { ...(this.options.parse ? { parse: this.options.parse } : {}), ...(this.options.reading ? { reading: this.options.reading } : {}), ...(cache ? { cache } : {}) });
  }

  /** The same, with remark awaited; undefined when `cancelled()` turned true first. */
  analyzeAsync(uri: string, text: string, version?: number, cancelled?: () => boolean, cache?: RegionCache): Promise<Analysis | undefined> {
    const parseAsync = this.options.parseAsync;
    const parse = this.options.parse;
    return analyzeDocumentAsync(uri, text, this.registry, version, parseAsync ? (t) => parseAsync(t, cancelled) : async (t) => (parse ?? defaultParse)(t), this.options.reading, cache);
  }

  /** An analysis from a model read earlier (the persistent cache). */
  fromModel(uri: string, text: string, model: DocumentModel, version?: number): Analysis {
    return analysisFromModel(uri, text, model, this.registry, version);
  }

  update(a: Analysis): void {
    this.index.set(a);
  }

  remove(uri: string): void {
    this.index.remove(uri);
  }

  get(uri: string): Analysis | undefined {
    return this.index.get(uri);
  }

  /** New schemas: every indexed document is analysed again with them. */
  setRegistry(registry: SchemaRegistry): void {
    this.registry = registry;
    for (const a of [...this.index.documents()]) this.index.set(this.analyze(a.uri, a.text, a.version));
  }

  // --- metric snapshots (CSV data files) ------------------------------------------------

  /** The workspace's metric snapshots. */
  get metrics(): MetricStore {
    return metricsOf(this.index);
  }

  /** The workspace's feature-flag exports (LaunchDarkly). */
  get flags(): FlagStore {
    return flagsOf(this.index);
  }

  /** Puts (or replaces) a data file: a metric snapshot (its data points feed key-result progress) or a flag export (`launchdarkly*.json`: the flags' state next to features). */
  setDataFile(uri: string, text: string): MetricFile | FlagFile {
    return isFlagFile(uri) ? this.flags.set(uri, text) : this.metrics.set(uri, text);
  }

  /** Removes a data file; answers whether it was there. */
  removeDataFile(uri: string): boolean {
    return this.flags.remove(uri) || this.metrics.remove(uri);
  }

  /** The data files (metric snapshots and flag exports), sorted. */
  dataFileUris(): string[] {
    return this.flags.size ? [...this.metrics.uris(), ...this.flags.uris()].sort() : this.metrics.uris();
  }

  dataFile(uri: string): MetricFile | FlagFile | undefined {
    return this.metrics.get(uri) ?? this.flags.get(uri);
  }

  /** The line index of a document or data file (what converts its diagnostics' offsets). */
  linesOf(uri: string): LineIndex | undefined {
    return this.index.get(uri)?.lines ?? this.metrics.get(uri)?.lines ?? this.flags.get(uri)?.lines;
  }

  /** The findings of a data file, with the team's severities. */
  private dataFileDiagnostics(uri: string, options: CheckOptions): Diagnostic[] {
    const f = this.metrics.get(uri);
    const flags = f ? undefined : this.flags.get(uri);
    if (flags) return applySeverities(flagExportDiagnostics(flags), options.severities).sort(compareDiagnostics);
    return f ? applySeverities(snapshotDiagnostics(f, this.index, this.metrics), options.severities).sort(compareDiagnostics) : [];
  }

  // --- diagnostics -----------------------------------------------------------------------

  /** Everything reported for one document: its own findings, the workspace's, alignment (for a data file: its rows' findings). */
  diagnostics(uri: string, options: CheckOptions = this.checkOptions): Diagnostic[] {
    if (!this.index.get(uri) && (this.metrics.get(uri) || this.flags.get(uri))) return this.dataFileDiagnostics(uri, options);
    return diagnosticsFor(this.index, this.registry, uri, options);
  }

  /** Every document that has something to report (spec documents, and any with findings; data files with findings). */
  reportableUris(options: CheckOptions = this.checkOptions): string[] {
    const uris = reportableUris(this.index, this.registry, options);
    const data = this.dataFileUris().filter((u) => !this.index.get(u) && this.dataFileDiagnostics(u, options).length);
    return data.length ? [...uris, ...data].sort() : uris;
  }

  /**
   * Whether replacing `before` by `after` can change what other documents report: the IDs it
   * defines, or what it says about the strategy (a KPI, a release, a status), changed.
   */
  affectsOthers(before: Analysis | undefined, after: Analysis): boolean {
    if (!before) return true;
    if (idsKey(before) !== idsKey(after)) return true;
    return strategySignature(before, this.registry, this.options.asOf) !== strategySignature(after, this.registry, this.options.asOf);
  }

  /** Every document that has something to report, with its diagnostics. */
  check(options: CheckOptions = this.checkOptions): FileResult[] {
    const docs = checkWorkspace(this.index, this.registry, options);
    const data = this
      .dataFileUris()
      .filter((u) => !this.index.get(u))
      .map((uri) => ({ uri, diagnostics: this.dataFileDiagnostics(uri, options) }))
      .filter((r) => r.diagnostics.length);
    return data.length ? [...docs, ...data].sort((x, y) => (x.uri < y.uri ? -1 : x.uri > y.uri ? 1 : 0)) : docs;
  }

  /** The alignment check over the whole workspace: the summary and the Markdown report. */
  alignmentReport(path: (uri: string) => string, options: CheckOptions = this.checkOptions): AlignmentReportResult {
    const uris = this.reportableUris(options);
    const findings = uris.flatMap((uri) => this.diagnostics(uri, options).map((diagnostic) => ({ uri, diagnostic })));
    const strategy = strategyOf(this.index, this.registry, options.asOf);
    const summary = summarize(strategy, this.index, findings);
    const lineOf = (uri: string, offset: number) => this.index.get(uri)?.lines.humanPosition(offset).line ?? 1;
    let map: StrategyMap | undefined;
    const mapOf = () => (map ??= buildStrategyMap(summary, strategy, lineOf));
    return {
      summary,
      markdown: renderMarkdownReport(summary, strategy, { path }),
      uris,
      get map() {
        return mapOf();
      },
      get svg() {
        return renderMapSvg(mapOf(), { title: `Strategy map — as of ${summary.asOf}` });
      },
      get html() {
        return renderHtmlReport(summary, mapOf(), { path });
      },
      get charts() {
        return keyResultCharts(summary);
      },
    };
  }

  // --- editor features (offsets are UTF-16 code units into the analysed text) --------------

  hover(a: Analysis, offset: number) {
    return provideHover(this.context, a, offset);
  }
  completion(a: Analysis, offset: number) {
    const items = provideCompletion(this.context, a, offset);
    return { items, isIncomplete: isIncomplete(items) };
  }
  definition(a: Analysis, offset: number): Location[] {
    return provideDefinition(this.context, a, offset);
  }
  references(a: Analysis, offset: number, includeDeclaration: boolean): Location[] {
    return provideReferences(this.context, a, offset, includeDeclaration);
  }
  prepareRename(a: Analysis, offset: number) {
    return prepareRename(this.context, a, offset);
  }
  rename(a: Analysis, offset: number, newName: string) {
    return rename(this.context, a, offset, newName);
  }
  documentSymbols(a: Analysis) {
    return documentSymbols(a);
  }
  workspaceSymbols(query: string) {
    return workspaceSymbols(this.context, query);
  }
  codeLenses(a: Analysis) {
    return provideCodeLenses(this.context, a);
  }
  documentLinks(a: Analysis) {
    return provideDocumentLinks(this.context, a);
  }
  /** Quick fixes for a range and, when asked, "fix all" for the document. */
  codeActions(a: Analysis, range: Span, want: { quickFixes: boolean; fixAll: boolean; assignIds?: boolean }) {
    const diagnostics = this.diagnostics(a.uri);
    return [
      ...(want.quickFixes ? provideCodeActions(this.context, a, range, diagnostics) : []),
      ...(want.fixAll ? [fixAll(this.context, a, diagnostics)].filter((x) => x !== undefined) : []),
      ...(want.assignIds ? [assignIds(a, diagnostics, this.context)].filter((x) => x !== undefined) : []),
    ];
  }

  /** A new document's text, and the folder (a URI prefix) where the workspace keeps most documents of its type. */
  newDocument(req: NewDocumentRequest): { id: string; fileName: string; text: string; folder?: string } {
    const doc = newDocument(this.context, req);
    const counts = new Map<string, number>();
    for (const a of this.index.documents()) {
      if (a.model.type !== req.type) continue;
      const dir = a.uri.slice(0, a.uri.lastIndexOf('/'));
      counts.set(dir, (counts.get(dir) ?? 0) + 1);
    }
    const best = [...counts].sort((x, y) => y[1] - x[1] || x[0].localeCompare(y[0]))[0]?.[0];
    return best ? { ...doc, folder: best } : doc;
  }

  /** The IDs of one kind defined in the workspace, with their titles. */
  ids(kind: IdKind): { id: string; title?: string }[] {
    return this.index.definedIds(kind).map((id) => {
      const d = this.index.definition(id);
      const title = d?.entity?.title ?? this.index.get(d?.uri ?? '')?.model.title?.text;
      return { id, ...(title ? { title } : {}) };
    });
  }

  /** An ID's place in the strategy, both ways (or the nearest IDs when it is defined nowhere). */
  trace(id: string, path: (uri: string) => string): TraceAnswer {
    return traceId(this.context, id, path);
  }

  /** Defined IDs by ID, words of the title, kind. */
  findEntities(query: FindQuery, path: (uri: string) => string): FindResult {
    return findEntities(this.context, query, path);
  }

  /** What Northstar understood in an indexed document: its type and every entity (undefined when not indexed). */
  inspect(uri: string): InspectedDocument | undefined {
    const a = this.index.get(uri);
    return a ? inspectDocument(this.context, a) : undefined;
  }

  /** The strategy as a tree for the Northstar view (OKRs, roadmap, unaligned, uncovered), filtered. */
  strategyTree(filter: TreeFilter = {}): StrategyTree {
    return strategyTree(this.context, filter);
  }

  /** What Northstar makes of a document, for a status bar. */
  documentInfo(uri: string) {
    const a = this.index.get(uri);
    if (!a) return undefined;
    const all = this.diagnostics(uri);
    const m = a.model;
    return {
      ...(m.type ? { type: m.type } : {}),
      ...(m.typeSource ? { typeSource: m.typeSource } : {}),
      ...(m.docId ? { id: m.docId.id } : {}),
      ...(m.title ? { title: m.title.text } : {}),
      errors: all.filter((d) => d.severity === 'error').length,
      warnings: all.filter((d) => d.severity === 'warning').length,
    };
  }
}
