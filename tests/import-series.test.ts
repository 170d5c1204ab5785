// `measures import series`, `--dry-run` and `measures import undo` against a real store file,
// through the CLI dispatcher in this process: what an analyst sees and what the store holds.
import { UNDOABLE_IMPORTS } from '../src/import/records.ts';
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import type { Measure, Store } from '../src/store/schema.ts';
import { runMeasuresWithEnv } from './helpers/cli.ts';
import { readStoreJson, tempStoreFile } from './helpers/store-temp.ts';
import { tempDir } from './helpers/seed.ts';
import { ONS_WORKBOOKS, REAL_STREET_FILE } from './import-fixtures.ts';

const NOW = '2022-01-15T12:00:00Z';

const cli = (args: string[], store: string) => runMeasuresWithEnv(args, { MEASURES_STORE: store, MEASURES_NOW: NOW });

const measureOf = (store: Store, id: string): Measure =>
  store.priorities.flatMap((p) => p.measures).find((m) => m.id === id)!;

function file(name: string, text: string | Buffer): string {
  const p = path.join(tempDir('measures-series-'), name);
  fs.writeFileSync(p, text);
  return p;
}

const DRUGS = 'period,value,count\n2021-02,150,150\n2021-05,160,160\n2021-08,170,170\n2021-11,155,155\n';

