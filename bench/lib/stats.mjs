/** Small statistics for the benchmark: percentiles by linear interpolation between ranks. */

export function percentile(sorted, p) {
  if (!sorted.length) return NaN;
  if (sorted.length === 1) return sorted[0];
  const x = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(x);
  const hi = Math.ceil(x);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (x - lo);
}

/** { n, min, median, max, mean, p50, p95 } of a list of numbers (NaN-free). */
export function summarize(values) {
  const v = values.filter((x) => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b);
  if (!v.length) return { n: 0 };
  const mean = v.reduce((s, x) => s + x, 0) / v.length;
  return { n: v.length, min: v[0], median: percentile(v, 50), max: v[v.length - 1], mean, p50: percentile(v, 50), p95: percentile(v, 95) };
}

export function round(x, digits = 1) {
  if (typeof x !== 'number' || !Number.isFinite(x)) return x;
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** Round every number in a (JSON-like) value, for compact results files. */
export function roundDeep(value, digits = 2) {
  if (typeof value === 'number') return round(value, digits);
  if (Array.isArray(value)) return value.map((x) => roundDeep(x, digits));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, x]) => [k, roundDeep(x, digits)]));
  return value;
}
