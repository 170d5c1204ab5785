// England and Wales as an extra comparator: the ONS rolling-year rate of a measure's offence
// groups for the force, its MSG peers and England and Wales, from the latest stored edition.
// Answers and charts call onsComparison(); it returns null when no edition covers the measure.
import { homeForce, type Measure, type OnsEdition, type Store } from '../store/index.ts';

export const ENGLAND_AND_WALES_CODE = 'K04000001';

export interface OnsComparison {
  /** e.g. "2019-12": the rolling year ends with this month. */
  yearEnding: string;
  sourceFile: string;
  groups: string[];
  force: { slug: string; rate: number | null; count: number | null };
  peers: { slug: string; rate: number | null; count: number | null }[];
  englandAndWales: { rate: number | null; count: number | null; scope?: string };
  /** Population behind the force's rate, and its year, as ONS used it. */
  population: number | null;
  populationBasis: string | null;
  caveat: string;
}

export const ONS_CAVEAT =
  'ONS police recorded crime, rolling 12 months, rate per 1,000 residents (ONS mid-year population). Excludes fraud; ' +
  'not comparable with police.uk monthly counts.';

/** Sum of the groups' rates for one area; null when any group is not available. */
export function onsRate(edition: OnsEdition, code: string, groups: string[]): number | null {
  return sumOf(edition, code, groups, 'rates');
}

export function onsCount(edition: OnsEdition, code: string, groups: string[]): number | null {
  return sumOf(edition, code, groups, 'counts');
}

function sumOf(edition: OnsEdition, code: string, groups: string[], key: 'rates' | 'counts'): number | null {
  const area = edition.areas.find((a) => a.code === code);
  if (!area || groups.length === 0) return null;
  let total = 0;
  for (const group of groups) {
    const v = area[key][group];
    if (v === null || v === undefined) return null;
    total += v;
  }
  return total;
}

export function onsComparison(
  store: Store,
  measure: Pick<Measure, 'sourceMapping'>,
  yearEnding?: string,
): OnsComparison | null {
  const groups = measure.sourceMapping.ons;
  if (groups.length === 0 || store.ons.length === 0) return null;
  const editions = [...store.ons].sort((a, b) => (a.yearEnding < b.yearEnding ? 1 : -1));
  const edition = yearEnding ? editions.find((e) => e.yearEnding === yearEnding) : editions[0];
  if (!edition) return null;
  const home = homeForce(store);
  if (!home) return null;
  const homeArea = edition.areas.find((a) => a.code === home.onsCode);
  return {
    yearEnding: edition.yearEnding,
    sourceFile: edition.sourceFile,
    groups,
    force: {
      slug: home.slug,
      rate: onsRate(edition, home.onsCode, groups),
      count: onsCount(edition, home.onsCode, groups),
    },
    peers: store.msg.forces
      .filter((f) => f.slug !== home.slug)
      .map((f) => ({
        slug: f.slug,
        rate: onsRate(edition, f.onsCode, groups),
        count: onsCount(edition, f.onsCode, groups),
      })),
    englandAndWales: {
      rate: onsRate(edition, ENGLAND_AND_WALES_CODE, groups),
      count: onsCount(edition, ENGLAND_AND_WALES_CODE, groups),
      ...(edition.scope ? { scope: edition.scope } : {}),
    },
    population: homeArea?.population ?? null,
    populationBasis: homeArea?.populationBasis ?? null,
    caveat: ONS_CAVEAT,
  };
}
