// Reading and writing the parts of a store document that applying and reverting changes touch.
import type { Action, Comment, Measure, Series, SeriesPoint } from '../../store/index.ts';

/** Where a series for figures typed in by analysts says it came from. */
export const ANALYST_SERIES_SOURCE = 'Analyst updates (measures-bot)';

export function analystSeries(): Series {
  return {
    source: ANALYST_SERIES_SOURCE,
    official: true,
    caveats: ['Figures entered by force analysts through measures-bot updates, not imported from a published dataset.'],
    points: [],
  };
}

export function pointFor(measure: Measure, period: string): SeriesPoint | null {
  return measure.series?.points.find((p) => p.period === period) ?? null;
}

/** Replaces the point for its period, or inserts it in period order. */
export function putPoint(series: Series, point: SeriesPoint): void {
  const at = series.points.findIndex((p) => p.period >= point.period);
  if (at === -1) series.points.push(point);
  else if (series.points[at]!.period === point.period) series.points[at] = point;
  else series.points.splice(at, 0, point);
}

export function sameAction(a: Action, b: Action): boolean {
  return a.text === b.text && a.addedBy === b.addedBy && a.addedAt === b.addedAt;
}

export function sameComment(a: Comment, b: Comment): boolean {
  return a.text === b.text && a.by === b.by && a.at === b.at;
}

/** Structural equality of JSON values, ignoring key order and undefined members. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  return canonical(a) === canonical(b);
}

function canonical(value: unknown): string {
  return (
    JSON.stringify(value, (_key, v: unknown) =>
      v && typeof v === 'object' && !Array.isArray(v)
        ? Object.fromEntries(
            Object.entries(v as Record<string, unknown>)
              .filter(([, x]) => x !== undefined)
              .sort(([a], [b]) => (a < b ? -1 : 1)),
          )
        : v,
    ) ?? 'undefined'
  );
}
