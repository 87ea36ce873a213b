/**
 * Hover: on a feature, its KPIs, the key results that measure them with progress, and a verdict;
 * on a KPI, its definition and who uses it; on a key result or objective, progress; on a front
 * matter key or value, its schema description. Markdown only, document text always escaped.
 */
import type { Analysis } from '../analysis.js';
import { KIND_NAMES } from '../ids.js';
import { directionOf, percent, personMonths, strategyOf, unitOf, withUnit, type Feature, type KeyResult, type Strategy } from '../alignment/strategy.js';
import { verdictLine } from '../alignment/verdict.js';
import { frontMatterValues, readingNote, str, writtenDirection } from '../schema/entityValues.js';
import type { JsonSchema } from '../schema/registry.js';
import { canonicalKey } from '../schema/validate.js';
import { readingNotes, readScalar, type PriorityScale } from '../schema/coerce.js';
import type { Span } from '../text/lineIndex.js';
import { escapeMarkdown as esc, linkTo, type FeatureContext } from './context.js';
import { locate } from './locate.js';
import { formatMetric, metricsOf, sparkline } from '../metrics/store.js';
import type { MetricPoint } from '../metrics/snapshot.js';

export interface HoverResult {
  readonly markdown: string;
  readonly span: Span;
}

export function provideHover(ctx: FeatureContext, a: Analysis, offset: number): HoverResult | undefined {
  const body = bodyFieldHover(ctx, a, offset);
  if (body) return body;
  const t = locate(a, offset);
  if (!t) return undefined;
  if (t.kind === 'id') {
    const md = hoverId(ctx, t.id);
    return md ? { markdown: md, span: t.span } : undefined;
  }
  const type = a.model.type;
  if (!type) return undefined;
  if (t.kind === 'frontMatterKey' || t.kind === 'frontMatterValue') {
    const schema = ctx.registry.frontMatterProperties(type)[t.key];
    if (!schema) return undefined;
    const md = t.kind === 'frontMatterKey' ? describeKey(t.key, schema) : describeValue(t.key, schema, t.value);
    return { markdown: md, span: t.span };
  }
  const owner = ctx.registry.entitySchema(type, t.entity.kind);
  if (!owner) return undefined;
  const key = canonicalKey(t.key, owner.schema);
  const schema = ctx.registry.propertySchema(owner, key);
  if (!schema) return undefined;
  if (t.kind === 'propertyKey') return { markdown: describeKey(key, schema), span: t.span };
  return { markdown: describeValue(key, schema, t.raw, a.model.priorityScale), span: t.span };
}

/** On a document field the body writes (`**Status**: ✅ Implemented`, the H1 as title): the field as the schema reads it. */
function bodyFieldHover(ctx: FeatureContext, a: Analysis, offset: number): HoverResult | undefined {
  const type = a.model.type;
  const f = type ? a.model.bodyFields?.find((x) => x.key !== 'id' && ((offset >= x.keySpan.start && offset < x.keySpan.end) || (offset >= x.valueSpan.start && offset <= x.valueSpan.end))) : undefined;
  if (!f || !type) return undefined;
  const v = frontMatterValues(a.model, type, ctx.registry).get(f.key);
  const schema = ctx.registry.frontMatterProperties(type)[f.key];
  if (!v?.fromBody || !schema) return undefined;
  const value = v.read.kind === 'not-set' ? 'not set' : v.read.kind === 'unread' ? f.value : String(v.value ?? f.value);
  const lines = [`**${esc(f.key)}**: \`${esc(value)}\``];
  if (value !== f.value.trim()) lines.push(`Written \`${esc(f.value.trim())}\`, read as \`${esc(value)}\`.`);
  const note = readingNote(v);
  if (note) lines.push(esc(note));
  if (typeof schema.description === 'string') lines.push(esc(schema.description));
  if (Array.isArray(schema.enum)) lines.push(`Allowed: ${schema.enum.map((x) => (x === v.value ? `**\`${String(x)}\`**` : `\`${String(x)}\``)).join(', ')}`);
  lines.push(`The document's ${esc(f.key)}, read from its text (no front matter \`${esc(f.key)}\`).`);
  if (v.read.kind === 'unread') lines.push(`\`${esc(f.value)}\` is none of the allowed values: kept as a note, not checked.`);
  return { markdown: lines.join('\n\n'), span: f.valueSpan };
}

