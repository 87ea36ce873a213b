/**
 * Markdown to mdast with remark (unified + remark-parse + remark-frontmatter + remark-gfm).
 * Never throws: a parser failure yields an empty root and the error, which the caller reports.
 * The tree that comes out is never deeper than MAX_TREE_DEPTH: deeper content is cut (and where
 * is said), so no recursive code after the parser — structured clone across the worker boundary,
 * the model extraction — can run out of stack.
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

/** How deep a tree may be (root = 1). Real documents stay under 15; 5,000 nested quotes do not. */
export const MAX_TREE_DEPTH = 64;

export interface ParsedMarkdown {
  readonly root: Root;
  readonly error?: string;
  /** Where the tree was cut because it nested deeper than MAX_TREE_DEPTH (the first cut node's offset). */
  readonly truncatedAt?: number;
}

export function parseMarkdown(text: string): ParsedMarkdown {
  let root: Root;
  try {
    root = processor.parse(text) as Root;
  } catch (e) {
    return { root: { type: 'root', children: [] }, error: e instanceof Error ? e.message : String(e) };
  }
  const truncatedAt = boundDepth(root, MAX_TREE_DEPTH);
  return truncatedAt === undefined ? { root } : { root, truncatedAt };
}

interface AnyNode {
  children?: AnyNode[];
  position?: { start?: { offset?: number } };
}

/**
 * Cuts, in place and without recursion, the children of every node at `maxDepth`; answers the
 * offset of the first node cut (in document order), or undefined when nothing was.
 */
export function boundDepth(root: Root, maxDepth: number): number | undefined {
  let first: number | undefined;
  const stack: [AnyNode, number][] = [[root as AnyNode, 1]];
  while (stack.length) {
    const [node, depth] = stack.pop()!;
    const children = node.children;
    if (!Array.isArray(children) || children.length === 0) continue;
    if (depth >= maxDepth) {
      const at = children[0]?.position?.start?.offset ?? node.position?.start?.offset ?? 0;
      if (first === undefined || at < first) first = at;
      node.children = [];
      continue;
    }
    for (let i = children.length - 1; i >= 0; i--) stack.push([children[i]!, depth + 1]);
  }
  return first;
}
