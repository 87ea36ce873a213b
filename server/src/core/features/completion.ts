/**
 * Completion: front matter keys and values, entity property keys and values (from the schemas,
 * with their descriptions), IDs where an ID is expected (filtered by kind, with a detail line),
 * section headings the document still lacks, and the next free ID for a new entity.
 */
import type { Analysis } from '../analysis.js';
import { ID_KINDS, KIND_NAMES, type EntityKind, type IdKind } from '../ids.js';
import { normalizeKey } from '../model/properties.js';
import type { DocType } from '../model/types.js';
import { strategyOf } from '../alignment/strategy.js';
import { str } from '../schema/entityValues.js';
import type { JsonSchema } from '../schema/registry.js';
import { canonicalKey } from '../schema/validate.js';
import { span, type Span } from '../text/lineIndex.js';
import type { FeatureContext } from './context.js';
import { entityAt } from './locate.js';
import { slug } from './templates.js';

export type CompletionKind = 'key' | 'value' | 'id' | 'section' | 'entity';

export interface Completion {
  readonly label: string;
  readonly kind: CompletionKind;
  readonly detail?: string;
  /** Markdown. */
  readonly documentation?: string;
  readonly insertText: string;
  /** Snippet syntax in insertText. */
  readonly snippet?: boolean;
  /** The text the completion replaces. */
  readonly replace: Span;
  readonly sortText?: string;
  /** Re-trigger completion after inserting (a key, then its values). */
  readonly retrigger?: boolean;
}

function lineAt(a: Analysis, offset: number): { start: number; before: string } {
  const p = a.lines.positionAt(offset);
  const start = a.lines.lineStart(p.line);
  return { start, before: a.text.slice(start, offset) };
}

