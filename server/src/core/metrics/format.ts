/** How metric values read for people (no dependencies: the webview's chart uses it too). */

/** A number for people: `1,560`, `62.2%` (a percentage), `0.35`. */
export function formatMetric(value: number, percent: boolean): string {
  const n = percent ? value * 100 : value;
  const rounded = Math.round(n * 1000) / 1000;
  const text = rounded.toLocaleString('en-US', { maximumFractionDigits: 3 });
  return percent ? `${text}%` : text;
}

