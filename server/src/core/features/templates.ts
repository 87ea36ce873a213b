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
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '');
  return s || 'untitled';
}

const PREFIX: Record<DocType, string> = { brief: 'BRIEF', prd: 'PRD', okr: 'OKR' };

/** A free document ID from a title: PRD-saved-cards, PRD-saved-cards-2, … */
export function freeDocId(ctx: FeatureContext, type: DocType, title: string): string {
  const base = `${PREFIX[type]}-${slug(title)}`;
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
    case 'brief': {
      const briefs = ctx.index.definedIds('BRIEF');
      return briefs[0] ?? 'BRIEF-TBD';
    }
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
