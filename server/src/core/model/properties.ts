/**
 * Reading `key: value` properties from a line of Markdown source, tolerant of how PRDs are
 * written in the wild: `priority: must`, `**Priority**: Must have`, `- **Target:** 40%`,
 * `_Owner_: Ana`. Works on source text so every range is exact.
 */
import { span } from '../text/lineIndex.js';
import type { Property, ValueItem } from './types.js';

const KEY_OK = /^[A-Za-z][A-Za-z0-9 _\-/']*$/;

export function normalizeKey(raw: string): string {
  return raw
    .trim()
    .toLowerCase()
    .replace(/['’]/g, '')
    .replace(/[\s\-/]+/g, '_')
    .replace(/_+/g, '_')
    .replace(/^_|_$/g, '');
}

/**
 * Parses one line (without its list marker). `lineStart` is the line's offset in the document.
 * `requireEmphasis`: only bold/italic keys count (used for paragraph lines).
 */
export function parsePropertyLine(line: string, lineStart: number, requireEmphasis: boolean): Property | undefined {
  let i = 0;
  while (i < line.length && (line[i] === ' ' || line[i] === '\t')) i++;
  // A task-list checkbox is not part of the key.
  const task = /^\[[ xX]\]\s+/.exec(line.slice(i));
  if (task) i += task[0].length;
  let keyStart: number;
  let keyEnd: number;
  let afterKey: number;
  const marker = line.startsWith('**', i) ? '**' : line.startsWith('__', i) ? '__' : line[i] === '*' || line[i] === '_' ? line[i]! : '';
  if (marker) {
    const close = line.indexOf(marker, i + marker.length);
    if (close < 0) return undefined;
    keyStart = i + marker.length;
    keyEnd = close;
    afterKey = close + marker.length;
    let inner = line.slice(keyStart, keyEnd);
    if (inner.trimEnd().endsWith(':')) {
      keyEnd = keyStart + inner.trimEnd().length - 1;
    } else {
      const rest = /^\s*:/.exec(line.slice(afterKey));
      if (!rest) return undefined;
      afterKey += rest[0].length;
    }
    inner = line.slice(keyStart, keyEnd);
    while (keyEnd > keyStart && /\s/.test(line[keyEnd - 1]!)) keyEnd--;
  } else {
    if (requireEmphasis) return undefined;
    const colon = line.indexOf(':', i);
    if (colon < 0) return undefined;
    keyStart = i;
    keyEnd = colon;
    while (keyEnd > keyStart && /\s/.test(line[keyEnd - 1]!)) keyEnd--;
    afterKey = colon + 1;
  }
  const rawKey = line.slice(keyStart, keyEnd);
  if (!KEY_OK.test(rawKey) || rawKey.length > 40 || rawKey.trim().split(/\s+/).length > 4) return undefined;
  // Value: the rest of the line, trimmed, surrounding backticks or emphasis removed.
  let vs = afterKey;
  let ve = line.length;
  while (vs < ve && /\s/.test(line[vs]!)) vs++;
  while (ve > vs && /\s/.test(line[ve - 1]!)) ve--;
  if (line.startsWith('//', vs)) return undefined; // a URL, not a property
  for (const m of ['`', '**', '__', '*', '_']) {
    if (ve - vs >= 2 * m.length + 1 && line.startsWith(m, vs) && line.endsWith(m, ve) && !line.slice(vs + m.length, ve - m.length).includes(m)) {
      vs += m.length;
      ve -= m.length;
      break;
    }
  }
  const raw = line.slice(vs, ve);
  return {
    key: normalizeKey(rawKey),
    rawKey,
    keySpan: span(lineStart + keyStart, lineStart + keyEnd),
    raw,
    valueSpan: span(lineStart + vs, lineStart + ve),
    items: splitValue(raw, lineStart + vs),
  };
}

/** A list value is comma-separated; each item keeps its own range. Backticks around items are dropped. */
export function splitValue(raw: string, start: number): ValueItem[] {
  const out: ValueItem[] = [];
  let i = 0;
  while (i <= raw.length) {
    let j = raw.indexOf(',', i);
    if (j < 0) j = raw.length;
    let a = i;
    let b = j;
    while (a < b && /[\s`]/.test(raw[a]!)) a++;
    while (b > a && /[\s`]/.test(raw[b - 1]!)) b--;
    if (b > a) out.push({ text: raw.slice(a, b), span: span(start + a, start + b) });
    i = j + 1;
  }
  return out;
}
