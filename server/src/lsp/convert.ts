/** Core values -> LSP values. Positions go through the document's LineIndex (core/text/lineIndex). */
import { DiagnosticSeverity, type Diagnostic as LspDiagnostic, type Range } from 'vscode-languageserver';
import { docsUrl, type Diagnostic, type Severity } from '../core/diagnostics.js';
import type { LineIndex, Span } from '../core/text/lineIndex.js';

import {
  CodeActionKind,
  type CodeAction,
  CompletionItemKind,
  InsertTextFormat,
  MarkupKind,
  SymbolKind,
  type CompletionItem,
  type DocumentLink as LspDocumentLink,
  type CodeLens as LspCodeLens,
  type DocumentSymbol as LspDocumentSymbol,
  type Hover,
  type Location as LspLocation,
  type WorkspaceSymbol as LspWorkspaceSymbol,
  type WorkspaceEdit,
} from 'vscode-languageserver';
import type { Completion } from '../core/features/completion.js';
import type { CodeAction as CoreCodeAction } from '../core/features/codeActions.js';
import type { HoverResult } from '../core/features/hover.js';
import type { Location } from '../core/features/context.js';
import type { TextEdit } from '../core/features/rename.js';
import type { DocumentSymbol, SymbolKind as CoreSymbolKind, WorkspaceSymbol } from '../core/features/symbols.js';
import type { CodeLens } from '../core/features/codeLens.js';
import type { DocumentLink } from '../core/features/documentLinks.js';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export function toRange(lines: LineIndex, s: Span): Range {
  return { start: lines.positionAt(s.start), end: lines.positionAt(s.end) };
}

export function toLspDiagnostic(d: Diagnostic, lines: LineIndex, linesOf: (uri: string) => LineIndex | undefined): LspDiagnostic {
  const related = (d.related ?? [])
    .map((r) => {
      const l = linesOf(r.uri);
      return l ? { location: { uri: r.uri, range: toRange(l, r.span) }, message: r.message } : undefined;
    })
    .filter((r): r is NonNullable<typeof r> => r !== undefined);
  return {
    range: toRange(lines, d.span),
    severity: SEVERITY[d.severity],
    code: String(d.code),
    codeDescription: { href: docsUrl(String(d.code)) },
    source: 'northstar',
    message: d.message,
    ...(related.length ? { relatedInformation: related } : {}),
    ...(d.data ? { data: d.data } : {}),
  };
}

/** The LSP kind of "Assign IDs in this document" (the client command runs the source action of this kind). */
export const ASSIGN_IDS_KIND = 'source.assignIds.northstar';

export function toCodeAction(a: CoreCodeAction, linesOf: (uri: string) => LineIndex | undefined, versionOf: (uri: string) => number | null, toDiag: (d: Diagnostic) => LspDiagnostic): CodeAction {
  const kind = a.kind === 'quickfix' ? CodeActionKind.QuickFix : a.kind === 'source.fixAll' ? `${CodeActionKind.SourceFixAll}.northstar` : a.kind === 'source.assignIds' ? ASSIGN_IDS_KIND : CodeActionKind.RefactorRewrite;
  return {
    title: a.title,
    kind,
    ...(a.fixes.length ? { diagnostics: a.fixes.map(toDiag) } : {}),
    ...(a.preferred ? { isPreferred: true } : {}),
    edit: toWorkspaceEdit(a.edits, linesOf, versionOf),
  };
}

export function toHover(h: HoverResult, lines: LineIndex): Hover {
  return { contents: { kind: MarkupKind.Markdown, value: h.markdown }, range: toRange(lines, h.span) };
}

const COMPLETION_KIND: Record<Completion['kind'], CompletionItemKind> = {
  key: CompletionItemKind.Property,
  value: CompletionItemKind.EnumMember,
  id: CompletionItemKind.Reference,
  section: CompletionItemKind.Module,
  entity: CompletionItemKind.Snippet,
};

export function toCompletion(c: Completion, lines: LineIndex): CompletionItem {
  return {
    label: c.label,
    kind: COMPLETION_KIND[c.kind],
    ...(c.detail ? { detail: c.detail } : {}),
    ...(c.documentation ? { documentation: { kind: MarkupKind.Markdown, value: c.documentation } } : {}),
    textEdit: { range: toRange(lines, c.replace), newText: c.insertText },
    filterText: c.label,
    ...(c.snippet ? { insertTextFormat: InsertTextFormat.Snippet } : {}),
    ...(c.sortText ? { sortText: c.sortText } : {}),
    ...(c.retrigger ? { command: { title: 'Suggest', command: 'editor.action.triggerSuggest' } } : {}),
  };
}

export function toLocations(locs: readonly Location[], linesOf: (uri: string) => LineIndex | undefined): LspLocation[] {
  return locs.flatMap((l) => {
    const li = linesOf(l.uri);
    return li ? [{ uri: l.uri, range: toRange(li, l.span) }] : [];
  });
}

export function toWorkspaceEdit(edits: Map<string, TextEdit[]>, linesOf: (uri: string) => LineIndex | undefined, versionOf: (uri: string) => number | null): WorkspaceEdit {
  const documentChanges = [...edits].flatMap(([uri, list]) => {
    const li = linesOf(uri);
    if (!li) return [];
    return [{ textDocument: { uri, version: versionOf(uri) }, edits: list.map((e) => ({ range: toRange(li, e.span), newText: e.newText })) }];
  });
  return { documentChanges };
}

const SYMBOL_KIND: Record<CoreSymbolKind, SymbolKind> = {
  document: SymbolKind.File,
  section: SymbolKind.Namespace,
  BRIEF: SymbolKind.File,
  PRD: SymbolKind.File,
  OKR: SymbolKind.File,
  KPI: SymbolKind.Number,
  FEAT: SymbolKind.Class,
  OBJ: SymbolKind.Module,
  KR: SymbolKind.Field,
  PERSONA: SymbolKind.Interface,
};

export function toDocumentSymbol(s: DocumentSymbol, lines: LineIndex): LspDocumentSymbol {
  return {
    name: s.name || '(untitled)',
    ...(s.detail ? { detail: s.detail } : {}),
    kind: SYMBOL_KIND[s.kind],
    range: toRange(lines, s.span),
    selectionRange: toRange(lines, s.selection),
    children: s.children.map((c) => toDocumentSymbol(c, lines)),
  };
}

export function toWorkspaceSymbol(s: WorkspaceSymbol, lines: LineIndex): LspWorkspaceSymbol {
  return { name: s.name, kind: SYMBOL_KIND[s.kind], ...(s.detail ? { containerName: s.detail } : {}), location: { uri: s.uri, range: toRange(lines, s.span) } };
}

export function toCodeLens(c: CodeLens, uri: string, lines: LineIndex): LspCodeLens {
  const range = toRange(lines, c.span);
  return { range, command: { title: c.title, command: 'northstar.showReferences', arguments: [uri, range.start.line, range.start.character] } };
}

export function toDocumentLink(l: DocumentLink, lines: LineIndex): LspDocumentLink {
  return { range: toRange(lines, l.span), target: l.target, tooltip: l.tooltip };
}
