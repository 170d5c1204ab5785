// Stores an ONS edition for the force, its MSG peers and England and Wales. Pure: changes
// the draft store inside the locked mutate. Re-importing an edition replaces it.
import { allMeasures, homeForce, type Force, type OnsEdition, type Store } from '../../store/index.ts';
import type { ImportChanges, ImportContext } from '../change-log.ts';
import { ImportRefusal } from '../refusal.ts';
import { putOwnFigures, putPeerFigures } from '../points.ts';
import { longPeriodLabel } from '../../measures/computed/index.ts';
import { ENGLAND_AND_WALES_CODE as ENGLAND_AND_WALES, onsCount, onsRate } from '../../measures/ons-comparison.ts';
import type { OnsWorkbook } from './workbook.ts';

export interface OnsMergeSummary {
  yearEnding: string;
  sourceFile: string;
  areas: number;
  /** Measures whose ONS series got (or had confirmed) this edition's rolling-year point. */
  series: string[];
  status: 'new' | 'replaced' | 'unchanged';
  changes: number;
}

export function mergeOnsEdition(
  draft: Store,
  book: OnsWorkbook,
  ctx: ImportContext,
  changes: ImportChanges,
): OnsMergeSummary {
  const wanted = [...draft.msg.forces.map((f) => f.onsCode), ENGLAND_AND_WALES];
  const areas = wanted.map((code) => {
    const area = book.areas.find((a) => a.code === code);
    if (!area) throw new ImportRefusal(book.file, null, `no row for area ${code} in Tables P1/P3`);
    return area;
  });
  const edition: OnsEdition = {
    yearEnding: book.yearEnding,
    sourceFile: book.sourceFile,
    importedAt: ctx.importedAt,
    areas,
  };
  const exclusion = scopeExclusion(book.scope);
  if (exclusion) edition.scope = exclusion;
  const at = draft.ons.findIndex((e) => e.yearEnding === book.yearEnding);
  const previous = at >= 0 ? draft.ons[at]! : null;
  const home = homeForce(draft);
  const before = changes.entries.length;
  // One entry per measure the edition feeds: the force's rolling-year rate, before and after.
  for (const measure of allMeasures(draft)) {
    const groups = measure.sourceMapping.ons;
    if (groups.length === 0 || !home) continue;
    const was = previous ? onsRate(previous, home.onsCode, groups) : null;
    const now = onsRate(edition, home.onsCode, groups);
    if (was !== now) changes.add(measure.id, `ons:${book.yearEnding}`, was, now);
  }
  const series = home ? mergeIntoOnsSeries(draft, edition, home, ctx, changes) : [];
  const base = { yearEnding: book.yearEnding, sourceFile: book.sourceFile, areas: areas.length, series };
  if (previous && sameFigures(previous, edition)) {
    return { ...base, status: 'unchanged', changes: changes.entries.length - before };
  }
  if (at >= 0) draft.ons[at] = edition;
  else draft.ons.push(edition);
  draft.ons.sort((a, b) => (a.yearEnding < b.yearEnding ? -1 : a.yearEnding > b.yearEnding ? 1 : 0));
  return { ...base, status: previous ? 'replaced' : 'new', changes: changes.entries.length - before };
}

/** "England and Wales (excluding Greater Manchester Police)" → "excluding Greater Manchester Police". */
export function scopeExclusion(scope: string | null): string | null {
  const m = scope?.match(/\((excluding [^)]+)\)/i);
  return m ? m[1]! : null;
}

/**
 * Six significant figures, as scripts/seed/ons.ts stores ONS rates: re-importing an edition
 * it seeded changes nothing.
 */
const tidy = (value: number) => Number(value.toPrecision(6));

/**
 * A measure whose real series is ONS rolling years (homicide, seeded from these tables) gets
 * the edition as a point: the force's rate and count, and each MSG peer's. An edition the
 * series already holds is replaced, never added twice. Other series are not touched.
 */
function mergeIntoOnsSeries(
  draft: Store,
  edition: OnsEdition,
  home: Force,
  ctx: ImportContext,
  changes: ImportChanges,
): string[] {
  const touched: string[] = [];
  for (const measure of allMeasures(draft)) {
    const groups = measure.sourceMapping.ons;
    const series = measure.series;
    if (groups.length === 0 || !series?.official || !/^ONS\b/.test(series.source)) continue;
    const rate = onsRate(edition, home.onsCode, groups);
    const count = onsCount(edition, home.onsCode, groups);
    if (rate === null || count === null) continue;
    const point = putOwnFigures(series, measure.id, edition.yearEnding, { value: tidy(rate), count }, ctx, changes);
    for (const force of draft.msg.forces) {
      if (force.slug === home.slug) continue;
      const peerRate = onsRate(edition, force.onsCode, groups);
      const peerCount = onsCount(edition, force.onsCode, groups);
      if (peerRate === null || peerCount === null) continue;
      putPeerFigures(point, measure.id, force.slug, { value: tidy(peerRate), count: peerCount }, ctx, changes);
    }
    series.source = withEditionRange(
      series.source,
      series.points[0]!.period,
      series.points[series.points.length - 1]!.period,
    );
    touched.push(measure.id);
  }
  return touched;
}

/** "… rolling years ending Mar 2018 to Dec 2019" is kept true to the points. */
function withEditionRange(source: string, first: string, last: string): string {
  return source.replace(
    /rolling years ending \w+ \d{4} to \w+ \d{4}/,
    `rolling years ending ${longPeriodLabel(first)} to ${longPeriodLabel(last)}`,
  );
}

function sameFigures(a: OnsEdition, b: OnsEdition): boolean {
  return a.sourceFile === b.sourceFile && a.scope === b.scope && JSON.stringify(a.areas) === JSON.stringify(b.areas);
}
