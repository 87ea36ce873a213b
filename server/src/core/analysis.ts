/**
 * The per-document pipeline: parse (remark) -> model -> validation -> diagnostics.
 * Pure: text and schemas in, model and diagnostics out. Never throws.
 */
import { compareDiagnostics, type Diagnostic } from './diagnostics.js';
import { extractModel } from './model/extract.js';
import type { DocumentModel } from './model/types.js';
import { parseMarkdown } from './parse/markdown.js';
import { scanMarkdown } from './parse/scan.js';
import type { SchemaRegistry } from './schema/registry.js';
import { validateModel } from './schema/validate.js';
import { documentRules } from './features/documentRules.js';
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
  /** Which parser read the text: the line scanner (fast path) or remark. */
  readonly parser: 'scan' | 'remark';
}

export interface AnalyzeOptions {
  /** Skip the fast path (tests compare both). */
  readonly remarkOnly?: boolean;
}

export function analyzeDocument(uri: string, text: string, registry: SchemaRegistry, version?: number, options: AnalyzeOptions = {}): Analysis {
  // The fast path answers for regular documents; anything it cannot place exactly goes to remark.
  const scanned = options.remarkOnly ? undefined : scanMarkdown(text);
  const parsed = scanned ? { root: scanned } : parseMarkdown(text);
  const model = extractModel(uri, text, parsed.root, (t, n) => registry.resolveSection(t, n));
  return analysisOf(uri, text, model, registry, version, scanned ? 'scan' : 'remark', 'error' in parsed ? parsed.error : undefined);
}

/**
 * An analysis from a model read earlier (the persistent cache): the same object
 * analyzeDocument builds, without parsing.
 */
export function analysisFromModel(uri: string, text: string, model: DocumentModel, registry: SchemaRegistry, version?: number): Analysis {
  return analysisOf(uri, text, { ...model, uri }, registry, version, 'scan', undefined);
}

/** Diagnostics are computed on first use: indexing a closed file needs its model, not its diagnostics. */
function analysisOf(uri: string, text: string, model: DocumentModel, registry: SchemaRegistry, version: number | undefined, parser: 'scan' | 'remark', parseError: string | undefined): Analysis {
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
      const schemaDiags = validateModel(model, model.type, registry);
      // When the front matter cannot be read, the fields it hides are not "missing" or "wrong":
      // report the front matter problem only.
      const fm = model.frontMatter?.span;
      const hidden = (d: { code: string; span: { start: number; end: number } }) => d.code === 'missing-field' || (fm !== undefined && d.span.start >= fm.start && d.span.end <= fm.end);
      diagnostics.push(...(yamlBroken ? schemaDiags.filter((d) => !hidden(d)) : schemaDiags));
      diagnostics.push(...documentRules(model, registry));
    } catch (e) {
      diagnostics.push({ code: 'schema-violation', severity: 'error', message: `Northstar could not validate this document: ${e instanceof Error ? e.message : String(e)}`, span: { start: 0, end: 0 } });
    }
    if (parseError) diagnostics.push({ code: 'schema-violation', severity: 'error', message: `The Markdown could not be parsed: ${parseError}`, span: { start: 0, end: 0 } });
  }
  return applySuppressions(diagnostics, model, lines).sort(compareDiagnostics);
}

export function applySuppressions(diagnostics: Diagnostic[], model: DocumentModel, lines: LineIndex): Diagnostic[] {
  if (!model.suppressions.length) return diagnostics;
  return diagnostics.filter((d) => {
    const line = lines.positionAt(d.span.start).line;
    return !model.suppressions.some((s) => s.line === line && (s.codes.length === 0 || s.codes.includes(String(d.code))));
  });
}
