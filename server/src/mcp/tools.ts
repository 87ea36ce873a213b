/**
 * The MCP tools: for each, a description written for a model, the JSON Schema of its input, the
 * contract its structured output follows (schemas/contracts/), and what it asks the service.
 * Adapter only: every answer comes from NorthstarService; this file turns URIs into paths and
 * arguments into calls. Read-only: no tool writes anything.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RULES, docsUrl, type Severity } from '../core/diagnostics.js';
import { ID_KINDS, type IdKind } from '../core/ids.js';
import { FIND_DEFAULT_LIMIT, FIND_MAX_LIMIT } from '../core/features/entities.js';
import type { AlignmentSummary } from '../core/alignment/summary.js';
import { editDistance } from '../core/text/similar.js';
import { checkJson, type ReportedFile } from '../cli/formats.js';
import { ruleSection } from './rulesDoc.js';
import type { McpWorkspace } from './workspace.js';

export type JsonSchema = Record<string, unknown>;

/** A tool's answer: structured output, or an error message for the model (isError). */
export type ToolAnswer = { readonly output: Record<string, unknown> } | { readonly error: string };

export interface ToolEnv {
  readonly ws: McpWorkspace;
  /** docs/RULES.md, read once. */
  readonly rulesPage: () => string;
  /** The as-of date when the call gives none: --as-of, else today. */
  readonly asOf: () => string;
}

export interface ToolSpec {
  readonly name: string;
  readonly title: string;
  readonly description: string;
  readonly inputSchema: JsonSchema;
  /** The file under schemas/contracts/ its structured output follows. */
  readonly contract: string;
  readonly run: (args: Record<string, unknown>, env: ToolEnv) => ToolAnswer;
}

const DATE = '^\\d{4}-\\d{2}-\\d{2}$';

function object(properties: Record<string, JsonSchema>, required: string[] = []): JsonSchema {
  return { type: 'object', properties, ...(required.length ? { required } : {}), additionalProperties: false };
}

/** Every `uri` of an answer becomes `path` (relative to the root, as `check` prints paths). */
function withPaths(value: unknown, pathOf: (uri: string) => string): unknown {
  if (Array.isArray(value)) return value.map((v) => withPaths(v, pathOf));
  if (!value || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (k === 'uri' && typeof v === 'string') out.path = pathOf(v);
    else out[k] = withPaths(v, pathOf);
  }
  return out;
}

function nearestOf(word: string, candidates: readonly string[], n: number): string[] {
  const w = word.toLowerCase();
  return candidates
    .map((c) => ({ c, d: editDistance(w, c.toLowerCase(), 20) - (c.includes(w) || w.includes(c) ? 3 : 0) }))
    .sort((a, b) => a.d - b.d || a.c.localeCompare(b.c))
    .slice(0, n)
    .map((x) => x.c);
}

const findEntities: ToolSpec = {
  name: 'find_entities',
  title: 'Find entities',
  description:
    'Search the product strategy kept in this repository (product briefs, PRDs, OKR documents as Markdown) for the IDs it defines: ' +
    'features (FEAT-…), KPIs (KPI-…), objectives (OBJ-…), key results (KR-…), personas (PERSONA-…) and documents (BRIEF-…, PRD-…, OKR-…). ' +
    'Every word of `query` must occur in the ID or its title (case-insensitive); an exact ID comes first. Leave `query` out to list all of a `kind`. ' +
    'Answers each ID with its kind, title, defining document and file:line. Use it to find the ID to pass to `trace`.',
  inputSchema: object({
    query: { type: 'string', maxLength: 200, description: 'Words of the ID or title, e.g. "saved cards" or "FEAT-saved". Empty: everything (of `kind`).' },
    kind: { type: 'string', enum: [...ID_KINDS], description: 'Only IDs of this kind: FEAT feature, KPI, OBJ objective, KR key result, PERSONA, BRIEF, PRD, OKR.' },
    limit: { type: 'integer', minimum: 1, maximum: FIND_MAX_LIMIT, description: `At most this many entities (default ${FIND_DEFAULT_LIMIT}).` },
  }),
  contract: 'find-entities-output.v1.schema.json',
  run: (args, { ws }) => {
    const r = ws.service.findEntities(
      {
        ...(typeof args.query === 'string' ? { query: args.query } : {}),
        ...(typeof args.kind === 'string' ? { kind: args.kind as IdKind } : {}),
        ...(typeof args.limit === 'number' ? { limit: args.limit } : {}),
      },
      ws.pathOf,
    );
    return { output: { entities: r.entities, total: r.total, truncated: r.total > r.entities.length } };
  },
};

