/**
 * `northstar metrics import --from amplitude|mixpanel|posthog|pendo|csv FILE --kpi KPI-x
 * [--out metrics/<kpi>.csv] [--source NAME] [--series NAME] [--field NAME] [--segment-field NAME]
 * [--date-order mdy|dmy] [--replace] [--dry-run]`: a vendor's export into a metric snapshot.
 * Appends one row per date; a date already there with the same value is skipped, with another
 * value the command stops and lists the conflicts (unless --replace). Bad input: exit 2, the file
 * and line or field named, the snapshot untouched.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { IMPORTERS, importExport, isVendor, type ImportIssue } from '../core/metrics/importers/index.js';
import { mergeIntoSnapshot } from '../core/metrics/importers/merge.js';
import type { CliIo } from './main.js';

export const METRICS_USAGE = `Usage: northstar metrics import --from <vendor> <file> --kpi <KPI-id> [options]

Turns an analytics export into rows of a metric snapshot (kpi,date,value,source[,segment]),
one row per date, appended to the snapshot (created with its header when absent).

Vendors (--from):
  amplitude   a chart's CSV download, or the Dashboard REST API's JSON (events/segmentation, chart query)
  mixpanel    the Query API's Insights JSON (or Segmentation JSON)
  posthog     a trends insight's JSON (query API results, or a saved insight's result)
  pendo       the Aggregation API's JSON (results by day), or a report's CSV
  csv         any CSV with a date column and a value column

Options:
  --kpi <id>             The KPI the numbers are (required), e.g. KPI-weekly-active-teams
  --out <file>           The snapshot to write (default: metrics/<KPI-id>.csv)
  --source <name>        The rows' source (default: the vendor's name; none for csv)
  --series <name>        The metric to take when the export holds several (event, formula, series)
  --field <name>         csv, pendo: the column or field that holds the value
  --segment-field <name> csv, pendo: the column or field whose values become segments
  --date-order <o>       mdy or dmy: how dates such as 05/01/2026 are read
  --replace              Overwrite a different value already in the snapshot for the same date
  --dry-run              Say what would change, write nothing

Exit status: 0 imported (or nothing new), 2 bad usage, an unreadable export or conflicts.
`;

const KPI_ID = /^KPI-[A-Za-z0-9]+(?:[-_.][A-Za-z0-9]+)*$/;

class UsageError extends Error {}

interface ImportArgs {
  from: string;
  file: string;
  kpi: string;
  out?: string;
  source?: string;
  series?: string;
  field?: string;
  segmentField?: string;
  dateOrder?: 'mdy' | 'dmy';
  replace: boolean;
  dryRun: boolean;
}

function parseImportArgs(argv: readonly string[]): ImportArgs | 'help' {
  const a: Partial<ImportArgs> & { replace: boolean; dryRun: boolean } = { replace: false, dryRun: false };
  const files: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    const value = (): string => {
      if (eq > 0) return arg.slice(eq + 1);
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) throw new UsageError(`${name} needs a value`);
      return v;
    };
    switch (name) {
      case '-h':
      case '--help':
        return 'help';
      case '--from':
        a.from = value();
        break;
      case '--kpi':
        a.kpi = value();
        break;
      case '--out':
        a.out = value();
        break;
      case '--source':
        a.source = value();
        break;
      case '--series':
        a.series = value();
        break;
      case '--field':
        a.field = value();
        break;
      case '--segment-field':
        a.segmentField = value();
        break;
      case '--date-order': {
        const o = value();
        if (o !== 'mdy' && o !== 'dmy') throw new UsageError(`--date-order expects mdy or dmy, got "${o}"`);
        a.dateOrder = o;
        break;
      }
      case '--replace':
        a.replace = true;
        break;
      case '--dry-run':
        a.dryRun = true;
        break;
      default:
        if (arg.startsWith('-') && arg !== '-') throw new UsageError(`unknown option "${arg}"`);
        files.push(arg);
    }
  }
  const vendors = Object.keys(IMPORTERS).join(', ');
  if (!a.from) throw new UsageError(`--from is required (${vendors})`);
  if (!isVendor(a.from)) throw new UsageError(`unknown vendor "${a.from}" for --from (expected ${vendors})`);
  if (files.length !== 1) throw new UsageError(files.length ? `one export file at a time, got ${files.length}` : 'no export file given');
  if (!a.kpi) throw new UsageError('--kpi is required, e.g. --kpi KPI-weekly-active-teams');
  if (!KPI_ID.test(a.kpi)) throw new UsageError(`--kpi expects a KPI- ID such as KPI-weekly-active-teams, got "${a.kpi}"`);
  return { ...a, from: a.from, kpi: a.kpi, file: files[0]! };
}

/** `northstar metrics …`. */
export function runMetrics(argv: readonly string[], io: CliIo): number {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === '-h' || sub === '--help') {
    (sub ? io.stdout : io.stderr)(METRICS_USAGE);
    return sub ? 0 : 2;
  }
  if (sub !== 'import') {
    io.stderr(`northstar: unknown metrics command "${sub}" (expected import)\n\n${METRICS_USAGE}`);
    return 2;
  }
  let args: ImportArgs | 'help';
  try {
    args = parseImportArgs(rest);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`northstar: ${e.message}\n\n${METRICS_USAGE}`);
      return 2;
    }
    throw e;
  }
  if (args === 'help') {
    io.stdout(METRICS_USAGE);
    return 0;
  }
  return importCommand(args, io);
}

