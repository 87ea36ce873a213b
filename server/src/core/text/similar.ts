/** "Did you mean": the nearest candidate by edit distance, if it is near enough. */

/** Two rows of the dynamic programme, reused across calls (grown when a longer word comes). */
let prevRow = new Uint32Array(64);
let curRow = new Uint32Array(64);

export function editDistance(a: string, b: string, max = Infinity): number {
  if (a === b) return 0;
  if (Math.abs(a.length - b.length) > max) return max + 1;
  // A common prefix and suffix change nothing (IDs share long ones: `FEAT-checkout-…`).
  let start = 0;
  while (start < a.length && start < b.length && a.charCodeAt(start) === b.charCodeAt(start)) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a.charCodeAt(endA - 1) === b.charCodeAt(endB - 1)) {
    endA--;
    endB--;
  }
  if (start > 0 || endA < a.length || endB < b.length) {
    a = a.slice(start, endA);
    b = b.slice(start, endB);
    if (!a.length || !b.length) return Math.max(a.length, b.length) > max ? max + 1 : Math.max(a.length, b.length);
  }
  if (b.length + 1 > prevRow.length) {
    prevRow = new Uint32Array(2 * (b.length + 1));
    curRow = new Uint32Array(2 * (b.length + 1));
  }
  let prev = prevRow;
  let cur = curRow;
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = i;
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j <= b.length; j++) {
      const cost = ca === b.charCodeAt(j - 1) ? 0 : 1;
      const v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    const t = prev;
    prev = cur;
    cur = t;
  }
  return prev[b.length]!;
}

/** Lower-cased copies of candidate lists that are passed again and again (the index's sorted ID lists). */
const lowered = new WeakMap<readonly string[], string[]>();

export function nearest(word: string, candidates: Iterable<string>): string | undefined {
  const w = word.toLowerCase();
  const limit = Math.max(1, Math.min(3, Math.floor(w.length / 3)));
  const list = Array.isArray(candidates) ? (candidates as readonly string[]) : [...candidates];
  let lower = lowered.get(list);
  if (!lower) {
    lower = list.map((c) => c.toLowerCase());
    if (Array.isArray(candidates)) lowered.set(list, lower);
  }
  let best: string | undefined;
  let bestD = limit + 1;
  for (let k = 0; k < list.length; k++) {
    const cl = lower[k]!;
    let d = Math.abs(cl.length - w.length) > limit ? limit + 1 : editDistance(w, cl, limit);
    if (d > limit && (cl.startsWith(w) || w.startsWith(cl)) && Math.min(w.length, cl.length) >= 3) d = limit;
    if (d < bestD) {
      bestD = d;
      best = list[k];
    }
  }
  return best;
}
