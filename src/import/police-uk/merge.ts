// Merges counted street files into the measures' series. Pure: it changes the draft store
// it is given (inside the store's locked mutate) and returns what it did.
//
// A point is one month: the force's own rate and count, plus each MSG peer's. Importing a
// force-month replaces that force's figures for the month, so a re-import never double-counts.
import { allMeasures, type Force, type Measure, type Series, type Store } from '../../store/index.ts';
import { ImportChanges, type ImportContext } from '../change-log.ts';
import { MISSING_PEER_CAVEAT, missingPeerCaveats } from './coverage.ts';
import { periodRangeLabel } from '../../measures/computed/periods.ts';
import { putOwnFigures, putPeerFigures } from '../points.ts';
import type { StreetFileCounts } from './street-csv.ts';

/** The seeded series' wording; the month range is rewritten to the points after every import. */
export function policeUkSource(types: string[]): string {
  return (
    `police.uk street-level crime data, ${types.map((t) => `"${t}"`).join(' + ')} ` +
    'rows counted by force and month, (no months yet)'
  );
}
export const POLICE_UK_URL = 'https://data.police.uk/data/archive/';
/**
 * Rates keep six significant figures, computed as (count / population) × 1000.
 * scripts/seed/police-uk.ts seeds with ratePerThousand too, so re-importing the seeded months changes nothing.
 */
export const RATE_SIGNIFICANT_FIGURES = 6;

const GENERAL_CAVEATS = [
  'police.uk crime types are not Home Office offence groups: ' +
    'police.uk has no fraud and includes anti-social behaviour, ' +
    'so its counts will not equal ONS police recorded crime.',
  'Rows are counted by the force whose file holds them ("Falls within"), not by LSOA.',
];

/** What SOURCES.md says each police.uk category does not mean. */
const TYPE_CAVEATS: Record<string, string> = {
  Burglary: 'police.uk "Burglary" covers all burglary, residential and business.',
  Robbery: 'police.uk "Robbery" includes business robbery, not only personal robbery.',
  Drugs: 'police.uk "Drugs" covers possession as well as trafficking.',
  'Violence and sexual offences': 'police.uk "Violence and sexual offences" is far wider than serious violence.',
};

export interface MeasureMergeSummary {
  id: string;
  periods: string[];
  /** Series created because the measure had none. */
  created: boolean;
  /** An illustrative (invented) series was replaced by real figures. */
  replacedIllustrative: boolean;
}

export interface PoliceUkMergeSummary {
  measures: MeasureMergeSummary[];
  /**
   * Measures left alone: an illustrative series (unless replacing was asked for), or a real
   * series from another source (e.g. ONS rolling years), which monthly police.uk counts must not join.
   */
  kept: { id: string; reason: string }[];
  /** Force-months that could not be stored: the force's own month is absent, or the force left the MSG. */
  unplaced: { force: string; month: string }[];
  changes: number;
}

export function ratePerThousand(count: number, population: number): number {
  return Number(((count / population) * 1000).toPrecision(RATE_SIGNIFICANT_FIGURES));
}

export interface MergeOptions {
  /**
   * Replace an illustrative (invented) series with police.uk figures. Off by default: a
   * measure is illustrative because someone judged that no police.uk category stands for it
   * (e.g. "Drugs" is mostly possession, not trafficking), so the importer does not overrule that.
   */
  replaceIllustrative?: boolean;
}

