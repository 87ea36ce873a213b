/** JSON exports: parsed without throwing, a syntax error placed at its line. */
import type { ImportIssue } from './types.js';
import { jsonErrorOffset } from './jsonError.js';

export function readJson(text: string): { value?: unknown; error?: ImportIssue } {
  const t = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  try {
    return { value: JSON.parse(t) as unknown };
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const at = jsonErrorOffset(t);
    const line = at !== undefined ? t.slice(0, at).split('\n').length : undefined;
    return { error: { ...(line ? { line } : {}), message: `not JSON: ${message.replace(/ in JSON at position \d+.*$/s, '').replace(/, ".*" is not valid JSON$/s, '')}` } };
  }
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Whether a text looks like JSON (its first character is `{` or `[`). */
export function looksLikeJson(text: string): boolean {
  return /^\uFEFF?\s*[[{]/.test(text);
}
