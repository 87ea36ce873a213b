/**
 * Workspaces for tests as data: a folder of the repo and/or inline files, a file, and a cursor —
 * `$0` in an inline file, or `$0` inside an `at` text that occurs once in the file.
 */
import * as path from 'node:path';
import { analyzeDocument } from '../server/src/core/analysis.js';
import { WorkspaceIndex } from '../server/src/core/index/workspaceIndex.js';
import type { FeatureContext } from '../server/src/core/features/context.js';
import { findMarkdownFiles, readMarkdownFile } from '../server/src/node/host.js';
import { ROOT, schemas } from './helpers.js';

export const BASE = 'file:///ws';

export interface WorkspaceCase {
  workspace?: string;
  files?: Record<string, string>;
  file: string;
  at?: string;
  asOf?: string;
}

export function loadCase(c: WorkspaceCase): { ctx: FeatureContext; uri: string; offset: number } {
  const index = new WorkspaceIndex();
  let offset = 0;
  const target = `${BASE}/${c.file}`;
  const add = (rel: string, text: string) => {
    let t = text;
    if (`${BASE}/${rel}` === target) {
      const marker = t.indexOf('$0');
      if (marker >= 0) {
        offset = marker;
        t = t.slice(0, marker) + t.slice(marker + 2);
      } else if (c.at) {
        const plain = c.at.replace('$0', '');
        const i = t.indexOf(plain);
        if (i < 0 || t.indexOf(plain, i + 1) >= 0) throw new Error(`"${plain}" must occur exactly once in ${rel}`);
        offset = i + c.at.indexOf('$0');
      }
    }
    index.set(analyzeDocument(`${BASE}/${rel}`, t, schemas()));
  };
  if (c.workspace) {
    const dir = path.join(ROOT, c.workspace);
    for (const f of findMarkdownFiles([dir])) add(path.relative(dir, f).split(path.sep).join('/'), readMarkdownFile(f).text ?? '');
  }
  for (const [rel, text] of Object.entries(c.files ?? {})) add(rel, text);
  return { ctx: { index, registry: schemas(), asOf: c.asOf ?? '2026-11-23' }, uri: target, offset };
}
