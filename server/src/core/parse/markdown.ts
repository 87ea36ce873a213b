/**
 * Markdown to mdast with remark (unified + remark-parse + remark-frontmatter + remark-gfm).
 * Never throws: a parser failure yields an empty root and the error, which the caller reports.
 */
import { unified } from 'unified';
import remarkParse from 'remark-parse';
import remarkFrontmatter from 'remark-frontmatter';
import remarkGfm from 'remark-gfm';
import type { Root } from 'mdast';

const processor = unified()
  .use(remarkParse)
  .use(remarkFrontmatter, ['yaml', 'toml'])
  .use(remarkGfm)
  .freeze();

export interface ParsedMarkdown {
  readonly root: Root;
  readonly error?: string;
}

export function parseMarkdown(text: string): ParsedMarkdown {
  try {
    return { root: processor.parse(text) as Root };
  } catch (e) {
    return { root: { type: 'root', children: [] }, error: e instanceof Error ? e.message : String(e) };
  }
}
