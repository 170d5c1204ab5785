// police.uk imports against a real store file: the synthetic 2021 year (built from the real
// monthly counts) lands exactly on the seeded series, re-imports are idempotent, a changed
// month replaces the old one, and a refused import leaves the store byte for byte.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../src/store/index.ts';
import type { Measure, Store } from '../src/store/schema.ts';
import { importPoliceUk } from '../src/import/run.ts';
import { ImportRefusal } from '../src/import/refusal.ts';
import { runMeasures, runMeasuresWithEnv } from './helpers/cli.ts';
import {
  readMonthlyCounts,
  removeTempDirs,
  streetFileText,
  streetRow,
  tempDir,
  tempStore,
  writeCountsAsStreetFiles,
  writeZip,
} from './import-fixtures.ts';

const MAPPED = new Set(['Burglary', 'Robbery', 'Vehicle crime', 'Theft from the person', 'Drugs']);
const REAL_MEASURES: Record<string, string> = {
  burglary: 'Burglary',
  robbery: 'Robbery',
  'vehicle-crime': 'Vehicle crime',
  'theft-from-the-person': 'Theft from the person',
};

let year: string;
beforeAll(() => {
  year = tempDir('measures-import-year-');
  writeCountsAsStreetFiles(year, MAPPED);
});
afterAll(removeTempDirs);

const measureOf = (store: Store, id: string): Measure =>
  store.priorities.flatMap((p) => p.measures).find((m) => m.id === id)!;
const quiet = { author: 'U0IMPORT' };

/** `measures …` in this process: quicker than spawning, same dispatcher and exit codes. */
const cli = (args: string[], store: string) => runMeasuresWithEnv(args, { MEASURES_STORE: store });

