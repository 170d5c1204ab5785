// Imported figures onto a series, the same way for every importer: a point's own value and
// each peer's are replaced whole, stamped with the import's time, and logged when the value
// changes (a count changing alone is not a figure the change log reports).
import type { Series, SeriesPoint } from '../store/index.ts';
import type { ImportChanges, ImportContext } from './change-log.ts';

export interface Figures {
  value: number;
  /** Absent when the source gives none (a series file without a count column): the point then holds none. */
  count?: number;
}

/** The force's own figures for a period: a new point, kept in period order, or the existing one updated. */
export function putOwnFigures(
  series: Series,
  measureId: string,
  period: string,
  figures: Figures,
  ctx: ImportContext,
  changes: ImportChanges,
): SeriesPoint {
  let point = series.points.find((p) => p.period === period);
  if (!point) {
    point = { period, value: figures.value, count: figures.count, importedAt: ctx.importedAt };
    series.points.push(point);
    series.points.sort((a, b) => (a.period < b.period ? -1 : a.period > b.period ? 1 : 0));
    changes.add(measureId, `value:${period}`, null, figures.value);
  } else if (point.value !== figures.value || point.count !== figures.count) {
    if (point.value !== figures.value) changes.add(measureId, `value:${period}`, point.value, figures.value);
    point.value = figures.value;
    point.count = figures.count;
    point.importedAt = ctx.importedAt;
    // The figure is the import's now, like the series: no longer an analyst's.
    delete point.source;
  }
  return point;
}

/** One MSG peer's figures on a point. */
export function putPeerFigures(
  point: SeriesPoint,
  measureId: string,
  slug: string,
  figures: Figures,
  ctx: ImportContext,
  changes: ImportChanges,
): void {
  point.peers ??= {};
  const prior = point.peers[slug];
  if (prior?.value === figures.value && prior.count === figures.count) return;
  if (prior?.value !== figures.value)
    changes.add(measureId, `peer:${slug}:${point.period}`, prior?.value ?? null, figures.value);
  point.peers[slug] = figures;
  point.importedAt = ctx.importedAt;
}
