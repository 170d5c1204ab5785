// What an import changed, found by comparing the store before and after its merge. One
// comparison serves the preview (periods added or replaced) and the import's record (the
// points before and after, so it can be undone whole), whichever importer ran.
import {
  allMeasures,
  type ImportRecord,
  type OnsEdition,
  type Series,
  type SeriesPoint,
  type Store,
} from '../store/index.ts';

export type MeasureDiff = ImportRecord['measures'][number];
export type OnsDiff = ImportRecord['ons'][number];

export function diffImport(before: Store, after: Store): { measures: MeasureDiff[]; ons: OnsDiff[] } {
  const priorSeries = new Map(allMeasures(before).map((m) => [m.id, m.series]));
  const measures: MeasureDiff[] = [];
  for (const measure of allMeasures(after)) {
    const was = priorSeries.get(measure.id) ?? null;
    const now = measure.series;
    if (same(was, now)) continue;
    const replacedWhole = (was === null || !was.official) && now !== null && now.official;
    const points = pointChanges(replacedWhole ? [] : (was?.points ?? []), now?.points ?? []);
    measures.push({
      id: measure.id,
      ...(replacedWhole ? { replaced: { before: structuredClone(was) } } : {}),
      detailsBefore: details(was),
      detailsAfter: details(now),
      points,
    });
  }
  const priorOns = new Map(before.ons.map((e) => [e.yearEnding, e]));
  const ons: OnsDiff[] = [];
  for (const edition of after.ons) {
    const was = priorOns.get(edition.yearEnding) ?? null;
    if (!same(was, edition)) ons.push({ yearEnding: edition.yearEnding, before: clone(was), after: clone(edition) });
  }
  return { measures, ons };
}

function pointChanges(before: SeriesPoint[], after: SeriesPoint[]): MeasureDiff['points'] {
  const was = new Map(before.map((p) => [p.period, p]));
  const now = new Map(after.map((p) => [p.period, p]));
  const periods = [...new Set([...was.keys(), ...now.keys()])].sort();
  return periods.flatMap((period) => {
    const b = was.get(period) ?? null;
    const a = now.get(period) ?? null;
    return same(b, a) ? [] : [{ period, before: clone(b), after: clone(a) }];
  });
}

/** All of a series but its points: its source, caveats and whether it is official. */
export function details(series: Series | null): Omit<Series, 'points'> | null {
  if (!series) return null;
  const { points: _points, ...rest } = series;
  return structuredClone(rest);
}

/** Sets a series' details (all but its points) to exactly these: fields they lack are removed. */
export function setDetails(series: Series, to: unknown): void {
  const wanted = structuredClone(to ?? {}) as Record<string, unknown>;
  const target = series as unknown as Record<string, unknown>;
  for (const key of Object.keys(target)) if (key !== 'points' && !(key in wanted)) delete target[key];
  Object.assign(target, wanted);
}

/** Equal as stored: JSON drops undefined fields, so a point with `count: undefined` equals one without. */
export function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function clone<T extends SeriesPoint | OnsEdition>(x: T | null): T | null {
  return x === null ? null : (JSON.parse(JSON.stringify(x)) as T);
}
