/**
 * `northstar check [paths...]` and `northstar report`: the same diagnostics outside the editor;
 * `northstar inspect [paths...]`: what the core understood in each file.
 * Exit status: 0 no errors, 1 errors found, 2 bad usage or a failure of Northstar's own.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { RULES, type Diagnostic, type Severity } from '../core/diagnostics.js';
import { todayIso } from '../core/model/values.js';
import { NorthstarService } from '../core/service.js';
import type { Analysis } from '../core/analysis.js';
import { SchemaRegistry } from '../core/schema/registry.js';
import { bundledSchemasDir, fileUri, findMarkdownFiles, findMetricFiles, loadSchemaSet, packageVersion, readMarkdownFile } from '../node/host.js';
import { ModelCache, analyzeThroughCache, textHash } from '../node/modelCache.js';
import { createGuardedParser, parseWorkerFile } from '../node/guardedParser.js';
import * as os from 'node:os';
import { compareWithBaseline, readBaseline, writeBaseline, type Finding } from './baseline.js';
import { changedFiles, GitError, idsOf, mentionsTouched, textAt } from './changed.js';
import { configFileFilter, findConfigFile, formatConfigProblem, loadConfig, readingKey, readingOptions, type LoadedConfig } from '../node/config.js';
import { runMetrics } from './metrics.js';
import { runAssignIds } from './assignIds.js';
import { counts, formatGithub, formatInspectJson, formatInspectText, formatJson, formatSarif, formatText, type InspectedFile, type ReportedFile, type Skipped } from './formats.js';

/** How many files are analysed at once. */
const CONCURRENCY = 4;

const FORMATS = ['text', 'json', 'sarif', 'github', 'markdown', 'html', 'svg'] as const;
/** report: Markdown (default, also "text"), a self-contained HTML page, or the strategy map as SVG. */
const REPORT_FORMATS: readonly string[] = ['text', 'markdown', 'html', 'svg'];
type Format = (typeof FORMATS)[number];

const USAGE = `Usage: northstar <command> [options] [paths...]

Commands:
  check [paths...]   Check product briefs, PRDs and OKRs, and roadmap alignment (default path: .)
  report [paths...]  Write the roadmap alignment report (Markdown, HTML or the map as SVG)
  assign-ids [paths...]
                     Write the derived ID of every entity read without one (prints the
                     changes; --write changes the files)
  inspect [paths...] Show what Northstar understood: each file's type and entities (ID, kind,
                     title, line, properties, parent)
  mcp                Serve the workspace to agents: an MCP server on stdio (read-only)
  metrics import     Turn an analytics export into metric snapshot rows (northstar metrics --help)

Options:
  --format <f>       check: text (default), json, sarif or github; inspect: text or json;
                     report: markdown (default), html (a self-contained page with the strategy
                     map) or svg (the strategy map)
  --out <file>       report: write to <file> instead of standard output
  --root <dir>       mcp: the workspace folder (default: .)
  --as-of <date>     The date that decides which OKRs are current (YYYY-MM-DD; default today)
  --rule <code>=<s>  Set a rule's severity: error, warning, information, hint or off (repeatable)
  --schemas <dir>    Use the schemas in <dir> instead of the bundled ones
  --config <file>    Read this config file instead of the nearest northstar.config.json / .northstar.json
  --no-config        Read no config file
  --baseline <file>  check: report (and fail on) only findings not recorded in <file>
  --write-baseline <file>
                     check: record today's findings in <file> (exit 0); --baseline <file> --update does the same
  --changed <ref>    check: only the files changed since the git ref <ref> (and uncommitted ones),
                     plus the findings in other files that name an ID those changes touch
  --fail-on <level>  check: exit 1 on findings of this severity or worse: error (default), warning, or never
  --hints            check: also print hints ("no ID yet", a reference written as a name), which the
                     editor shows in the text and not as problems
  --summary <file>   check: also append the alignment report (Markdown) to <file> (e.g. $GITHUB_STEP_SUMMARY)
  --cache            Keep extracted models in ~/.cache/northstar (faster repeated runs)
  --cache-dir <dir>  The same, in <dir>
  --no-color         Plain text output
  -h, --help         Show this help
  -v, --version      Show the version

Exit status: 0 no errors, 1 errors found, 2 bad usage or a failure of Northstar's own.
`;

