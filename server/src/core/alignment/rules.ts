/**
 * The alignment rules of the spec ("Check roadmap alignment"), each with a stable code, a message
 * a product manager understands, and the location of the thing to change.
 */
import { diag, type Diagnostic } from '../diagnostics.js';
import type { WorkspaceIndex } from '../index/workspaceIndex.js';
import type { Span } from '../text/lineIndex.js';
import { servedKeyResults, type Feature, type Strategy } from './strategy.js';

export interface Finding {
  readonly uri: string;
  readonly diagnostic: Diagnostic;
}

function releaseSpan(index: WorkspaceIndex, f: Feature): Span {
  const own = f.values.get('release');
  if (own) return own.valueSpan;
  if (f.releaseFromPrd) {
    const field = index.get(f.uri)?.model.frontMatter?.fields.find((x) => x.key === 'release');
    if (field) return field.valueSpan;
  }
  return f.entity.idSpan;
}

function kpiSpan(f: Feature): Span {
  return f.values.get('kpi')?.valueSpan ?? f.entity.idSpan;
}

/** The findings of the documents in `only` (every document when absent). */
export function alignmentFindings(s: Strategy, index: WorkspaceIndex, only?: ReadonlySet<string>): Finding[] {
  const wanted = (uri: string) => !only || only.has(uri);
  const out: Finding[] = [];
  const push = (uri: string, d: Diagnostic) => out.push({ uri, diagnostic: d });
  const currentOkrs = [...s.okrs.values()].filter((o) => o.current);
  const currentNames = currentOkrs.length ? currentOkrs.map((o) => o.id).join(', ') : `none as of ${s.asOf}`;

  const featureList = only ? [...only].flatMap((u) => s.byUri.get(u)?.features ?? []) : [...s.features.values()];
  const krList = only ? [...only].flatMap((u) => s.byUri.get(u)?.keyResults ?? []) : [...s.keyResults.values()];
  for (const f of featureList) {
    if (!f.planned || !wanted(f.uri)) continue;
    const must = f.priority === 'must';
    // 1. Moves no KPI.
    if (!f.kpis.length) {
      push(
        f.uri,
        must
          ? diag('must-feature-unaligned', f.entity.idSpan, `${f.id} is a must-have that moves no KPI: add \`kpi:\` with the KPI it should move.`, { data: { feature: f.id, reason: 'no-kpi' } })
          : diag('feature-without-kpi', f.entity.idSpan, `${f.id} moves no KPI: add \`kpi:\` with the KPI it should move, or make it \`priority: wont\`.`, { data: { feature: f.id } }),
      );
      continue;
    }
    // 2. Moves KPIs no current key result measures.
    const served = servedKeyResults(s, f);
    if (!served.length) {
      const kpis = f.kpis.map((k) => k.id).join(', ');
      const msg = `no key result of a current OKR (${currentNames}) measures ${kpis}`;
      push(
        f.uri,
        must
          ? diag('must-feature-unaligned', kpiSpan(f), `${f.id} is a must-have, but ${msg}.`, { data: { feature: f.id, reason: 'not-aligned' } })
          : diag('feature-not-aligned', kpiSpan(f), `${f.id} is planned, but ${msg}.`, { data: { feature: f.id } }),
      );
    }
    // 3. Released after the period of a key result it serves (any OKR that is not closed).
    if (f.releasePeriod) {
      const releaseEnd = f.releasePeriod.end;
      const late = servedKeyResults(s, f, false).filter((kr) => kr.okr?.period && kr.okr.status !== 'closed' && releaseEnd > kr.okr.period.end);
      for (const kr of late) {
        push(
          f.uri,
          diag('feature-after-kr-period', releaseSpan(index, f), `${f.id} ships ${f.release}${f.releaseFromPrd ? ' (its PRD’s release)' : ''}, after ${kr.id}’s period ends on ${kr.okr!.period!.end}.`, {
            data: { feature: f.id, keyResult: kr.id, periodEnd: kr.okr!.period!.end },
          }),
        );
      }
    }
    // 4. Depends on a feature released later, or dropped.
    for (const dep of f.dependsOn) {
      const d = s.features.get(dep.id);
      if (!d) continue;
      if (d.status === 'dropped') {
        push(f.uri, diag('dependency-order', dep.span, `${f.id} depends on ${d.id}, which was dropped.`, { data: { feature: f.id, dependency: d.id } }));
      } else if (d.status !== 'shipped' && d.releasePeriod && f.releasePeriod && d.releasePeriod.end > f.releasePeriod.end) {
        push(f.uri, diag('dependency-order', dep.span, `${f.id} (${f.release}) depends on ${d.id}, which ships later (${d.release}).`, { data: { feature: f.id, dependency: d.id } }));
      }
    }
  }

  // 5. Key results of current OKRs that no planned feature backs.
  for (const kr of krList) {
    if (!kr.okr?.current || !kr.kpi || !wanted(kr.uri)) continue;
    if ((s.plannedByKpi.get(kr.kpi) ?? []).length) continue;
    push(kr.uri, diag('kr-not-covered', kr.entity.idSpan, `No planned feature moves ${kr.kpi}, the KPI of ${kr.id}: plan work for it or revisit the key result.`, { data: { keyResult: kr.id, kpi: kr.kpi } }));
  }

  // 6. Planned work that points to archived documents or closed OKRs.
  const plannedUris = new Set(featureList.filter((f) => f.planned).map((f) => f.uri));
  for (const uri of plannedUris) {
    const a = index.get(uri);
    if (!a) continue;
    for (const r of a.model.references) {
      if (r.kind !== 'BRIEF' && r.kind !== 'PRD' && r.kind !== 'OKR') continue;
      const doc = s.docs.get(r.id);
      if (!doc || doc.uri === uri) continue;
      const stale = doc.status === 'archived' ? 'archived' : doc.type === 'okr' && doc.status === 'closed' ? 'closed' : undefined;
      if (stale) push(uri, diag('stale-reference', r.span, `Planned work here refers to ${r.id}, which is ${stale}.`, { data: { id: r.id } }));
    }
  }
  return out;
}
