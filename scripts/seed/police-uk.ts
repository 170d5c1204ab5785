// Real police.uk series: monthly rows counted by force and crime type (SOURCES.md), turned
// into rates per 1,000 residents with the store's populations. Counts are kept.
import fs from 'node:fs';
import Papa from 'papaparse';
import type { Force, Series, SeriesPoint } from '../../src/store/index.ts';
import { periodRangeLabel } from '../../src/measures/computed/periods.ts';
import { missingPeerCaveats } from '../../src/import/police-uk/coverage.ts';
import { POLICE_UK_URL, ratePerThousand } from '../../src/import/police-uk/merge.ts';

interface CountRow {
  month: string;
  force_slug: string;
  crime_type: string;
  count: string;
}

/** counts.get(`${month}|${slug}`) is that force-month's rows by crime type; absent = no file. */
export type MonthlyCounts = Map<string, Map<string, number>>;

export function readMonthlyCounts(file: string): MonthlyCounts {
  const parsed = Papa.parse<CountRow>(fs.readFileSync(file, 'utf8'), { header: true, skipEmptyLines: true });
  if (parsed.errors.length > 0) throw new Error(`${file}: ${parsed.errors[0]!.message} (row ${parsed.errors[0]!.row})`);
  const counts: MonthlyCounts = new Map();
  for (const row of parsed.data) {
    const key = `${row.month}|${row.force_slug}`;
    let byType = counts.get(key);
    if (!byType) counts.set(key, (byType = new Map()));
    byType.set(row.crime_type, (byType.get(row.crime_type) ?? 0) + Number(row.count));
  }
  return counts;
}

/** Six significant figures: enough for a rate per 1,000 and stable in JSON. */
export function tidy(value: number): number {
  return Number(value.toPrecision(6));
}

const COMMON_CAVEATS = [
  'police.uk crime types are not Home Office offence groups: police.uk has no fraud, ' +
    'so these counts will not equal ONS "police recorded crime".',
  'Rows are counted by the file\'s force ("Falls within"), not by LSOA: ' +
    "a force's file can hold a few rows outside its area.",
  'Rates per 1,000 residents use mid-2019 populations (ONS local-authority estimates summed to force areas); ' +
    'no mid-2020 figure was found.',
];

export const POLICE_UK_CAVEATS: Record<string, string[]> = {
  Burglary: [
    'police.uk "Burglary" covers all burglary, residential and non-residential (business and community), ' +
      'not only the domestic burglary of the neighbourhood-crime definition.',
  ],
  Robbery: [
    'police.uk "Robbery" includes business robbery as well as robbery of personal property ' +
      "(the report notes ASP's business robbery rate is about three times the MSG average).",
  ],
  'Vehicle crime': [],
  'Theft from the person': [],
};

export function policeUkSeries(counts: MonthlyCounts, crimeType: string, forces: Force[], ownSlug: string): Series {
  const months = [...new Set([...counts.keys()].map((k) => k.split('|')[0]!))].sort();
  const points: SeriesPoint[] = [];
  for (const month of months) {
    const own = valueFor(
      counts,
      month,
      forces.find((f) => f.slug === ownSlug)!,
      crimeType,
    );
    if (!own) continue;
    const peers: NonNullable<SeriesPoint['peers']> = {};
    for (const force of forces) {
      if (force.slug === ownSlug) continue;
      const peer = valueFor(counts, month, force, crimeType);
      // A missing file stays missing: never a zero and never an estimate.
      if (peer) peers[force.slug] = peer;
    }
    points.push({ period: month, ...own, peers });
  }
  return {
    source:
      `police.uk street-level crime data, "${crimeType}" rows counted by force and month, ` +
      `${periodRangeLabel(months[0]!, months[months.length - 1]!)}`,
    sourceUrl: POLICE_UK_URL,
    official: true,
    caveats: [
      ...(POLICE_UK_CAVEATS[crimeType] ?? []),
      ...COMMON_CAVEATS,
      ...missingPeerCaveats(points, forces, ownSlug),
    ],
    countUnit: 'crimes',
    points,
  };
}

function valueFor(
  counts: MonthlyCounts,
  month: string,
  force: Force,
  crimeType: string,
): { value: number; count: number } | null {
  const byType = counts.get(`${month}|${force.slug}`);
  if (!byType) return null;
  // The force's file exists this month, so a crime type with no rows really is zero.
  const count = byType.get(crimeType) ?? 0;
  // The importer's own rate, so re-importing the seeded months changes nothing.
  return { value: ratePerThousand(count, force.population), count };
}
