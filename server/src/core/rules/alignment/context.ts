/** What the alignment rules see: the strategy, the index, the work of the documents checked, the verdicts. */
import type { Diagnostic } from '../../diagnostics.js';
import type { WorkspaceIndex } from '../../index/workspaceIndex.js';
import type { Span } from '../../text/lineIndex.js';
import type { Feature, KeyResult, Strategy } from '../../alignment/strategy.js';
import type { Verdict } from '../../alignment/verdict.js';

export interface Finding {
  readonly uri: string;
  readonly diagnostic: Diagnostic;
}

export interface AlignmentContext {
  readonly strategy: Strategy;
  readonly index: WorkspaceIndex;
  /** The planned features of the documents checked, in document order. */
  readonly planned: readonly Feature[];
  /** Every feature of the documents checked (planned, shipped or dropped), in document order. */
  readonly features: readonly Feature[];
  /** The key results of the documents checked. */
  readonly keyResults: readonly KeyResult[];
  /** The one verdict on a feature (see alignment/verdict.ts). */
  verdict(f: Feature): Verdict;
  /** "OKR-a, OKR-b", or "none as of <date>": the current OKR documents, for messages. */
  readonly currentNames: string;
}

/** Where a feature's release is written: its own `release`, its PRD's, or its ID. */
export function releaseSpan(index: WorkspaceIndex, f: Feature): Span {
  const own = f.values.get('release');
  if (own) return own.valueSpan;
  if (f.releaseFromPrd) {
    const field = index.get(f.uri)?.model.frontMatter?.fields.find((x) => x.key === 'release');
    if (field) return field.valueSpan;
  }
  return f.entity.idSpan;
}

/** Where a feature's KPIs are written, or its ID. */
export function kpiSpan(f: Feature): Span {
  return f.values.get('kpi')?.valueSpan ?? f.entity.idSpan;
}