export interface CliIo {
  readonly stdout: (s: string) => void;
  readonly stderr: (s: string) => void;
  readonly cwd: string;
  readonly isTty: boolean;
}

class UsageError extends Error {}

interface Options {
  command: string;
  paths: string[];
  format: Format;
  asOf?: string;
  schemas?: string;
  out?: string;
  root?: string;
  cacheDir?: string;
  severities: Record<string, Severity | 'off'>;
  color: boolean;
  /** Path of a config file; false: none (--no-config); undefined: the nearest one. */
  config?: string | false;
  baseline?: string;
  writeBaseline?: string;
  update?: boolean;
  changed?: string;
  summary?: string;
  failOn?: 'error' | 'warning' | 'never';
  /** check: print hint-severity findings too. */
  hints?: boolean;
  /** assign-ids: change the files (without it, print the changes only). */
  write?: boolean;
}

const SEVERITIES = ['error', 'warning', 'information', 'hint', 'off'] as const;

function parseArgs(argv: readonly string[], io: CliIo): Options | 'help' | 'version' {
  const opts: Options = { command: '', paths: [], format: 'text', severities: {}, color: io.isTty && !process.env.NO_COLOR };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = (name: string): string => {
      const eq = a.indexOf('=');
      if (eq > 0) return a.slice(eq + 1);
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) throw new UsageError(`${name} needs a value`);
      return v;
    };
    if (a === '-h' || a === '--help') return 'help';
    if (a === '-v' || a === '--version') return 'version';
    if (a === '--format' || a.startsWith('--format=')) {
      const f = value('--format');
      if (!(FORMATS as readonly string[]).includes(f)) throw new UsageError(`unknown format "${f}" (expected ${FORMATS.join(', ')})`);
      opts.format = f as Format;
    } else if (a === '--as-of' || a.startsWith('--as-of=')) {
      const d = value('--as-of');
      if (!/^\d{4}-\d{2}-\d{2}$/.test(d) || Number.isNaN(Date.parse(d))) throw new UsageError(`--as-of expects a date like 2026-11-23, got "${d}"`);
      opts.asOf = d;
    } else if (a === '--schemas' || a.startsWith('--schemas=')) {
      opts.schemas = value('--schemas');
    } else if (a === '--root' || a.startsWith('--root=')) {
      opts.root = value('--root');
    } else if (a === '--out' || a.startsWith('--out=')) {
      opts.out = value('--out');
    } else if (a === '--rule' || a.startsWith('--rule=')) {
      const r = value('--rule');
      const m = /^([a-z-]+)=([a-z]+)$/.exec(r);
      if (!m || !(m[1]! in RULES) || !(SEVERITIES as readonly string[]).includes(m[2]!)) {
        throw new UsageError(`--rule expects <code>=<${SEVERITIES.join('|')}> with a known code, got "${r}"`);
      }
      opts.severities[m[1]!] = m[2] as Severity | 'off';
    } else if (a === '--cache') {
      opts.cacheDir = path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'northstar');
    } else if (a === '--cache-dir' || a.startsWith('--cache-dir=')) {
      opts.cacheDir = path.resolve(io.cwd, value('--cache-dir'));
    } else if (a === '--config' || a.startsWith('--config=')) {
      opts.config = value('--config');
    } else if (a === '--no-config') {
      opts.config = false;
    } else if (a === '--baseline' || a.startsWith('--baseline=')) {
      opts.baseline = value('--baseline');
    } else if (a === '--write-baseline' || a.startsWith('--write-baseline=')) {
      opts.writeBaseline = value('--write-baseline');
    } else if (a === '--hints') {
      opts.hints = true;
    } else if (a === '--update') {
      opts.update = true;
    } else if (a === '--changed' || a.startsWith('--changed=')) {
      opts.changed = value('--changed');
    } else if (a === '--fail-on' || a.startsWith('--fail-on=')) {
      const f = value('--fail-on');
      if (f !== 'error' && f !== 'warning' && f !== 'never') throw new UsageError(`--fail-on expects error, warning or never, got "${f}"`);
      opts.failOn = f;
    } else if (a === '--summary' || a.startsWith('--summary=')) {
      opts.summary = value('--summary');
    } else if (a === '--write') {
      opts.write = true;
    } else if (a === '--no-color') {
      opts.color = false;
    } else if (a.startsWith('-')) {
      throw new UsageError(`unknown option "${a}"`);
    } else if (!opts.command) {
      opts.command = a;
    } else {
      opts.paths.push(a);
    }
  }
  if (!opts.command) throw new UsageError('no command given');
  if (opts.command === 'mcp' && opts.paths.length) throw new UsageError('mcp takes --root <dir>, not paths');
  if (opts.command !== 'check' && opts.command !== 'report' && opts.command !== 'inspect' && opts.command !== 'mcp' && opts.command !== 'assign-ids') throw new UsageError(`unknown command "${opts.command}"`);
  if (opts.command === 'inspect' && opts.format !== 'text' && opts.format !== 'json') throw new UsageError(`inspect prints text or json, not ${opts.format}`);
  if (opts.command === 'report' && !REPORT_FORMATS.includes(opts.format)) throw new UsageError(`report writes markdown, html or svg, not ${opts.format}`);
  if (opts.command === 'check' && REPORT_FORMATS.includes(opts.format) && opts.format !== 'text') throw new UsageError(`check prints text, json, sarif or github, not ${opts.format}`);
  if (opts.command !== 'check') {
    for (const [set, name] of [[opts.baseline, '--baseline'], [opts.writeBaseline, '--write-baseline'], [opts.changed, '--changed'], [opts.summary, '--summary'], [opts.update, '--update'], [opts.failOn, '--fail-on'], [opts.hints, '--hints']] as const) {
      if (set !== undefined) throw new UsageError(`${name} is an option of check`);
    }
  }
  if (opts.write && opts.command !== 'assign-ids') throw new UsageError('--write is an option of assign-ids');
  if (opts.update && !opts.baseline) throw new UsageError('--update goes with --baseline <file>');
  if (opts.writeBaseline && opts.baseline && path.resolve(opts.writeBaseline) !== path.resolve(opts.baseline)) throw new UsageError('give either --baseline or --write-baseline');
  return opts;
}