async function withStore<T>(
  file: string,
  fn: (store: Awaited<ReturnType<typeof openStore>>) => Promise<T>,
): Promise<T> {
  const store = await openStore(file, { notice: () => {} });
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

describe('importing the 2021 police.uk year', () => {
  it(
    'counts every force-month as the independent monthly sums, ' + 'and changes nothing the seed already holds',
    async () => {
      const file = tempStore();
      const before = fs.readFileSync(file, 'utf8');
      const report = await withStore(file, (s) => importPoliceUk(s, [year], quiet));
      expect(report.applied).toBe(true);
      expect(report.files).toHaveLength(95); // Derbyshire 2021-12 has no file
      const counts = readMonthlyCounts().filter((c) => MAPPED.has(c.type));
      expect(report.rows).toBe(counts.reduce((n, c) => n + c.count, 0));
      // The seeded series were counted from the same real files, so nothing is new.
      expect(report.changes).toBe(0);
      expect(report.messageId).toBeNull();
      expect(report.kept).toEqual([
        { id: 'drug-trafficking', reason: expect.stringMatching(/^its series is illustrative/) },
      ]);
      // Drugs rows feed no measure now, and the summary says so rather than dropping them silently.
      expect(report.unusedTypes).toEqual({
        Drugs: counts.filter((c) => c.type === 'Drugs').reduce((n, c) => n + c.count, 0),
      });
      const after = JSON.parse(fs.readFileSync(file, 'utf8')) as Store;
      const seeded = JSON.parse(before) as Store;
      for (const id of Object.keys(REAL_MEASURES))
        expect(measureOf(after, id).series).toEqual(measureOf(seeded, id).series);
      expect(measureOf(after, 'drug-trafficking').series).toEqual(measureOf(seeded, 'drug-trafficking').series);
      expect(after.changeLog).toEqual([]);
    },
  );

  it(
    'builds series from scratch that match the CSV sums, ' + 'with rates per 1,000 from the store populations',
    async () => {
      const file = tempStore();
      const doc = JSON.parse(fs.readFileSync(file, 'utf8')) as Store;
      for (const id of Object.keys(REAL_MEASURES)) measureOf(doc, id).series = null;
      fs.writeFileSync(file, JSON.stringify(doc));
      const report = await withStore(file, (s) => importPoliceUk(s, [year], quiet));
      const store = JSON.parse(fs.readFileSync(file, 'utf8')) as Store;
      const population = new Map(store.msg.forces.map((f) => [f.slug, f.population]));
      for (const [id, type] of Object.entries(REAL_MEASURES)) {
        const series = measureOf(store, id).series!;
        expect(series.official).toBe(true);
        expect(series.source).toBe(
          `police.uk street-level crime data, "${type}" rows counted by force and month, Jan–Dec 2021`,
        );
        expect(series.points.map((p) => p.period)).toEqual(
          Array.from({ length: 12 }, (_, i) => `2021-${String(i + 1).padStart(2, '0')}`),
        );
        for (const c of readMonthlyCounts().filter((x) => x.type === type)) {
          const point = series.points.find((p) => p.period === c.month)!;
          const got = c.force === 'avon-and-somerset' ? point : point.peers![c.force]!;
          expect(got.count, `${id} ${c.force} ${c.month}`).toBe(c.count);
          expect(got.value).toBeCloseTo((c.count / population.get(c.force)!) * 1000, 5);
        }
        expect(series.points.find((p) => p.period === '2021-12')!.peers!.derbyshire).toBeUndefined();
      }
      // One entry per value and peer figure (95 force-months × 4 measures), all one message.
      expect(report.changes).toBe(95 * 4);
      expect(new Set(store.changeLog.map((e) => e.messageId))).toEqual(new Set([report.messageId]));
      expect(store.changeLog[0]).toMatchObject({
        author: 'U0IMPORT',
        source: { kind: 'import' },
        target: { kind: 'measure' },
        before: null,
      });
      expect(store.changeLog.map((e) => e.field)).toContain('peer:kent:2021-11');
      expect(new Set(store.changeLog.map((e) => e.id)).size).toBe(store.changeLog.length);
    },
  );

  it('reports progress while it reads, for long imports', async () => {
    const file = tempStore();
    const lines: string[] = [];
    await withStore(file, (s) => importPoliceUk(s, [year], { ...quiet, progress: (t) => lines.push(t) }));
    expect(lines.length).toBeGreaterThan(90);
    expect(lines[lines.length - 1]).toMatch(/^[\d,]+ rows from 95 street files; reading 2021-12-sussex-street\.csv$/);
  });

  it('replaces a re-imported month instead of adding to it, and is idempotent', async () => {
    const file = tempStore();
    const dir = tempDir();
    const asp = readMonthlyCounts().filter(
      (c) => c.month === '2021-03' && c.force === 'avon-and-somerset' && MAPPED.has(c.type),
    );
    const counts = Object.fromEntries(asp.map((c) => [c.type, c.count]));
    counts.Robbery! += 10;
    fs.writeFileSync(
      path.join(dir, '2021-03-avon-and-somerset-street.csv'),
      streetFileText('2021-03', 'Avon and Somerset Constabulary', counts),
    );
    const seededRobbery = asp.find((c) => c.type === 'Robbery')!.count;

    const first = await withStore(file, (s) => importPoliceUk(s, [dir], quiet));
    expect(first.changes).toBe(1);
    const again = await withStore(file, (s) => importPoliceUk(s, [dir], quiet));
    expect(again.changes).toBe(0);
    const store = JSON.parse(fs.readFileSync(file, 'utf8')) as Store;
    const point = measureOf(store, 'robbery').series!.points.find((p) => p.period === '2021-03')!;
    expect(point.count).toBe(seededRobbery + 10);
    expect(store.changeLog).toHaveLength(1);
    expect(store.changeLog[0]).toMatchObject({
      field: 'value:2021-03',
      target: { id: 'robbery' },
      after: point.value,
      messageId: first.messageId,
    });
    expect(store.changeLog[0]!.before).toBeCloseTo((seededRobbery / 1_719_029) * 1000, 6);
  });

  it('leaves the store byte for byte when one file among good ones is malformed', async () => {
    const file = tempStore();
    const before = fs.readFileSync(file);
    const dir = tempDir();
    fs.writeFileSync(
      path.join(dir, '2022-01-kent-street.csv'),
      streetFileText('2022-01', 'Kent Police', { Robbery: 5 }),
    );
    const bad =
      streetFileText('2022-01', 'Sussex Police', { Robbery: 5 }) +
      `${streetRow('Robbery', '2022-02', 'Sussex Police')}\n`;
    fs.writeFileSync(path.join(dir, '2022-01-sussex-street.csv'), bad);
    fs.writeFileSync(
      path.join(dir, '2022-01-avon-and-somerset-street.csv'),
      streetFileText('2022-01', 'Avon and Somerset Constabulary', { Robbery: 5 }),
    );
    await expect(withStore(file, (s) => importPoliceUk(s, [dir], quiet))).rejects.toThrow(ImportRefusal);
    expect(fs.readFileSync(file).equals(before)).toBe(true);
  });

  it('lists peer months it cannot place, when the store has no month for the force itself', async () => {
    const file = tempStore();
    const dir = tempDir();
    fs.writeFileSync(
      path.join(dir, '2022-05-kent-street.csv'),
      streetFileText('2022-05', 'Kent Police', { Robbery: 5 }),
    );
    fs.writeFileSync(
      path.join(dir, '2021-12-derbyshire-street.csv'),
      streetFileText('2021-12', 'Derbyshire Constabulary', { Robbery: 7 }),
    );
    const report = await withStore(file, (s) => importPoliceUk(s, [dir], quiet));
    expect(report.unplaced).toEqual([{ force: 'kent', month: '2022-05' }]);
    // Derbyshire 2021-12 fills the gap in the existing December point.
    const store = JSON.parse(fs.readFileSync(file, 'utf8')) as Store;
    expect(measureOf(store, 'robbery').series!.points.find((p) => p.period === '2021-12')!.peers!.derbyshire).toEqual({
      value: 0.0066038,
      count: 7,
    });
  });

  it('never pours monthly police.uk counts into a real series from another source', async () => {
    const file = tempStore();
    const doc = JSON.parse(fs.readFileSync(file, 'utf8')) as Store;
    measureOf(doc, 'robbery').series!.source = 'ONS Police force area data tables, rolling years';
    fs.writeFileSync(file, JSON.stringify(doc));
    const dir = tempDir();
    writeCountsAsStreetFiles(dir, MAPPED, (c) => c.month === '2021-06');
    const report = await withStore(file, (s) => importPoliceUk(s, [dir], { ...quiet, replaceIllustrative: true }));
    expect(report.kept).toContainEqual({
      id: 'robbery',
      reason: 'its series comes from another source (ONS Police force area data tables, rolling years)',
    });
    expect(report.measures.map((m) => m.id)).not.toContain('robbery');
  });

  it('replaces an illustrative series only when asked, logging the switch', async () => {
    const file = tempStore();
    const dir = tempDir();
    writeCountsAsStreetFiles(dir, new Set(['Drugs']), (c) => c.month === '2021-11');
    const report = await withStore(file, (s) => importPoliceUk(s, [dir], { ...quiet, replaceIllustrative: true }));
    expect(report.measures.find((m) => m.id === 'drug-trafficking')).toMatchObject({
      replacedIllustrative: true,
      periods: ['2021-11'],
    });
    const store = JSON.parse(fs.readFileSync(file, 'utf8')) as Store;
    const series = measureOf(store, 'drug-trafficking').series!;
    expect(series.official).toBe(true);
    expect(series.points).toHaveLength(1);
    expect(series.caveats.join(' ')).toMatch(/possession as well as trafficking/);
    expect(store.changeLog.find((e) => e.field === 'series')).toMatchObject({
      before: { official: false },
      after: { official: true },
    });
  });
});

describe('measures import police-uk (the CLI)', () => {
  it(
    'exits 0 with a summary listing skipped files, 3 for a refused file, 2 for usage',
    { timeout: 60_000 },
    async () => {
      const file = tempStore();
      const dir = tempDir();
      const zip = path.join(dir, 'archive.zip');
      await writeZip(zip, {
        '2021-11/2021-11-kent-street.csv': streetFileText('2021-11', 'Kent Police', { Robbery: 88 }),
        '2021-11/2021-11-kent-outcomes.csv': 'Crime ID,Month\n',
        '2021-11/2021-11-cumbria-street.csv': streetFileText('2021-11', 'Cumbria Constabulary', { Robbery: 1 }),
      });
      const ok = runMeasures(['import', 'police-uk', zip, '--as', 'U123'], file);
      expect(ok.code).toBe(0);
      expect(ok.stdout).toMatch(/Imported 1 street files: 88 rows/);
      expect(ok.stdout).toMatch(
        /Skipped 2 files:\n.*2021-11-kent-outcomes\.csv: outcomes file.*\n.*2021-11-cumbria-street\.csv: force "cumbria" is not in the most similar group/,
      );

      const bad = path.join(dir, '2021-11-sussex-street.csv');
      fs.writeFileSync(bad, `${streetFileText('2021-11', 'Sussex Police', { Robbery: 2 })}x,2021-11\n`);
      const before = fs.readFileSync(file);
      const refused = await cli(['import', 'police-uk', bad, '--json'], file);
      expect(refused.code).toBe(3);
      expect(refused.stdout).toBe('');
      expect(refused.stderr).toContain(`refused, nothing was imported: ${bad}, line 4: expected 12 fields, found 2`);
      expect(fs.readFileSync(file).equals(before)).toBe(true);

      expect((await cli(['import', 'police-uk'], file)).code).toBe(2);
      expect((await cli(['import', 'stats', dir], file)).code).toBe(2);
      expect((await cli(['import', 'police-uk', path.join(dir, 'missing')], file)).code).toBe(2);

      // Only skipped files: nothing to apply is a refusal too, with the skipped list.
      const outcomes = path.join(dir, '2021-11-kent-outcomes.csv');
      fs.writeFileSync(outcomes, 'Crime ID,Month\n');
      const nothing = await cli(['import', 'police-uk', outcomes, '--json'], file);
      expect(nothing.code).toBe(3);
      const json = JSON.parse(nothing.stdout);
      expect(json).toMatchObject({
        applied: false,
        reason: 'no street files of the most similar group forces were found',
        skipped: [{ label: outcomes }],
      });
      expect(fs.readFileSync(file).equals(before)).toBe(true);
    },
  );
});

describe('the words around a series follow its months', () => {
  it(
    'names the new range in the source, and drops the missing-file caveat once that file arrives',
    { timeout: 60_000 },
    async () => {
      const file = tempStore();
      const dir = tempDir('measures-import-new-months-');
      const counts = { Robbery: 3, Burglary: 2 };
      // Derbyshire's December 2021 (missing from police.uk's 2021 archive) and a whole January 2022.
      fs.writeFileSync(
        path.join(dir, '2021-12-derbyshire-street.csv'),
        streetFileText('2021-12', 'Derbyshire Constabulary', counts),
      );
      const forces: Array<[string, string]> = [
        ['avon-and-somerset', 'Avon and Somerset Constabulary'],
        ['staffordshire', 'Staffordshire Police'],
        ['derbyshire', 'Derbyshire Constabulary'],
        ['essex', 'Essex Police'],
        ['hampshire', 'Hampshire Constabulary'],
        ['hertfordshire', 'Hertfordshire Constabulary'],
        ['kent', 'Kent Police'],
        ['sussex', 'Sussex Police'],
      ];
      for (const [slug, fallsWithin] of forces)
        fs.writeFileSync(path.join(dir, `2022-01-${slug}-street.csv`), streetFileText('2022-01', fallsWithin, counts));
      const before = measureOf(await withStore(file, async (s) => s.snapshot()), 'robbery').series!;
      expect(before.source).toMatch(/Jan–Dec 2021$/);
      expect(
        before.caveats.some((c) => c.startsWith('Derbyshire has no police.uk street file for December 2021')),
      ).toBe(true);

      await withStore(file, (store) => importPoliceUk(store, [dir], quiet));
      const after = measureOf(await withStore(file, async (s) => s.snapshot()), 'robbery').series!;
      expect(after.source).toMatch(/rows counted by force and month, Jan 2021–Jan 2022$/);
      expect(after.caveats.some((c) => /no police\.uk street file/.test(c))).toBe(false);
      expect(after.points.at(-1)).toMatchObject({ period: '2022-01', count: 3 });
    },
  );
});
