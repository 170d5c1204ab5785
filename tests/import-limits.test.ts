// The hostile inputs at full size, each imported by the real CLI in a child process that
// reports its own peak RSS: refused in seconds with memory near an idle CLI's, where they
// took 30 s and 670 MB (a 50 MB line), over 5 minutes and 770 MB (a 100 KB zip inflating to
// a 100 MB line) and 43 s and 2.9 GB (a 12.5 MB workbook of 2.5 million rows) before the
// limits. The generated files are deleted as soon as each run is measured.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { measureImport, type MeasuredRun } from './import-limits-measure.ts';
import {
  removeTempDirs,
  tempDir,
  tempStore,
  writeLongLineCsv,
  writeLongLineZip,
  writeXlsxBomb,
} from './import-fixtures.ts';

afterAll(removeTempDirs);

/** Allowed over an idle CLI's peak: the inputs are 50–100 MB once read, so a leak shows. */
const RSS_HEADROOM_MB = 64;
/** Seconds, for a child that starts node and tsx on a busy machine; the old code took 30 s to minutes. */
const WALL_SECONDS = 15;
const KILL_AFTER_MS = 45_000;
const MB = 1024 * 1024;

let store: string;
let before: Buffer;
let idle: MeasuredRun;
beforeAll(async () => {
  store = tempStore();
  before = fs.readFileSync(store);
  // An idle CLI: a two-line street file refused at once. Its peak is node, tsx and the store.
  const small = path.join(tempDir(), '2021-11-avon-and-somerset-street.csv');
  await writeLongLineCsv(small, 10);
  idle = await measureImport(['import', 'police-uk', small], store, KILL_AFTER_MS);
  expect(idle.code).toBe(3);
}, 60_000);

/** Runs the import on a generated file, deletes the file, and checks the refusal's cost. */
async function refusedCheaply(args: string[], file: string, message: RegExp): Promise<MeasuredRun> {
  try {
    const run = await measureImport(args, store, KILL_AFTER_MS);
    process.stderr.write(
      `import-limits: ${path.basename(file)}: ${run.seconds.toFixed(1)} s, ` +
        `peak RSS ${run.peakRssMB?.toFixed(0)} MB (idle CLI ${idle.peakRssMB?.toFixed(0)} MB)\n`,
    );
    expect(run.timedOut, 'killed at the timeout').toBe(false);
    expect(run.code).toBe(3);
    expect(run.stderr.trim()).toMatch(message);
    expect(run.seconds).toBeLessThan(WALL_SECONDS);
    expect(run.peakRssMB!).toBeLessThan(idle.peakRssMB! + RSS_HEADROOM_MB);
    expect(fs.readFileSync(store).equals(before)).toBe(true);
    return run;
  } finally {
    fs.rmSync(file, { force: true });
  }
}

describe('hostile inputs at full size are refused quickly with flat memory (child process)', () => {
  it('a street file with one 50 MB line', { timeout: 90_000 }, async () => {
    const file = path.join(tempDir(), '2021-11-avon-and-somerset-street.csv');
    await writeLongLineCsv(file, 50 * MB);
    await refusedCheaply(
      ['import', 'police-uk', file],
      file,
      /refused, nothing was imported: .*2021-11-avon-and-somerset-street\.csv, line 2: a record longer than 65,536 characters/,
    );
  });

  it('a 100 KB zip whose street file inflates to one 100 MB line', { timeout: 90_000 }, async () => {
    const file = path.join(tempDir(), 'archive.zip');
    await writeLongLineZip(file, 100 * MB);
    expect(fs.statSync(file).size).toBeLessThan(200 * 1024);
    await refusedCheaply(
      ['import', 'police-uk', file],
      file,
      /archive\.zip:2021-11\/2021-11-avon-and-somerset-street\.csv, line 2: a record longer than 65,536 characters/,
    );
  });

  it(
    'a workbook of 2.5 million rows, small enough on disk to be inflated and counted',
    { timeout: 90_000 },
    async () => {
      const file = path.join(tempDir(), 'bomb.xlsx');
      await writeXlsxBomb(file, 2_500_000);
      expect(fs.statSync(file).size).toBeLessThan(16 * MB);
      await refusedCheaply(
        ['import', 'ons', file],
        file,
        /bomb\.xlsx: holds more than 25,000 rows .*; refused before loading$/,
      );
    },
  );
});
