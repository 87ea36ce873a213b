/**
 * What a rule unit is. Every diagnostic code is one unit under `rules/` (a file named after the
 * code): its code, default severity and one-line summary, its check, and its quick fixes with
 * typed fix data. `catalog.ts` collects the units; the RULES table, the settings schema's rule
 * list and the index of docs/RULES.md derive from it.
 */
import type { Analysis } from '../analysis.js';
import type { Diagnostic, RelatedInfo, Severity } from '../diagnostics.js';
import type { FeatureContext } from '../features/context.js';
import type { TextEdit } from '../features/edits.js';
import type { WorkspaceIndex } from '../index/workspaceIndex.js';
import type { DocumentModel } from '../model/types.js';
import type { SchemaRegistry } from '../schema/registry.js';
import type { SchemaError } from '../schema/validate.js';
import type { Span } from '../text/lineIndex.js';
import type { AlignmentContext, Finding } from './alignment/context.js';

/** `source.assignIds`: write every derived ID of a document (the LSP kind `source.assignIds.northstar`). */
export type ActionKind = 'quickfix' | 'source.fixAll' | 'source.assignIds' | 'refactor.rewrite';

export interface CodeAction {
  readonly title: string;
  readonly kind: ActionKind;
  readonly edits: Map<string, TextEdit[]>;
  /** The diagnostics the action fixes. */
  readonly fixes: readonly Diagnostic[];
  readonly preferred?: boolean;
  /** Safe to apply together with other safe fixes. */
  readonly safe?: boolean;
}

/** Where a rule's check runs. */
export type Check =
  /** One ajv error of the document's schema -> this rule's diagnostic, or undefined when the error is another rule's. */
  | { readonly kind: 'schema'; readonly fromSchemaError: (e: SchemaError) => Diagnostic | undefined }
  /** One document model, after schema validation. */
  | { readonly kind: 'document'; readonly run: (model: DocumentModel, registry: SchemaRegistry) => Diagnostic[] }
  /** One document against the whole workspace index. */
  | { readonly kind: 'workspace'; readonly run: (index: WorkspaceIndex, a: Analysis) => Diagnostic[] }
  /** The alignment check over the strategy. */
  | { readonly kind: 'alignment'; readonly run: (c: AlignmentContext) => Finding[] }
  /**
   * Found while reading (the front matter parser, the model extraction, the analysis pipeline)
   * or by the host (a workspace schema): the unit holds the metadata and builds the diagnostic,
   * `where` names the code that calls it.
   */
  | { readonly kind: 'reported'; readonly where: string };

export type RuleGroup = 'document' | 'workspace' | 'alignment' | 'metrics' | 'flags';

export interface RuleInfo<C extends string = string> {
  readonly code: C;
  readonly severity: Severity;
  /** One line: what the finding means (the RULES table, SARIF, the report, docs/RULES.md's index). */
  readonly summary: string;
  readonly group: RuleGroup;
}

export interface ReportExtra {
  readonly related?: RelatedInfo[];
  readonly severity?: Severity;
}

export interface RuleUnit<C extends string = string, D = unknown> extends RuleInfo<C> {
  readonly check: Check;
  /** The diagnostic of this rule, carrying its typed fix data. */
  report(span: Span, message: string, data: D, extra?: ReportExtra): Diagnostic;
  /** The typed data of one of this rule's diagnostics (undefined for another rule's). */
  dataOf(d: Diagnostic): D | undefined;
  /** The quick fixes of one of this rule's diagnostics (none when the rule has no fix). */
  quickFixes(ctx: FeatureContext, a: Analysis, d: Diagnostic): CodeAction[];
}

export interface RuleSpec<C extends string, D> extends RuleInfo<C> {
  readonly check: Check;
  /** Quick fixes, from the data this rule's own `report` attached. */
  fix?(ctx: FeatureContext, a: Analysis, d: Diagnostic, data: D): CodeAction[];
}

/**
 * Defines a unit. The data of a diagnostic is typed per rule: it is attached by this unit's
 * `report` and read back only by this unit's `fix` (a diagnostic's code names its unit).
 */
export function defineRule<C extends string, D = undefined>(spec: RuleSpec<C, D>): RuleUnit<C, D> {
  return {
    code: spec.code,
    severity: spec.severity,
    summary: spec.summary,
    group: spec.group,
    check: spec.check,
    report(span: Span, message: string, data: D, extra: ReportExtra = {}): Diagnostic {
      return {
        code: spec.code,
        severity: extra.severity ?? spec.severity,
        message,
        span,
        ...(extra.related ? { related: extra.related } : {}),
        ...(data !== undefined ? { data: data as Record<string, unknown> } : {}),
      };
    },
    dataOf(d: Diagnostic): D | undefined {
      return d.code === spec.code ? (d.data as D | undefined) : undefined;
    },
    quickFixes(ctx: FeatureContext, a: Analysis, d: Diagnostic): CodeAction[] {
      if (!spec.fix || d.code !== spec.code) return [];
      return spec.fix(ctx, a, d, d.data as D);
    },
  };
}

/** A single-edit quick fix that replaces the diagnostic's range. */
export function replaceRange(a: Analysis, d: Diagnostic, title: string, text: string, preferred: boolean, safe = true): CodeAction {
  return { title, kind: 'quickfix', edits: new Map([[a.uri, [{ span: d.span, newText: text }]]]), fixes: [d], preferred, safe };
}
