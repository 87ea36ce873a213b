/**
 * What a heading (or a bold pseudo-heading) says about the blocks under it: which kind of entity
 * lives there (features, KPIs, personas, key results), that nothing does (non-functional
 * requirements, risks, roadmap, restatements…), and a MoSCoW priority it gives them.
 */
import type { Priority } from '../types.js';

export type Role = 'features' | 'kpis' | 'personas' | 'keyResults' | 'none';

/** Sections whose blocks are never entities, even under a Features or Requirements heading. */
const NONE = [
  /\bnon[\s-]?functional\b/,
  /\bnfrs?\b/,
  /\bconstraints?\b/,
  /\bassumptions?\b/,
  /\brisks?\b/,
  /\bmitigations?\b/,
  /\bopen questions?\b/,
  /\bquestions\b/,
  /\bglossary\b/,
  /\bterminology\b/,
  /\bdefinitions\b/,
  /\bkey entities\b/,
  /\bdata models?\b/,
  /\bentities\b/,
  /\buse cases?\b/,
  /\bacceptance\b/,
  /^scenario\b/,
  /\bedge cases\b/,
  /\bout of scope\b/,
  /\bnon[\s-]?goals?\b/,
  /\broadmap\b/,
  /\bdependenc(?:y|ies)\b/,
  /\bimplementation\b/,
  /\bclarifications?\b/,
  /\bdifferentiators?\b/,
  /\bcompetit/,
  /\bappendix\b/,
  /\btechnical\b/,
  /\barchitecture\b/,
  /\btimeline\b/,
  /\bchange ?log\b/,
  /\bchange history\b/,
  /\breferences\b/,
  /\boverview\b/,
  /\bsummary\b/,
  /\bdashboard\b/,
  /\bepic list\b/,
  /\bchecklist\b/,
  /\bbest practices\b/,
  /\banti[\s-]?patterns\b/,
  /\bexamples?\b/,
  /\bstatus\b/,
  /\binfrastructure\b/,
  /\bplatform requirements\b/,
  /\btest strategy\b/,
  /\bphases?\b(?!.*\bfeatures\b)/,
  /\bmvp requirements\b/,
  /\benhancements\b/,
  /\bmarket\b/,
  /\bflows?\b/,
  /\bjourneys?\b/,
  /\bux\b/,
  /\bui\b/,
  /\buser experience\b/,
  /\bdesign\b/,
  /\bapi\b/,
  /\bsecurity\b/,
  /\bperformance\b/,
  /\bmodule/,
  /\brepository\b/,
  /\bhow to\b/,
  /\bwhat are\b/,
  /\bprinciples\b/,
  /\btools\b/,
  /\bcadence\b/,
  /\bcheck[\s-]?ins?\b/,
  /\bgrading\b/,
  /\balignment\b/,
  /\bfeedback\b/,
  /\bplaybook\b/,
  /\bfailure\b/,
  /\bnext steps\b/,
  /\bsteps?\b/,
  /\bquarterly progress\b/,
  /\bvalidation criteria\b/,
  /\bmoscow\b/,
  /\bprioriti[sz]ation\b/,
  /\binitiatives\b/,
  /\bfocus areas\b/,
];

const FEATURES = [/\bfeatures?\b/, /\bcapabilit(?:y|ies)\b/, /\bcapability tree\b/, /\buser stories\b/, /\bstories\b/, /^(?:functional |product |business |system |core |key |user )?requirements\b/, /\bfunctional requirements\b/, /\bepics?\b/];
const KPIS = [/\bsuccess (?:metrics?|criteria|measures?|indicators?)\b/, /\bkpis?\b/, /\bkey (?:performance )?(?:metrics|indicators)\b/, /\bmetrics\b/, /\bmeasurable outcomes\b/];
const PERSONAS = [/\bpersonas?\b/, /\btarget (?:users?|audience|customers)\b/, /\buser (?:segments?|types|profiles?)\b/, /\bparticipants\b/, /\bwho (?:it|this) is for\b/];
const KEY_RESULTS = [/^key results?\b/, /^krs?\b$/];

/** Normalised words of a title: no emphasis, numbering, emoji or punctuation, lower case. */
export function words(title: string): string {
  return title
    .replace(/[*_`]/g, '')
    .replace(/^\s*(?:\d+(?:\.\d+)*[.)]?|[ivxIVX]+[.)]|[A-Za-z][.)])\s+/, '')
    .replace(/&/g, ' and ')
    .replace(/[^\p{L}\p{N}\s'-]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
}

/** The role a section title gives its blocks, or undefined when it says nothing (its blocks keep the enclosing role). */
export function roleOf(title: string): Role | undefined {
  const w = words(title);
  if (!w) return undefined;
  if (KEY_RESULTS.some((r) => r.test(w))) return 'keyResults';
  if (NONE.some((r) => r.test(w)) && !/^(?:core |key |mvp |must|should|could|nice|won)/.test(w)) return 'none';
  if (KPIS.some((r) => r.test(w))) return 'kpis';
  if (PERSONAS.some((r) => r.test(w))) return 'personas';
  if (FEATURES.some((r) => r.test(w))) return 'features';
  return undefined;
}

/** A MoSCoW phrase in a title (`Core Features (Must Have)`, `Nice-to-Have (Bonus Value)`): its text and offset. */
export function moscowIn(title: string): { raw: string; index: number; priority: Priority } | undefined {
  const m = /\b(must[\s-]?haves?|should[\s-]?haves?|could[\s-]?haves?|nice[\s-]?to[\s-]?haves?|won[’']?t[\s-]?haves?|will not have)\b/i.exec(title);
  if (!m) return undefined;
  const w = m[1]!.toLowerCase();
  const priority: Priority = w.startsWith('must') ? 'must' : w.startsWith('should') ? 'should' : w.startsWith('could') || w.startsWith('nice') ? 'could' : 'wont';
  return { raw: m[1]!, index: m.index, priority };
}

/** What words mean on a priority scale (`Critical`, `Important`, `Nice to have`, `Out of scope`). */
export function priorityOfWords(s: string): Priority | undefined {
  const w = s.toLowerCase();
  if (/\b(?:won[’']?t|wont|will not|out of scope|not planned|never|excluded)\b/.test(w)) return 'wont';
  if (/\b(?:must|critical|blocker|blocking|required|mandatory|highest|urgent|launch[\s-]?blocking)\b/.test(w)) return 'must';
  if (/\b(?:should|important|high|major)\b/.test(w)) return 'should';
  if (/\b(?:could|nice|low|lowest|optional|minor|medium|normal|later)\b/.test(w)) return 'could';
  return undefined;
}