export function provideCompletion(ctx: FeatureContext, a: Analysis, offset: number): Completion[] {
  const { start, before } = lineAt(a, offset);
  const type = a.model.type;
  const fm = a.model.frontMatter;
  // Inside the front matter (between the fences).
  if (fm && offset > fm.openSpan.end && offset < fm.span.end - 3 && type) return frontMatterCompletions(ctx, a, type, start, before, offset);

  // A heading: missing sections, or a new entity with the next free ID.
  const h = /^(#{1,6})[ \t]+(.*)$/.exec(before);
  if (h) return headingCompletions(ctx, a, type, h[1]!.length, start + h[1]!.length + (before.length - h[1]!.length - h[2]!.length), offset, h[2]!);

  // A property line of an entity.
  const ent = entityAt(a, offset);
  const bullet = /^(\s*[-*+][ \t]+(?:\[[ xX]\][ \t]+)?)(\*\*|__)?([A-Za-z][\w \-]*)?$/.exec(before);
  if (ent && type && bullet && !bullet[3]?.includes(':')) {
    const owner = ctx.registry.entitySchema(type, ent.kind);
    if (owner) {
      const have = new Set(ent.properties.map((p) => canonicalKey(p.key, owner.schema)));
      const keyStart = start + bullet[1]!.length + (bullet[2]?.length ?? 0);
      const props = (owner.schema.properties ?? {}) as Record<string, unknown>;
      return Object.keys(props)
        .filter((k) => k !== 'id' && k !== 'key_results' && k !== 'title' && k !== 'description' && !have.has(k))
        .map((k, i) => {
          const ps = ctx.registry.propertySchema(owner, k) ?? {};
          const required = Array.isArray(owner.schema.required) && (owner.schema.required as string[]).includes(k);
          return {
            label: k,
            kind: 'key' as const,
            detail: `${KIND_NAMES[ent.kind]} property${required ? ' (required)' : ''}`,
            ...(typeof ps.description === 'string' ? { documentation: ps.description } : {}),
            insertText: bullet[2] ? `${k}${bullet[2]}: ` : `${k}: `,
            replace: span(keyStart, offset),
            sortText: `${required ? '0' : '1'}${String(i).padStart(3, '0')}`,
            retrigger: true,
          };
        });
    }
  }
  const prop = /^(\s*[-*+][ \t]+(?:\[[ xX]\][ \t]+)?)(?:\*\*|__|\*|_)?([A-Za-z][\w \-]*?)(?:\*\*|__|\*|_)?[ \t]*:(?:\*\*|__)?[ \t]*(.*)$/.exec(before);
  if (ent && type && prop) {
    const owner = ctx.registry.entitySchema(type, ent.kind);
    if (owner) {
      const key = canonicalKey(normalizeKey(prop[2]!), owner.schema);
      const ps = ctx.registry.propertySchema(owner, key);
      const is = ps ? ctx.registry.itemsSchema(ps, owner.base) : undefined;
      const valueText = prop[3]!;
      const isList = ps?.type === 'array';
      const itemStart = isList ? valueText.lastIndexOf(',') + 1 : 0;
      let from = offset - valueText.length + itemStart;
      while (from < offset && /\s/.test(a.text[from]!)) from++;
      return valueCompletions(ctx, isList ? is : ps, span(from, offset), a.text.slice(from, offset), listSoFar(valueText, isList));
    }
  }
  // Anywhere else: an ID being typed (`KPI-che`), including in plain Markdown.
  const word = /(?:^|[^A-Za-z0-9_\-])((?:BRIEF|PRD|OKR|KPI|FEAT|OBJ|KR|PERSONA)-[A-Za-z0-9_.\-]*)$/.exec(before);
  if (word) {
    const kind = word[1]!.split('-')[0] as IdKind;
    return idCompletions(ctx, kind, span(offset - word[1]!.length, offset), [], word[1]!);
  }
  return [];
}

function listSoFar(valueText: string, isList: boolean): string[] {
  if (!isList) return [];
  return valueText
    .split(',')
    .slice(0, -1)
    .map((s) => s.trim().replace(/`/g, ''))
    .filter(Boolean);
}

function valueCompletions(ctx: FeatureContext, schema: JsonSchema | undefined, replace: Span, typed: string, exclude: string[]): Completion[] {
  if (!schema) return [];
  const ref = schema['x-northstar-ref'];
  if (typeof ref === 'string' && (ID_KINDS as readonly string[]).includes(ref)) return idCompletions(ctx, ref as IdKind, replace, exclude, typed);
  const values = Array.isArray(schema.enum) ? schema.enum : 'const' in schema ? [schema.const] : [];
  return values.map((v, i) => ({
    label: String(v),
    kind: 'value' as const,
    ...(typeof schema.description === 'string' ? { documentation: schema.description } : {}),
    insertText: String(v),
    replace,
    sortText: String(i).padStart(3, '0'),
  }));
}

/** At most this many IDs are offered at once; the list is marked incomplete so typing asks again. */
export const MAX_ID_COMPLETIONS = 200;

/**
 * Whether VS Code should ask again as the user types (read by the adapter): a list cut at
 * MAX_ID_COMPLETIONS, or a new entity whose ID follows the title. Value lists are complete, so
 * VS Code filters Northstar's values itself.
 */
export function isIncomplete(items: readonly Completion[]): boolean {
  // A new entity's ID is made from the title being typed: ask again as it grows.
  if (items.some((i) => i.kind === 'entity')) return true;
  return items.length >= MAX_ID_COMPLETIONS && items.every((i) => i.kind === 'id');
}

export function idCompletions(ctx: FeatureContext, kind: IdKind, replace: Span, exclude: readonly string[], typed = ''): Completion[] {
  const s = strategyOf(ctx.index, ctx.registry, ctx.asOf);
  // Filter by what is typed (case-insensitively, anywhere after the prefix) before building details.
  const want = typed.toLowerCase().replace(/^[a-z]+-/, '');
  return ctx.index
    .definedIds(kind)
    .filter((id) => !exclude.includes(id) && (!want || id.toLowerCase().includes(want)))
    .slice(0, MAX_ID_COMPLETIONS)
    .map((id) => {
      const def = ctx.index.definition(id)!;
      let detail = def.entity?.title ?? s.docs.get(id)?.title ?? KIND_NAMES[kind];
      let documentation: string | undefined;
      const kpi = s.kpis.get(id);
      if (kpi) {
        const v = kpi.values;
        const cat = str(v.get('category'));
        const target = v.get('target')?.raw;
        const baseline = v.get('baseline')?.raw;
        detail = [kpi.title, cat, target ? `target ${target}` : undefined].filter(Boolean).join(' · ');
        documentation = [str(v.get('definition')), baseline || target ? `${baseline ?? '?'} → ${target ?? '?'}` : undefined].filter(Boolean).join('\n\n') || undefined;
      }
      const f = s.features.get(id);
      if (f) detail = [f.entity.title, f.priority, f.status].filter(Boolean).join(' · ');
      const kr = s.keyResults.get(id);
      if (kr) detail = [kr.entity.title, kr.kpi].filter(Boolean).join(' · ');
      return { label: id, kind: 'id' as const, detail, ...(documentation ? { documentation } : {}), insertText: id, replace };
    });
}

function frontMatterCompletions(ctx: FeatureContext, a: Analysis, type: DocType, lineStart: number, before: string, offset: number): Completion[] {
  const props = ctx.registry.frontMatterProperties(type);
  const required = new Set(ctx.registry.frontMatterRequired(type));
  const keyOnly = /^([A-Za-z_][\w-]*)?$/.exec(before);
  if (keyOnly) {
    const have = new Set(a.model.frontMatter?.fields.map((f) => f.key));
    return Object.entries(props)
      .filter(([k]) => !have.has(k))
      .map(([k, s], i) => ({
        label: k,
        kind: 'key' as const,
        detail: required.has(k) ? 'required' : 'optional',
        ...(typeof s.description === 'string' ? { documentation: s.description } : {}),
        insertText: `${k}: `,
        replace: span(lineStart, offset),
        sortText: `${required.has(k) ? '0' : '1'}${String(i).padStart(3, '0')}`,
        retrigger: true,
      }));
  }
  const kv = /^([A-Za-z_][\w-]*)[ \t]*:[ \t]*(\[?)(.*)$/.exec(before);
  if (!kv) return [];
  const schema = props[kv[1]!];
  if (!schema) return [];
  const fmOwner = ctx.registry.at(type, ['frontMatter']);
  const isList = schema.type === 'array';
  const items = isList && fmOwner ? ctx.registry.itemsSchema(schema, fmOwner.base) : undefined;
  const rest = kv[3]!;
  const itemStart = isList ? rest.lastIndexOf(',') + 1 : 0;
  let from = offset - rest.length + itemStart;
  while (from < offset && /\s/.test(a.text[from]!)) from++;
  const list = valueCompletions(ctx, isList ? items : schema, span(from, offset), a.text.slice(from, offset), listSoFar(rest, isList));
  if (!list.length && (schema.pattern || (schema as { $ref?: unknown }).$ref || kv[1] === 'release' || kv[1] === 'period')) {
    const ex = kv[1] === 'period' || kv[1] === 'release' ? periodsAround(ctx.asOf) : [];
    return ex.map((p, i) => ({ label: p, kind: 'value' as const, detail: 'period', insertText: p, replace: span(from, offset), sortText: String(i).padStart(3, '0') }));
  }
  return list;
}

/** This quarter and the next three, this half and the year. */
export function periodsAround(asOf: string): string[] {
  const y = Number(asOf.slice(0, 4));
  const q = Math.floor((Number(asOf.slice(5, 7)) - 1) / 3) + 1;
  const out: string[] = [];
  for (let i = 0; i < 4; i++) {
    const qq = ((q - 1 + i) % 4) + 1;
    const yy = y + Math.floor((q - 1 + i) / 4);
    out.push(`${yy}-Q${qq}`);
  }
  out.push(`${y}-H${q <= 2 ? 1 : 2}`, String(y));
  return out;
}

const SECTION_KIND: Record<string, EntityKind> = { features: 'FEAT', success_metrics: 'KPI', target_customers: 'PERSONA', personas: 'PERSONA' };

function headingCompletions(ctx: FeatureContext, a: Analysis, type: DocType | undefined, depth: number, textStart: number, offset: number, typed: string): Completion[] {
  const out: Completion[] = [];
  const replace = span(textStart, offset);
  if (!type) return out;
  if (depth === 2) {
    const have = new Set(a.model.sections.flatMap((s) => ctx.registry.resolveSection(type, s.normalized)));
    ctx.registry.sections(type).forEach((s, i) => {
      if (have.has(s.key)) return;
      out.push({ label: s.title, kind: 'section', detail: s.required ? 'required section' : 'optional section', ...(s.description ? { documentation: s.description } : {}), insertText: s.title, replace, sortText: `${s.required ? '0' : '1'}${String(i).padStart(3, '0')}` });
    });
  }
  // A new entity: which kind depends on where the heading is.
  const kinds: EntityKind[] = [];
  if (type === 'okr') kinds.push(depth <= 2 ? 'OBJ' : 'KR');
  else {
    const sec = [...a.model.sections].reverse().find((s) => s.span.start <= offset);
    for (const k of sec ? ctx.registry.resolveSection(type, sec.normalized) : []) {
      const kind = SECTION_KIND[k];
      if (kind && depth >= 3) kinds.push(kind);
    }
  }
  // What is typed after the hashes is the new entity's title (unless it is an ID already).
  const title = typed.trim() && !/^[A-Z]+-/.test(typed.trim()) ? typed.trim() : undefined;
  for (const kind of kinds) {
    const next = nextFreeId(ctx, kind, a, title);
    out.push({
      label: `${next.id}: ${title ?? '…'}`,
      kind: 'entity',
      detail: `new ${KIND_NAMES[kind]} (next free ID)`,
      insertText: next.snippet,
      snippet: true,
      replace,
      sortText: ' ',
    });
  }
  return out;
}

/** Text inserted as is in a snippet: `$`, `}` and `\` escaped. */
function snippetText(text: string): string {
  return text.replace(/[$}\\]/g, '\\$&');
}

/**
 * The next free ID of a kind, always a real ID: where IDs end in a number (FEAT-12,
 * KR-2026Q4.3), one more than the highest with the most common stem; otherwise made from the
 * title when one is typed (FEAT-saved-cards, FEAT-saved-cards-2); otherwise numbered (FEAT-1).
 * The snippet is the heading text: the ID, then the title (or a placeholder to type it).
 */
export function nextFreeId(ctx: FeatureContext, kind: EntityKind, a: Analysis, title?: string): { id: string; snippet: string } {
  const rest = (id: string) => `${id}: ${title ? snippetText(title) : '${1:Title}'}`;
  const free = (id: string) => !ctx.index.definitions(id).length;
  const ids = ctx.index.definedIds(kind);
  const taken = new Set(ids);
  let stem: string | undefined;
  if (kind === 'KR') {
    const period = a.model.frontMatter?.fields.find((f) => f.key === 'period')?.value;
    if (typeof period === 'string') stem = `KR-${period.replace(/-/g, '')}.`;
  }
  const stems = new Map<string, number>();
  for (const id of ids) {
    const m = /^(.*?)(\d+)$/.exec(id);
    if (m) stems.set(m[1]!, Math.max(stems.get(m[1]!) ?? 0, Number(m[2])));
  }
  if (!stem) {
    let best: [string, number] | undefined;
    const counts = new Map<string, number>();
    for (const id of ids) {
      const m = /^(.*?)(\d+)$/.exec(id);
      if (m) counts.set(m[1]!, (counts.get(m[1]!) ?? 0) + 1);
    }
    for (const [s, c] of counts) if (!best || c > best[1]) best = [s, c];
    stem = best?.[0];
  }
  if (stem) {
    let n = (stems.get(stem) ?? 0) + 1;
    while (taken.has(`${stem}${n}`) || !free(`${stem}${n}`)) n++;
    const id = `${stem}${n}`;
    return { id, snippet: rest(id) };
  }
  if (title) {
    const base = `${kind}-${slug(title)}`;
    let id = base;
    for (let n = 2; taken.has(id) || !free(id); n++) id = `${base}-${n}`;
    return { id, snippet: rest(id) };
  }
  let n = 1;
  while (taken.has(`${kind}-${n}`) || !free(`${kind}-${n}`)) n++;
  return { id: `${kind}-${n}`, snippet: rest(`${kind}-${n}`) };
}