function describeKey(key: string, schema: JsonSchema): string {
  const parts = [`**${esc(key)}**`];
  if (typeof schema.description === 'string') parts.push(esc(schema.description));
  const values = Array.isArray(schema.enum) ? schema.enum : undefined;
  if (values) parts.push(`Allowed: ${values.map((v) => `\`${String(v)}\``).join(', ')}`);
  if (Array.isArray(schema.examples)) parts.push(`Example: ${schema.examples.map((v) => `\`${String(v)}\``).join(', ')}`);
  return parts.join('\n\n');
}

function describeValue(key: string, schema: JsonSchema, raw: unknown, scale?: PriorityScale): string {
  // One reading (schema/coerce.ts): the value, and what it kept — not set, a bound, a change, a note.
  const c = readScalar(raw, schema, scale);
  const value = c.notSet ? 'not set' : c.value;
  const values = Array.isArray(schema.enum) ? schema.enum : undefined;
  const lines = [`**${esc(key)}**: \`${esc(String(value))}\`${key === 'effort' && typeof value === 'number' ? ` (${personMonths(value)})` : ''}`];
  if (typeof raw === 'string' && String(value) !== raw.trim()) lines.push(`Written \`${esc(raw.trim())}\`, read as \`${esc(String(value))}\`.`);
  lines.push(...readingNotes(c).map(esc));
  if (typeof schema.description === 'string') lines.push(esc(schema.description));
  if (values) lines.push(`Allowed: ${values.map((v) => (v === value ? `**\`${String(v)}\`**` : `\`${String(v)}\``)).join(', ')}`);
  return lines.join('\n\n');
}

/** A key result value as written, with its unit (`62%`, `72 h`), or undefined. */
function written(kr: KeyResult, key: string, unit: string | undefined): string | undefined {
  const raw = kr.values.get(key)?.raw;
  return raw === undefined || raw.trim() === '' ? undefined : withUnit(raw, unit);
}

/** Whether a title already states a value (`from 12% to 20%` states `12%` and `20%`). */
function states(title: string | undefined, raw: string | undefined): boolean {
  if (!title || !raw) return false;
  const v = raw.trim().replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(?<![\\d.])${v}(?![\\d])`).test(title);
}

/**
 * Where a key result stands: `72 h → 48 h, target 24 h, **50%** of the way` (up or down alike);
 * `now 14.5%, **31%** of the way` when its title already says from where to where.
 */
export function krProgress(s: Strategy, kr: KeyResult): string {
  const unit = unitOf(s, kr);
  const b = written(kr, 'baseline', unit);
  let c = written(kr, 'current', unit);
  const t = written(kr, 'target', unit);
  // A data point says where the number came from: `1,560 (Amplitude, 2026-05-01)`.
  const p = kr.dataPoint;
  const fromData = p ? `${withUnit(formatMetric(p.value, p.percent), unit)} (${[p.source, p.date].filter(Boolean).join(', ')})` : undefined;
  if (kr.currentFrom === 'data' && fromData) c = fromData;
  else if (kr.currentFrom === 'written' && c && fromData) c = `${c} (written; data ${fromData})`;
  const way = kr.progress === undefined ? undefined : `**${percent(kr.progress)}** of the way`;
  if (t === undefined) return [c ? `now ${esc(c)}` : b ? `from ${esc(b)}` : undefined, 'no target'].filter(Boolean).join(', ');
  const title = kr.entity.title;
  const baselineRaw = kr.values.get('baseline')?.raw;
  const said = (baselineRaw === undefined || states(title, baselineRaw)) && states(title, kr.values.get('target')?.raw);
  if (c === undefined) return said ? 'no current value yet' : `${b ? `from ${esc(b)}, ` : ''}target ${esc(t)}, no current value yet`;
  if (said) return [`now ${esc(c)}`, way].filter(Boolean).join(', ');
  return [`${b ? `${esc(b)} → ` : ''}${esc(c)}`, `target ${esc(t)}`, way].filter(Boolean).join(', ');
}

/** A key result in a list: ID, title, progress, and (unless the list is the objective's) its objective and OKR. */
function krLine(ctx: FeatureContext, s: Strategy, kr: KeyResult, withWhere = true): string {
  const obj = kr.objective ? s.objectives.get(kr.objective) : undefined;
  const title = kr.entity.title ? ` ${esc(kr.entity.title)}` : '';
  const where = withWhere
    ? [obj ? `${linkTo(ctx.index, obj.id, { uri: obj.uri, span: obj.entity.idSpan })}${obj.entity.title ? ` (${esc(obj.entity.title)})` : ''}` : undefined, kr.okr ? `${esc(kr.okr.id)}${kr.okr.current ? '' : ' — not current'}` : undefined].filter(Boolean).join(' · ')
    : '';
  return `${linkTo(ctx.index, kr.id, { uri: kr.uri, span: kr.entity.idSpan })}${title} — ${krProgress(s, kr)}${where ? ` · ${where}` : ''}`;
}