const trace: ToolSpec = {
  name: 'trace',
  title: 'Trace an ID through the strategy',
  description:
    'Follow one ID through the strategy, in both directions. A feature (FEAT-…): the KPIs it moves, the key results that measure those KPIs with their progress (0..1), ' +
    'their objectives and OKRs (and whether each OKR is current), and the alignment verdict (aligned, late, unaligned, no-kpi, not-planned). ' +
    'A KPI: the features that move it and the key results that measure it. A key result: its objective, OKR, progress and the features behind it. ' +
    'An objective: its key results. A document (BRIEF/PRD/OKR): its status and the IDs it defines. An ID defined nowhere is an error that names the nearest defined IDs.',
  inputSchema: object({ id: { type: 'string', minLength: 1, maxLength: 200, description: 'The ID, e.g. FEAT-saved-cards, KPI-checkout-conversion, KR-2026Q4.1.' } }, ['id']),
  contract: 'trace-output.v1.schema.json',
  run: (args, { ws }) => {
    const id = String(args.id).trim();
    const r = ws.service.trace(id, ws.pathOf);
    if (r.found) return { output: r.trace as unknown as Record<string, unknown> };
    const near = r.nearest.length ? ` Nearest defined IDs: ${r.nearest.join(', ')}.` : ' The workspace defines no similar ID.';
    const mentioned = r.mentioned ? ` It is mentioned ${r.mentioned} time${r.mentioned === 1 ? '' : 's'} but defined nowhere.` : '';
    return { error: `No entity ${id} is defined in the workspace.${mentioned}${near} Use find_entities to search by words of the title.` };
  },
};

const check: ToolSpec = {
  name: 'check',
  title: 'Check the specs',
  description:
    'Run Northstar\'s deterministic rules over the workspace: schema and format errors in briefs, PRDs and OKRs, unresolved or wrong references, ' +
    'and roadmap alignment (features that serve no current key result, key results no planned feature moves, features shipping after their key result\'s period). ' +
    'Answers exactly what `northstar check --format json` prints when run in the root: per file its findings with code, severity, message, 1-based range and a docs link (explain_rule tells more about a code). ' +
    'Give `paths` (files or folders, relative to the root) to keep only the findings in those files; the workspace is always read whole, so references across files resolve.',
  inputSchema: object({
    paths: { type: 'array', maxItems: 100, items: { type: 'string', minLength: 1, maxLength: 1000 }, description: 'Files or folders relative to the root, e.g. ["prds/saved-cards.prd.md"]. Default: all.' },
  }),
  contract: 'check-output.v1.schema.json',
  run: (args, { ws }) => {
    const wanted: string[] = [];
    for (const p of Array.isArray(args.paths) ? (args.paths as string[]) : []) {
      const abs = path.resolve(ws.root, p);
      const rel = path.relative(ws.root, abs);
      if (rel.startsWith('..') || path.isAbsolute(rel)) return { error: `${p} is outside the workspace root ${ws.root}.` };
      if (!fs.existsSync(abs)) return { error: `No such file or folder: ${p} (paths are relative to ${ws.root}).` };
      wanted.push(rel.split(path.sep).join('/'));
    }
    const keep = (p: string) => !wanted.length || wanted.some((w) => w === '' || p === w || p.startsWith(`${w}/`));
    const files: ReportedFile[] = [];
    for (const r of ws.service.check()) {
      // A document's lines, or a metric snapshot's (its findings are at their CSV lines).
      const lines = ws.service.linesOf(r.uri);
      const p = ws.pathOf(r.uri);
      if (lines && keep(p)) files.push({ path: p, uri: r.uri, lines, diagnostics: r.diagnostics });
    }
    return { output: checkJson(files, ws.skipped().filter((s) => keep(s.path))) };
  },
};

