/**
 * What Northstar writes for the user: default front matter values, section stubs, entity stubs,
 * new documents. Every template is valid against its schema as written.
 */
import type { Analysis } from '../analysis.js';
import type { DocType } from '../model/types.js';
import type { FeatureContext } from './context.js';
import { periodsAround } from './completion.js';

export function eolOf(text: string): string {
  return text.includes('\r\n') ? '\r\n' : '\n';
}

export function slug(text: string): string {
  const s = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/\.(brief|prd|okr)?\.?(md|markdown)$/, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  // At most 40 characters, cut between words (a single longer word is cut), not ending on a
  // small word ("…-improvements-for").
  const words: string[] = [];
  let length = 0;
  for (const w of s.split('-')) {
    if (!words.length) words.push(w.slice(0, 40));
    else if (length + 1 + w.length <= 40) words.push(w);
    else break;
    length = words.join('-').length;
  }
  while (words.length > 1 && SMALL_WORDS.has(words[words.length - 1]!)) words.pop();
  return words.join('-') || 'untitled';
}

const SMALL_WORDS = new Set(['a', 'an', 'and', 'as', 'at', 'by', 'for', 'from', 'in', 'into', 'of', 'on', 'or', 'the', 'to', 'with']);

const PREFIX: Record<DocType, string> = { brief: 'BRIEF', prd: 'PRD', okr: 'OKR' };

/** A free document ID from a title: PRD-saved-cards, PRD-saved-cards-2, … (the type's own word left out: "Search PRD" is PRD-search). */
export function freeDocId(ctx: FeatureContext, type: DocType, title: string): string {
  const bare = slug(title.replace(new RegExp(`(^|[^A-Za-z0-9])${PREFIX[type]}(?=$|[^A-Za-z0-9])`, 'gi'), '$1 '));
  const base = `${PREFIX[type]}-${bare === 'untitled' ? slug(title) : bare}`;
  let id = base;
  for (let n = 2; ctx.index.definitions(id).length; n++) id = `${base}-${n}`;
  return id;
}

/** A value to start a required front matter field with, valid against the schema. */
export function defaultFieldValue(ctx: FeatureContext, a: Analysis, type: DocType, key: string): string {
  const fileName = decodeURIComponent(a.uri.slice(a.uri.lastIndexOf('/') + 1));
  const title = a.model.title?.text ?? fileName.replace(/\.(brief|prd|okr)?\.?(md|markdown)$/i, '').replace(/[-_]+/g, ' ');
  switch (key) {
    case 'type':
      return type;
    case 'id':
      return freeDocId(ctx, type, title);
    case 'title':
      return yamlString(title || 'Untitled');
    case 'owner':
      return 'TBD';
    case 'status':
      return 'draft';
    case 'brief':
      return sensibleBrief(ctx, a, title) ?? 'BRIEF-TBD';
    case 'release':
    case 'period':
      return periodsAround(ctx.asOf)[key === 'release' ? 1 : 0]!;
    default: {
      const s = ctx.registry.frontMatterProperties(type)[key];
      const e = Array.isArray(s?.enum) ? s!.enum[0] : undefined;
      return e !== undefined ? String(e) : 'TBD';
    }
  }
}

/** Words that say nothing about which product a document is about. */
const GENERIC_WORDS = new Set(
  'the and for with from into our your this that product products prd prds brief briefs requirements requirement document doc docs spec specs specification draft new plan one pager onepager feature features version v1 v2 okr okrs md markdown readme'.split(' '),
);

function significantWords(text: string): Set<string> {
  const words = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length >= 3 && !GENERIC_WORDS.has(w) && !/^\d+$/.test(w));
  return new Set(words);
}

/**
 * The brief a plain PRD most likely belongs to, or undefined rather than an unrelated one: the
 * brief whose product, title or ID shares the most words with the PRD's title and file name (a
 * tie is no answer); else the only brief in the PRD's folder; else the workspace's only brief when
 * it sits in a folder above the PRD.
 */
