/**
 * The tolerant reader: the entities a reader sees in a document that writes no Northstar IDs —
 * headings under Features / Requirements / User stories sections, bold pseudo-headings and
 * bold-lead bullets, labelled requirements (`FR-001`, `US1`), success metrics, personas,
 * objectives and their key results (headings, bold-label paragraphs, bullets, table rows).
 * Each gets a derived ID (see derive.ts). Pure; never throws on any tree.
 */
import type { Heading, List, ListItem, Paragraph, Root, RootContent, Table } from 'mdast';
import { findIds, type EntityKind } from '../../ids.js';
import { span, type Span } from '../../text/lineIndex.js';
import { normalizeKey, parsePropertyLine, splitValue } from '../properties.js';
import type { DocType, Entity, Priority, Property } from '../types.js';
import { cellSpan, collectBody, linesOf, listProperties, spanOf } from './body.js';
import { legendOfHeading, legendOfLine, type LegendEntry } from './legend.js';
import { applyPriorityMentions, sameName, type PriorityMention } from './mentions.js';
import { parseLabel, plain, type LabelHit } from './labels.js';
import { isDescriptionHeading, isPersonaAttribute, isStrongNone as isStrongNoneTitle, moscowIn, roleOf, type Role, type TitleRole } from './roles.js';
import { isAnnotationKey, isFeatureAttribute, isGoalsTitle, isMarkedItem, isMetadataKey, scopeOf, words } from './roles.js';
import { outOfScopePhrase, resolveScopeItems, scopeItemName, type ScopeItem } from './scope.js';

/** Whether the schema knows a property key for an entity kind (aliases included). */
export type KnownKey = (type: DocType | undefined, kind: EntityKind, key: string) => boolean;

/** An entity found by the tolerant reader, before its ID is derived. */
export interface Candidate {
  kind: EntityKind;
  label?: string;
  /** Where the ID is taken from: the label, else the title. */
  idSpan: Span;
  title: string;
  titleSpan?: Span;
  description?: string;
  definedBy: Entity['definedBy'];
  headingSpan: Span;
  span: Span;
  depth: number;
  properties: Property[];
  parent?: Candidate;
  children: number;
}

export interface ReadResult {
  readonly candidates: Candidate[];
  readonly legend: LegendEntry[];
  /** P-codes (digits) the document uses in priorities. */
  readonly pUsed: number[];
}

interface Frame {
  depth: number;
  role?: Role;
  priority?: Property;
  entity?: Candidate;
  /** A heading entity with a written ID: its body belongs to the strict reading. */
  strict?: boolean;
  /** Nothing under it is an entity (`Non-Functional Requirements`, `Appendix`). */
  blocked?: boolean;
  /** The heading's text, when it gave a role. */
  title?: string;
  /** A scope section (`In Scope`, `Must Have`, `Out of Scope`): its checklist items are features. */
  scope?: 'in' | 'out';
  /** Blocked only as a scope or prioritisation section (`Out of Scope`, `Feature Prioritization (MoSCoW)`): its scope items still count. */
  scopeOk?: boolean;
  /** Where the title starts in the text. */
  titleAt?: number;
}

const LEAD = /^[\s\p{Extended_Pictographic}\uFE0F\u200d\u2600-\u27BF]*(?:\d+(?:\.\d+)*[.)]?\s+)?/u;
const CUSTOM_SKIP = /^<(instruction|example|examples|guidance|hint|template-instructions)\b[^>]*>/i;

/** A heading or bold title without its decorations: numbering, emoji, `*(mandatory)*`, `[P0]`, `(Priority: P1)`, quotes, a trailing period or colon. */
export function cleanTitle(s: string): string {
  let t = s.replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1').replace(/\*\*|__/g, '').replace(/(^|\s)[*_](?=\S)|(?<=\S)[*_](?=\s|$|[:.,)])/g, '$1');
  t = t.replace(/[\p{Extended_Pictographic}\uFE0F\u200d]/gu, ' ');
  t = t.replace(/\(\s*priority\s*:\s*[^)]*\)/gi, ' ').replace(/\[\s*P\d\s*\]/g, ' ').replace(/\(\s*(?:mandatory|optional|required|include if[^)]*)\s*\)/gi, ' ');
  t = t.replace(/^\s*(?:\d+(?:\.\d+)*[.)]?|[A-Za-z][.)])\s+/, '');
  t = t.replace(/\s+/g, ' ').trim();
  // Quotes around the whole title go; a quoted phrase inside it (`"Summary view" toggle`, `users' data`) stays.
  const quoted = /^["“”'‘’]+([^"“”]*?)["“”'‘’]+$/.exec(t);
  if (quoted) t = quoted[1]!.trim();
  return t.replace(/[\s.:;,-]+$/, '').trim();
}

/** The first line of a paragraph node. */
function firstLine(text: string, p: Paragraph | undefined): { text: string; start: number } | undefined {
  const s = paraSpan(text, p);
  return s ? linesOf(text, s)[0] : undefined;
}

/** A paragraph's range without a task-list box (parsers disagree on whether `[ ] ` belongs to it). */
function paraSpan(text: string, p: Paragraph | undefined): Span | undefined {
  const s = spanOf(p);
  if (!s) return undefined;
  const m = /^\[[ xX]\][ \t]+/.exec(text.slice(s.start, Math.min(s.end, s.start + 8)));
  return m ? span(s.start + m[0].length, s.end) : s;
}

function isItalicOnly(s: string): boolean {
  const t = s.trim();
  return /^[*_]\(?[^*_]*\)?[*_]$/.test(t) || /^\(.*\)$/.test(t) || /^\*\([^)]*\)\*$/.test(t);
}

/** A one-line paragraph that is only bold (`**Adaptive AI Companions**`, `**Key Results**:`), with an optional emoji before it. */
function pseudoHeading(line: string): { inner: string; innerAt: number; colon: boolean; qualified: boolean } | undefined {
  const m = /^(\s*[\p{Extended_Pictographic}\uFE0F\u200d\u2600-\u27BF]*\s*)(\*\*|__)(.+?)\2\s*(\([^)]*\)\s*(?=:))?(:?)\s*$/u.exec(line);
  if (!m || m[3]!.includes(m[2]!)) return undefined;
  const inner = m[3]!;
  const colon = m[5] === ':' || /:\s*$/.test(inner);
  return { inner: inner.replace(/:\s*$/, ''), innerAt: m[1]!.length + 2, colon, qualified: !!m[4] };
}

/** A bold lead-in: `**Time Savings**: …`, `**AI Roadmap Generation:** …`, `**CEO** (Primary User):`, `*College Student*: …`. */
function boldLead(line: string, italic = false): { key: string; keyAt: number; rest: string } | undefined {
  const re = italic ? /^(\s*[\p{Extended_Pictographic}\uFE0F\u200d\u2600-\u27BF]*\s*)(\*\*|__|\*|_)([^*_\n]+?)\2\s*(\([^)]*\))?\s*(:?)\s*(.*)$/u : /^(\s*[\p{Extended_Pictographic}\uFE0F\u200d\u2600-\u27BF]*\s*)(\*\*|__)([^*_\n]+?)\2\s*(\([^)]*\))?\s*(:?)\s*(.*)$/u;
  const m = re.exec(line);
  if (!m) return undefined;
  const inner = m[3]!;
  const colon = m[5] === ':' || /:\s*$/.test(inner);
  if (!colon) return undefined;
  return { key: inner.replace(/:\s*$/, '').trim(), keyAt: m[1]!.length + m[2]!.length, rest: m[6]!.trim() };
}

