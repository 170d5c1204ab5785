// Writes the `series` of every measure into the bundled report (fixtures/report-2021-11.json)
// from the real files in ../shared/data, or an illustrative series where no public data
// genuinely matches. Only `series` fields change; everything else in the file is left as is.
// The output is committed, so the bot never needs ../shared at run time.
//
//   node --import tsx scripts/seed-series.ts [--in FILE] [--out FILE] [--data DIR]
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Measure, Series, Store } from '../src/store/index.ts';
import { readMonthlyCounts, policeUkSeries } from './seed/police-uk.ts';
import { readOnsRows, onsSeries } from './seed/ons.ts';
import { illustrativeSeries, type IllustrativeSpec } from './seed/illustrative.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));

/** Measures with a genuinely matching police.uk crime type. */
const POLICE_UK: Record<string, string> = {
  burglary: 'Burglary',
  'vehicle-crime': 'Vehicle crime',
  robbery: 'Robbery',
  'theft-from-the-person': 'Theft from the person',
};

const HOMICIDE_CAVEATS = [
  'Each point is a rolling year: the 12 months ending that month, published quarterly. ' +
    "The latest is the year ending December 2019, two years before the report's quarter (ending November 2021); " +
    'no later force-area homicide figures are held.',
  "ONS rates use the mid-year population published with each edition (1–2 years before the year's end), " +
    'not the mid-2019 populations used for police.uk rates.',
  'The year ending December 2019 includes the 39 deaths found in a lorry in Essex in October 2019.',
  'Homicide counts are small (single figures to about 30 a year per force), so one case can move a rank.',
];

const NO_DATA = 'No public data set matching this measure is held in ../shared/data.';

/** Level and rounding for each illustrative series; levels are plausible orders of magnitude only. */
const ILLUSTRATIVE: Record<string, IllustrativeSpec> = {
  'serious-violence': {
    level: 0.3,
    decimals: 4,
    why:
      'The Home Office "serious violence" definition has no police.uk or ONS force-area equivalent here: ' +
      'police.uk "Violence and sexual offences" and ONS "Violence with injury" are far wider.',
  },
  'drugs-disruptions': { level: 150, decimals: 0, why: `Drugs disruptions are a local operational count. ${NO_DATA}` },
  'county-lines-disrupted': {
    level: 14,
    decimals: 0,
    why: `County lines disruptions are a local operational count. ${NO_DATA}`,
  },
  'drug-trafficking': {
    level: 0.035,
    decimals: 5,
    why:
      'police.uk "Drugs" and ONS "Drug offences" include possession, most of the category, ' +
      'so they do not stand for trafficking offences.',
  },
  'cyber-crime-investigated': {
    level: 100,
    decimals: 0,
    cap: 100,
    constant: true,
    why: `A local performance figure. ${NO_DATA}`,
  },
  'cyber-victims-advised': {
    level: 100,
    decimals: 0,
    cap: 100,
    constant: true,
    why: `A local performance figure. ${NO_DATA}`,
  },
  'action-fraud-offences': {
    level: 900,
    decimals: 0,
    why: `police.uk has no fraud; Action Fraud force figures are not held. ${NO_DATA}`,
  },
  'overall-victim-satisfaction': {
    level: 78,
    decimals: 1,
    cap: 100,
    why: `Victim satisfaction comes from local surveys. ${NO_DATA}`,
  },
  'hate-crime-victim-satisfaction': {
    level: 70,
    decimals: 1,
    cap: 100,
    why: `Victim satisfaction comes from local surveys. ${NO_DATA}`,
  },
  'violent-crime-victim-satisfaction': {
    level: 71,
    decimals: 1,
    cap: 100,
    why: `Victim satisfaction comes from local surveys. ${NO_DATA}`,
  },
  'burglary-victim-satisfaction': {
    level: 88,
    decimals: 1,
    cap: 100,
    why: `Victim satisfaction comes from local surveys. ${NO_DATA}`,
  },
  'rape-referrals-to-cps': {
    level: 45,
    decimals: 0,
    why: `CPS pre-charge referrals are not in police.uk or the ONS tables. ${NO_DATA}`,
  },
  'rape-charges': {
    level: 20,
    decimals: 0,
    why: 'police.uk folds rape into "Violence and sexual offences" and its outcomes are not rape charges.',
  },
  'rape-charge-rate': {
    level: 4.5,
    decimals: 2,
    cap: 100,
    why: 'police.uk folds rape into "Violence and sexual offences" and its outcomes are not rape charges.',
  },
};

export function seedSeries(doc: Store, dataDir: string): Map<string, string> {
  const counts = readMonthlyCounts(path.join(dataDir, 'police-uk', 'monthly-counts-2021-asp-msg.csv'));
  const onsRows = readOnsRows(path.join(dataDir, 'ons', 'pfa-p1-p3-asp-msg-2018-2019.csv'));
  const forces = doc.msg.forces;
  const own = doc.force.slug;
  const decisions = new Map<string, string>();
  for (const priority of doc.priorities) {
    for (const measure of priority.measures) {
      let series: Series;
      const crimeType = POLICE_UK[measure.id];
      if (crimeType) {
        series = policeUkSeries(counts, crimeType, forces, own);
        decisions.set(measure.id, `real: police.uk "${crimeType}"`);
      } else if (measure.id === 'homicide') {
        series = onsSeries(onsRows, 'Homicide', forces, own, HOMICIDE_CAVEATS);
        decisions.set(measure.id, 'real: ONS P1/P3 "Homicide", rolling years');
      } else {
        const spec = ILLUSTRATIVE[measure.id];
        if (!spec) throw new Error(`${measure.id}: no series decision; add it to scripts/seed-series.ts`);
        series = illustrativeSeries(measure as Measure, doc, spec);
        decisions.set(measure.id, 'illustrative');
      }
      measure.series = series;
    }
  }
  return decisions;
}

function main(argv: string[]): void {
  const arg = (name: string, fallback: string) => {
    const i = argv.indexOf(name);
    return i >= 0 && argv[i + 1] ? path.resolve(argv[i + 1]!) : fallback;
  };
  const input = arg('--in', path.join(ROOT, 'fixtures', 'report-2021-11.json'));
  const output = arg('--out', input);
  const dataDir = arg('--data', path.join(ROOT, '..', 'shared', 'data'));
  const doc = JSON.parse(fs.readFileSync(input, 'utf8')) as Store;
  const decisions = seedSeries(doc, dataDir);
  // One-space indentation and no final newline: the fixture's existing layout, so diffs show only series.
  fs.writeFileSync(output, JSON.stringify(doc, null, 1));
  for (const [id, decision] of decisions) console.error(`${id.padEnd(36)} ${decision}`);
  console.error(`wrote ${output}`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) main(process.argv.slice(2));
