/** Output formats of `northstar check`: text, json, sarif (2.1.0), github (workflow commands); of `northstar inspect`: text, json. */
import { docsUrl, RULES, type Diagnostic, type Severity } from '../core/diagnostics.js';
import type { InspectedDocument } from '../core/features/inspect.js';
import type { LineIndex } from '../core/text/lineIndex.js';

export interface ReportedFile {
  /** Path relative to the working directory, with `/` separators. */
  readonly path: string;
  readonly uri: string;
  readonly lines: LineIndex;
  readonly diagnostics: readonly Diagnostic[];
}

export interface Skipped {
  readonly path: string;
  readonly reason: string;
}

interface Pos {
  startLine: number;
  startColumn: number;
  endLine: number;
  endColumn: number;
}

function region(f: ReportedFile, d: Diagnostic): Pos {
  const s = f.lines.humanPosition(d.span.start);
  const e = f.lines.humanPosition(d.span.end);
  return { startLine: s.line, startColumn: s.column, endLine: e.line, endColumn: e.column };
}

export function counts(files: readonly ReportedFile[]): { errors: number; warnings: number; infos: number } {
  let errors = 0;
  let warnings = 0;
  let infos = 0;
  for (const f of files)
    for (const d of f.diagnostics) {
      if (d.severity === 'error') errors++;
      else if (d.severity === 'warning') warnings++;
      else infos++;
    }
  return { errors, warnings, infos };
}

export function formatText(files: readonly ReportedFile[], skipped: readonly Skipped[], checked: number, color: boolean): string {
  const c = (code: string, s: string) => (color ? `\u001b[${code}m${s}\u001b[0m` : s);
  const sev = (s: Severity) => (s === 'error' ? c('31', 'error') : s === 'warning' ? c('33', 'warning') : c('36', s));
  const out: string[] = [];
  for (const f of files) {
    for (const d of f.diagnostics) {
      const p = region(f, d);
      out.push(`${c('1', `${f.path}:${p.startLine}:${p.startColumn}`)}  ${sev(d.severity)}  ${d.message}  ${c('2', d.code)}`);
    }
  }
  for (const s of skipped) out.push(`${s.path}: skipped (${s.reason})`);
  const n = counts(files);
  const specs = files.length;
  out.push(
    `${out.length ? '\n' : ''}${n.errors} error${n.errors === 1 ? '' : 's'}, ${n.warnings} warning${n.warnings === 1 ? '' : 's'} in ${checked} Markdown file${checked === 1 ? '' : 's'} (${specs} spec document${specs === 1 ? '' : 's'}).`,
  );
  return out.join('\n') + '\n';
}

/** The `check --format json` document (schemas/contracts/check-output.v1.schema.json); the MCP `check` tool answers the same. */
export function checkJson(files: readonly ReportedFile[], skipped: readonly Skipped[]) {
  const n = counts(files);
  return {
    summary: { ...n, files: files.length },
    files: files.map((f) => ({
      path: f.path,
      diagnostics: f.diagnostics.map((d) => ({
        code: String(d.code),
        severity: d.severity,
        message: d.message,
        range: region(f, d),
        docs: docsUrl(String(d.code)),
        ...(d.related?.length ? { related: d.related.map((r) => ({ uri: r.uri, message: r.message })) } : {}),
      })),
    })),
    skipped: [...skipped],
  };
}

export function formatJson(files: readonly ReportedFile[], skipped: readonly Skipped[]): string {
  return JSON.stringify(checkJson(files, skipped), null, 2) + '\n';
}

const SARIF_LEVEL: Record<Severity, string> = { error: 'error', warning: 'warning', information: 'note', hint: 'note' };

