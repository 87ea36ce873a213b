/**
 * What a heading (or a bold pseudo-heading) says about the blocks under it: which kind of entity
 * lives there (features, KPIs, personas, key results), that nothing does (non-functional
 * requirements, risks, roadmap, restatements…), and a MoSCoW priority it gives them.
 */
import type { Priority } from '../types.js';

export type Role = 'features' | 'kpis' | 'personas' | 'keyResults' | 'objectives' | 'none';

/** What a title says: a role, `weak` (no entity section unless an enclosing one is), or nothing. */
export type TitleRole = Role | 'weak';

/**
 * Sections whose blocks are never entities, whatever encloses them or the title also says
 * (`Non-Functional Requirements`, `Implementation Status`, `Definition of Success`), and
 * everything under them.
 */
const STRONG_NONE = [
  /\bnon[\s-]?functional\b/,
  /\bnfrs?\b/,
  /\bconstraints?\b/,
  /\bassumptions?\b/,
  /\brisks?\b/,
  /\bopen questions?\b/,
  /\bglossary\b/,
  /\bterminology\b/,
  /\bdefinitions\b/,
  /\bkey entities\b/,
  /\bdata models?\b/,
  /^entities\b/,
  /\buse cases?\b/,
  /\bacceptance\b/,
  /^scenario\b/,
  /\bedge cases\b/,
  /\bout of scope\b/,
  /\bnon[\s-]?goals?\b/,
  /\broadmap\b/,
  /\bdependenc(?:y|ies)\b/,
  /^implementation\b/,
  /\bimplementation (?:status|plan|notes|details|progress)\b/,
  /\bimplemented\b/,
  /\bclarifications?\b/,
  /\bdifferentiators?\b/,
  /\bcompetit/,
  /\bappendix\b/,
  /\btimeline\b/,
  /\bchange ?log\b/,
  /\bchange history\b/,
  /\bretrospectives?\b/,
  /\breferences\b/,
  // An `OKR Dashboard` or a `Progress Dashboard` restates; `Daily Dashboard` under Features is a feature; a
  // `Success Metrics Dashboard` restates too, but a section under it may name its own metrics (see roleOf).
  /\b(?:okrs?|progress|status|results) dashboard\b/,
  /\bepic list\b/,
  /\bchecklist\b/,
  /\bbest practices\b/,
  /\banti[\s-]?patterns\b/,
  /\bvalidation criteria\b/,
  /\bsummary\b/,
  // OpenSpec deltas: what a change removes or renames is no requirement of the product.
  /^(?:removed|renamed|deprecated) requirements\b/,
  // Hypotheses and experiments (`Retention Drivers (A/B Testing Candidates)`) are not metrics.
  // Data schemas and file layouts describe data, not features (`#### 6.2.2 config.yaml Schema`, `## Recipe File Structure`).
  /\bschemas?\b/,
  /\b(?:file|folder|directory|project|repo(?:sitory)?) (?:structure|layout)\b/,
  /\bhypothes[ie]s\b/,
  /\bexperiments?\b/,
  /\ba b tests?\b/,
  /\ba b testing\b/,
  /\benhancements\b/,
  /\breadiness\b/,
  /\bdefinition of success\b/,
  /\bsuccess definition\b/,
  /\bmoscow\b/,
  /\bprioriti[sz]ation\b/,
  /\bwhat are\b/,
  /\bhow to\b/,
];

/** Sections that are no entity section unless an enclosing one is (`#### 4.2.6 Security & Privacy` under Functional Requirements holds requirements). */
const WEAK_NONE = [
  /\bmitigations?\b/,
  /\bquestions\b/,
  /\btechnical\b/,
  /\barchitecture\b/,
  /\bstatus\b/,
  /\binfrastructure\b/,
  /\bplatform requirements\b/,
  /\btest(?:ing)? strateg/,
  /\bphases?\b(?!.*\bfeatures\b)/,
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
  /\boverview\b/,
  /\bexamples?\b/,
  /\binitiatives\b/,
  /\bfocus areas\b/,
];

/** Goals and research are not metrics or personas, even under such a section (`### 2.1 Business Goals`, `### 3.1 User Research`). */
const GOALS = [/\bgoals?\b/, /\bresearch\b/, /\bfindings\b/];

const FEATURES = [/\bfeatures?\b/, /\bcapabilit(?:y|ies)\b/, /\bcapability tree\b/, /\buser stories\b/, /\bstories\b/, /^(?:functional |product |business |system |core |key |user )?requirements\b/, /^(?:added|modified|new|changed|updated) requirements\b/, /\b(?:user )?interface requirements\b/, /\bfunctional requirements\b/, /\bepics?\b/];
const KPIS = [/\bsuccess (?:metrics?|criteria|measures?|indicators?)\b/, /\bkpis?\b/, /\bkey (?:performance )?(?:metrics|indicators)\b/, /\bmetrics\b/, /\bmeasurable outcomes\b/];
const PERSONAS = [/\bpersonas?\b/, /\btarget (?:users?|audience|customers)\b/, /\b(?:primary|key|ideal|our) customers\b/, /\buser (?:segments?|types|profiles?)\b/, /\bparticipants\b/, /\bwho (?:it|this) is for\b/];
const KEY_RESULTS = [/^key results?\b/, /^krs?\b$/];
/** Where an OKR document states its objective without a label (`# Our Mission` / `## Win and expand enterprise accounts`). */
const OBJECTIVES = [/^(?:our )?(?:mission|objectives?)$/];

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
export function roleOf(title: string): TitleRole | undefined {
  const w = words(title);
  if (!w) return undefined;
  if (isStrongNone(title)) return 'none';
  // `Key Results Overview`, `Success Metrics Summary`: a restatement of entities defined elsewhere.
  // `Success Metrics Dashboard` restates the metrics too (a `Daily Dashboard` under Features is a feature).
  const restates = /\b(?:overview|summary|at a glance|recap)\b|\b(?:metrics?|kpis?) dashboard\b/.test(w);
  if (KEY_RESULTS.some((r) => r.test(w))) return restates ? 'none' : 'keyResults';
  if (restates && (KPIS.some((r) => r.test(w)) || FEATURES.some((r) => r.test(w)))) return 'none';
  if (OBJECTIVES.some((r) => r.test(w))) return 'objectives';
  if (KPIS.some((r) => r.test(w))) return 'kpis';
  if (PERSONAS.some((r) => r.test(w))) return 'personas';
  if (FEATURES.some((r) => r.test(w))) return 'features';
  if (GOALS.some((r) => r.test(w))) return 'none';
  if (WEAK_NONE.some((r) => r.test(w))) return 'weak';
  return undefined;
}

