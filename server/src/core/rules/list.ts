/**
 * How a list of IDs (or names) is written in a message or a report headline: the first few,
 * then "and 230 more". One helper, so every long list reads the same way.
 */

/** How many items a message names before it says "and N more". */
export const LIST_LIMIT = 5;

/** `A, B, C, D, E and 230 more` (or `A, B and C` for a short list); `none` for an empty one. */
export function listIds(items: readonly string[], limit = LIST_LIMIT, empty = 'none'): string {
  const uniq = [...new Set(items)];
  if (!uniq.length) return empty;
  if (uniq.length <= limit) return uniq.length === 1 ? uniq[0]! : `${uniq.slice(0, -1).join(', ')} and ${uniq[uniq.length - 1]}`;
  return `${uniq.slice(0, limit).join(', ')} and ${uniq.length - limit} more`;
}

/** Like `listIds`, joined with commas only (for lists inside a sentence that already says "and"). */
export function listComma(items: readonly string[], limit = LIST_LIMIT, empty = 'none'): string {
  const uniq = [...new Set(items)];
  if (!uniq.length) return empty;
  if (uniq.length <= limit) return uniq.join(', ');
  return `${uniq.slice(0, limit).join(', ')} and ${uniq.length - limit} more`;
}
