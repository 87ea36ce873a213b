/**
 * docs/RULES.md as the `explain_rule` tool reads it: the page ships in the package (files list),
 * next to schemas/ — found from the running code the way bundledSchemasDir finds the schemas.
 */
import * as path from 'node:path';
import { bundledSchemasDir } from '../node/host.js';

/** docs/RULES.md of the package (or of the repository in development). */
export function rulesDocFile(from: string): string {
  return path.join(path.dirname(bundledSchemasDir(from)), 'docs', 'RULES.md');
}

/**
 * The section `## <code>` of the page, up to the next level-2 heading; headings inside fenced
 * code blocks (the examples) do not end it. Undefined when the page has no such section.
 */
export function ruleSection(page: string, code: string): string | undefined {
  const lines = page.split(/\r?\n/);
  let fence: string | undefined;
  let start = -1;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const f = /^ {0,3}(`{3,}|~{3,})/.exec(line);
    if (f) {
      if (!fence) fence = f[1]!;
      else if (f[1]![0] === fence[0] && f[1]!.length >= fence.length && line.trim() === f[1]) fence = undefined;
      continue;
    }
    if (fence || !line.startsWith('## ')) continue;
    if (start >= 0) return lines.slice(start, i).join('\n').trim();
    if (line.slice(3).trim() === code) start = i;
  }
  return start >= 0 ? lines.slice(start).join('\n').trim() : undefined;
}
