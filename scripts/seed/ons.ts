// Real ONS series: rolling-year counts (Table P1) and rates per 1,000 (Table P3) per
// offence group, from the tidy extract of the "Police force area data tables".
import fs from 'node:fs';
import Papa from 'papaparse';
import type { Force, Series, SeriesPoint } from '../../src/store/index.ts';
import { tidy } from './police-uk.ts';
import { longPeriodLabel } from '../../src/measures/computed/periods.ts';

interface OnsRow {
  source_file: string;
  year_ending: string;
  table: string;
  area_code: string;
  area_name: string;
  column: string;
  value: string;
}

export function readOnsRows(file: string): OnsRow[] {
  const parsed = Papa.parse<OnsRow>(fs.readFileSync(file, 'utf8'), { header: true, skipEmptyLines: true });
  if (parsed.errors.length > 0) throw new Error(`${file}: ${parsed.errors[0]!.message}`);
  return parsed.data;
}

export function onsSeries(rows: OnsRow[], column: string, forces: Force[], ownSlug: string, caveats: string[]): Series {
  const pick = (edition: string, table: string, code: string): number | null => {
    const row = rows.find(
      (r) => r.year_ending === edition && r.table === table && r.area_code === code && r.column === column,
    );
    if (!row || row.value === '..' || row.value === '') return null;
    return Number(row.value);
  };
  const editions = [...new Set(rows.map((r) => r.year_ending))].sort();
  const own = forces.find((f) => f.slug === ownSlug)!;
  const points: SeriesPoint[] = [];
  for (const edition of editions) {
    const rate = pick(edition, 'Table P3', own.onsCode);
    const count = pick(edition, 'Table P1', own.onsCode);
    if (rate === null || count === null) continue;
    const peers: NonNullable<SeriesPoint['peers']> = {};
    for (const force of forces) {
      if (force.slug === ownSlug) continue;
      const peerRate = pick(edition, 'Table P3', force.onsCode);
      const peerCount = pick(edition, 'Table P1', force.onsCode);
      if (peerRate !== null && peerCount !== null) peers[force.slug] = { value: tidy(peerRate), count: peerCount };
    }
    points.push({ period: edition, value: tidy(rate), count, peers });
  }
  const first = points[0]!.period;
  const last = points[points.length - 1]!.period;
  return {
    source:
      `ONS Police force area data tables, Table P1 (offences) and Table P3 (rate per 1,000), "${column}", ` +
      `rolling years ending ${longPeriodLabel(first)} to ${longPeriodLabel(last)}`,
    sourceUrl: 'https://www.ons.gov.uk/peoplepopulationandcommunity/crimeandjustice/datasets/policeforceareadatatables',
    official: true,
    caveats,
    countUnit: 'offences',
    points,
  };
}
