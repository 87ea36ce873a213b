/** Core values -> LSP values. Positions go through the document's LineIndex (core/text/lineIndex). */
import { DiagnosticSeverity, type Diagnostic as LspDiagnostic, type Range } from 'vscode-languageserver';
import { docsUrl, type Diagnostic, type Severity } from '../core/diagnostics.js';
import type { LineIndex, Span } from '../core/text/lineIndex.js';

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