function packageRoot(): string {
  return path.dirname(bundledSchemasDir(path.dirname(fileURLToPath(import.meta.url))));
}

function version(): string {
  return packageVersion(bundledSchemasDir(packageRoot()));
}

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  if (argv[0] === 'metrics') return runMetrics(argv.slice(1), io);
  let opts: Options | 'help' | 'version';
  try {
    opts = parseArgs(argv, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`northstar: ${e.message}\n\n${USAGE}`);
      return 2;
    }
    throw e;
  }
  if (opts === 'help') {
    io.stdout(USAGE);
    return 0;
  }
  if (opts === 'version') {
    io.stdout(`${version()}\n`);
    return 0;
  }
  if (opts.command === 'mcp') {
    const { asOf, schemas, severities } = opts;
    const config: string | false | undefined = opts.config === false ? false : opts.config ? path.resolve(io.cwd, opts.config) : undefined;
    const mcpOptions = { root: path.resolve(io.cwd, opts.root ?? '.'), ...(asOf ? { asOf } : {}), ...(schemas ? { schemas: path.resolve(io.cwd, schemas) } : {}), severities, ...(config !== undefined ? { config } : {}) };
    // Loaded for this command only (dist/mcp.cjs next to the bundle, the compiled module in development):
    // the MCP SDK costs check and report nothing. The server runs until stdin closes.
    const bundled = path.join(path.dirname(fileURLToPath(import.meta.url)), 'mcp.cjs');
    const entry = fs.existsSync(bundled) ? pathToFileURL(bundled).href : '../mcp/main.js';
    (import(entry) as Promise<typeof import('../mcp/main.js')>).then(
      (m) => {
        const code = m.startMcp(mcpOptions, io.stderr);
        if (code !== 0) process.exitCode = code;
      },
      (e: unknown) => {
        io.stderr(`northstar: cannot start the MCP server: ${e instanceof Error ? e.message : String(e)}\n`);
        process.exitCode = 2;
      },
    );
    return 0;
  }
  try {
    const ws = await loadWorkspace(opts, io);
    if (typeof ws === 'number') return ws;
    return opts.command === 'report' ? report(opts, io, ws) : opts.command === 'inspect' ? inspect(opts, io, ws) : opts.command === 'assign-ids' ? runAssignIds(ws, Boolean(opts.write), io) : check(opts, io, ws);
  } catch (e) {
    io.stderr(`northstar: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    return 2;
  }
}

interface Loaded {
  readonly service: NorthstarService;
  readonly files: string[];
  readonly skipped: Skipped[];
  readonly pathOf: Map<string, string>;
  /** The config file read (if any) and its problems (already printed). */
  readonly config: LoadedConfig;
}

/** The config file of this run: --config, none (--no-config), or the nearest to the first path given. */
function readConfig(opts: Options, io: CliIo): LoadedConfig | number {
  if (opts.config === false) return { config: undefined, problems: [] };
  let file: string | undefined;
  if (opts.config) {
    file = path.resolve(io.cwd, opts.config);
    if (!fs.existsSync(file)) {
      io.stderr(`northstar: no such config file: ${opts.config}\n`);
      return 2;
    }
  } else {
    file = findConfigFile(path.resolve(io.cwd, opts.paths[0] ?? (opts.command === 'mcp' ? (opts.root ?? '.') : '.')));
  }
  if (!file) return { config: undefined, problems: [] };
  const loaded = loadConfig(file);
  for (const p of loaded.problems) io.stderr(`${formatConfigProblem(p, io.cwd)}\n`);
  if (!loaded.config) {
    io.stderr(`northstar: the config file ${path.relative(io.cwd, file) || file} cannot be used; fix it or run with --no-config\n`);
    return 2;
  }
  return loaded;
}

async function loadWorkspace(opts: Options, io: CliIo): Promise<Loaded | number> {
  const paths = (opts.paths.length ? opts.paths : ['.']).map((p) => path.resolve(io.cwd, p));
  for (const p of paths) {
    if (!fs.existsSync(p)) {
      io.stderr(`northstar: no such file or folder: ${path.relative(io.cwd, p) || p}\n`);
      return 2;
    }
  }
  const schemasDir = opts.schemas ? path.resolve(io.cwd, opts.schemas) : bundledSchemasDir(packageRoot());
  let registry: SchemaRegistry;
  try {
    registry = new SchemaRegistry(loadSchemaSet(schemasDir));
  } catch (e) {
    io.stderr(`northstar: cannot load schemas from ${schemasDir}: ${e instanceof Error ? e.message : String(e)}\n`);
    return 2;
  }
  if (registry.problems.length) {
    for (const p of registry.problems) io.stderr(`northstar: schema ${p.type}: ${p.message}\n`);
    return 2;
  }
  const config = readConfig(opts, io);
  if (typeof config === 'number') return config;
  const cfg = config.config;
  const files = findMarkdownFiles(paths, configFileFilter(cfg));
  const skipped: Skipped[] = [];
  const rel = (f: string) => path.relative(io.cwd, f).split(path.sep).join('/') || path.basename(f);
  const pathOf = new Map<string, string>();
  const workerFile = parseWorkerFile(path.dirname(fileURLToPath(import.meta.url)));
  const guarded = workerFile ? createGuardedParser(workerFile) : undefined;
  const reading = readingOptions(cfg);
  const service = new NorthstarService(registry, {
    asOf: opts.asOf ?? cfg?.asOf ?? todayIso(),
    severities: { ...(cfg?.rules ?? {}), ...opts.severities },
    ...(guarded ? { parse: guarded, parseAsync: guarded.parseAsync } : {}),
    ...(reading ? { reading } : {}),
  });
  const cache = opts.cacheDir ? new ModelCache(opts.cacheDir, ModelCache.keyOf(version(), registry.schemas, readingKey(cfg)), `models-${textHash(paths.join('|')).slice(0, 12)}`) : undefined;
  cache?.load();
  const hashes = new Set<string>();
  // Several files in flight, so that remark (in a pool of workers) and the scanner (here) use
  // both cores; the index is filled in file order afterwards, so the output never depends on
  // which analysis finished first.
  const analyses: (Analysis | undefined)[] = new Array(files.length);
  let next = 0;
  const work = async () => {
    while (next < files.length) {
      const k = next++;
      const f = files[k]!;
      const r = readMarkdownFile(f);
      if (r.text === undefined) {
        skipped.push({ path: rel(f), reason: r.skipped ?? 'unreadable' });
        continue;
      }
      const uri = fileUri(f);
      pathOf.set(uri, rel(f));
      analyses[k] = await analyzeThroughCache(cache, uri, r.text, (u, t) => service.analyzeAsync(u, t), (u, t, m) => service.fromModel(u, t, m), hashes);
    }
  };
  try {
    await Promise.all(Array.from({ length: CONCURRENCY }, work));
  } finally {
    guarded?.dispose();
  }
  for (const a of analyses) if (a) service.update(a);
  // Metric snapshots: CSV files under metrics/ folders (and the config file's globs) feed key-result progress.
  for (const f of findMetricFiles(paths, cfg?.metrics ?? [])) {
    const r = readMarkdownFile(f);
    if (r.text === undefined) {
      skipped.push({ path: rel(f), reason: r.skipped ?? 'unreadable' });
      continue;
    }
    const uri = fileUri(f);
    pathOf.set(uri, rel(f));
    service.setDataFile(uri, r.text);
  }
  skipped.sort((x, y) => x.path.localeCompare(y.path));
  cache?.save(hashes);
  return { service, files, skipped, pathOf, config };
}

function report(opts: Options, io: CliIo, ws: Loaded): number {
  const outDir = opts.out ? path.dirname(path.resolve(io.cwd, opts.out)) : io.cwd;
  const r = ws.service.alignmentReport((uri) => {
    const p = ws.pathOf.get(uri);
    return p ? path.relative(outDir, path.resolve(io.cwd, p)).split(path.sep).join('/') : uri;
  });
  const summary = r.summary;
  const markdown = opts.format === 'html' ? r.html : opts.format === 'svg' ? r.svg : r.markdown;
  if (opts.out) {
    fs.writeFileSync(path.resolve(io.cwd, opts.out), markdown);
    io.stderr(`northstar: wrote ${opts.out} (alignment score ${summary.score === null ? 'n/a' : `${summary.score}%`})\n`);
  } else {
    io.stdout(markdown);
  }
  return 0;
}

/** Every Markdown file read, its path relative to the folder given that holds it (a file given on its own: its name). */
function inspect(opts: Options, io: CliIo, ws: Loaded): number {
  const given = (opts.paths.length ? opts.paths : ['.']).map((p) => path.resolve(io.cwd, p));
  const files: InspectedFile[] = [];
  for (const uri of ws.pathOf.keys()) {
    const doc = ws.service.inspect(uri);
    if (!doc) continue;
    const file = fileURLToPath(uri);
    const base = given.find((g) => file === g || file.startsWith(g.endsWith(path.sep) ? g : g + path.sep));
    const rel = base === undefined || base === file ? path.basename(file) : path.relative(base, file);
    files.push({ path: rel.split(path.sep).join('/'), ...doc });
  }
  files.sort((x, y) => (x.path < y.path ? -1 : x.path > y.path ? 1 : 0));
  for (const s of ws.skipped) io.stderr(`northstar: ${s.path}: skipped (${s.reason})\n`);
  io.stdout(opts.format === 'json' ? formatInspectJson(files) : formatInspectText(files, opts.color));
  return 0;
}

function check(opts: Options, io: CliIo, ws: Loaded): number {
  // Hints are editor affordances (shown in the text, not in the Problems panel): printed on request.
  const shown = (ds: readonly Diagnostic[]) => (opts.hints ? ds : ds.filter((d) => d.severity !== 'hint'));
  let results: ReportedFile[] = ws.service.check().map((r) => ({ path: ws.pathOf.get(r.uri)!, uri: r.uri, lines: ws.service.linesOf(r.uri)!, diagnostics: shown(r.diagnostics) }));
  const skipped = ws.skipped;
  const files = ws.files;
  const notes: string[] = [];
  if (opts.changed) {
    const narrowed = onlyChanged(opts.changed, io, ws, results);
    if (typeof narrowed === 'number') return narrowed;
    results = narrowed.results;
    notes.push(narrowed.note);
  }
  const findings = (rs: readonly ReportedFile[]): Finding[] =>
    rs.flatMap((r) => {
      const source = { text: r.lines.text, entities: ws.service.get(r.uri)?.model.entities ?? [] };
      return r.diagnostics.map((d) => ({ file: fileURLToPath(r.uri), source, diagnostic: d }));
    });
  const writeTo = opts.writeBaseline ?? (opts.update ? opts.baseline : undefined);
  if (writeTo) {
    const file = path.resolve(io.cwd, writeTo);
    let n: number;
    try {
      n = writeBaseline(file, findings(results));
    } catch (e) {
      io.stderr(`northstar: cannot write the baseline ${writeTo}: ${e instanceof Error ? e.message : String(e)}\n`);
      return 2;
    }
    io.stderr(`northstar: recorded ${n} finding${n === 1 ? '' : 's'} in the baseline ${writeTo}; from now on check --baseline ${writeTo} reports only new ones.\n`);
    const summaryFailed = writeSummary(opts, io, ws);
    return summaryFailed ?? (ws.config.problems.length ? 1 : 0);
  }
  if (opts.baseline) {
    const file = path.resolve(io.cwd, opts.baseline);
    const b = readBaseline(file);
    if ('problem' in b) {
      io.stderr(`northstar: ${b.problem}\n`);
      return 2;
    }
    const cmp = compareWithBaseline(file, b.entries, findings(results));
    const fresh = new Set(cmp.fresh.map((f) => f.diagnostic));
    results = results.map((r) => ({ ...r, diagnostics: r.diagnostics.filter((d) => fresh.has(d)) }));
    // With --changed only part of the workspace is reported: what the baseline holds for the rest is not "fixed".
    const fixed = opts.changed ? '' : `, ${cmp.fixed} fixed since the baseline${cmp.fixed ? ` (run with --update to record that)` : ''}`;
    notes.push(`Baseline ${opts.baseline}: ${cmp.fresh.length} new finding${cmp.fresh.length === 1 ? '' : 's'}, ${cmp.known} known (not shown)${fixed}.`);
  }
  switch (opts.format) {
    case 'json':
      io.stdout(formatJson(results, skipped));
      break;
    case 'sarif':
      io.stdout(formatSarif(results, version(), pathToFileURL(io.cwd).href));
      break;
    case 'github':
      io.stdout(formatGithub(results));
      break;
    default:
      io.stdout(formatText(results, skipped, files.length, opts.color));
  }
  // Text and github: the notes belong to the output; json and sarif stay machine-readable.
  for (const n of notes) (opts.format === 'text' || opts.format === 'github' ? io.stdout : io.stderr)(`${n}\n`);
  const summaryFailed = writeSummary(opts, io, ws);
  if (summaryFailed !== undefined) return summaryFailed;
  const n = counts(results);
  const failed = opts.failOn === 'never' ? false : n.errors > 0 || (opts.failOn === 'warning' && n.warnings > 0) || ws.config.problems.length > 0;
  return failed ? 1 : 0;
}

/** --summary FILE: appends the alignment report to FILE (GitHub's job summary); a failure to write is exit 2. */
function writeSummary(opts: Options, io: CliIo, ws: Loaded): number | undefined {
  if (!opts.summary) return undefined;
  const file = path.resolve(io.cwd, opts.summary);
  const outDir = path.dirname(file);
  try {
    const { markdown } = ws.service.alignmentReport((uri) => {
      const p = ws.pathOf.get(uri);
      return p ? path.relative(outDir, path.resolve(io.cwd, p)).split(path.sep).join('/') : uri;
    });
    fs.appendFileSync(file, `${markdown.endsWith('\n') ? markdown : `${markdown}\n`}\n`);
  } catch (e) {
    io.stderr(`northstar: cannot write the summary ${opts.summary}: ${e instanceof Error ? e.message : String(e)}\n`);
    return 2;
  }
  return undefined;
}

/** --changed REF: the findings of the changed files, and those of other files that name an ID the change touched. */
function onlyChanged(ref: string, io: CliIo, ws: Loaded, results: readonly ReportedFile[]): { results: ReportedFile[]; note: string } | number {
  let changed;
  try {
    changed = changedFiles(path.resolve(io.cwd, ws.files.length ? path.dirname(ws.files[0]!) : '.'), ref);
  } catch (e) {
    if (e instanceof GitError) {
      io.stderr(`northstar: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
  // git names files by their real path; the workspace by the path it was given (maybe through a symlink).
  const real = (f: string) => {
    try {
      return fs.realpathSync(f);
    } catch {
      return f;
    }
  };
  const uriOfReal = new Map<string, string>();
  for (const uri of ws.pathOf.keys()) uriOfReal.set(real(fileURLToPath(uri)), uri);
  const changedReal = new Set([...changed.files].map(real));
  const touched = new Set<string>();
  let n = 0;
  for (const file of changed.files) {
    const uri = uriOfReal.get(real(file)) ?? fileUri(file);
    const now = ws.service.get(uri);
    if (now) {
      n++;
      for (const id of idsOf(now)) touched.add(id);
    }
    if (!/\.(md|markdown)$/i.test(file)) continue;
    const before = textAt(changed.top, changed.base, file);
    if (before !== undefined) {
      if (!now) n++;
      // In process (the worker pool is closed by now); the config's reading options as for the rest.
      const { asOf, reading } = ws.service.options;
      for (const id of idsOf(new NorthstarService(ws.service.registry, { asOf, ...(reading ? { reading } : {}) }).analyze(uri, before))) touched.add(id);
    }
  }
  const out = results.map((r) => {
    if (changedReal.has(real(fileURLToPath(r.uri)))) return r;
    return { ...r, diagnostics: r.diagnostics.filter((d) => mentionsTouched(r.lines.text, d, touched)) };
  });
  return { results: out, note: `Changed since ${ref}: ${n} Markdown file${n === 1 ? '' : 's'}; findings in other files are those that name an ID they define or cite.` };
}
