/**
 * `northstar assign-ids PATH… [--write]`: writes the derived ID of every entity read without one
 * (the same edit as the editor's "Assign IDs in This Document", core/features/codeActions.ts).
 * Without `--write` it changes nothing and prints, per file, each line before and after.
 */
import * as fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { NorthstarService } from '../core/service.js';
import { assignIds } from '../core/features/codeActions.js';
import { applyEdits, type TextEdit } from '../core/features/edits.js';

export interface AssignIdsWorkspace {
  readonly service: NorthstarService;
  /** URI -> the path to print. */
  readonly pathOf: ReadonlyMap<string, string>;
}

export interface AssignIdsIo {
  readonly stdout: (s: string) => void;
  readonly stderr: (s: string) => void;
  /** Writes a file (tests pass their own). */
  readonly writeFile?: (file: string, text: string) => void;
}

/** The lines an edit touches, before and after (1-based line numbers of the original text). */
export function lineChanges(text: string, edits: readonly TextEdit[]): { line: number; before: string; after: string }[] {
  const out: { line: number; before: string; after: string }[] = [];
  const sorted = [...edits].sort((x, y) => x.span.start - y.span.start);
  for (const e of sorted) {
    const start = text.lastIndexOf('\n', e.span.start - 1) + 1;
    const nl = text.indexOf('\n', e.span.end);
    const end = nl < 0 ? text.length : nl;
    const before = text.slice(start, end).replace(/\r$/, '');
    const after = applyEdits(before, [{ span: { start: e.span.start - start, end: e.span.end - start }, newText: e.newText }]);
    const line = text.slice(0, start).split('\n').length;
    const last = out[out.length - 1];
    // Two edits on one line (rare): show the line once, with both applied.
    if (last && last.line === line) last.after = applyEdits(last.before, sorted.filter((x) => x.span.start >= start && x.span.end <= end).map((x) => ({ span: { start: x.span.start - start, end: x.span.end - start }, newText: x.newText })));
    else out.push({ line, before, after });
  }
  return out;
}

/** Runs the command over a loaded workspace: exit status 0 (nothing to do is not an error). */
export function runAssignIds(ws: AssignIdsWorkspace, write: boolean, io: AssignIdsIo): number {
  const writeFile = io.writeFile ?? ((f: string, t: string) => fs.writeFileSync(f, t, 'utf8'));
  let files = 0;
  let ids = 0;
  const uris = [...ws.pathOf.keys()].sort((x, y) => (ws.pathOf.get(x)! < ws.pathOf.get(y)! ? -1 : 1));
  for (const uri of uris) {
    const a = ws.service.get(uri);
    if (!a) continue;
    const action = assignIds(a, [], ws.service.context);
    const edits = action?.edits.get(uri);
    if (!edits?.length) continue;
    const p = ws.pathOf.get(uri)!;
    files++;
    // One edit may write the document's fields into its front matter; the others are IDs.
    const fm = a.model.frontMatter?.span;
    const n = edits.filter((e) => !fm || e.span.start >= fm.end || e.span.end <= fm.start).length;
    ids += n;
    io.stdout(`${p}: ${n} ID${n === 1 ? '' : 's'}${edits.length > n ? ' and the fields read from the text into the front matter' : ''}${write ? ' written' : ' to write'}\n`);
    for (const c of lineChanges(a.text, edits)) io.stdout(`  ${c.line}\n  - ${c.before}\n  + ${c.after}\n`);
    if (write) writeFile(fileURLToPath(uri), applyEdits(a.text, edits));
  }
  if (!files) io.stdout('Every entity already has a written ID.\n');
  else io.stdout(write ? `Wrote ${ids} ID${ids === 1 ? '' : 's'} in ${files} file${files === 1 ? '' : 's'}.\n` : `${ids} ID${ids === 1 ? '' : 's'} to write in ${files} file${files === 1 ? '' : 's'}; run again with --write to write them.\n`);
  return 0;
}