export function hoverId(ctx: FeatureContext, id: string): string | undefined {
  const s = strategyOf(ctx.index, ctx.registry, ctx.asOf);
  const def = ctx.index.definition(id);
  if (!def) {
    const kind = KIND_NAMES[id.split('-')[0] as keyof typeof KIND_NAMES];
    return `**${esc(id)}** — not defined anywhere in the workspace${kind ? ` (no ${kind} has this ID)` : ''}.`;
  }
  const heading = (title?: string) => `**${linkTo(ctx.index, id, def)}**${title ? ` — ${esc(title)}` : ''}`;
  const refsCount = ctx.index.references(id).length;
  const f = s.features.get(id);
  if (f) return hoverFeature(ctx, s, f, heading);
  const kpi = s.kpis.get(id);
  if (kpi) {
    const v = kpi.values;
    const lines = [heading(kpi.title)];
    const dir = str(v.get('direction')) ?? writtenDirection(v.get('target'));
    const meta = [str(v.get('category')), dir === 'up' ? 'higher is better' : dir === 'down' ? 'lower is better' : undefined, str(v.get('owner')) ? `owner ${str(v.get('owner'))}` : undefined].filter(Boolean);
    if (meta.length) lines.push(esc(meta.join(' · ')));
    const def2 = str(v.get('definition')) ?? kpi.entity.description;
    if (def2) lines.push(esc(def2));
    const unit = str(v.get('unit'));
    const baseline = v.get('baseline');
    const target = v.get('target');
    if (baseline || target) lines.push([baseline ? `Baseline ${esc(withUnit(baseline.raw, unit))}` : undefined, target ? `target ${esc(withUnit(target.raw, unit))}` : undefined].filter(Boolean).join(' → '));
    const moved = s.featuresByKpi.get(id) ?? [];
    lines.push(moved.length ? `**Moved by** ${moved.map((x) => `${linkTo(ctx.index, x.id, { uri: x.uri, span: x.entity.idSpan })}${x.planned ? '' : ` (${esc(x.status)})`}`).join(', ')}` : '**Moved by** no feature');
    const trend = trendLine(metricsOf(ctx.index).series(id).filter((p) => p.date <= ctx.asOf), unit);
    if (trend) lines.push(trend);
    const krs = s.keyResultsByKpi.get(id) ?? [];
    lines.push(krs.length ? `**Measured by**\n\n${krs.map((k) => `- ${krLine(ctx, s, k)}`).join('\n')}` : '**Measured by** no key result');
    return lines.join('\n\n');
  }
  const kr = s.keyResults.get(id);
  if (kr) {
    const obj = kr.objective ? s.objectives.get(kr.objective) : undefined;
    const where = [obj ? `${linkTo(ctx.index, obj.id, { uri: obj.uri, span: obj.entity.idSpan })}${obj.entity.title ? ` (${esc(obj.entity.title)})` : ''}` : undefined, kr.okr ? `${esc(kr.okr.id)}${kr.okr.current ? '' : ' — not current'}` : undefined].filter(Boolean);
    const lines = [heading(kr.entity.title), [krProgress(s, kr), ...where].join(' · ')];
    if (kr.kpi) {
      const trend = trendLine(metricsOf(ctx.index).series(kr.kpi, str(kr.values.get('segment'))).filter((p) => p.date <= ctx.asOf), unitOf(s, kr));
      if (trend) lines.push(trend);
    }
    if (kr.kpi) {
      const k = s.kpis.get(kr.kpi);
      const dir = directionOf(s, kr);
      lines.push(`KPI ${linkTo(ctx.index, kr.kpi, k ? { uri: k.uri, span: k.entity.idSpan } : { uri: '', span: def.span })}${k?.title ? ` — ${esc(k.title)}` : ''}${dir === 'down' ? ' · lower is better' : ''}`);
      const moved = s.plannedByKpi.get(kr.kpi) ?? [];
      lines.push(moved.length ? `**Backed by** ${moved.map((x) => linkTo(ctx.index, x.id, { uri: x.uri, span: x.entity.idSpan })).join(', ')}` : '⚠️ No planned feature moves this key result’s KPI.');
    }
    return lines.join('\n\n');
  }
  const obj = s.objectives.get(id);
  if (obj) {
    const lines = [heading(obj.entity.title), `Progress **${percent(obj.progress)}** across ${obj.keyResults.length} key result${obj.keyResults.length === 1 ? '' : 's'}${obj.okr ? ` · ${esc(obj.okr.id)}${obj.okr.periodText ? ` (${esc(obj.okr.periodText)})` : ''}` : ''}${obj.weight !== 1 ? ` · weight ${obj.weight}` : ''}`];
    for (const k of obj.keyResults) lines.push(`- ${krLine(ctx, s, k, false)}`);
    return lines.join('\n\n');
  }
  const doc = s.docs.get(id);
  if (doc) {
    const a = ctx.index.get(doc.uri);
    const stage = doc.stage ?? (doc.brief ? s.docs.get(doc.brief)?.stage : undefined);
    return [heading(doc.title), esc([doc.type === 'okr' ? 'OKR document' : doc.type === 'prd' ? 'PRD' : 'Product brief', doc.status, stage ? `stage ${stage}` : undefined, a && s.okrs.get(id)?.periodText].filter(Boolean).join(' · ')), `${refsCount} reference${refsCount === 1 ? '' : 's'} in the workspace`].join('\n\n');
  }
  const ent = def.entity;
  const lines = [heading(ent?.title), esc(KIND_NAMES[def.kind])];
  if (ent?.description) lines.push(esc(ent.description));
  lines.push(`${refsCount} reference${refsCount === 1 ? '' : 's'} in the workspace`);
  return lines.join('\n\n');
}

