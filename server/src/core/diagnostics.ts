/** Diagnostics of the core: offsets, a stable code, a severity, a message, a docs link. */
import type { Span } from './text/lineIndex.js';

export type Severity = 'error' | 'warning' | 'information' | 'hint';

export const DOCS_BASE = 'https://github.com/northstar-pm/northstar/blob/main/docs/RULES.md';

/** Every code the core can report, with its default severity and one line of what it means. */
export const RULES = {
  'yaml-syntax': { severity: 'error', summary: 'The YAML front matter does not parse.' },
  'frontmatter-unclosed': { severity: 'error', summary: 'The front matter opens with `---` and never closes.' },
  'frontmatter-unsupported': { severity: 'error', summary: 'Front matter in a language other than YAML (`---js`, `+++` TOML) is never evaluated.' },
  'frontmatter-not-mapping': { severity: 'error', summary: 'The front matter is a scalar or a list, not `key: value` pairs.' },
  'unknown-type': { severity: 'warning', summary: 'The front matter `type` is close to, but not, brief, prd or okr.' },
  'missing-field': { severity: 'error', summary: 'A required front matter field is missing.' },
  'missing-section': { severity: 'error', summary: 'A section the document type requires is missing.' },
  'missing-property': { severity: 'error', summary: 'An entity lacks a required property.' },
  'unknown-key': { severity: 'warning', summary: 'A front matter key or entity property the schema does not know.' },
  'invalid-value': { severity: 'error', summary: 'A value the schema does not allow (wrong enum value, type, format or range).' },
  'invalid-id': { severity: 'error', summary: 'An ID of the wrong form or the wrong kind for where it is defined.' },
  'misplaced-entity': { severity: 'warning', summary: 'An entity defined outside the section (or objective) it belongs in.' },
  'rice-mismatch': { severity: 'warning', summary: 'A written RICE score more than 5% away from reach × impact × confidence / effort.' },
  'due-outside-period': { severity: 'warning', summary: "A key result's due date falls outside its OKR document's period." },
  'schema-violation': { severity: 'error', summary: 'Any other schema rule the document breaks.' },
  'duplicate-id': { severity: 'error', summary: 'The same ID is defined more than once in the workspace.' },
  'unresolved-reference': { severity: 'error', summary: 'A reference to an ID defined nowhere in the workspace.' },
  'wrong-reference-kind': { severity: 'error', summary: 'A reference of the wrong kind (a FEAT where a KPI is expected).' },
  'feature-without-kpi': { severity: 'warning', summary: 'A planned feature that moves no KPI.' },
  'feature-not-aligned': { severity: 'warning', summary: 'A planned feature whose KPIs no key result of a current OKR measures.' },
  'must-feature-unaligned': { severity: 'error', summary: 'A must-have feature that moves no KPI, or none a current key result measures.' },
  'kr-not-covered': { severity: 'warning', summary: 'A key result of a current OKR whose KPI no planned feature moves.' },
  'feature-after-kr-period': { severity: 'warning', summary: "A feature released after the end of the period of a key result it serves." },
  'dependency-order': { severity: 'warning', summary: 'A feature that depends on one released later, or dropped.' },
  'stale-reference': { severity: 'warning', summary: 'Planned work that refers to an archived document or a closed OKR.' },
  'workspace-schema': { severity: 'warning', summary: 'A workspace schema (northstar.schemas) cannot be used; the bundled schema is used instead.' },
  'parse-failed': { severity: 'error', summary: 'The Markdown could not be parsed (or parsing was stopped by the watchdog); only the front matter was read.' },
  'document-too-large': { severity: 'warning', summary: 'The document is too large to analyse in full; results are capped.' },
} as const satisfies Record<string, { severity: Severity; summary: string }>;

export type RuleCode = keyof typeof RULES;

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