/** `Primary User Segment: Goal-Oriented Beginners`, `Primary Persona: Tech Lead`: a persona named after its role words. */
function namedByRole(title: string): { label: string; labelAt: number; title: string } | undefined {
  const m = /^([^:]{2,40}):\s*(\S.*)$/.exec(title.replace(/\*\*|__/g, (x) => ' '.repeat(x.length)));
  if (!m || roleOf(m[1]!) !== 'personas' || /\b(?:personas|users|segments)\b/i.test(m[1]!)) return undefined;
  const t = cleanTitle(m[2]!);
  return t ? { label: m[1]!.trim(), labelAt: m[1]!.length - m[1]!.trimStart().length, title: t } : undefined;
}

/** A metric or feature name, not a sentence: a few words, not ending in a function word. */
function nameLike(s: string): boolean {
  const w = s.trim().split(/\s+/);
  return w.length > 0 && w.length <= 7 && !/^(?:if|when|that|to|and|or|of|the|a|is|are|be|for)$/i.test(w[w.length - 1]!);
}

export function readTolerant(text: string, root: Root, type: DocType | undefined, knownKey: KnownKey, strictStarts: ReadonlySet<number>): ReadResult {
  const children = root.children;
  const src = (s: Span) => text.slice(s.start, s.end);
  const candidates: Candidate[] = [];
  const legend: LegendEntry[] = [];
  const pUsed: number[] = [];
  const mentions: PriorityMention[] = [];
  const keep = (kind: EntityKind) => (key: string) => knownKey(type, kind, key);
  const h1Count = children.filter((c) => c.type === 'heading' && c.depth === 1).length;
  // An OKR file that labels its objectives in headings (`### Objective 1: …`) defines them there: a table row
  // (`| **[Objective 1]** | 0.7 |`, a scorecard) restates them. When those objectives hold their key results as
  // headings (`#### KR1: …`), a section holding bullets (`### Week 1` / `- **Key Wins**: …`) is no objective either.
  const objectiveHeadings = type === 'okr' ? children.flatMap((h, i) => {
    if (h.type !== 'heading' || !h.children.length) return [];
    const a = spanOf(h.children[0]!)?.start;
    const b = spanOf(h.children[h.children.length - 1]!)?.end;
    if (a === undefined || b === undefined) return [];
    const p = plain(text.slice(a, b));
    return parseLabel(p.slice(LEAD.exec(p)![0].length))?.kind === 'OBJ' ? [i] : [];
  }) : [];
  const labelsObjectives = objectiveHeadings.length > 0;
  const objectivesHoldNoLists = labelsObjectives && objectiveHeadings.every((i) => {
    let list = false;
    for (let j = i + 1; j < children.length && children[j]!.type !== 'heading'; j++) {
      if (children[j]!.type === 'table') return true; // key results in a table; a list beside it is something else (Initiatives)
      if (children[j]!.type === 'list') list = true;
    }
    return !list;
  });

  // Where each heading's section ends (next heading of the same or a higher level).
  const headingEnd = new Map<number, number>();
  {
    const open: number[] = [];
    children.forEach((c, i) => {
      if (c.type !== 'heading') return;
      while (open.length && (children[open[open.length - 1]!] as Heading).depth >= c.depth) headingEnd.set(open.pop()!, spanOf(c)?.start ?? text.length);
      open.push(i);
    });
    for (const i of open) headingEnd.set(i, text.length);
  }

  const stack: Frame[] = [];
  let pseudo: { role?: Role; priority?: Property; blocked?: boolean } | undefined;
  let owner: Candidate | undefined;
  let paraObjective: { entity: Candidate; depth: number } | undefined;
  let lastObjective: Candidate | undefined;
  let skipUntil = -1;

  const ctx = (withPseudo = true) => {
    const ps = withPseudo ? pseudo : undefined;
    let role: Role | undefined = ps?.role;
    let priority: Property | undefined = ps?.priority;
    let blocked = !!ps?.blocked;
    let entityBody: Candidate | undefined;
    let strict = false;
    let objective: Candidate | undefined;
    for (let k = stack.length - 1; k >= 0; k--) {
      const f = stack[k]!;
      if (f.strict && role === undefined && !entityBody) strict = true;
      // A bold label inside an entity's body (`**Success Criteria:**` under a persona) stays in that body.
      if (f.entity && (role === undefined || (k === stack.length - 1 && ps?.role !== undefined && role === ps.role)) && !entityBody) entityBody = f.entity;
      if (f.entity?.kind === 'OBJ' && !objective) objective = f.entity;
      if (role === undefined && f.role) role = f.role;
      if (!priority && f.priority) priority = f.priority;
      if (f.blocked) blocked = true;
    }
    if (!objective && paraObjective) objective = paraObjective.entity;
    if (blocked) role = 'none';
    return { role, priority, entityBody, strict, objective, blocked };
  };

  /** The title of the nearest heading that gave a role. */
  const roleTitle = (): string | undefined => {
    for (let k = stack.length - 1; k >= 0; k--) if (stack[k]!.role) return stack[k]!.title;
    return undefined;
  };
  /** The nearest scope section, unless something between blocks it for other reasons (`### Risks` under `In Scope`). */
  const scopeAt = (): Frame | undefined => {
    if (pseudo?.blocked) return undefined;
    let found: Frame | undefined;
    for (let k = stack.length - 1; k >= 0; k--) {
      const f = stack[k]!;
      if (f.strict || (f.blocked && !f.scopeOk)) return undefined;
      if (!found && f.scope) found = f;
    }
    return found;
  };
  const scopeItems: ScopeItem<Omit<Candidate, 'children'>>[] = [];
  /** The content words of a title (`Campaign status management`: 3; `Security & Privacy`: 2): a name, not a section word with a qualifier. */
  const contentWords = (title: string): number => words(title).split(' ').filter((w) => w && !/^(?:and|or|with|of|the|a|an|for|to|in|on|by|via|&)$/.test(w)).length;
  /** A title that blocks only as a scope or prioritisation title (`Out of Scope`, `Won't Have`, `Feature Prioritization (MoSCoW)`), not as a summary or roadmap. */
  const onlyScopeBlocks = (title: string): boolean => {
    const ph = outOfScopePhrase(title);
    const rest = (ph ? title.slice(0, ph.index) + ' ' + title.slice(ph.index + ph.text.length) : title).replace(/\bmoscow\b|\bprioriti[sz]ation\b/gi, ' ');
    return rest !== title && !isStrongNoneTitle(rest);
  };

  const priorityProperty = (keySpan: Span, raw: string, valueSpan: Span): Property => ({ key: 'priority', rawKey: 'priority', keySpan, raw, valueSpan, items: splitValue(raw, valueSpan.start) });
  const moscowProperty = (title: string, at: number): Property | undefined => {
    const mo = moscowIn(title);
    if (!mo) return undefined;
    const s = span(at + mo.index, at + mo.index + mo.raw.length);
    return priorityProperty(s, mo.raw, s);
  };
  /** A priority written in a heading: `(Priority: P1)`, `[P0]`. */
  const headingPriority = (raw: string, at: number): Property | undefined => {
    const pri = /\(\s*(priority)\s*:\s*([^)]*?)\s*\)/i.exec(raw) ?? /\[\s*()(P\d)\s*\]/.exec(raw);
    if (!pri || !pri[2]) return undefined;
    const vAt = at + pri.index + pri[0].indexOf(pri[2], pri[1]!.length + 1);
    const kAt = pri[1] ? at + pri.index + pri[0].indexOf(pri[1]) : vAt;
    return priorityProperty(span(kAt, kAt + (pri[1]?.length || pri[2].length)), pri[2], span(vAt, vAt + pri[2].length));
  };
  const notePUsed = (raw: string) => {
    const m = /^\s*P(\d)\s*$/i.exec(raw);
    if (m) pUsed.push(Number(m[1]));
  };

  const add = (c: Omit<Candidate, 'children'>, contextPriority: Property | undefined): Candidate => {
    const cand: Candidate = { ...c, children: 0 };
    if (!cand.properties.some((p) => p.key === 'priority') && contextPriority && knownKey(type, cand.kind, 'priority')) cand.properties.push(contextPriority);
    for (const p of cand.properties) if (p.key === 'priority') notePUsed(p.raw);
    if (cand.parent) cand.parent.children++;
    candidates.push(cand);
    if (cand.kind === 'OBJ') lastObjective = cand;
    return cand;
  };

  /** Properties written inline: `(target: < 1 hour)`, `[Target: 60%, Weight: 40%]`. */
  const inlinePairs = (line: string, lineStart: number, kind: EntityKind): Property[] => {
    const out: Property[] = [];
    const re = /[[(]([^[\]()]*:[^[\]()]*)[\])]/g;
    let m: RegExpExecArray | null;
    while ((m = re.exec(line)) !== null) {
      let at = m.index + 1;
      for (const part of m[1]!.split(',')) {
        const p = parsePropertyLine(part, lineStart + at, false);
        if (p && knownKey(type, kind, p.key)) out.push(p);
        at += part.length + 1;
      }
    }
    return out;
  };

  /** The known-key `key: value` lines of nested list items between two offsets (read from the text: parsers shape nested lists differently). */
  const nestedLines = (from: number, to: number, kind: EntityKind): Property[] => {
    const out: Property[] = [];
    if (to <= from) return out;
    for (const l of linesOf(text, span(from, to))) {
      const m = /^\s*(?:[-*+]|\d{1,3}[.)])\s+/.exec(l.text);
      if (!m) continue;
      const p = parsePropertyLine(l.text.slice(m[0].length), l.start + m[0].length, false);
      if (p && knownKey(type, kind, p.key) && !out.some((q) => q.key === p.key)) out.push(p);
    }
    return out;
  };

  /** The known-key properties of the lists under an item or after a block entity. */
  const nestedProperties = (lists: readonly RootContent[], kind: EntityKind): Property[] => lists.flatMap((l) => (l.type === 'list' ? listProperties(l, text).filter((p) => knownKey(type, kind, p.key)) : []));

  /** A heading is a leaf entity when nothing under it is itself an entity or a sub-heading. */
  const isLeaf = (i: number, depth: number, role: Role | undefined): boolean => {
    for (let j = i + 1; j < children.length; j++) {
      const c = children[j]!;
      if (c.type === 'heading') {
        if (c.depth <= depth) return true;
        // `#### Acceptance Criteria`, `#### Requirements` under a feature describe it; a plain sub-heading is an entity of its own.
        const hs = spanOf(c);
        const t = hs ? text.slice(hs.start, hs.end).replace(/^#+\s*/, '') : '';
        if (!isDescriptionHeading(t)) return false;
      }
      if (c.type === 'paragraph') {
        const l = firstLine(text, c);
        if (!l) continue;
        const ph = pseudoHeading(l.text);
        if (ph && !ph.colon && !(role === 'personas' && isPersonaAttribute(ph.inner))) return false;
        const bl = role === 'personas' || role === 'kpis' ? boldLead(l.text) : undefined;
        if (bl && nameLike(bl.key) && !(role === 'personas' && isPersonaAttribute(bl.key))) return false;
        const lab = parseLabel(plain(l.text));
        if (lab && lab.kind !== null) return false;
      }
      if (c.type === 'list' && role === 'features') {
        // `### File Management` / `- **Browse**: …` `- **Create**: …`: a heading over a list of named capabilities groups them.
        let named = 0;
        for (const it of c.children) {
          const l = firstLine(text, it.children[0]?.type === 'paragraph' ? it.children[0] : undefined);
          const bl = l ? boldLead(l.text) : undefined;
          if (bl && nameLike(bl.key) && !isFeatureAttribute(bl.key) && !isAnnotationKey(bl.key) && !knownKey(type, 'FEAT', normalizeKey(bl.key))) named++;
        }
        if (named >= 2) return false;
      }
      if (c.type === 'list') {
        for (const it of c.children) {
          const l = firstLine(text, it.children[0]?.type === 'paragraph' ? it.children[0] : undefined);
          const lab = l ? parseLabel(plain(l.text)) : undefined;
          if (lab && lab.kind !== null && !lab.named) return false;
        }
      }
    }
    return true;
  };

  /** Kiro's untitled `### Requirement N`: the capability of its user story (`As a …, I want to X, so that …`). */
  const storyTitle = (i: number): { title: string; span: Span } | undefined => {
    for (let j = i + 1; j < children.length && j < i + 4; j++) {
      const c = children[j]!;
      if (c.type === 'heading') return undefined;
      const s = spanOf(c);
      if (!s) continue;
      const chunk = src(s);
      const m = /\bI want(?: to)?\s+(.+?)(?:,\s*so that\b|\s+so that\b|[.\n]|$)/i.exec(chunk);
      if (m) {
        const at = s.start + m.index + m[0].indexOf(m[1]!);
        return { title: m[1]!.replace(/\*\*|__/g, '').trim(), span: span(at, at + m[1]!.length) };
      }
    }
    return undefined;
  };

  /** A title's role where it stands: `weak` is none unless the enclosing section is an entity section. */
  const resolve = (r: TitleRole | undefined, enclosing: Role | undefined): Role | undefined => (r === 'weak' ? (enclosing && enclosing !== 'none' ? undefined : 'none') : r);

  const kindOfRole = (role: Role | undefined, objective: Candidate | undefined): EntityKind | undefined =>
    role === 'features' ? 'FEAT' : role === 'kpis' ? 'KPI' : role === 'personas' ? 'PERSONA' : role === 'keyResults' && objective ? 'KR' : undefined;

  /** The kind a label gives in this context, or undefined when it is no entity here. */
  const kindOfLabel = (lab: LabelHit, role: Role | undefined, objective: Candidate | undefined, blocked = false): EntityKind | undefined => {
    if (lab.kind === null || blocked) return undefined;
    if (lab.kind === 'KR') return 'KR';
    if (lab.kind === 'OBJ') return 'OBJ';
    if (role === 'none') return undefined;
    if (lab.kind) return lab.kind;
    return kindOfRole(role, objective);
  };

  const titleSpanIn = (lineText: string, lineStart: number, title: string, from = 0): Span | undefined => {
    if (!title) return undefined;
    const at = lineText.indexOf(title, from);
    return at < 0 ? undefined : span(lineStart + at, lineStart + at + title.length);
  };

  for (let i = 0; i < children.length; i++) {
    const node = children[i]!;
    const ns = spanOf(node);
    if (!ns) continue;
    if (ns.start < skipUntil) continue;

    if (node.type === 'html') {
      // Pseudo-XML guidance (`<instruction>`, `<example>`): its examples are not the document's entities.
      for (const l of linesOf(text, ns)) {
        const m = CUSTOM_SKIP.exec(l.text.trim());
        if (!m) continue;
        const close = text.toLowerCase().indexOf(`</${m[1]!.toLowerCase()}>`, l.start);
        if (close >= 0) skipUntil = Math.max(skipUntil, close);
        break;
      }
      continue;
    }

    if (node.type === 'heading') {
      while (stack.length && stack[stack.length - 1]!.depth >= node.depth) stack.pop();
      pseudo = undefined;
      owner = undefined;
      if (paraObjective && node.depth <= paraObjective.depth) paraObjective = undefined;
      const frame: Frame = { depth: node.depth };
      if (strictStarts.has(ns.start)) {
        frame.strict = true;
        stack.push(frame);
        continue;
      }
      const first = node.children[0];
      const last = node.children[node.children.length - 1];
      const ts = span(spanOf(first)?.start ?? ns.end, spanOf(last)?.end ?? ns.end);
      const raw = src(ts);
      const p = plain(raw);
      const lead = LEAD.exec(p)![0].length;
      const lab = parseLabel(p.slice(lead));
      const c = ctx();
      const hLegend = legendOfHeading(raw, ts.start);
      if (hLegend) legend.push(hLegend);
      // The only level-1 heading is the document's title, not a section.
      const sectionTitle = node.depth > 1 || h1Count > 1;
      const kind = lab ? kindOfLabel(lab, c.strict ? 'none' : c.role, c.objective, c.blocked) : undefined;
      if (c.blocked) {
        frame.role = 'none';
        frame.blocked = true;
        // `### Must Have (MVP)` under `## Feature Prioritization (MoSCoW)`: a scope section for its checklist items.
        const sc = sectionTitle && !c.strict && stack.every((f) => !f.blocked || f.scopeOk) ? scopeOf(raw) : undefined;
        if (sc) {
          Object.assign(frame, { scope: sc, scopeOk: !isStrongNoneTitle(raw) || onlyScopeBlocks(raw), title: raw, titleAt: ts.start });
          const mo = moscowProperty(raw, ts.start);
          if (mo) frame.priority = mo;
        }
      } else if (lab && lab.kind === null) {
        frame.role = 'none';
      } else if (lab && kind) {
        const props = collectBody(children, i + 1, text, keep(kind));
        const pri = headingPriority(raw, ts.start);
        if (pri && !props.properties.some((x) => x.key === 'priority')) props.properties.unshift(pri);
        let title = cleanTitle(lab.title);
        let tSpan = titleSpanIn(raw, ts.start, title, lead + lab.titleAt);
        if (!title && kind === 'FEAT') {
          const st = storyTitle(i);
          if (st) {
            title = st.title;
            tSpan = st.span;
          }
        }
        const labelSpan = span(ts.start + lead + lab.labelAt, ts.start + lead + lab.labelAt + lab.label.length);
        const parent = kind === 'KR' ? (c.objective ?? lastObjective) : kind === 'FEAT' ? (c.entityBody?.kind === 'FEAT' ? c.entityBody : undefined) : undefined;
        const cand = add(
          {
            kind,
            ...(lab.label ? { label: lab.label } : {}),
            idSpan: lab.label ? labelSpan : (tSpan ?? labelSpan),
            title,
            ...(tSpan ? { titleSpan: tSpan } : {}),
            ...(props.description ? { description: props.description } : {}),
            definedBy: 'heading',
            headingSpan: ns,
            span: span(ns.start, headingEnd.get(i) ?? text.length),
            depth: node.depth,
            properties: props.properties,
            ...(parent ? { parent } : {}),
          },
          c.priority,
        );
        frame.entity = cand;
      } else {
        const named = namedByRole(raw.slice(LEAD.exec(raw)![0].length));
        let titleRole = sectionTitle && !named ? roleOf(raw) : undefined;
        // `### Primary Persona`, `### [Persona 1 Name]` under a personas section: one persona, not another section.
        if (titleRole === 'personas' && c.role === 'personas' && !c.entityBody && !/\b(?:personas|users|segments|audiences?|customers|types|profiles|groups)\b/i.test(raw)) titleRole = undefined;
        // `### Primary Goals` under `## Success Criteria` groups criteria (under `## Goals and Success Metrics` it is the goals part).
        if (titleRole === 'none' && c.role === 'kpis' && isGoalsTitle(raw) && !isStrongNoneTitle(raw) && !isGoalsTitle(roleTitle() ?? '')) titleRole = undefined;
        const mo = moscowProperty(raw, ts.start);
        let role = resolve(titleRole, c.role);
        // `## 4. V1.0 MUST HAVE (…)`: a section that names a MoSCoW level, in no other section, holds features.
        if (!role && !titleRole && mo && !c.role && !c.strict && type !== 'okr') role = 'features';
        if (titleRole === 'none' && sectionTitle && !named && isStrongNoneTitle(raw)) frame.blocked = true;
        const scope = sectionTitle && !named ? scopeOf(raw) : undefined;
        if (scope) frame.scope = scope;
        if (frame.blocked && onlyScopeBlocks(raw)) frame.scopeOk = true;
        frame.title = raw;
        frame.titleAt = ts.start;
        if (named && !c.strict && c.role !== 'none') {
          const props = collectBody(children, i + 1, text, keep('PERSONA'));
          const tSpan = titleSpanIn(raw, ts.start, named.title) ?? ts;
          frame.entity = add(
            {
              kind: 'PERSONA',
              label: named.label,
              idSpan: tSpan,
              title: named.title,
              titleSpan: tSpan,
              ...(props.description ? { description: props.description } : {}),
              definedBy: 'heading',
              headingSpan: ns,
              span: span(ns.start, headingEnd.get(i) ?? text.length),
              depth: node.depth,
              properties: props.properties,
            },
            undefined,
          );
          stack.push(frame);
          continue;
        }
        if (role) frame.role = role;
        if (mo) frame.priority = mo;
        const okrObjective = type === 'okr' && !objectivesHoldNoLists && !c.role && node.depth >= 2 && children[i + 1]?.type === 'list' && !/^\s*(?:\d{4}\b|Q[1-4]\b|H[12]\b|FY)/i.test(raw);
        // Under a features section, a leaf heading is a feature even when its title says `Status`, `Design` or `Capability`.
        const leafTitle = !titleRole || (c.role === 'features' && ((titleRole === 'weak' && contentWords(raw) >= 3) || (titleRole === 'features' && !/\b(?:features|capabilities|requirements|stories|epics)\b/i.test(raw))));
        if (leafTitle && !mo && !c.strict && !c.entityBody && (c.role === 'features' || c.role === 'personas' || ((c.role === 'objectives' || okrObjective) && type === 'okr')) && isLeaf(i, node.depth, c.role)) {
          const kind2: EntityKind = c.role === 'features' ? 'FEAT' : c.role === 'personas' ? 'PERSONA' : 'OBJ';
          const title = cleanTitle(raw);
          if (title && /[\p{L}\p{N}]/u.test(title)) {
            const props = collectBody(children, i + 1, text, keep(kind2));
            const pri = headingPriority(raw, ts.start);
            if (pri && keep(kind2)('priority') && !props.properties.some((x) => x.key === 'priority')) props.properties.unshift(pri);
            const tSpan = titleSpanIn(raw, ts.start, title) ?? ts;
            frame.entity = add(
              {
                kind: kind2,
                idSpan: tSpan,
                title,
                titleSpan: tSpan,
                ...(props.description ? { description: props.description } : {}),
                definedBy: 'heading',
                headingSpan: ns,
                span: span(ns.start, headingEnd.get(i) ?? text.length),
                depth: node.depth,
                properties: props.properties,
              },
              c.priority,
            );
          }
        }
      }
      stack.push(frame);
      continue;
    }

    if (node.type === 'paragraph') {
      const l = firstLine(text, node);
      if (!l) continue;
      const single = linesOf(text, ns).length === 1;
      const pl = plain(l.text);
      const leg = legendOfLine(pl, l.start);
      if (leg) {
        legend.push(leg);
        continue;
      }
      const c = ctx();
      if (c.strict) continue;
      const lead = LEAD.exec(pl)![0].length;
      const lab = parseLabel(pl.slice(lead));
      const ph = single ? pseudoHeading(l.text) : undefined;
      const kind = lab ? kindOfLabel(lab, c.role, c.objective, c.blocked) : undefined;
      // `**Objective:**` with nothing after it (a template's slot under `### Objective 1`) names no entity.
      if (lab && kind && (lab.named ? lab.kind !== undefined : true) && (kind !== 'KR' || c.objective || lastObjective) && (lab.label || cleanTitle(lab.title))) {
        // `**Objective 1**: Launch …`, `**FR1:** The system shall …`, `**Objective 1: …**`.
        const title = cleanTitle(lab.title);
        const labelSpan = span(l.start + lead + lab.labelAt, l.start + lead + lab.labelAt + lab.label.length);
        const tSpan = titleSpanIn(l.text, l.start, title, lead + lab.titleAt);
        const parent = kind === 'KR' ? (c.objective ?? lastObjective) : kind === 'FEAT' && c.entityBody?.kind === 'FEAT' ? c.entityBody : undefined;
        const props = [...inlinePairs(l.text, l.start, kind)];
        const cand = add(
          {
            kind,
            ...(lab.label ? { label: lab.label } : {}),
            idSpan: lab.label ? labelSpan : (tSpan ?? labelSpan),
            title,
            ...(tSpan ? { titleSpan: tSpan } : {}),
            definedBy: 'paragraph',
            headingSpan: ns,
            span: ns,
            depth: 0,
            properties: props,
            ...(parent ? { parent } : {}),
          },
          c.priority,
        );
        owner = cand;
        if (kind === 'OBJ') {
          paraObjective = { entity: cand, depth: stack.length ? stack[stack.length - 1]!.depth : 0 };
          pseudo = undefined;
        }
        continue;
      }
      const namedPh = ph && !ph.colon ? namedByRole(ph.inner) : undefined;
      if (ph && namedPh && !c.strict && c.role !== 'none' && !c.entityBody) {
        const tSpan = titleSpanIn(l.text, l.start, namedPh.title) ?? ns;
        owner = add({ kind: 'PERSONA', label: namedPh.label, idSpan: tSpan, title: namedPh.title, titleSpan: tSpan, definedBy: 'paragraph', headingSpan: ns, span: ns, depth: 0, properties: [] }, undefined);
        continue;
      }
      if (ph) {
        const outer = ctx(false);
        const titleRole = roleOf(ph.inner);
        // Under a heading, a bold label that is weakly no entity section starts another list (`**Initiatives**:` under Key Results).
        const role = titleRole === 'weak' ? 'none' : titleRole;
        const mo = moscowProperty(ph.inner, l.start + ph.innerAt);
        // `**Integration Capabilities**` under a Features section names a feature, not a sub-section.
        const sameRole = !ph.colon && (role === 'features' || role === 'kpis' || role === 'personas') && role === outer.role && !outer.entityBody && !mo;
        if ((role || mo || titleRole === 'weak') && !sameRole) {
          pseudo = { ...(role ? { role } : titleRole === 'weak' ? {} : pseudo?.role ? { role: pseudo.role } : {}), ...(mo ? { priority: mo } : {}), ...(titleRole === 'none' && isStrongNoneTitle(ph.inner) ? { blocked: true } : {}) };
          owner = undefined;
          continue;
        }
        if (ph.colon && ph.qualified && !c.entityBody && (c.role === 'personas' || c.role === 'kpis') && nameLike(ph.inner)) {
          // `**CEO** (Primary User):` names a persona (or a metric) with a qualifier.
          const kind2: EntityKind = c.role === 'personas' ? 'PERSONA' : 'KPI';
          const title = cleanTitle(ph.inner);
          const tSpan = titleSpanIn(l.text, l.start, title) ?? ns;
          owner = add({ kind: kind2, idSpan: tSpan, title, titleSpan: tSpan, definedBy: 'paragraph', headingSpan: ns, span: ns, depth: 0, properties: [] }, c.priority);
          continue;
        }
        const qualifiedName = ph.colon && !c.entityBody && c.role === 'personas' ? /^\s*(?:primary|secondary|tertiary|optional|additional|other|future|occasional)\s*:\s*(\S.*?)\s*:?\s*$/i.exec(ph.inner) : null;
        if (qualifiedName && nameLike(qualifiedName[1]!) && !isPersonaAttribute(qualifiedName[1]!)) {
          // `**Optional: Support Lead**:` names a persona after its qualifier.
          const title = cleanTitle(qualifiedName[1]!);
          const tSpan = titleSpanIn(l.text, l.start, title) ?? ns;
          owner = add({ kind: 'PERSONA', idSpan: tSpan, title, titleSpan: tSpan, definedBy: 'paragraph', headingSpan: ns, span: ns, depth: 0, properties: [] }, undefined);
          continue;
        }
        if (ph.colon) {
          // A label such as `**Usage Patterns:**` starts a new sub-list under the enclosing section.
          // It ends a priority label's list too (`**Could Have:**` … `**Next Milestone:**`).
          if (pseudo?.role || pseudo?.priority) pseudo = undefined;
          continue;
        }
        const kind2 = c.entityBody || (c.role === 'personas' && isPersonaAttribute(ph.inner)) ? undefined : kindOfRole(c.role === 'keyResults' ? undefined : c.role, c.objective);
        const title = cleanTitle(ph.inner);
        if (kind2 && title) {
          const tSpan = titleSpanIn(l.text, l.start, title) ?? span(l.start + ph.innerAt, l.start + ph.innerAt + ph.inner.length);
          owner = add({ kind: kind2, idSpan: tSpan, title, titleSpan: tSpan, definedBy: 'paragraph', headingSpan: ns, span: ns, depth: 0, properties: [] }, c.priority);
        }
        continue;
      }
      // `Primary user:` alone on a line under a personas section names a user type.
      const plainLabel = single && c.role === 'personas' && !c.entityBody ? /^\s*([A-Za-z][\w' -]{1,40}):\s*$/.exec(l.text) : null;
      if (plainLabel && /\b(?:users?|personas?|customers?|buyers?|owners?|admins?|segment)\b/i.test(plainLabel[1]!)) {
        const title = cleanTitle(plainLabel[1]!);
        const at = l.text.indexOf(plainLabel[1]!);
        const tSpan = span(l.start + at, l.start + at + plainLabel[1]!.length);
        owner = add({ kind: 'PERSONA', idSpan: tSpan, title, titleSpan: tSpan, definedBy: 'paragraph', headingSpan: ns, span: ns, depth: 0, properties: [] }, undefined);
        continue;
      }
      const bl = single || c.role === 'kpis' || c.role === 'personas' ? boldLead(l.text) : undefined;
      if (bl && !c.entityBody && (c.role === 'kpis' || c.role === 'personas') && nameLike(bl.key) && !knownKey(type, c.role === 'kpis' ? 'KPI' : 'PERSONA', normalizeKey(bl.key)) && !isMetadataKey(bl.key) && !isAnnotationKey(bl.key) && !(c.role === 'personas' && isPersonaAttribute(bl.key))) {
        const kind2: EntityKind = c.role === 'kpis' ? 'KPI' : 'PERSONA';
        const title = cleanTitle(bl.key);
        const tSpan = span(l.start + bl.keyAt, l.start + bl.keyAt + bl.key.length);
        owner = add({ kind: kind2, idSpan: tSpan, title, titleSpan: tSpan, ...(bl.rest ? { description: bl.rest } : {}), definedBy: 'paragraph', headingSpan: ns, span: ns, depth: 0, properties: inlinePairs(l.text, l.start, kind2) }, c.priority);
      }
      continue;
    }

    if (node.type === 'list') {
      const c = ctx();
      if (c.strict) continue;
      if (owner) {
        // The list under a bold pseudo-heading or bold-label paragraph is that entity's body.
        const props = nestedProperties([node], owner.kind);
        owner.properties.push(...props.filter((p) => !owner!.properties.some((q) => q.key === p.key)));
        owner.span = span(owner.span.start, Math.max(owner.span.end, ns.end));
        if (!(owner.kind === 'OBJ' && (pseudo?.role === 'keyResults' || c.role === 'keyResults'))) continue;
      }
      readList(node, c);
      continue;
    }

    if (node.type === 'table') {
      const c = ctx();
      if (c.strict || c.role === 'none') continue;
      readTable(node, c);
    }
  }

  function readList(list: List, c: ReturnType<typeof ctx>): void {
    for (const item of list.children) {
      if (scopeItem(item, list, c)) continue;
      const before = candidates.length;
      readItem(item, c);
      // A bullet under a priority label that is no entity itself may name one defined elsewhere (`**Must Have:**` / `- [x] Login`).
      if (candidates.length === before && c.priority) mentionOf(item, c.priority);
    }
  }

  /**
   * A checklist or marked item under a scope section (`- [ ] Feature 1` under `### Must Have`, `- ❌ AI
   * suggestions (V3+)` under `## Out of Scope`), or a plain bullet under a features section out of
   * scope (`### Potential Features (Not MVP)`): a feature, decided at the end (scope.ts). A checklist
   * right under a features section is one too (`## Planned Features` / `- [x] Dark mode`).
   */
  function scopeItem(item: ListItem, list: List, c: ReturnType<typeof ctx>): boolean {
    if (type === 'okr' || c.entityBody || c.objective || c.strict || (c.role !== undefined && c.role !== 'features' && c.role !== 'none')) return false;
    const sc = scopeAt() ?? (c.role === 'features' && !c.blocked ? ({ depth: 0 } as Frame) : undefined);
    if (!sc) return false;
    const para = item.children[0];
    if (!para || para.type !== 'paragraph') return false;
    const ps = paraSpan(text, para);
    const is = spanOf(item);
    if (!ps || !is) return false;
    const l = linesOf(text, ps)[0];
    if (!l) return false;
    const marked = markedItem(item);
    // `### Potential Features (Not MVP)`: a features section out of scope lists its features plainly.
    const plainOut = !marked && sc.scope === 'out' && sc.title !== undefined && roleOf(sc.title) === 'features' && !boldLead(l.text);
    if (!marked && !plainOut) return false;
    const name = scopeItemName(l.text);
    const title = cleanTitle(name);
    if (!title || !/[\p{L}\p{N}]/u.test(title) || title.split(/\s+/).length > 14) return false;
    const tSpan = titleSpanIn(l.text, l.start, title) ?? span(l.start, l.start + l.text.length);
    let priority = c.priority;
    if (!priority && sc.scope === 'out' && sc.title !== undefined && sc.titleAt !== undefined) {
      const ph = outOfScopePhrase(sc.title);
      if (ph) {
        const at = span(sc.titleAt + ph.index, sc.titleAt + ph.index + ph.text.length);
        priority = priorityProperty(at, /^out[\s-]of[\s-]scope$|^won/i.test(ph.text) ? ph.text : "won't have", at);
      }
    }
    scopeItems.push({
      group: spanOf(list)?.start ?? is.start,
      name: title,
      candidate: { kind: 'FEAT', idSpan: tSpan, title, titleSpan: tSpan, definedBy: 'bullet', headingSpan: ps, span: is, depth: 0, properties: nestedLines(ps.end, is.end, 'FEAT') },
      ...(priority ? { priority } : {}),
    });
    return true;
  }

  /** A checklist entry (`- [ ] …`, `- [x] …`) or an item marked done or excluded (`- ✅ …`, `- ❌ …`). */
  function markedItem(item: ListItem): boolean {
    if (typeof item.checked === 'boolean') return true;
    const para = item.children[0];
    const is = spanOf(item);
    const ps = para?.type === 'paragraph' ? spanOf(para) : undefined;
    if (!is || !ps) return false;
    const head = text.slice(is.start, Math.min(ps.end, ps.start + 8)).replace(/^\s*(?:[-*+]|\d{1,9}[.)])\s*/, '');
    return isMarkedItem(head);
  }

  /** A bullet under a priority label that is no entity: the name it gives, for applyPriorityMentions. */
  function mentionOf(item: ListItem, priority: Property): void {
    const para = item.children[0];
    if (!para || para.type !== 'paragraph') return;
    const l = firstLine(text, para);
    if (!l || legendOfLine(plain(l.text), l.start)) return;
    const body = l.text.replace(/^\s*\[[ xX]\]\s+/, '');
    const cut = body.search(/\s*\(|\s+[-–—]\s|:\s|:$/);
    const name = cleanTitle(cut > 0 ? body.slice(0, cut) : body);
    if (name && nameLike(name) && /[\p{L}\p{N}]/u.test(name)) mentions.push({ name, priority });
  }

  function readItem(item: ListItem, c: ReturnType<typeof ctx>): void {
    const first = item.children[0];
    // `- [Metric 2]: [Target]` parses as a link reference definition; a reader sees a line of text.
    if (!first || (first.type !== 'paragraph' && first.type !== 'definition')) return;
    const para = first as unknown as Paragraph;
    const l = firstLine(text, para);
    if (!l) return;
    const pl = plain(l.text);
    const leg = legendOfLine(pl, l.start);
    if (leg) {
      legend.push(leg);
      return;
    }
    const lead = /^\s*/.exec(pl)![0].length;
    const lab = parseLabel(pl.slice(lead));
    const kind = lab ? kindOfLabel(lab, c.role, c.objective, c.blocked) : undefined;
    const is = spanOf(item) ?? spanOf(para)!;
    if (lab && kind) {
      if (kind === 'KR' && !(c.objective ?? lastObjective)) return;
      if (kind === 'OBJ') return;
      // `- KR1: …`, `- **FR-001**: …`, `* **Key Result 1.1:** …`, `* US-01:`.
      const bracket = lab.title.search(/\s*\[[^\]]*:[^\]]*\]\s*$/);
      const title = cleanTitle(bracket > 0 ? lab.title.slice(0, bracket) : lab.title);
      const labelSpan = span(l.start + lead + lab.labelAt, l.start + lead + lab.labelAt + lab.label.length);
      const tSpan = titleSpanIn(l.text, l.start, title, lead + lab.titleAt);
      const parent = kind === 'KR' ? (c.objective ?? lastObjective) : kind === 'FEAT' && c.entityBody?.kind === 'FEAT' ? c.entityBody : undefined;
      add(
        {
          kind,
          ...(lab.label ? { label: lab.label } : {}),
          idSpan: lab.label ? labelSpan : (tSpan ?? labelSpan),
          title,
          ...(tSpan ? { titleSpan: tSpan } : {}),
          definedBy: 'bullet',
          headingSpan: paraSpan(text, para)!,
          span: is,
          depth: 0,
          properties: [...inlinePairs(l.text, l.start, kind), ...nestedLines(spanOf(para)!.end, is.end, kind)],
          ...(parent ? { parent } : {}),
        },
        c.priority,
      );
      return;
    }
    if (lab && lab.kind === null) return;
    // The bullets right under an objective heading are its key results (unless they are its properties).
    const underObjective = c.entityBody?.kind === 'OBJ' && stack[stack.length - 1]?.entity === c.entityBody && c.role !== 'none' && !pseudo && !c.blocked;
    if (underObjective) {
      const p = parsePropertyLine(l.text, l.start, false);
      if (p && knownKey(type, 'OBJ', p.key)) return;
      // `KR 1 → Company OKR: …` points at a key result; it is none.
      if (/^\s*(?:KR|Key Results?)\s*\d/i.test(pl)) return;
    }
    const role = underObjective ? 'keyResults' : c.role;
    if (c.entityBody && !underObjective && !(c.role === 'keyResults' && c.objective)) return;
    if (role === 'none' || role === undefined) return;
    const body = l.text.replace(/^\s*\[[ xX]\]\s+/, '');
    const bodyAt = l.text.length - body.length;
    if (!body.trim() || isItalicOnly(body)) return;
    let title: string | undefined;
    let tSpan: Span | undefined;
    let kind2: EntityKind | undefined;
    if (role === 'keyResults') {
      if (!c.objective) return;
      kind2 = 'KR';
      const br = body.search(/\s*\[[^\]]*:[^\]]*\]\s*$/);
      // `p0 - Base32 CIDs are the default`: a priority code before the result.
      title = cleanTitle((br > 0 ? body.slice(0, br) : body).replace(/^\s*\[?[Pp]\d\]?\s*[-–—:]\s*/, ''));
    } else {
      const bl = boldLead(body, c.role === 'personas');
      if (c.role === 'features') {
        // `- As a user, I want to tap once to complete a habit, so …`: a user story names the capability.
        // `1. **As a developer**, I want to …`: the bold lead-in is the story's role, not a feature's name.
        const story = !bl || /^as\b/i.test(bl.key.trim()) ? /^\s*As (?:an? )?[^,]{1,60},\s*I (?:want|need|would like|can|should be able to|am able to)(?: to)?\s+(.+?)(?:,?\s+so(?: that)?\b.*)?$/i.exec(body.replace(/\*\*|__/g, '')) : null;
        if (story) {
          kind2 = 'FEAT';
          title = cleanTitle(story[1]!);
        } else {
          if (!bl || !nameLike(bl.key) || knownKey(type, 'FEAT', normalizeKey(bl.key))) return;
          kind2 = 'FEAT';
          title = cleanTitle(bl.key);
        }
      } else if (c.role === 'kpis') {
        kind2 = 'KPI';
        // A checklist under Success Criteria is a definition of done (outcomes), unless its section names metrics.
        if (markedItem(item) && !/\b(?:metrics?|kpis?|indicators?|measures?)\b/i.test(roleTitle() ?? '')) return;
        if (bl) {
          if (knownKey(type, 'KPI', normalizeKey(bl.key)) || !nameLike(bl.key) || isAnnotationKey(bl.key) || isMetadataKey(bl.key)) return;
          title = cleanTitle(bl.key);
        } else {
          if (/^\s*`/.test(body)) return; // an identifier (a telemetry counter), not a metric a reader names
          const cut = body.search(/\s+\(|:\s|:$/);
          title = cleanTitle(cut > 0 ? body.slice(0, cut) : body);
          if (!title || title.split(/\s+/).length > 14) return;
        }
      } else if (c.role === 'personas') {
        // `- [Persona 2]: [Brief description]`: a template's persona slot names one too.
        const key = bl?.key ?? /^(\[[A-Za-z][\w' -]{0,40}\]|[A-Za-z][\w' -]{0,40}):\s/.exec(body)?.[1];
        if (!key || !nameLike(key) || isPersonaAttribute(key) || isMetadataKey(key) || isAnnotationKey(key)) return;
        if (!bl && !/\b(?:primary|secondary|tertiary|persona|user|segment|role)\b/i.test(key)) return;
        kind2 = 'PERSONA';
        title = cleanTitle(key);
      }
    }
    if (!kind2 || !title) return;
    // Under a priority label, a bullet with the very name of an entity read before (`- **Search**: …` after the
    // `| Search | … |` row) prioritises it: no second entity (readList records the mention).
    if (c.priority && (kind2 === 'FEAT' || kind2 === 'KPI') && candidates.filter((x) => x.kind === kind2 && sameName(x.title, title!)).length === 1) return;
    tSpan = titleSpanIn(l.text, l.start, title, bodyAt) ?? span(l.start + bodyAt, l.start + l.text.length);
    const parent = kind2 === 'KR' ? c.objective : undefined;
    add(
      {
        kind: kind2,
        idSpan: tSpan,
        title,
        titleSpan: tSpan,
        definedBy: 'bullet',
        headingSpan: paraSpan(text, para)!,
        span: is,
        depth: 0,
        properties: [...inlinePairs(l.text, l.start, kind2), ...nestedLines(spanOf(para)!.end, is.end, kind2)],
        ...(parent ? { parent } : {}),
      },
      c.priority,
    );
  }

  function readTable(table: Table, c: ReturnType<typeof ctx>): void {
    const [header, ...rows] = table.children;
    if (!header) return;
    const keys = header.children.map((cell) => {
      const s = cellSpan(cell, text);
      const raw = s ? src(s) : '';
      const words = raw
        .replace(/[*_`]/g, '')
        .replace(/\([^)]*\)/g, ' ')
        .replace(/[\p{Extended_Pictographic}\uFE0F]/gu, ' ')
        .trim();
      return { raw: words, key: normalizeKey(words), span: s ?? span(0, 0) };
    });
    // The strict reading's ID table (`| ID | … |` rows with Northstar IDs); a document's own codes there (`FR-1`) are labels.
    const idCol = keys[0]?.key === 'id';
    if (idCol && rows.some((row) => {
      const s = row.children[0] ? cellSpan(row.children[0], text) : undefined;
      return !!s && findIds(src(s)).length > 0;
    })) return;
    const TITLE_KIND: Record<string, EntityKind | 'role'> = {
      feature: 'FEAT',
      features: 'FEAT',
      requirement: 'FEAT',
      capability: 'FEAT',
      user_story: 'FEAT',
      story: 'FEAT',
      key_result: 'KR',
      key_results: 'KR',
      kr: 'KR',
      objective: 'OBJ',
      metric: 'role',
      metrics: 'role',
      kpi: 'role',
      kpis: 'role',
      name: 'role',
      title: 'role',
      persona: 'PERSONA',
    };
    const firstTitle = keys.findIndex((k) => TITLE_KIND[k.key] !== undefined);
    if (firstTitle < 0) return;
    const tk = TITLE_KIND[keys[firstTitle]!.key]!;
    // `| KR | Metric | Target |` with `| **KR 1.1** | History page implemented |`: the KR column holds the rows' labels,
    // so the table is one of key results and its Metric (Name, Title) column is each key result's own title, not a KPI it references.
    const labelOnly = (n: number) => rows.every((row) => {
      const s = row.children[n] ? cellSpan(row.children[n]!, text) : undefined;
      return !s || s.end <= s.start || /^[\p{L}]{0,4}[ .-]?\d+(?:\.\d+)*[a-z]?$/iu.test(plain(src(s)).trim());
    });
    const named = tk === 'KR' && keys[firstTitle]!.key === 'kr' && labelOnly(firstTitle) ? keys.findIndex((k, n) => n !== firstTitle && TITLE_KIND[k.key] === 'role') : -1;
    const titleCol = named >= 0 ? named : firstTitle;
    const labelCol = idCol && titleCol !== 0 ? 0 : keys.findIndex((k, n) => n !== titleCol && /^(?:#|no|nr|kr|label|ref)$/.test(k.key || k.raw));
    // `| # | Feature |` numbered 1, 2, 3 …: a rank (the rows' order), not a label an ID is derived from.
    const ranked = labelCol >= 0 && !idCol && rows.length > 0 && rows.every((row, n) => {
      const s = row.children[labelCol] ? cellSpan(row.children[labelCol]!, text) : undefined;
      return !!s && plain(src(s)).trim().replace(/[.)]$/, '') === String(n + 1);
    });
    let kind: EntityKind | undefined;
    if (tk === 'KR' || (tk === 'role' && c.role === 'keyResults')) kind = c.objective ? 'KR' : undefined;
    else if (tk === 'OBJ') kind = labelsObjectives ? undefined : 'OBJ'; // a scorecard restates the objectives the headings define
    else if (tk === 'FEAT') kind = c.role === 'features' ? 'FEAT' : undefined;
    else if (tk === 'PERSONA') kind = c.role === 'personas' ? 'PERSONA' : undefined;
    else kind = c.role === 'kpis' && keys[titleCol]!.key !== 'name' && keys[titleCol]!.key !== 'title' ? 'KPI' : kindOfRole(c.role === 'keyResults' ? undefined : c.role, c.objective);
    // `| Metric | Baseline | Q1 Target |` in a section whose title says nothing (`## Measurement Framework`): metrics with a
    // baseline or a target are KPIs, whatever the section is called.
    if (!kind && c.role === undefined && !c.objective && !c.entityBody && /^(?:metrics?|kpis?)$/.test(keys[titleCol]!.key)
      && keys.some((k, n) => n !== titleCol && /^(?:baseline|current|target|goal)\b|_target$/.test(k.key))) kind = 'KPI';
    if (!kind) return;
    for (const row of rows) {
      const cells = row.children;
      const tc = cells[titleCol] ? cellSpan(cells[titleCol], text) : undefined;
      if (!tc || tc.end <= tc.start) continue; // a ragged or empty row: no title, no entity
      // A group row (`| **Product Metrics** |`, ragged or not): every written cell wholly bold (a row with one plain title cell is an entity).
      const written = cells.map((cell) => cellSpan(cell, text)).filter((x): x is Span => !!x && x.end > x.start).map((x) => src(x).trim());
      const firstWritten = !!cells[0] && (cellSpan(cells[0], text)?.end ?? 0) > (cellSpan(cells[0], text)?.start ?? 0);
      const bold = (w: string) => /^(?:\*\*|__)[^*_]+(?:\*\*|__)$/.test(w);
      if (keys.length > 1 && written.length && written.every(bold) && (firstWritten || written.length > 1)) continue;
      const rawTitle = src(tc);
      // `| KR 1.1: Reduce churn | 5% |`: the title cell starts with the row's own label (KR 1.1), the title follows it.
      const own = labelCol < 0 || ranked ? parseLabel(plain(rawTitle)) : undefined;
      const ownLabel = own && own.label && own.kind === kind && cleanTitle(own.title) ? own : undefined;
      const title = cleanTitle(ownLabel ? ownLabel.title : rawTitle);
      if (!title || !/[\p{L}\p{N}]/u.test(title)) continue;
      const tSpan = titleSpanIn(rawTitle, tc.start, title, ownLabel?.titleAt) ?? tc;
      let label: string | undefined = ownLabel?.label;
      let labelSpan: Span | undefined = ownLabel ? span(tc.start + ownLabel.labelAt, tc.start + ownLabel.labelAt + ownLabel.label.length) : undefined;
      if (labelCol >= 0 && !ranked && cells[labelCol]) {
        const ls = cellSpan(cells[labelCol], text);
        const lt = ls ? plain(src(ls)).trim() : '';
        if (ls && lt) {
          label = lt;
          const at = src(ls).indexOf(lt);
          labelSpan = at >= 0 ? span(ls.start + at, ls.start + at + lt.length) : ls;
        }
      }
      const properties: Property[] = [];
      for (let k = 0; k < cells.length && k < keys.length; k++) {
        if (k === titleCol || k === labelCol) continue;
        const key = keys[k]!;
        const vs = cellSpan(cells[k]!, text);
        if (!vs || vs.end <= vs.start || !key.key || !knownKey(type, kind, key.key)) continue;
        const raw = src(vs);
        properties.push({ key: key.key, rawKey: key.raw, keySpan: key.span, raw, valueSpan: vs, items: splitValue(raw, vs.start) });
      }
      const rs = spanOf(row) ?? tc;
      // A row under a feature heading (`| US-1.1 | As a user, … |` under `### Epic 1 – …`) is its sub-feature.
      const parent = kind === 'KR' ? c.objective : kind === 'FEAT' && c.entityBody?.kind === 'FEAT' ? c.entityBody : undefined;
      add(
        {
          kind,
          ...(label ? { label } : {}),
          idSpan: labelSpan ?? tSpan,
          title,
          titleSpan: tSpan,
          definedBy: 'table',
          headingSpan: rs,
          span: rs,
          depth: 0,
          properties,
          ...(parent ? { parent } : {}),
        },
        c.priority,
      );
    }
  }

  // Scope lists: features, unless a list names entities defined elsewhere (then its items are mentions).
  const scoped = resolveScopeItems(scopeItems, candidates, mentions);
  if (scoped.length) {
    for (const it of scoped) add({ ...it.candidate }, it.priority);
    candidates.sort((a, b) => a.headingSpan.start - b.headingSpan.start);
  }
  // A prioritisation list that names entities defined elsewhere gives them its priorities.
  applyPriorityMentions(candidates, mentions, (cand) => knownKey(type, cand.kind, 'priority'));
  return { candidates, legend, pUsed };
}

/** Which ListItem/Paragraph types the reader relies on (kept for the type checker). */
export type { ListItem, Paragraph, Priority };