describe('measures import series', () => {
  it('--dry-run prints the preview and saves nothing', async () => {
    const store = tempStoreFile();
    const before = fs.readFileSync(store, 'utf8');
    const r = await cli(['import', 'series', 'drugs-disruptions', file('dd.csv', DRUGS), '--dry-run'], store);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Dry run of dd.csv: nothing saved');
    expect(r.stdout).toContain('replaces the illustrative series; adds 2021-02, 2021-05, 2021-08, 2021-11');
    expect(r.stdout).toMatch(/trend: Stable \(Feb 2020–Nov 2021\) → /);
    expect(fs.readFileSync(store, 'utf8')).toBe(before);

    const json = await cli(
      ['import', 'series', 'drugs-disruptions', file('dd.csv', DRUGS), '--dry-run', '--json'],
      store,
    );
    const preview = JSON.parse(json.stdout);
    expect(preview).toMatchObject({ kind: 'import-preview', source: 'series', applied: false, files: ['dd.csv'] });
    expect(preview.measures[0]).toMatchObject({ id: 'drugs-disruptions', seriesReplaced: true, replaced: [] });
    expect(fs.readFileSync(store, 'utf8')).toBe(before);
  });

  it('replaces an illustrative series whole and marks it official, with the file as its source', async () => {
    const store = tempStoreFile();
    const r = await cli(['import', 'series', 'drugs disruptions', file('dd.csv', DRUGS), '--as', 'U0ANA'], store);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('replacing the illustrative series');
    const series = measureOf(readStoreJson(store), 'drugs-disruptions').series!;
    expect(series.official).toBe(true);
    expect(series.source).toContain('dd.csv');
    // Not one invented point is left among the real ones.
    expect(series.points.map((p) => [p.period, p.value, p.count])).toEqual([
      ['2021-02', 150, 150],
      ['2021-05', 160, 160],
      ['2021-08', 170, 170],
      ['2021-11', 155, 155],
    ]);
    const log = readStoreJson(store).changeLog;
    expect(new Set(log.map((e) => e.messageId)).size).toBe(1);
    expect(log.map((e) => e.field)).toEqual([
      'series',
      'value:2021-02',
      'value:2021-05',
      'value:2021-08',
      'value:2021-11',
    ]);
    expect(log.every((e) => e.author === 'U0ANA' && e.source.kind === 'import')).toBe(true);
  });

  it('merges into an official series period by period; the same file again writes nothing', async () => {
    const store = tempStoreFile();
    const before = measureOf(readStoreJson(store), 'robbery').series!;
    // A BOM and CRLF line ends, as Excel's "CSV UTF-8" writes them, and a peer column.
    const csv = file('rob.csv', '\uFEFFperiod,value,count,kent\r\n2021-11,0.9,1550,0.5\r\n2022-01,0.8,1400,\r\n');
    const r = await cli(['import', 'series', 'robbery', csv, '--json'], store);
    expect(r.code).toBe(0);
    const after = measureOf(readStoreJson(store), 'robbery').series!;
    expect(after.points.length).toBe(before.points.length + 1);
    const nov = after.points.find((p) => p.period === '2021-11')!;
    expect(nov).toMatchObject({ value: 0.9, count: 1550 });
    expect(nov.peers?.kent).toEqual({ value: 0.5 });
    // Peers the file has no figure for are kept.
    expect(nov.peers?.essex).toEqual(before.points.find((p) => p.period === '2021-11')!.peers!.essex);
    expect(after.points.find((p) => p.period === '2021-10')).toEqual(before.points.find((p) => p.period === '2021-10'));
    expect(JSON.parse(r.stdout)).toMatchObject({ source: 'series', changes: 3 });

    const text = fs.readFileSync(store, 'utf8');
    const again = await cli(['import', 'series', 'robbery', csv], store);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('No figures changed');
    expect(fs.readFileSync(store, 'utf8')).toBe(text);
  });

  it.each([
    ['period,value,foo\n2021-11,1,2\n', 'line 1: unknown column 3 "foo"'],
    ['period,value,avon-and-somerset\n2021-11,1,2\n', 'unknown column 3 "avon-and-somerset"'],
    ['period,count\n2021-11,1\n', 'line 1: no "value" column'],
    ['period,value\n2021-11,1\n\n2021/10,2\n', 'line 4: period "2021/10" is not a month as YYYY-MM'],
    ['period,value\n2021-11,1\n2021-11,2\n', 'line 3: period 2021-11 appears twice (also on line 2)'],
    ['period,value\n2022-02,1\n', 'line 2: period 2022-02 is after the current month (2022-01)'],
    ['period,value\n2021-11,-1\n', 'line 2: value -1: out of range'],
    ['period,value\n2021-11,"1,234"\n', 'line 2: value "1,234" is not a number'],
    ['period,value\n2021-11\n', 'line 2: 1 fields where the header has 2'],
    ['period,value\n2021-11,"1\n', 'line 2: a quote is not closed'],
    ['period,value,count\n2021-11,1,2.5\n', 'line 2: count 2.5 is not a whole number'],
    ['period,value\n', 'has a header but no periods'],
    [
      `period,value\n2021-11,${'1'.repeat(1_000)}\n`,
      'line 2: the line has 1,008 characters, more than the 1000 allowed',
    ],
    [
      `period,value\n${Array.from({ length: 1_001 }, (_, i) => `${2000 + Math.floor(i / 12)}-01,1`).join('\n')}\n`,
      'line 1002: more than 1,000 periods in one file',
    ],
    ['\uFEFF\u0000period,value\n', 'holds NUL bytes'],
  ])('refuses %j, naming the file and line, and changes nothing', async (text, message) => {
    const store = tempStoreFile();
    const before = fs.readFileSync(store, 'utf8');
    const r = await cli(['import', 'series', 'robbery', file('bad.csv', text)], store);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(`bad.csv`);
    expect(r.stderr).toContain(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(fs.readFileSync(store, 'utf8')).toBe(before);
  });

  it('holds a quarterly measure to its quarters, and a percentage to 0–100', async () => {
    const store = tempStoreFile();
    const official = 'period,value\n2021-02,10\n2021-05,11\n';
    expect((await cli(['import', 'series', 'rape-referrals-to-cps', file('q.csv', official)], store)).code).toBe(0);
    const off = await cli(
      ['import', 'series', 'rape-referrals-to-cps', file('q.csv', 'period,value\n2021-06,3\n')],
      store,
    );
    expect(off.code).toBe(3);
    expect(off.stderr).toContain('line 2: period 2021-06 is not one of');
    expect(off.stderr).toContain('quarters ending Feb, May, Aug, Nov');
    const pct = await cli(
      ['import', 'series', 'overall-victim-satisfaction', file('p.csv', 'period,value\n2021-11,140\n')],
      store,
    );
    expect(pct.code).toBe(3);
    expect(pct.stderr).toContain('from 0 to 100');
  });

  it('reads a one-sheet .xlsx with the same columns (a typed month that Excel made a date included)', async () => {
    const store = tempStoreFile();
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('robbery');
    sheet.addRow(['period', 'value', 'count']);
    sheet.addRow(['2021-11', 0.75, 1300]);
    sheet.addRow([new Date(Date.UTC(2021, 9, 1)), 0.7, 1200]);
    const xlsx = file('rob.xlsx', Buffer.from(await book.xlsx.writeBuffer()));
    const r = await cli(['import', 'series', 'robbery', xlsx], store);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const points = measureOf(readStoreJson(store), 'robbery').series!.points;
    expect(points.find((p) => p.period === '2021-10')).toMatchObject({ value: 0.7, count: 1200 });

    book.addWorksheet('notes');
    const two = file('two.xlsx', Buffer.from(await book.xlsx.writeBuffer()));
    const refused = await cli(['import', 'series', 'robbery', two], store);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain('two.xlsx: has 2 sheets');
  });

  it('refuses other file types and a priority name (usage)', async () => {
    const store = tempStoreFile();
    const txt = await cli(['import', 'series', 'robbery', file('rob.txt', 'period,value\n')], store);
    expect(txt.code).toBe(3);
    expect(txt.stderr).toContain('rob.txt: a series file is a .csv or a one-sheet .xlsx');
    const missing = await cli(['import', 'series', 'robbery'], store);
    expect(missing.code).toBe(2);
  });
});

describe('measures import undo', () => {
  const importId = (store: string, measure: string) =>
    readStoreJson(store).changeLog.find((e) => e.source.kind === 'import' && e.target.id === measure)!.id;

  it('reverts a whole import by any of its ids, once; history shows the id', async () => {
    const store = tempStoreFile();
    const seeded = readStoreJson(store);
    await cli(['import', 'series', 'drugs-disruptions', file('dd.csv', DRUGS)], store);
    await cli(['import', 'series', 'robbery', file('rob.csv', 'period,value\n2021-10,0.5\n2021-11,0.6\n')], store);
    const history = await cli(['history', 'robbery'], store);
    const id = importId(store, 'robbery');
    expect(history.stdout).toContain(`[${id}]`);

    const r = await cli(['import', 'undo', id], store);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Undone: the import of rob.csv');
    expect(measureOf(readStoreJson(store), 'robbery').series).toEqual(measureOf(seeded, 'robbery').series);
    const undoEntries = readStoreJson(store).changeLog.filter((e) => e.undoes);
    expect(undoEntries.map((e) => e.field).sort()).toEqual(['value:2021-10', 'value:2021-11']);

    const again = await cli(['import', 'undo', id], store);
    expect(again.code).toBe(3);
    expect(again.stderr).toContain('already undone');

    // The illustrative series comes back exactly as it was.
    const dd = readStoreJson(store).changeLog.find((e) => e.target.id === 'drugs-disruptions' && e.field === 'series')!;
    expect((await cli(['import', 'undo', dd.id], store)).code).toBe(0);
    expect(measureOf(readStoreJson(store), 'drugs-disruptions').series).toEqual(
      measureOf(seeded, 'drugs-disruptions').series,
    );
  });

  it('reverts a police.uk import exactly: points, peers and the source line naming its months', async () => {
    const store = tempStoreFile((s) => {
      for (const id of ['burglary', 'robbery']) {
        const series = measureOf(s, id).series!;
        series.points = series.points.filter((p) => p.period !== '2021-11' && p.period !== '2021-12');
        series.source = series.source.replace('Jan–Dec 2021', 'Jan–Oct 2021');
      }
    });
    const prepared = readStoreJson(store);
    expect((await cli(['import', 'police-uk', REAL_STREET_FILE, '--quiet'], store)).code).toBe(0);
    const imported = measureOf(readStoreJson(store), 'burglary').series!;
    expect(imported.source).toContain('Jan–Nov 2021');
    expect(imported.points.map((p) => p.period)).toContain('2021-11');

    expect((await cli(['import', 'undo', importId(store, 'burglary')], store)).code).toBe(0);
    for (const id of ['burglary', 'robbery'])
      expect(measureOf(readStoreJson(store), id).series).toEqual(measureOf(prepared, id).series);
  });

  it('is refused, naming the later change, when a later update touched the same point', async () => {
    const store = tempStoreFile();
    await cli(['import', 'series', 'robbery', file('rob.csv', 'period,value\n2021-11,0.6\n')], store);
    const update = await cli(['update', 'robbery', 'value 2021-11: 0.7', '--as', 'U0LATER'], store);
    expect(update.code).toBe(0);
    const before = fs.readFileSync(store, 'utf8');
    const r = await cli(['import', 'undo', importId(store, 'robbery')], store);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/later change touched the same figures: cli:[^ ]+#1 .*value:2021-11, by U0LATER/);
    expect(fs.readFileSync(store, 'utf8')).toBe(before);
  });

  it(`keeps the ${UNDOABLE_IMPORTS} most recent imports undoable, and says so of an older one`, async () => {
    const store = tempStoreFile();
    const ids: string[] = [];
    for (let i = 0; i <= UNDOABLE_IMPORTS; i++) {
      const csv = `period,value\n2021-11,${(0.5 + i / 100).toFixed(2)}\n`;
      expect((await cli(['import', 'series', 'robbery', file(`rob-${i}.csv`, csv)], store)).code).toBe(0);
      ids.push(readStoreJson(store).changeLog.at(-1)!.id);
    }
    expect(readStoreJson(store).imports).toHaveLength(UNDOABLE_IMPORTS);
    const oldest = await cli(['import', 'undo', ids[0]!], store);
    expect(oldest.code).toBe(3);
    expect(oldest.stderr).toContain(`older than the ${UNDOABLE_IMPORTS} most recent`);
    expect((await cli(['import', 'undo', ids.at(-1)!], store)).code).toBe(0);
  });

  it('is refused for a change that is not an import, and for an unknown id', async () => {
    const store = tempStoreFile();
    await cli(['update', 'robbery', 'comment: checked', '--as', 'U0A'], store);
    const id = readStoreJson(store).changeLog[0]!.id;
    const r = await cli(['import', 'undo', id], store);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('is not an import');
    expect((await cli(['import', 'undo', 'nope'], store)).stderr).toContain('no change "nope"');
  });
});

describe('--dry-run on the police.uk and ONS imports', () => {
  it('police-uk: previews the month a store lacks, and saves nothing', async () => {
    const store = tempStoreFile((s) => {
      for (const id of ['burglary', 'robbery', 'vehicle-crime', 'theft-from-the-person']) {
        const series = measureOf(s, id).series!;
        series.points = series.points.filter((p) => p.period !== '2021-11');
      }
    });
    const before = fs.readFileSync(store, 'utf8');
    const street = REAL_STREET_FILE;
    const r = await cli(['import', 'police-uk', street, '--dry-run', '--json', '--quiet'], store);
    expect(r.code).toBe(0);
    const preview = JSON.parse(r.stdout);
    expect(preview).toMatchObject({ source: 'police-uk', applied: false });
    expect(preview.measures.find((m: { id: string }) => m.id === 'robbery')).toMatchObject({ added: ['2021-11'] });
    expect(fs.readFileSync(store, 'utf8')).toBe(before);
  });
});

describe('--dry-run on the ONS import', () => {
  it('previews the edition a store lacks, and saves nothing', async () => {
    const store = tempStoreFile((s) => {
      s.ons = s.ons.filter((e) => e.yearEnding !== '2019-12');
    });
    const before = fs.readFileSync(store, 'utf8');
    const book = path.join(ONS_WORKBOOKS, 'pfatablesdec19.xlsx');
    const r = await cli(['import', 'ons', book, '--dry-run', '--json'], store);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ source: 'ons', applied: false, onsEditions: ['2019-12'] });
    expect(fs.readFileSync(store, 'utf8')).toBe(before);
  });
});
