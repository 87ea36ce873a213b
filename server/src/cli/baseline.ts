/**
 * `northstar check --baseline FILE`: adopt Northstar on documents that already have findings.
 * `--write-baseline FILE` (or `--baseline FILE --update`) records today's findings as
 * fingerprints; `--baseline FILE` then reports (and fails on) only findings that are not in it.
 *
 * A fingerprint survives moved lines and reworded messages: it is the rule code, the file (relative
 * to the baseline's folder), an anchor — the ID of the innermost entity the finding sits in, else
 * the text of its line with spaces collapsed — and the text the finding covers (first line, spaces
 * collapsed). Line numbers and messages are not part of it. Equal fingerprints are counted, so two
 * identical findings in one file need two entries.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Diagnostic } from '../core/diagnostics.js';

export const BASELINE_VERSION = 1;

export interface BaselineEntry {
  readonly fingerprint: string;
  readonly code: string;
  /** Relative to the baseline file's folder, `/` separators. */
  readonly path: string;
  /** For people reading the file; not part of the fingerprint. */
  readonly message: string;
}

export interface BaselineFile {
  readonly version: number;
  readonly tool: 'northstar';
  readonly findings: readonly BaselineEntry[];
}

const collapse = (s: string) => s.replace(/\s+/g, ' ').trim();

/** What a fingerprint reads of a file: its text and its entities (none for a data file). */
export interface FingerprintSource {
  readonly text: string;
  readonly entities: readonly { readonly id: string; readonly span: { readonly start: number; readonly end: number } }[];
}

/** The innermost entity whose range holds the finding's start. */
function anchorEntity(a: FingerprintSource, offset: number): string | undefined {
  let best: { id: string; size: number } | undefined;
  for (const e of a.entities) {
    if (e.span.start <= offset && offset <= e.span.end) {
      const size = e.span.end - e.span.start;
      if (!best || size < best.size) best = { id: e.id, size };
    }
  }
  return best?.id;
}

/** The fingerprint of one finding of a file (`rel`: the file relative to the baseline's folder). */
export function fingerprint(rel: string, a: FingerprintSource, d: Diagnostic): string {
  const text = a.text;
  const start = Math.max(0, Math.min(text.length, d.span.start));
  const end = Math.max(start, Math.min(text.length, d.span.end));
  const covered = collapse(text.slice(start, end).split(/\r?\n/).find((l) => l.trim()) ?? '').slice(0, 160);
  const id = anchorEntity(a, start);
  let anchor: string;
  if (id) anchor = `id:${id}`;
  else {
    const lineStart = text.lastIndexOf('\n', start - 1) + 1;
    let lineEnd = text.indexOf('\n', start);
    if (lineEnd < 0) lineEnd = text.length;
    anchor = `line:${collapse(text.slice(lineStart, lineEnd)).slice(0, 200)}`;
  }
  return crypto.createHash('sha256').update(JSON.stringify([String(d.code), rel, anchor, covered])).digest('hex').slice(0, 24);
}

export interface Finding {
  readonly file: string;
  readonly source: FingerprintSource;
  readonly diagnostic: Diagnostic;
}

function relTo(baselineFile: string, file: string): string {
  return path.relative(path.dirname(path.resolve(baselineFile)), file).split(path.sep).join('/');
}

export function entriesOf(baselineFile: string, findings: readonly Finding[]): BaselineEntry[] {
  return findings
    .map((f) => {
      const rel = relTo(baselineFile, f.file);
      return { fingerprint: fingerprint(rel, f.source, f.diagnostic), code: String(f.diagnostic.code), path: rel, message: f.diagnostic.message };
    })
    .sort((x, y) => (x.path < y.path ? -1 : x.path > y.path ? 1 : x.code < y.code ? -1 : x.code > y.code ? 1 : x.fingerprint < y.fingerprint ? -1 : x.fingerprint > y.fingerprint ? 1 : 0));
}

/** Writes the findings as a baseline (stable order, one entry per line for readable diffs). */
export function writeBaseline(baselineFile: string, findings: readonly Finding[]): number {
  const entries = entriesOf(baselineFile, findings);
  const body = entries.map((e) => `    ${JSON.stringify(e)}`).join(',\n');
  const text = `{\n  "version": ${BASELINE_VERSION},\n  "tool": "northstar",\n  "findings": [${entries.length ? `\n${body}\n  ` : ''}]\n}\n`;
  fs.mkdirSync(path.dirname(path.resolve(baselineFile)), { recursive: true });
  fs.writeFileSync(baselineFile, text);
  return entries.length;
}

/** Reads a baseline file; a problem is a message for people (the file is then unusable). */
export function readBaseline(baselineFile: string): { entries: BaselineEntry[] } | { problem: string } {
  let text: string;
  try {
    text = fs.readFileSync(baselineFile, 'utf8');
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ENOENT' ? { problem: `no baseline file at ${baselineFile} (create one with --write-baseline ${baselineFile})` } : { problem: `cannot read ${baselineFile}: ${(e as Error).message}` };
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    return { problem: `${baselineFile} is not valid JSON (${(e as Error).message}); write it again with --write-baseline` };
  }
  const d = data as Partial<BaselineFile> | null;
  if (!d || typeof d !== 'object' || d.tool !== 'northstar' || !Array.isArray(d.findings)) return { problem: `${baselineFile} is not a Northstar baseline (expected {"tool": "northstar", "findings": [...]})` };
  if (d.version !== BASELINE_VERSION) return { problem: `${baselineFile} is a baseline of version ${String(d.version)}; this Northstar reads version ${BASELINE_VERSION} (write it again with --write-baseline)` };
  const entries = d.findings.filter((e): e is BaselineEntry => !!e && typeof e === 'object' && typeof (e as BaselineEntry).fingerprint === 'string');
  return { entries };
}

export interface Compared {
  /** Findings not in the baseline. */
  readonly fresh: Finding[];
  /** Findings the baseline knows (not reported). */
  readonly known: number;
  /** Baseline entries no finding matched any more: fixed since. */
  readonly fixed: number;
}

/** Splits today's findings into new ones and known ones; counts the baseline's fixed entries. */
export function compareWithBaseline(baselineFile: string, entries: readonly BaselineEntry[], findings: readonly Finding[]): Compared {
  const left = new Map<string, number>();
  for (const e of entries) left.set(e.fingerprint, (left.get(e.fingerprint) ?? 0) + 1);
  const fresh: Finding[] = [];
  let known = 0;
  for (const f of findings) {
    const fp = fingerprint(relTo(baselineFile, f.file), f.source, f.diagnostic);
    const n = left.get(fp) ?? 0;
    if (n > 0) {
      left.set(fp, n - 1);
      known++;
    } else fresh.push(f);
  }
  let fixed = 0;
  for (const n of left.values()) fixed += n;
  return { fresh, known, fixed };
}