function importCommand(args: ImportArgs, io: CliIo): number {
  const rel = (p: string) => path.relative(io.cwd, p).split(path.sep).join('/') || p;
  const file = path.resolve(io.cwd, args.file);
  let text: string;
  try {
    const buf = fs.readFileSync(file);
    text = new TextDecoder('utf-8', { fatal: true }).decode(buf);
  } catch (e) {
    const code = (e as { code?: string }).code;
    io.stderr(`northstar: ${rel(file)}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'a folder, not an export file' : e instanceof TypeError ? 'not UTF-8 text (save the export as UTF-8)' : `cannot read it (${e instanceof Error ? e.message : String(e)})`}\n`);
    return 2;
  }
  const result = importExport(args.from as keyof typeof IMPORTERS, text, {
    ...(args.series !== undefined ? { series: args.series } : {}),
    ...(args.field !== undefined ? { field: args.field } : {}),
    ...(args.segmentField !== undefined ? { segmentField: args.segmentField } : {}),
    ...(args.dateOrder ? { dateOrder: args.dateOrder } : {}),
  });
  const at = (e: ImportIssue) => `${rel(file)}${e.line !== undefined ? `:${e.line}` : ''}: ${e.field !== undefined ? `${e.field}: ` : ''}${e.message}`;
  if (result.errors.length) {
    for (const e of result.errors.slice(0, 20)) io.stderr(`northstar: ${at(e)}\n`);
    if (result.errors.length > 20) io.stderr(`northstar: … and ${result.errors.length - 20} more\n`);
    io.stderr(`northstar: nothing imported from ${rel(file)} (as a ${args.from} export)\n`);
    return 2;
  }
  const out = path.resolve(io.cwd, args.out ?? path.join('metrics', `${args.kpi}.csv`));
  let existing: string | undefined;
  try {
    existing = fs.existsSync(out) ? fs.readFileSync(out, 'utf8') : undefined;
  } catch (e) {
    io.stderr(`northstar: ${rel(out)}: cannot read it (${e instanceof Error ? e.message : String(e)})\n`);
    return 2;
  }
  const source = args.source ?? result.source;
  const merged = mergeIntoSnapshot({ existing, uri: pathToFileURL(out).href, kpi: args.kpi, ...(source ? { source } : {}), points: result.points, replace: args.replace });
  if (merged.errors.length) {
    for (const e of merged.errors) io.stderr(`northstar: ${rel(out)}: ${e}\n`);
    return 2;
  }
  if (merged.conflicts.length && !args.replace) {
    io.stderr(`northstar: ${rel(out)} already has other values for ${merged.conflicts.length} date${merged.conflicts.length === 1 ? '' : 's'} of ${args.kpi}:\n`);
    for (const c of merged.conflicts.slice(0, 20)) io.stderr(`  ${c.date}${c.segment ? ` (${c.segment})` : ''}: ${c.existing} in ${rel(out)}:${c.line}, ${c.imported} in ${rel(file)}${c.where ? ` (${c.where})` : ''}\n`);
    if (merged.conflicts.length > 20) io.stderr(`  … and ${merged.conflicts.length - 20} more\n`);
    io.stderr('northstar: nothing written; run again with --replace to take the export\'s values\n');
    return 2;
  }
  for (const n of [...result.notes, ...merged.notes]) io.stderr(`northstar: note: ${n}\n`);
  const dates = result.points.map((p) => p.date).sort();
  const summary = `${merged.added} row${merged.added === 1 ? '' : 's'} added, ${merged.same} already there${merged.replaced ? `, ${merged.replaced} replaced` : ''} (${args.kpi}${source ? `, ${source}` : ''}, ${dates[0]} … ${dates[dates.length - 1]})`;
  if (args.dryRun) {
    io.stderr(`northstar: ${rel(out)}: would be ${summary.replace(' added', ' to add')} — nothing written (--dry-run)\n`);
    return 0;
  }
  if (merged.text !== undefined && merged.text !== existing) {
    try {
      fs.mkdirSync(path.dirname(out), { recursive: true });
      const tmp = `${out}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, merged.text);
      fs.renameSync(tmp, out);
    } catch (e) {
      io.stderr(`northstar: ${rel(out)}: cannot write it (${e instanceof Error ? e.message : String(e)})\n`);
      return 2;
    }
  }
  io.stderr(`northstar: ${rel(out)}: ${summary}\n`);
  return 0;
}
