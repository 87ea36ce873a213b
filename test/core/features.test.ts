/**
 * Editor features as data. Each test/fixtures/features/<name>.json names a workspace (a folder,
 * or inline files), a file, a cursor (`$0` inside a unique `at` text, or in inline files)
 * and a request; the result is rendered as text and compared with <name>.snap.
 */
import { test } from 'node:test';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FeatureContext, Location } from '../../server/src/core/features/context.js';
import { provideHover } from '../../server/src/core/features/hover.js';
import { provideCompletion } from '../../server/src/core/features/completion.js';
import { provideDefinition, provideReferences } from '../../server/src/core/features/navigation.js';
import { prepareRename, rename } from '../../server/src/core/features/rename.js';
import { documentSymbols, workspaceSymbols, type DocumentSymbol } from '../../server/src/core/features/symbols.js';
import { provideCodeLenses } from '../../server/src/core/features/codeLens.js';
import { provideDocumentLinks } from '../../server/src/core/features/documentLinks.js';
import { FIXTURES, expectSnapshot } from '../helpers.js';
import { BASE, loadCase, type WorkspaceCase } from '../fixtureWorkspace.js';

interface Case extends WorkspaceCase {
  request: 'hover' | 'completion' | 'definition' | 'references' | 'prepareRename' | 'rename' | 'documentSymbols' | 'workspaceSymbols' | 'codeLens' | 'documentLinks';
  newName?: string;
  query?: string;
}

const load = loadCase;

function where(ctx: FeatureContext, l: Location): string {
  const a = ctx.index.get(l.uri)!;
  const s = a.lines.positionAt(l.span.start);
  const e = a.lines.positionAt(l.span.end);
  return `${l.uri.slice(BASE.length + 1)}:${s.line + 1}:${s.character + 1}-${e.line + 1}:${e.character + 1} «${a.text.slice(l.span.start, l.span.end)}»`;
}

function renderSymbols(ctx: FeatureContext, uri: string, list: readonly DocumentSymbol[], depth = 0): string[] {
  return list.flatMap((s) => [`${'  '.repeat(depth)}${s.kind} ${s.name}${s.detail ? ` — ${s.detail}` : ''} @ ${where(ctx, { uri, span: s.selection }).split(' ')[0]}`, ...renderSymbols(ctx, uri, s.children, depth + 1)]);
}

function run(c: Case): string {
  const { ctx, uri, offset } = load(c);
  const a = ctx.index.get(uri);
  if (!a) throw new Error(`no file ${c.file}`);
  switch (c.request) {
    case 'hover': {
      const h = provideHover(ctx, a, offset);
      return h ? `range: ${where(ctx, { uri, span: h.span })}\n\n${h.markdown.replaceAll(BASE, 'file:///ws')}` : '(no hover)';
    }
    case 'completion':
      return provideCompletion(ctx, a, offset)
        .map((x) => `${x.label}${x.detail ? ` — ${x.detail}` : ''} [${x.kind}] insert «${x.insertText}» replacing «${a.text.slice(x.replace.start, x.replace.end)}»`)
        .join('\n');
    case 'definition':
      return provideDefinition(ctx, a, offset).map((l) => where(ctx, l)).join('\n');
    case 'references':
      return provideReferences(ctx, a, offset, true).map((l) => where(ctx, l)).join('\n');
    case 'prepareRename': {
      const r = prepareRename(ctx, a, offset);
      return 'error' in r ? `refused: ${r.error}` : `${where(ctx, { uri, span: r.span })} placeholder «${r.placeholder}»`;
    }
    case 'rename': {
      const r = rename(ctx, a, offset, c.newName ?? '');
      if ('error' in r) return `refused: ${r.error}`;
      return [...r.edits]
        .sort(([x], [y]) => x.localeCompare(y))
        .flatMap(([u, edits]) => edits.map((e) => `${where(ctx, { uri: u, span: e.span })} -> «${e.newText}»`))
        .join('\n');
    }
    case 'documentSymbols':
      return renderSymbols(ctx, uri, documentSymbols(a)).join('\n');
    case 'workspaceSymbols':
      return workspaceSymbols(ctx, c.query ?? '').map((s) => `${s.kind} ${s.name}${s.detail ? ` — ${s.detail}` : ''} @ ${where(ctx, s).split(' ')[0]}`).join('\n');
    case 'codeLens':
      return provideCodeLenses(ctx, a).map((l) => `${where(ctx, { uri, span: l.span })}: ${l.title}`).join('\n');
    case 'documentLinks':
      return provideDocumentLinks(ctx, a).map((l) => `${where(ctx, { uri, span: l.span })} -> ${l.target.replace(BASE, '')}`).join('\n');
  }
}

const dir = path.join(FIXTURES, 'features');
for (const name of fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
  test(`feature: ${name.replace(/\.json$/, '')}`, () => {
    const c = JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8')) as Case;
    expectSnapshot(path.join(dir, name.replace(/\.json$/, '.snap')), run(c));
  });
}