/** A section nothing under which is an entity. */
export function isStrongNone(title: string): boolean {
  const w = words(title);
  return STRONG_NONE.some((r) => r.test(w)) && !/^(?:must|should|could|nice|won)/.test(w);
}

/** What describes a persona rather than naming one (`**Demographics**`, `**Pain Points**`). */
export function isPersonaAttribute(title: string): boolean {
  return /^(?:demographics|goals?|values|pain points?|needs|behaviou?rs?|quotes?|profile|background|motivations?|frustrations?|challenges|jobs to be done|context|characteristics|bio|about|usage patterns?|current behaviou?rs.*|specific needs.*|goals they.*|tech(?:nical)? (?:level|savviness|proficiency)|key quote|day in the life|scenario|environment|tools they use|name|role|age(?: range)?|occupation|job(?: title)?|location|income|education|archetype|(?:current )?workflows?|company(?: size)?|team size|industry|user stor(?:y|ies)|pain|example)$/.test(words(title));
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

/** A sub-heading that describes the entity above it rather than naming another (`#### Acceptance Criteria`). */
export function isDescriptionHeading(title: string): boolean {
  const w = words(title);
  if (!w || roleOf(title) === 'none' || roleOf(title) === 'weak') return true;
  return /^(?:(?:functional |detailed |technical )?requirements|specifications?|details|description|notes|rationale|behaviou?r|user stor(?:y|ies)|scope|success criteria|metrics|kpis?|priority|status|context|background|problem|solution|approach|inputs?|outputs?|examples?|tasks|definition of done)$/.test(w);
}

/**
 * What a scope title says of the items under it: `in` (`In Scope`, `Must Have (MVP)`, `P0 - Must Have
 * for Launch`) or `out` (`Out of Scope`, `Won't Have`, `Not MVP`, `Future Releases`, `Deferred`).
 */
export function scopeOf(title: string): 'in' | 'out' | undefined {
  const w = words(title);
  if (!w) return undefined;
  if (/\bout of scope\b|\bnot (?:in )?(?:mvp|scope|included)\b|\bwon[’']?t[\s-]?haves?\b|\bwill not have\b|\bdeferred\b|\bpost[\s-]?mvp\b|\bfuture (?:releases?|phases?|versions?|features?|scope|enhancements?)\b|\bexcluded\b|\bnot included\b/.test(w)) return 'out';
  if (/\bin scope\b|^scope\b|\bmvp scope\b/.test(w) || moscowIn(title)) return 'in';
  return undefined;
}

/** A goals title (`### Primary Goals`): under a success section that does not itself name goals, it groups success criteria. */
export function isGoalsTitle(title: string): boolean {
  return /\bgoals?\b/.test(words(title));
}

/** A bold key that annotates rather than names a feature (`**Description**:`, `**Acceptance Criteria**:`, `**Example:**`). */
export function isFeatureAttribute(key: string): boolean {
  return /^(?:description|details?|summary|overview|purpose|goal|why|what|how|rationale|notes?|user stor(?:y|ies)|stories|acceptance(?: criteria)?|criteria|requirements?|specifications?|inputs?|outputs?|dependencies|depends on|priority|status|owner|effort|impact|scope|success (?:criteria|metrics?)|metrics?|kpis?|problem|solution|approach|examples?|e ?g|edge cases?|error handling|validation(?: rules)?|implementation|technical notes|risks?|assumptions?|constraints?|context|background|target|timeline|release|phase|version|tests?|definition of done)$/.test(words(key));
}

/** A bold key of document metadata (`**Created by**:`, `**Date**:`, `**Version:**`): never an entity. */
export function isMetadataKey(key: string): boolean {
  return /^(?:created(?: by| on| at)?|authors?|written by|prepared by|reviewed by|approved by|maintained by|owner|date|last (?:updated|modified|reviewed)|updated|version|status|contact|generated(?: by| on)?|document (?:owner|version|status)|revision)$/.test(words(key));
}

/** An item written as a checklist entry or marked done / excluded (`- [ ] Feature 1`, `- ❌ Workout tracking`, `- ✅ English`). */
export function isMarkedItem(line: string): boolean {
  return /^\s*(?:\[[ xX]\]|[\u274C\u2705\u2714\u2716\u2717\u2718\u2611\u2610\u2612\u26D4\u{1F6AB}])/u.test(line);
}

/** A bold key that annotates the text around it (`**Example:**`, `**Note:**`): never an entity's name. */
export function isAnnotationKey(key: string): boolean {
  return /^(?:examples?|e ?g|for example|notes?|tips?|hints?|warning|important|caution|definition|description|rationale|why|how|source|context|background|summary)$/.test(words(key));
}