export function sensibleBrief(ctx: FeatureContext, a: Analysis, title: string): string | undefined {
  const folderOf = (uri: string) => uri.slice(0, uri.lastIndexOf('/') + 1);
  const fileName = decodeURIComponent(a.uri.slice(a.uri.lastIndexOf('/') + 1)).replace(/\.(md|markdown)$/i, '');
  const mine = significantWords(`${title} ${fileName}`);
  const briefs = ctx.index
    .definedIds('BRIEF')
    .map((id) => ({ id, def: ctx.index.definition(id) }))
    .filter((b): b is { id: string; def: NonNullable<typeof b.def> } => b.def !== undefined && b.def.uri !== a.uri);
  let best: { id: string; score: number } | undefined;
  let tie = false;
  for (const b of briefs) {
    const doc = ctx.index.get(b.def.uri);
    const fm = doc?.model.frontMatter?.fields ?? [];
    const field = (k: string) => {
      const v = fm.find((f) => f.key === k)?.value;
      return typeof v === 'string' ? v : '';
    };
    const words = significantWords(`${b.id.replace(/^BRIEF-/, '')} ${field('product')} ${field('title')} ${doc?.model.title?.text ?? ''}`);
    let score = 0;
    for (const w of mine) if (words.has(w)) score++;
    if (!score) continue;
    if (!best || score > best.score) {
      best = { id: b.id, score };
      tie = false;
    } else if (score === best.score) tie = true;
  }
  if (best && !tie) return best.id;
  const here = folderOf(a.uri);
  const sameFolder = briefs.filter((b) => folderOf(b.def.uri) === here);
  if (sameFolder.length === 1) return sameFolder[0]!.id;
  if (!sameFolder.length && briefs.length === 1 && here.startsWith(folderOf(briefs[0]!.def.uri))) return briefs[0]!.id;
  return undefined;
}

export function yamlString(s: string): string {
  return /^[\w][\w .,'()&/-]*$/.test(s) && !/^(true|false|null|yes|no|on|off|~)$/i.test(s) && !/: /.test(s) ? s : JSON.stringify(s);
}

/** The one-line prompt under a new section's heading: the schema's description, as an italic line. */
export function sectionPrompt(description: string | undefined): string {
  return `_${(description ?? 'Write this section.').replace(/[_*]/g, '')}_`;
}

export interface NewDocumentRequest {
  readonly type: DocType;
  readonly title: string;
  readonly owner?: string;
  /** PRD: the brief it belongs to. */
  readonly brief?: string;
  /** OKR: the period (2026-Q4). */
  readonly period?: string;
}

/** A new brief, PRD or OKR document, valid against its schema, with the next free IDs. */
export function newDocument(ctx: FeatureContext, req: NewDocumentRequest): { id: string; fileName: string; text: string } {
  const id = req.type === 'okr' && req.period ? freeDocId(ctx, 'okr', req.period.replace(/-/g, '')) : freeDocId(ctx, req.type, req.title);
  const owner = yamlString(req.owner?.trim() || 'TBD');
  const title = yamlString(req.title.trim() || 'Untitled');
  const sections = ctx.registry.sections(req.type).filter((s) => s.required);
  const lines = ['---', `type: ${req.type}`, `id: ${id}`, `title: ${title}`, `owner: ${owner}`];
  const slugPart = id.slice(id.indexOf('-') + 1);
  if (req.type === 'prd') {
    lines.push('status: draft', `brief: ${req.brief ?? ctx.index.definedIds('BRIEF')[0] ?? 'BRIEF-TBD'}`, `release: ${periodsAround(ctx.asOf)[1]}`);
  } else if (req.type === 'okr') {
    lines.push(`period: ${req.period ?? periodsAround(ctx.asOf)[1]}`, 'status: draft');
  } else {
    lines.push('status: draft');
  }
  lines.push('---', '', `# ${req.title.trim() || 'Untitled'}`, '');
  if (req.type === 'okr') {
    const period = (req.period ?? periodsAround(ctx.asOf)[1]!).replace(/-/g, '');
    let obj = `OBJ-${slug(req.title)}`;
    for (let n = 2; ctx.index.definitions(obj).length; n++) obj = `OBJ-${slug(req.title)}-${n}`;
    let n = 1;
    while (ctx.index.definitions(`KR-${period}.${n}`).length) n++;
    const kpi = ctx.index.definedIds('KPI')[0] ?? 'KPI-TBD';
    lines.push(`## ${obj}: The first objective`, '', '- owner: TBD', '', `### KR-${period}.${n}: The first key result`, '', `- kpi: ${kpi}`, '- baseline: 0', '- target: 1', '');
  }
  for (const s of sections) {
    lines.push(`## ${s.title}`, '', sectionPrompt(s.description), '');
  }
  return { id, fileName: `${slugPart}.${req.type}.md`, text: lines.join('\n') };
}
