/**
 * Diagnostics of the core: offsets, a stable code, a severity, a message, a docs link. Each code
 * is a rule unit under rules/; `diag` builds a diagnostic of any code with its default severity.
 */
import type { Span } from './text/lineIndex.js';

export type Severity = 'error' | 'warning' | 'information' | 'hint';

export const DOCS_BASE = 'https://github.com/northstar-pm/northstar/blob/main/docs/RULES.md';

/** Every code the core can report (derived from the rule units, rules/catalog.ts). */
export { RULES, type RuleCode } from './rules/catalog.js';
import { RULES, type RuleCode } from './rules/catalog.js';

export interface RelatedInfo {
  readonly uri: string;
  readonly span: Span;
  readonly message: string;
}

export interface Diagnostic {
  readonly code: RuleCode | string;
  readonly severity: Severity;
  readonly message: string;
  readonly span: Span;
  readonly related?: readonly RelatedInfo[];
  /** Structured facts for quick fixes (the expected values, the suggestion). */
  readonly data?: Record<string, unknown>;
}

export function docsUrl(code: string): string {
  return `${DOCS_BASE}#${code}`;
}

export function diag(
  code: RuleCode,
  span: Span,
  message: string,
  extra: { related?: RelatedInfo[]; data?: Record<string, unknown>; severity?: Severity } = {},
): Diagnostic {
  return {
    code,
    severity: extra.severity ?? RULES[code].severity,
    message,
    span,
    ...(extra.related ? { related: extra.related } : {}),
    ...(extra.data ? { data: extra.data } : {}),
  };
}

export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  return a.span.start - b.span.start || a.span.end - b.span.end || String(a.code).localeCompare(String(b.code)) || a.message.localeCompare(b.message);
}

/** Rule severities as a team sets them: a severity, or `off`. */
export type SeverityOverrides = Readonly<Record<string, Severity | 'off'>>;

export function applySeverities(diagnostics: readonly Diagnostic[], overrides: SeverityOverrides | undefined): Diagnostic[] {
  if (!overrides || !Object.keys(overrides).length) return [...diagnostics];
  const out: Diagnostic[] = [];
  for (const d of diagnostics) {
    const o = overrides[String(d.code)];
    if (o === 'off') continue;
    out.push(o ? { ...d, severity: o } : d);
  }
  return out;
}
