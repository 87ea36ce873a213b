/** Document links: a reference to a document ID (BRIEF-, PRD-, OKR-) opens that document. */
import type { Analysis } from '../analysis.js';
import type { Span } from '../text/lineIndex.js';
import type { FeatureContext } from './context.js';

export interface DocumentLink {
  readonly span: Span;
  readonly target: string;
  readonly tooltip: string;
}

export function provideDocumentLinks(ctx: FeatureContext, a: Analysis): DocumentLink[] {
  const out: DocumentLink[] = [];
  for (const r of a.model.references) {
    if (r.kind !== 'BRIEF' && r.kind !== 'PRD' && r.kind !== 'OKR') continue;
    const d = ctx.index.definition(r.id);
    if (!d || d.uri === a.uri) continue;
    const target = ctx.index.get(d.uri);
    const line = target ? target.lines.humanPosition(d.span.start).line : 1;
    out.push({ span: r.span, target: `${d.uri}#L${line}`, tooltip: `Open ${r.id}${target?.model.title ? ` — ${target.model.title.text}` : ''}` });
  }
  return out;
}
