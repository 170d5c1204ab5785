// npm run bench:import — police.uk import throughput and memory, 1× and 4× a synthetic year.
//
// The synthetic year is the real 2021 volume: for every force × month × crime type in
// ../shared/data/police-uk/monthly-counts-2021-asp-msg.csv (about 1.3 million rows, 95 files),
// real rows of that crime type from the real ASP November 2021 street file, with the month and
// force re-set. 4× is four such years (2018–2021). Each run imports into a fresh copy of the
// bundled store in a child process, so peak RSS belongs to that import alone.
// Goals: ≥ 300k rows/s, so a year of police.uk files imports in seconds, and peak RSS within
// 20 MB between 1× and 4×, which shows the import streams instead of holding the year in memory.
// `npm run bench:import -- --zip` adds a run of the 1× year from a police.uk-style .zip archive.
import { spawnSync } from 'node:child_process';
import yazl from 'yazl';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openStore, SEED_STORE_FILE } from '../src/store/index.ts';
import { importPoliceUk } from '../src/import/run.ts';
import { PACKAGE_ROOT } from '../src/paths.ts';

const SHARED = path.resolve(PACKAGE_ROOT, '..', 'shared', 'data', 'police-uk');
const GOAL_ROWS_PER_SECOND = 300_000;
const GOAL_RSS_SPREAD_MB = 20;

interface RunResult {
  years: number;
  files: number;
  rows: number;
  seconds: number;
  rowsPerSecond: number;
  peakRssMB: number;
  changes: number;
}

async function main(): Promise<void> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'measures-bench-import-'));
  try {
    const years = ['2021', '2020', '2019', '2018'];
    const started = performance.now();
    let bytes = 0;
    for (const year of years) bytes += writeSyntheticYear(path.join(root, year), year);
    process.stderr.write(
      `bench:import: wrote ${years.length} synthetic years (${(bytes / 1e6).toFixed(0)} MB) ` +
        `in ${((performance.now() - started) / 1000).toFixed(1)} s\n`,
    );

    const one = runChild([path.join(root, '2021')], 1);
    const four = runChild(
      years.map((y) => path.join(root, y)),
      4,
    );
    const zipped = process.argv.includes('--zip')
      ? { ...runChild([await zipYear(root, '2021')], 1), from: 'zip' }
      : null;
    const spread = Math.abs(four.peakRssMB - one.peakRssMB);
    const result = {
      machine: { cpus: os.cpus().length, node: process.version },
      runs: [one, four, ...(zipped ? [zipped] : [])],
      rssSpreadMB: Number(spread.toFixed(1)),
      goals: {
        rowsPerSecond: {
          goal: GOAL_ROWS_PER_SECOND,
          met: Math.min(one.rowsPerSecond, four.rowsPerSecond) >= GOAL_ROWS_PER_SECOND,
        },
        rssSpreadMB: { goal: GOAL_RSS_SPREAD_MB, met: spread <= GOAL_RSS_SPREAD_MB },
      },
    };
    for (const r of result.runs) {
      process.stderr.write(
        `bench:import: ${r.years}×${'from' in r ? ' from a .zip' : ''}: ${r.rows.toLocaleString('en-GB')} rows ` +
          `in ${r.files} files, ${r.seconds.toFixed(2)} s, ` +
          `${Math.round(r.rowsPerSecond).toLocaleString('en-GB')} rows/s, peak RSS ${r.peakRssMB.toFixed(1)} MB\n`,
      );
    }
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

function runChild(dirs: string[], years: number): RunResult {
  const self = fileURLToPath(import.meta.url);
  const r = spawnSync(process.execPath, ['--import', 'tsx', self, '--child', String(years), ...dirs], {
    cwd: PACKAGE_ROOT,
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  if (r.status !== 0) throw new Error(`bench child failed (${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout) as RunResult;
}

async function child([years, ...dirs]: string[]): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'measures-bench-store-'));
  const file = path.join(dir, 'store.json');
  fs.copyFileSync(SEED_STORE_FILE, file);
  const store = await openStore(file, { notice: () => {} });
  try {
    const started = performance.now();
    const report = await importPoliceUk(store, dirs, { author: 'bench' });
    const seconds = (performance.now() - started) / 1000;
    const result: RunResult = {
      years: Number(years),
      files: report.files.length,
      rows: report.rows,
      seconds,
      rowsPerSecond: report.rows / seconds,
      // maxRSS is in kilobytes: the process's peak, so it covers the whole import.
      peakRssMB: process.resourceUsage().maxRSS / 1024,
      changes: report.changes,
    };
    process.stdout.write(JSON.stringify(result));
  } finally {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The year's YYYY-MM/ folders as one deflated archive, as data.police.uk serves them. */
async function zipYear(root: string, year: string): Promise<string> {
  const zip = new yazl.ZipFile();
  for (const month of fs.readdirSync(path.join(root, year)).sort()) {
    for (const name of fs.readdirSync(path.join(root, year, month)).sort())
      zip.addFile(path.join(root, year, month, name), `${month}/${name}`);
  }
  zip.end();
  const file = path.join(root, `${year}.zip`);
  await new Promise<void>((resolve, reject) => {
    zip.outputStream.pipe(fs.createWriteStream(file)).on('close', resolve).on('error', reject);
  });
  return file;
}

/** Real rows by crime type from the real street file, to be cycled through. */
function realRowsByType(): Map<string, string[][]> {
  const lines = fs
    .readFileSync(path.join(SHARED, '2021-11-avon-and-somerset-street.csv'), 'utf8')
    .split(/\r?\n/)
    .slice(1);
  const byType = new Map<string, string[][]>();
  for (const line of lines) {
    if (!line) continue;
    const cells = line.split(',');
    const list = byType.get(cells[9]!) ?? [];
    list.push(cells);
    byType.set(cells[9]!, list);
  }
  return byType;
}

let rowsCache: Map<string, string[][]> | null = null;
let headerCache: string | null = null;

/** One year of street files, YYYY-MM/ folders as in the police.uk archive. Returns bytes written. */
function writeSyntheticYear(dir: string, year: string): number {
  rowsCache ??= realRowsByType();
  headerCache ??= fs.readFileSync(path.join(SHARED, '2021-11-avon-and-somerset-street.csv'), 'utf8').split(/\r?\n/)[0]!;
  const counts = fs
    .readFileSync(path.join(SHARED, 'monthly-counts-2021-asp-msg.csv'), 'utf8')
    .trim()
    .split(/\r?\n/)
    .slice(1);
  const files = new Map<string, string[]>();
  for (const line of counts) {
    const [month, force, fallsWithin, type, count] = line.split(',') as [string, string, string, string, string];
    const ym = `${year}-${month.slice(5)}`;
    const name = path.join(dir, ym, `${ym}-${force}-street.csv`);
    const out = files.get(name) ?? [headerCache];
    const templates = rowsCache.get(type)!;
    for (let i = 0; i < Number(count); i++) {
      const cells = [...templates[i % templates.length]!];
      cells[1] = ym;
      cells[2] = fallsWithin;
      cells[3] = fallsWithin;
      out.push(cells.join(','));
    }
    files.set(name, out);
  }
  let bytes = 0;
  for (const [name, lines] of files) {
    fs.mkdirSync(path.dirname(name), { recursive: true });
    const text = `${lines.join('\n')}\n`;
    fs.writeFileSync(name, text);
    bytes += Buffer.byteLength(text);
  }
  return bytes;
}

// Last, so every module-level binding above is initialised before it runs.
if (process.argv[2] === '--child') await child(process.argv.slice(3));
else await main();
