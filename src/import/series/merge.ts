// Merges a checked series file into one measure. Pure: it changes the draft store it is given
// (inside the store's locked mutate, or a copy for a dry run) and returns what it did.
//
// Real figures never mix with invented ones: a measure whose series is illustrative (or that
// has none) gets the file as its whole series, marked official with the file as its source.
// A real series is merged period by period: a period in the file replaces the force's own
// figures for it (and the peers the file has columns for), and identical figures write nothing.
import { findMeasure, type Series, type Store } from '../../store/index.ts';
import type { ImportChanges, ImportContext } from '../change-log.ts';
import { putOwnFigures, putPeerFigures } from '../points.ts';
import { periodRangeLabel } from '../../measures/computed/periods.ts';
import type { SeriesFile } from './check.ts';

export interface SeriesMergeSummary {
  id: string;
  file: string;
  periods: string[];
  /** The measure's illustrative series (or none) was replaced by the file. */
  replacedIllustrative: boolean;
  changes: number;
}

export function mergeSeriesFile(
  draft: Store,
  measureId: string,
  file: SeriesFile,
  ctx: ImportContext,
  changes: ImportChanges,
): SeriesMergeSummary {
  const measure = findMeasure(draft, measureId)?.measure;
  if (!measure) throw new Error(`no measure ${measureId} in the store`);
  const before = changes.entries.length;
  const prior = measure.series;
  const replacing = !prior || !prior.official;
  let series: Series;
  if (replacing) {
    series = {
      source: sourceFor(file),
      official: true,
      caveats: [`Figures from the series file ${file.file}, imported ${ctx.importedAt.slice(0, 10)} by ${ctx.author}.`],
      ...(prior?.countUnit && file.hasCount ? { countUnit: prior.countUnit } : {}),
      points: [],
    };
    measure.series = series;
    changes.add(measureId, 'series', prior ? describeSeries(prior) : null, describeSeries(series, file.rows.length));
  } else series = prior;

  for (const row of file.rows) {
    const point = putOwnFigures(series, measureId, row.period, { value: row.value, count: row.count }, ctx, changes);
    if (point.count === undefined) delete point.count;
    for (const [slug, value] of Object.entries(row.peers)) {
      putPeerFigures(point, measureId, slug, { value }, ctx, changes);
      if (point.peers?.[slug]?.count === undefined) delete point.peers?.[slug]?.count;
    }
  }
  return {
    id: measureId,
    file: file.file,
    periods: file.rows.map((r) => r.period),
    replacedIllustrative: replacing,
    changes: changes.entries.length - before,
  };
}

function sourceFor(file: SeriesFile): string {
  const first = file.rows[0]!.period;
  const last = file.rows[file.rows.length - 1]!.period;
  return `Series file ${file.file}, ${periodRangeLabel(first, last)}`;
}

function describeSeries(
  series: Series,
  points = series.points.length,
): { source: string; official: boolean; points: number } {
  return { source: series.source, official: series.official, points };
}
