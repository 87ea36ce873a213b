/** What every feature gets: the workspace index, the schemas, the as-of date. */
import type { WorkspaceIndex } from '../index/workspaceIndex.js';
import type { SchemaRegistry } from '../schema/registry.js';
import type { Span } from '../text/lineIndex.js';

import type { Analysis } from '../analysis.js';

export interface FeatureContext {
  readonly index: WorkspaceIndex;
  readonly registry: SchemaRegistry;
  /** YYYY-MM-DD: decides which OKRs are current. */
  readonly asOf: string;
  /** Reads a text of a document as the workspace reads it (config, P-scale): what an edit would make of it. */
  readonly reread?: (uri: string, text: string) => Analysis;
}

export interface Location {
  readonly uri: string;
  readonly span: Span;
}

/** Escapes document text for Markdown so nothing in it is read as markup, HTML or a link. */
export function escapeMarkdown(text: string): string {
  return (
    text
      // Bidirectional controls would reorder what the reader sees.
      .replace(/[\u202A-\u202E\u2066-\u2069]/g, '')
      // Markup characters: no emphasis, no HTML, no link. `:` and `@` too, and the dot of `www.`,
      // so that no URL or e-mail address is turned into a link. IDs (letters, digits, - _ .) stay
      // readable in clients that show Markdown as text.
      .replace(/[\\`*_[\]<>|~&!#:@{}]/g, (c) => `\\${c}`)
      .replace(/(www)\./gi, '$1\\.')
      .replace(/\r?\n/g, ' ')
  );
}

/** A Markdown link that opens a definition: `file:///x.md#L12,5`. Only file/untitled URIs are linked. */
export function linkTo(index: WorkspaceIndex, label: string, loc: Location): string {
  const a = index.get(loc.uri);
  const safe = escapeMarkdown(label);
  if (!a || !/^(file|untitled):/.test(loc.uri)) return safe;
  const p = a.lines.humanPosition(loc.span.start);
  return `[${safe}](${encodeURI(decodeURI(loc.uri)).replace(/\(/g, '%28').replace(/\)/g, '%29')}#L${p.line},${p.column})`;
}
