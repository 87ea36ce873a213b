/**
 * `northstar check [paths...]` and `northstar report`: the same diagnostics outside the editor.
 * Exit status: 0 no errors, 1 errors found, 2 bad usage or a failure of Northstar's own.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { analyzeDocument } from '../core/analysis.js';
import { checkWorkspace } from '../core/features/check.js';
import { WorkspaceIndex } from '../core/index/workspaceIndex.js';
import { SchemaRegistry } from '../core/schema/registry.js';
import { bundledSchemasDir, fileUri, findMarkdownFiles, loadSchemaSet, readMarkdownFile } from '../node/host.js';
import { counts, formatGithub, formatJson, formatSarif, formatText, type ReportedFile, type Skipped } from './formats.js';

const FORMATS = ['text', 'json', 'sarif', 'github'] as const;
type Format = (typeof FORMATS)[number];

const USAGE = `Usage: northstar <command> [options] [paths...]

Commands:
  check [paths...]   Check product briefs, PRDs and OKRs (default path: .)

Options:
  --format <f>       text (default), json, sarif or github
  --as-of <date>     The date that decides which OKRs are current (YYYY-MM-DD; default today)
  --schemas <dir>    Use the schemas in <dir> instead of the bundled ones
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
  color: boolean;
}

function parseArgs(argv: readonly string[], io: CliIo): Options | 'help' | 'version' {
  const opts: Options = { command: '', paths: [], format: 'text', color: io.isTty && !process.env.NO_COLOR };
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
  if (opts.command !== 'check') throw new UsageError(`unknown command "${opts.command}"`);
  return opts;
}

function packageRoot(): string {
  return path.dirname(bundledSchemasDir(path.dirname(fileURLToPath(import.meta.url))));
}

function version(): string {
  try {
    return (JSON.parse(fs.readFileSync(path.join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return '0.0.0';
  }
}

export function runCli(argv: readonly string[], io: CliIo): number {
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
  try {
    return check(opts, io);
  } catch (e) {
    io.stderr(`northstar: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    return 2;
  }
}

function check(opts: Options, io: CliIo): number {
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
  const files = findMarkdownFiles(paths);
  const index = new WorkspaceIndex();
  const skipped: Skipped[] = [];
  const rel = (f: string) => path.relative(io.cwd, f).split(path.sep).join('/') || path.basename(f);
  const pathOf = new Map<string, string>();
  for (const f of files) {
    const r = readMarkdownFile(f);
    if (r.text === undefined) {
      skipped.push({ path: rel(f), reason: r.skipped ?? 'unreadable' });
      continue;
    }
    const uri = fileUri(f);
    pathOf.set(uri, rel(f));
    index.set(analyzeDocument(uri, r.text, registry));
  }
  const results: ReportedFile[] = checkWorkspace(index)
    .filter((r) => index.get(r.uri)?.isSpec || r.diagnostics.length > 0)
    .map((r) => ({ path: pathOf.get(r.uri)!, uri: r.uri, lines: index.get(r.uri)!.lines, diagnostics: r.diagnostics }));
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
  return counts(results).errors > 0 ? 1 : 0;
}