export function mergePoliceUk(
  draft: Store,
  files: StreetFileCounts[],
  ctx: ImportContext,
  changes: ImportChanges,
  options: MergeOptions = {},
): PoliceUkMergeSummary {
  const home = draft.force.slug;
  const forces = new Map(draft.msg.forces.map((f) => [f.slug, f]));
  const months = [...new Set(files.map((f) => f.month))].sort();
  const byMonth = new Map<string, StreetFileCounts[]>();
  for (const file of files) byMonth.set(file.month, [...(byMonth.get(file.month) ?? []), file]);

  const unplacedKeys = new Set<string>();
  const summaries: MeasureMergeSummary[] = [];
  const kept: { id: string; reason: string }[] = [];
  const before = changes.entries.length;
  for (const measure of allMeasures(draft)) {
    const types = measure.sourceMapping.policeUk;
    if (types.length === 0) continue;
    if (measure.series && !measure.series.official && !options.replaceIllustrative) {
      kept.push({
        id: measure.id,
        reason: 'its series is illustrative (judged not to be measured by police.uk); --replace-illustrative overrides',
      });
      continue;
    }
    if (measure.series?.official && !isPoliceUk(measure.series)) {
      kept.push({ id: measure.id, reason: `its series comes from another source (${measure.series.source})` });
      continue;
    }
    const replaced = measure.series;
    const { series, created, replacedIllustrative } = ensureSeries(measure, types, forces.get(home));
    if (replacedIllustrative && replaced) {
      changes.add(measure.id, 'series', describeSeries(replaced), describeSeries(series));
    }
    const periods: string[] = [];
    for (const month of months) {
      // A force dropped from the MSG since the files were read has nowhere to go.
      const monthFiles = byMonth.get(month)!.filter((f) => {
        if (forces.has(f.force)) return true;
        unplacedKeys.add(`${f.force} ${month}`);
        return false;
      });
      const own = monthFiles.find((f) => f.force === home);
      const point = own
        ? putOwnFigures(series, measure.id, month, figures(own, types, forces.get(home)!), ctx, changes)
        : series.points.find((p) => p.period === month);
      if (!point) {
        // A point needs the force's own value; peers alone have nowhere to go. Reported, not dropped silently.
        for (const f of monthFiles) unplacedKeys.add(`${f.force} ${month}`);
        continue;
      }
      for (const file of monthFiles) {
        if (file.force !== home)
          putPeerFigures(point, measure.id, file.force, figures(file, types, forces.get(file.force)!), ctx, changes);
      }
      periods.push(month);
    }
    series.points.sort((a, b) => (a.period < b.period ? -1 : a.period > b.period ? 1 : 0));
    if (periods.length > 0) {
      series.source = withPeriodRange(series);
      series.caveats = [
        ...series.caveats.filter((c) => !MISSING_PEER_CAVEAT.test(c)),
        ...missingPeerCaveats(series.points, draft.msg.forces, draft.force.slug),
      ];
    }
    if (periods.length > 0 || created) summaries.push({ id: measure.id, periods, created, replacedIllustrative });
  }
  const unplaced = [...unplacedKeys].map((key) => {
    const [force, month] = key.split(' ') as [string, string];
    return { force, month };
  });
  return { measures: summaries, kept, unplaced, changes: changes.entries.length - before };
}

function isPoliceUk(series: Series): boolean {
  return /police\.uk/i.test(series.source);
}

function figures(file: StreetFileCounts, types: string[], force: Force): { value: number; count: number } {
  let count = 0;
  for (const type of types) count += file.byType.get(type) ?? 0;
  return { value: ratePerThousand(count, force.population), count };
}

function ensureSeries(
  measure: Measure,
  types: string[],
  homeForce: Force | undefined,
): { series: Series; created: boolean; replacedIllustrative: boolean } {
  const existing = measure.series;
  // An existing real series keeps its curated caveats. Real figures never mix with invented
  // ones: an illustrative series (only reached when replacing was asked for) is replaced whole.
  if (existing && existing.official) return { series: existing, created: false, replacedIllustrative: false };
  const series: Series = {
    source: policeUkSource(types),
    sourceUrl: POLICE_UK_URL,
    official: true,
    caveats: caveatsFor(types, homeForce),
    countUnit: 'crimes',
    points: [],
  };
  measure.series = series;
  return { series, created: existing === null, replacedIllustrative: existing !== null };
}

/** The source names the months it covers, in the seed's words ("Jan–Dec 2021"). */
function withPeriodRange(series: Series): string {
  const first = series.points[0]?.period;
  const last = series.points[series.points.length - 1]?.period;
  if (!first || !last) return series.source;
  return series.source.replace(/(rows counted by force and month, ).*$/, `$1${periodRangeLabel(first, last)}`);
}

function describeSeries(series: Series): { source: string; official: boolean; points: number } {
  return { source: series.source, official: series.official, points: series.points.length };
}

function caveatsFor(types: string[], homeForce: Force | undefined): string[] {
  const out = [...GENERAL_CAVEATS];
  for (const type of types) {
    const caveat = TYPE_CAVEATS[type];
    if (caveat) out.push(caveat);
  }
  if (homeForce) {
    out.push(
      `Rates are per 1,000 residents of ${homeForce.populationBasis} populations held in the store, ` +
        'the same for every month.',
    );
  }
  return out;
}