/** A KPI's trend from its data points: `Trend ▁▂▄▅▇ 38% → 41.2% (12 points, 2026-01-31 → 2026-11-30)`. */
function trendLine(points: readonly MetricPoint[], unit: string | undefined): string | undefined {
  if (!points.length) return undefined;
  const first = points[0]!;
  const last = points[points.length - 1]!;
  const v = (p: MetricPoint) => esc(withUnit(formatMetric(p.value, p.percent), unit));
  const sources = [...new Set(points.map((p) => p.source).filter((x): x is string => Boolean(x)))];
  return `**Trend** ${sparkline(points.map((p) => p.value))} ${points.length > 1 ? `${v(first)} → ` : ''}${v(last)} (${points.length} point${points.length === 1 ? '' : 's'}, ${points.length > 1 ? `${first.date} → ` : ''}${last.date}${sources.length ? `, ${esc(sources.slice(0, 3).join(', '))}` : ''})`;
}

function hoverFeature(ctx: FeatureContext, s: Strategy, f: Feature, heading: (t?: string) => string): string {
  // The verdict first: a hover taller than the editor allows is cut at the bottom.
  const lines = [heading(f.entity.title), esc(verdictLine(s, f))];
  const stage = f.prd?.brief ? s.docs.get(f.prd.brief)?.stage : undefined;
  const meta = [f.prd ? f.prd.id : undefined, stage ? `product at ${stage}` : undefined, f.priority, f.status, f.release ? `release ${f.release}${f.releaseFromPrd ? ' (the PRD’s)' : ''}` : undefined, f.effort !== undefined ? personMonths(f.effort) : undefined].filter(Boolean);
  lines.push(esc(meta.join(' · ')));
  if (!f.kpis.length) lines.push('**Moves** no KPI');
  for (const k of f.kpis) {
    const kpi = s.kpis.get(k.id);
    if (!kpi) {
      lines.push(`**Moves** ${esc(k.id)} — not defined anywhere`);
      continue;
    }
    const v = kpi.values;
    const cat = str(v.get('category'));
    const unit = str(v.get('unit'));
    const from = v.get('baseline')?.raw;
    const to = v.get('target')?.raw;
    const range = [from ? esc(withUnit(from, unit)) : undefined, to ? `target ${esc(withUnit(to, unit))}` : undefined].filter(Boolean).join(' → ');
    lines.push(`**Moves** ${linkTo(ctx.index, k.id, { uri: kpi.uri, span: kpi.entity.idSpan })}${kpi.title ? ` — ${esc(kpi.title)}` : ''}${cat ? ` (${esc(cat)})` : ''}${range ? `: ${range}` : ''}`);
    const krs = s.keyResultsByKpi.get(k.id) ?? [];
    for (const kr of krs) lines.push(`- ${krLine(ctx, s, kr)}`);
  }
  return lines.join('\n\n');
}