function summaryOutput(s: AlignmentSummary, pathOf: (uri: string) => string): Record<string, unknown> {
  const { findings, ...rest } = s;
  const byCode = new Map<string, { code: string; severity: Severity; count: number }>();
  for (const f of findings) {
    const c = byCode.get(f.code) ?? byCode.set(f.code, { code: f.code, severity: f.severity, count: 0 }).get(f.code)!;
    c.count++;
  }
  return { ...(withPaths(rest, pathOf) as Record<string, unknown>), findingsByCode: [...byCode.values()] };
}

const alignmentSummary: ToolSpec = {
  name: 'alignment_summary',
  title: 'Roadmap alignment summary',
  description:
    'The alignment report in numbers: the score (the share of planned effort, or of planned features when some have no effort, that serves a key result of a current OKR), ' +
    'and per current OKR and objective: progress (0..1, weighted), each key result with its KPI, baseline/current/target, progress, whether planned work covers it and which features; ' +
    'the planned features that serve no current key result; OKRs that are not current; products (briefs) by lifecycle stage; and the number of findings per rule code. ' +
    '`asOf` (YYYY-MM-DD) decides which OKRs are current; default: the server\'s --as-of, else today.',
  inputSchema: object({ asOf: { type: 'string', pattern: DATE, description: 'The date that decides which OKRs are current, e.g. 2026-11-23.' } }),
  contract: 'alignment-summary-output.v1.schema.json',
  run: (args, { ws, asOf }) => {
    const date = typeof args.asOf === 'string' ? args.asOf : asOf();
    if (Number.isNaN(Date.parse(date))) return { error: `asOf must be a real date like 2026-11-23, got "${date}".` };
    const { summary } = ws.service.alignmentReport(ws.pathOf, { ...ws.service.checkOptions, asOf: date });
    return { output: summaryOutput(summary, ws.pathOf) };
  },
};

const explainRule: ToolSpec = {
  name: 'explain_rule',
  title: 'Explain a rule',
  description:
    'The documentation of one Northstar rule, by the code a finding carries (e.g. feature-not-aligned, missing-section, invalid-value): ' +
    'its default severity, what it means, why it matters, an invalid and a valid example, the message Northstar prints and how to fix it — the rule\'s section of docs/RULES.md.',
  inputSchema: object({ code: { type: 'string', minLength: 1, maxLength: 100, description: 'The rule code, as in a finding\'s `code`.' } }, ['code']),
  contract: 'explain-rule-output.v1.schema.json',
  run: (args, { rulesPage }) => {
    const code = String(args.code).trim();
    const rule = (RULES as Record<string, { severity: Severity; summary: string }>)[code];
    const codes = Object.keys(RULES);
    if (!rule) return { error: `No rule has the code "${code}". Nearest codes: ${nearestOf(code, codes, 3).join(', ')}. Every code: ${codes.join(', ')}.` };
    const text = ruleSection(rulesPage(), code);
    if (text === undefined) return { error: `docs/RULES.md has no section for ${code}; see ${docsUrl(code)}.` };
    return { output: { code, severity: rule.severity, summary: rule.summary, docs: docsUrl(code), text } };
  },
};

export const TOOLS: readonly ToolSpec[] = [findEntities, trace, check, alignmentSummary, explainRule];
