/**
 * The metric snapshots of a workspace: every data file read (`snapshot.ts`), the data points by
 * KPI, "the latest value on or before a date", and a sparkline. One store per workspace index
 * (`metricsOf`), so that everything that reads the strategy from the index sees the same data.
 */
import type { WorkspaceIndex } from '../index/workspaceIndex.js';
import { DataFileStore, storePerIndex } from '../data/fileStore.js';
import { parseSnapshot, type MetricFile, type MetricPoint } from './snapshot.js';
import { formatMetric } from './format.js';

export { formatMetric } from './format.js';

export const DEFAULT_STALE_AFTER_DAYS = 30;

export class MetricStore extends DataFileStore<MetricFile> {
  /** A data point older than this many days before the as-of date is stale. */
  staleAfterDays = DEFAULT_STALE_AFTER_DAYS;
  private byKpi: Map<string, MetricPoint[]> | undefined;

  protected parse(uri: string, text: string): MetricFile {
    return parseSnapshot(uri, text);
  }

  setStaleAfterDays(days: number | undefined): void {
    const d = days !== undefined && Number.isFinite(days) && days >= 0 ? Math.floor(days) : DEFAULT_STALE_AFTER_DAYS;
    if (d !== this.staleAfterDays) {
      this.staleAfterDays = d;
      this.changed();
    }
  }

  /**
   * A KPI's data points, oldest first: those of one segment when `segment` is given, else those
   * without a segment. Equal dates from different files: the first file (by URI) wins.
   */
  series(kpi: string, segment?: string): MetricPoint[] {
    if (!this.byKpi) {
      const m = new Map<string, MetricPoint[]>();
      for (const uri of this.uris()) for (const p of this.files.get(uri)!.points) (m.get(p.kpi) ?? m.set(p.kpi, []).get(p.kpi)!).push(p);
      for (const list of m.values()) list.sort((x, y) => (x.date < y.date ? -1 : x.date > y.date ? 1 : 0));
      this.byKpi = m;
    }
    const seg = segment?.trim().toLowerCase() || undefined;
    const out: MetricPoint[] = [];
    let lastDate = '';
    for (const p of this.byKpi.get(kpi) ?? []) {
      if ((p.segment?.toLowerCase() ?? undefined) !== seg) continue;
      if (p.date === lastDate) continue;
      lastDate = p.date;
      out.push(p);
    }
    return out;
  }

  /** The KPIs that have data. */
  kpis(): string[] {
    this.series('');
    return [...this.byKpi!.keys()].sort();
  }

  /** The latest data point on or before `asOf`. */
  latest(kpi: string, asOf: string, segment?: string): MetricPoint | undefined {
    return latestOnOrBefore(this.series(kpi, segment), asOf);
  }

  protected override changed(): void {
    super.changed();
    this.byKpi = undefined;
  }
}

/** The latest point of a date-sorted series on or before a date. */
export function latestOnOrBefore(points: readonly MetricPoint[], asOf: string): MetricPoint | undefined {
  let best: MetricPoint | undefined;
  for (const p of points) {
    if (p.date > asOf) break;
    best = p;
  }
  return best;
}

/** Whole days from one ISO date to another. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** The metric store of a workspace index (made on first use). */
export const metricsOf: (index: WorkspaceIndex) => MetricStore = storePerIndex(() => new MetricStore());

const BARS = '▁▂▃▄▅▆▇█';

/** A sparkline of values (at most `width` of the latest): `▁▂▄▅▇`; empty for no values. */
export function sparkline(values: readonly number[], width = 16): string {
  const v = values.slice(-width);
  if (!v.length) return '';
  const lo = Math.min(...v);
  const hi = Math.max(...v);
  return v.map((x) => BARS[hi === lo ? 3 : Math.round(((x - lo) / (hi - lo)) * (BARS.length - 1))]).join('');
}

/** Where a number came from: `1,560 (Amplitude, 2026-05-01)`. */
export function pointWithSource(p: MetricPoint, unit?: (raw: string) => string): string {
  const v = formatMetric(p.value, p.percent);
  return `${unit ? unit(v) : v} (${[p.source, p.date].filter(Boolean).join(', ')})`;
}