export function formatSarif(files: readonly ReportedFile[], version: string, rootUri: string): string {
  const used = new Set<string>();
  for (const f of files) for (const d of f.diagnostics) used.add(String(d.code));
  const ruleIds = [...Object.keys(RULES), ...[...used].filter((c) => !(c in RULES))];
  const rules = ruleIds.map((id) => {
    const r = (RULES as Record<string, { severity: Severity; summary: string }>)[id];
    return {
      id,
      name: id.replace(/(^|-)([a-z])/g, (_, __, ch: string) => ch.toUpperCase()),
      shortDescription: { text: r?.summary ?? id },
      helpUri: docsUrl(id),
      defaultConfiguration: { level: SARIF_LEVEL[r?.severity ?? 'warning'] },
    };
  });
  const results = files.flatMap((f) =>
    f.diagnostics.map((d) => {
      const p = region(f, d);
      return {
        ruleId: String(d.code),
        ruleIndex: ruleIds.indexOf(String(d.code)),
        level: SARIF_LEVEL[d.severity],
        message: { text: d.message },
        locations: [
          {
            physicalLocation: {
              artifactLocation: { uri: encodeURI(f.path), uriBaseId: 'SRCROOT' },
              region: p,
            },
          },
        ],
      };
    }),
  );
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'Northstar', version, semanticVersion: version, informationUri: 'https://github.com/northstar-pm/northstar', rules } },
        originalUriBaseIds: { SRCROOT: { uri: rootUri.endsWith('/') ? rootUri : `${rootUri}/` } },
        columnKind: 'utf16CodeUnits',
        results,
      },
    ],
  };
  return JSON.stringify(sarif, null, 2) + '\n';
}

function escData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}
function escProp(s: string): string {
  return escData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export function formatGithub(files: readonly ReportedFile[]): string {
  const out: string[] = [];
  for (const f of files)
    for (const d of f.diagnostics) {
      const p = region(f, d);
      const cmd = d.severity === 'error' ? 'error' : d.severity === 'warning' ? 'warning' : 'notice';
      out.push(`::${cmd} file=${escProp(f.path)},line=${p.startLine},col=${p.startColumn},endLine=${p.endLine},endColumn=${p.endColumn},title=${escProp(`Northstar ${d.code}`)}::${escData(d.message)}`);
    }
  const n = counts(files);
  out.push(`Northstar: ${n.errors} error(s), ${n.warnings} warning(s) in ${files.length} spec document(s).`);
  return out.join('\n') + '\n';
}

/** A file as `northstar inspect` shows it: its path and what the core understood in it. */
export interface InspectedFile extends InspectedDocument {
  /** Path relative to the folder given (a file given on its own: its name), with `/` separators. */
  readonly path: string;
}

/** The `inspect --format json` document (schemas/contracts/inspect-output.v1.schema.json). */
export function inspectJson(files: readonly InspectedFile[]) {
  return { files: files.map((f) => ({ path: f.path, type: f.type, entities: f.entities, ...(f.fieldsFromText ? { fieldsFromText: f.fieldsFromText } : {}) })) };
}

export function formatInspectJson(files: readonly InspectedFile[]): string {
  return JSON.stringify(inspectJson(files), null, 2) + '\n';
}

/** One block per file: its type, then one line per entity (indented under its parent) and its properties. */
export function formatInspectText(files: readonly InspectedFile[], color: boolean): string {
  const c = (code: string, s: string) => (color ? `\u001b[${code}m${s}\u001b[0m` : s);
  const out: string[] = [];
  let total = 0;
  for (const f of files) {
    out.push(`${c('1', f.path)}  ${f.type ?? 'not a spec document'}  ${f.entities.length} entit${f.entities.length === 1 ? 'y' : 'ies'}`);
    if (f.fieldsFromText) out.push(`  ${c('2', 'fields from the text:')} ${Object.entries(f.fieldsFromText).map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`).join(' · ')}`);
    const depth = new Map<string, number>();
    for (const e of f.entities) {
      const d = e.parent !== null && depth.has(e.parent) ? depth.get(e.parent)! + 1 : 0;
      depth.set(e.id, d);
      const pad = '  '.repeat(d + 1);
      const id = e.idWritten ? e.id : `${e.id} ${c('2', '(derived)')}`;
      out.push(`${pad}${String(e.line).padStart(4)}  ${e.kind.padEnd(10)}  ${id}${e.title ? `  ${e.title}` : ''}${e.parent !== null && d === 0 ? c('2', `  (in ${e.parent})`) : ''}`);
      for (const [k, v] of Object.entries(e.properties)) out.push(`${pad}${' '.repeat(18)}${c('2', `${k}:`)} ${typeof v === 'string' ? v : JSON.stringify(v)}`);
    }
    total += f.entities.length;
  }
  out.push(`${out.length ? '\n' : ''}${total} entit${total === 1 ? 'y' : 'ies'} in ${files.length} Markdown file${files.length === 1 ? '' : 's'}.`);
  return out.join('\n') + '\n';
}
