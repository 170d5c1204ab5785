// ONS "Police force area data tables": the four real workbooks in ../shared against the tidy
// extract made from them independently, the layout quirks (trailing spaces in sheet names,
// footnote digits, "..", a header row that moves), and the editions stored with England and Wales.
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, describe, expect, it } from 'vitest';
import { readOnsWorkbook } from '../src/import/ons/workbook.ts';
import { cleanLabel } from '../src/import/ons/cells.ts';
import { onsComparison } from '../src/measures/ons-comparison.ts';
import { importOns } from '../src/import/run.ts';
import { ImportRefusal } from '../src/import/refusal.ts';
import { openStore } from '../src/store/index.ts';
import type { Store } from '../src/store/schema.ts';
import { runCli } from '../commands/cli.ts';
import { ONS_MSG_CODES, ONS_TIDY, ONS_WORKBOOKS, removeTempDirs, tempDir, tempStore } from './import-fixtures.ts';

afterAll(removeTempDirs);

const WORKBOOKS: Record<string, string> = {
  'policeforceareatablesyearendingdecember2018.xlsx': '2018-12',
  'policeforceareatablesyeendingmarch2019.xlsx': '2019-03',
  'policeforceareatablesyearendingjune2019.xlsx': '2019-06',
  'pfatablesdec19.xlsx': '2019-12',
};
const P3_NAMES: Record<string, string> = {
  'All other theft offences': 'Other theft offences',
  'Miscellaneous crimes against society': 'Miscellaneous crimes',
};

interface TidyRow {
  file: string;
  yearEnding: string;
  table: string;
  code: string;
  column: string;
  value: string;
}
const tidy: TidyRow[] = fs
  .readFileSync(ONS_TIDY, 'utf8')
  .trim()
  .split(/\r?\n/)
  .slice(1)
  .map((line) => {
    const [file, yearEnding, table, code, , column, value] = line.split(',') as string[];
    return { file: file!, yearEnding: yearEnding!, table: table!, code: code!, column: column!, value: value! };
  });

describe('the real ONS workbooks', () => {
  for (const [file, yearEnding] of Object.entries(WORKBOOKS)) {
    it(`${file}: every P1 count, P3 rate and population matches the tidy extract`, { timeout: 30_000 }, async () => {
      const book = await readOnsWorkbook(path.join(ONS_WORKBOOKS, file));
      expect(book.yearEnding).toBe(yearEnding);
      const rows = tidy.filter((r) => r.file === file);
      expect(rows.length).toBeGreaterThan(400);
      let checked = 0;
      for (const r of rows) {
        if (/^Household figures/.test(r.column)) continue; // households are not stored
        const area = book.areas.find((a) => a.code === r.code);
        expect(area, r.code).toBeDefined();
        const expected = r.value === '' ? null : Number(r.value);
        let got: number | null | undefined;
        if (r.table === 'Table P1') got = area!.counts[r.column];
        else if (/^Population figures/.test(r.column)) got = area!.population;
        else got = area!.rates[P3_NAMES[r.column] ?? r.column];
        if (expected === null) expect(got, `${r.table} ${r.code} ${r.column}`).toBeNull();
        else expect(got, `${r.table} ${r.code} ${r.column}`).toBeCloseTo(expected, 9);
        checked += 1;
      }
      expect(checked).toBeGreaterThan(400);
      const asp = book.areas.find((a) => a.code === 'E23000036')!;
      expect(asp.name).toBe('Avon and Somerset');
      expect(asp.populationBasis).toMatch(/^mid-20(16|17|18)$/);
      // Footnote markers are gone from names and headers.
      expect(book.areas.find((a) => a.code === 'K04000001')!.name).toBe('ENGLAND AND WALES');
      expect(Object.keys(asp.counts)).toContain('Violence against the person');
      expect(Object.keys(asp.counts)).toContain('Total recorded crime (excluding fraud)');
      expect(Object.keys(asp.rates)).toContain('Other theft offences');
      expect(Object.keys(asp.rates).some((k) => /\d$/.test(k) && !/\(households\)/.test(k))).toBe(false);
    });
  }

  it(
    'finds Table P1 although YE March 2019 names it "Table P1 " with a trailing space',
    { timeout: 30_000 },
    async () => {
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.readFile(path.join(ONS_WORKBOOKS, 'policeforceareatablesyeendingmarch2019.xlsx'));
      expect(wb.worksheets.map((w) => w.name)).toContain('Table P1 ');
      const book = await readOnsWorkbook(path.join(ONS_WORKBOOKS, 'policeforceareatablesyeendingmarch2019.xlsx'));
      expect(book.areas.find((a) => a.code === 'E23000036')!.counts.Robbery).toBeGreaterThan(0);
    },
  );

  it('strips footnote digits but keeps "rounded to 100"', () => {
    expect(cleanLabel('Violence against the person4')).toBe('Violence against the person');
    expect(cleanLabel('Stalking and harassment 5')).toBe('Stalking and harassment');
    expect(cleanLabel('Total recorded crime (excluding fraud)3')).toBe('Total recorded crime (excluding fraud)');
    expect(cleanLabel('ENGLAND AND WALES7,8')).toBe('ENGLAND AND WALES');
    expect(cleanLabel('Population figures\n (mid-2018)3  rounded to 100')).toBe(
      'Population figures (mid-2018)3 rounded to 100',
    );
    expect(cleanLabel('Population figures (mid-2018) rounded to 1004')).toBe(
      'Population figures (mid-2018) rounded to 100',
    );
  });
});

/** A workbook in a later layout: title above a cover block, header on row 8, plain-text footnotes, "..". */
async function writeLaterLayout(file: string, options: { p3?: boolean; badCell?: string } = {}): Promise<void> {
  const wb = new ExcelJS.Workbook();
  wb.addWorksheet('Cover_sheet').getCell('A1').value = 'Police force area data tables';
  const areas = [
    ['K04000001', 'ENGLAND AND WALES7,8'],
    ...ONS_MSG_CODES.map((c, i) => [c, `Force ${i + 1}`]),
    ['E23000005', 'Cumbria'],
  ];
  const p1 = wb.addWorksheet('Table P1  ');
  p1.getCell('A1').value =
    'Table P1: Police recorded crime by offence group and police force area, year ending March 2022';
  p1.getCell('A2').value = 'England and Wales';
  p1.getRow(8).values = [
    'Area Code',
    'Area Name',
    'Total recorded crime (excluding fraud)3',
    null,
    'Homicide4',
    'Robbery 5',
    'Drug offences',
  ];
  p1.getRow(9).values = [null, null, 'Numbers'];
  areas.forEach(([code, name], i) => {
    p1.getRow(10 + i).values = [
      code,
      name,
      1000 + i,
      null,
      code === 'E23000028' ? '..' : i,
      10 * i,
      options.badCell && i === 3 ? options.badCell : 5,
    ];
  });
  p1.getRow(30).values = [null, "9. '..' indicates data not available."];
  if (options.p3 !== false) {
    const p3 = wb.addWorksheet('Table P3');
    p3.getCell('A1').value = 'Table P3: Police recorded crime, rate of offences, year ending March 2022';
    p3.getRow(8).values = [
      'Area Code',
      'Area Name',
      'Population figures (mid-2020) rounded to 100',
      'Household figures (mid-2020) rounded to 100',
      null,
      'Homicide',
      'Robbery',
      'Drug offences',
    ];
    areas.forEach(([code, name], i) => {
      p3.getRow(9 + i).values = [code, name, 1_000_000 + i * 100, 400_000, null, 0.01 * i, 0.5 + i, '+'];
    });
  }
  await wb.xlsx.writeFile(file);
}

describe('ONS layouts and refusals', () => {
  it(
    'reads a later layout: ' + 'header row found by "Area Code", footnotes stripped, ".." and "+" as not available',
    async () => {
      const file = path.join(tempDir(), 'pfatablesmar22.xlsx');
      await writeLaterLayout(file);
      const book = await readOnsWorkbook(file);
      expect(book.yearEnding).toBe('2022-03');
      expect(book.scope).toBe('England and Wales');
      const essex = book.areas.find((a) => a.code === 'E23000028')!;
      expect(essex.counts).toEqual({
        'Total recorded crime (excluding fraud)': 1004,
        Homicide: null,
        Robbery: 40,
        'Drug offences': 5,
      });
      expect(essex.rates).toEqual({ Homicide: 0.04, Robbery: 4.5, 'Drug offences': null });
      expect(essex.population).toBe(1_000_400);
      expect(essex.populationBasis).toBe('mid-2020');
      expect(book.areas.find((a) => a.code === 'K04000001')!.name).toBe('ENGLAND AND WALES');
    },
  );

  it(
    'refuses a workbook without Table P3, ' + 'and a cell that is neither a number nor "..", naming sheet and row',
    async () => {
      const dir = tempDir();
      await writeLaterLayout(path.join(dir, 'a.xlsx'), { p3: false });
      await expect(readOnsWorkbook(path.join(dir, 'a.xlsx'))).rejects.toThrow(
        /no "Table P3" sheet \(found: "Cover_sheet", "Table P1 {2}"\)/,
      );
      await writeLaterLayout(path.join(dir, 'b.xlsx'), { badCell: 'n/a' });
      const err = await readOnsWorkbook(path.join(dir, 'b.xlsx')).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ImportRefusal);
      expect((err as ImportRefusal).message).toBe(
        `${path.join(dir, 'b.xlsx')} [Table P1], line 13: "Drug offences" for E23000018 is "n/a", not a number or ".."`,
      );
      fs.writeFileSync(path.join(dir, 'c.xlsx'), 'not a workbook');
      await expect(readOnsWorkbook(path.join(dir, 'c.xlsx'))).rejects.toThrow(/not a readable \.xlsx workbook/);
    },
  );
});

describe('storing ONS editions', () => {
  /** The store after importing all four workbooks, shared by the comparator test. */
  let imported: Store;

  it(
    'stores the force, its MSG peers and England and Wales per edition, logs one message, and re-imports idempotently',
    { timeout: 60_000 },
    async () => {
      const file = tempStore({ withoutOns: true });
      const files = Object.keys(WORKBOOKS).map((f) => path.join(ONS_WORKBOOKS, f));
      const store = await openStore(file, { notice: () => {} });
      try {
        const first = await importOns(store, files, { author: 'U1' });
        const doc: Store = store.snapshot();
        imported = doc;
        expect(doc.ons.map((e) => e.yearEnding)).toEqual(['2018-12', '2019-03', '2019-06', '2019-12']);
        for (const edition of doc.ons)
          expect(edition.areas.map((a) => a.code).sort()).toEqual([...ONS_MSG_CODES, 'K04000001'].sort());
        const dec19 = doc.ons.find((e) => e.yearEnding === '2019-12')!;
        // Its tables leave Greater Manchester Police out of England and Wales; the store keeps that.
        expect(dec19.scope).toBe('excluding Greater Manchester Police');
        expect(doc.ons.find((e) => e.yearEnding === '2019-06')!.scope).toBeUndefined();
        const asp = dec19.areas.find((a) => a.code === 'E23000036')!;
        expect(asp).toMatchObject({ population: 1_711_500, populationBasis: 'mid-2018' });
        // 5 measures map to ONS groups, 4 editions: one entry each, one messageId.
        expect(first.changes).toBe(20);
        expect(new Set(doc.changeLog.map((e) => e.messageId))).toEqual(new Set([first.messageId]));
        expect(doc.changeLog.find((e) => e.field === 'ons:2019-12' && e.target.id === 'robbery')).toMatchObject({
          before: null,
          source: { kind: 'import' },
        });

        const again = await importOns(store, [files[3]!], { author: 'U1' });
        expect(again).toMatchObject({ changes: 0, messageId: null, editions: [{ status: 'unchanged' }] });
        expect(store.snapshot().changeLog).toHaveLength(20);
      } finally {
        await store.close();
      }
    },
  );

  it('offers England and Wales as an extra comparator, with the rates ONS published (latest edition)', () => {
    const doc = imported;
    const robbery = doc.priorities.flatMap((p) => p.measures).find((m) => m.id === 'robbery')!;
    const cmp = onsComparison(doc, robbery)!;
    const rate = (code: string) =>
      Number(
        tidy.find(
          (r) =>
            r.file === 'pfatablesdec19.xlsx' && r.table === 'Table P3' && r.code === code && r.column === 'Robbery',
        )!.value,
      );
    expect(cmp.yearEnding).toBe('2019-12');
    expect(cmp.force.rate).toBeCloseTo(rate('E23000036'), 9);
    expect(cmp.englandAndWales.rate).toBeCloseTo(rate('K04000001'), 9);
    expect(cmp.peers).toHaveLength(7);
    expect(cmp.peers.find((p) => p.slug === 'kent')!.rate).toBeCloseTo(rate('E23000032'), 9);
    const none = doc.priorities.flatMap((p) => p.measures).find((m) => m.id === 'rape-charges')!;
    expect(onsComparison(doc, none)).toBeNull();
    expect(onsComparison(doc, robbery, '2018-12')!.force.rate).toBeCloseTo(
      Number(
        tidy.find(
          (r) =>
            r.file === 'policeforceareatablesyearendingdecember2018.xlsx' &&
            r.table === 'Table P3' &&
            r.code === 'E23000036' &&
            r.column === 'Robbery',
        )!.value,
      ),
      9,
    );
  });

  it(
    'keeps the ONS homicide series up to date: a missing edition comes back exactly as seeded, a new one is added',
    { timeout: 60_000 },
    async () => {
      const file = tempStore({ withoutOns: true });
      const doc = JSON.parse(fs.readFileSync(file, 'utf8')) as Store;
      const homicideOf = (d: Store) => d.priorities.flatMap((p) => p.measures).find((m) => m.id === 'homicide')!;
      const seeded = structuredClone(homicideOf(doc).series!.points.find((p) => p.period === '2019-12')!);
      homicideOf(doc).series!.points = homicideOf(doc).series!.points.filter((p) => p.period !== '2019-12');
      fs.writeFileSync(file, JSON.stringify(doc));
      const later = path.join(tempDir(), 'pfatablesmar22.xlsx');
      await writeLaterLayout(later);
      const store = await openStore(file, { notice: () => {} });
      try {
        const report = await importOns(store, [path.join(ONS_WORKBOOKS, 'pfatablesdec19.xlsx'), later], {
          author: 'U1',
        });
        expect(report.editions.map((e) => e.series)).toEqual([['homicide'], ['homicide']]);
        const series = homicideOf(store.snapshot()).series!;
        const { importedAt: _at, ...back } = series.points.find((p) => p.period === '2019-12')!;
        expect(back).toEqual(seeded);
        expect(series.points.map((p) => p.period).slice(-2)).toEqual(['2019-12', '2022-03']);
        // The synthetic later edition: ASP is the second area row (homicide count 1, rate 0.01);
        // Essex's ".." is left out.
        expect(series.points.at(-1)).toMatchObject({ value: 0.01, count: 1 });
        expect(series.points.at(-1)!.peers!.essex).toBeUndefined();
        expect(series.source).toMatch(/rolling years ending Mar 2018 to Mar 2022$/);
        const fields = store
          .snapshot()
          .changeLog.filter((e) => e.target.id === 'homicide')
          .map((e) => e.field);
        expect(fields).toContain('value:2019-12');
        expect(fields).toContain('peer:kent:2019-12');
        expect(fields).toContain('value:2022-03');
        expect(report.computed.map((c) => c.id)).toEqual(['homicide']);
      } finally {
        await store.close();
      }
    },
  );

  it(
    'finds the bundled report already holding these editions: a re-import changes nothing',
    { timeout: 60_000 },
    async () => {
      const store = await openStore(tempStore(), { notice: () => {} });
      try {
        const files = Object.keys(WORKBOOKS).map((f) => path.join(ONS_WORKBOOKS, f));
        const report = await importOns(store, files, { author: 'U1' });
        expect(report).toMatchObject({ changes: 0, messageId: null });
        expect(store.snapshot().changeLog).toHaveLength(0);
      } finally {
        await store.close();
      }
    },
  );

  it(
    'measures import ons: exit 0 with a summary, 3 for a refused workbook and the store untouched',
    { timeout: 60_000 },
    async () => {
      const file = tempStore({ withoutOns: true });
      let out = '';
      let err = '';
      const io = {
        out: (t: string) => (out += `${t}\n`),
        err: (t: string) => (err += `${t}\n`),
        env: { MEASURES_STORE: file },
      };
      expect(
        await runCli(['import', 'ons', path.join(ONS_WORKBOOKS, 'policeforceareatablesyeendingmarch2019.xlsx')], io),
      ).toBe(0);
      expect(out).toMatch(
        /year ending 2019-03 from policeforceareatablesyeendingmarch2019\.xlsx: 9 areas .*new; scope: England and Wales/,
      );
      const before = fs.readFileSync(file);
      const bad = path.join(tempDir(), 'bad.xlsx');
      await writeLaterLayout(bad, { p3: false });
      expect(
        await runCli(
          ['import', 'ons', path.join(ONS_WORKBOOKS, 'policeforceareatablesyeendingmarch2019.xlsx'), bad],
          io,
        ),
      ).toBe(3);
      expect(err).toMatch(/refused, nothing was imported: .*bad\.xlsx: no "Table P3" sheet/);
      expect(fs.readFileSync(file).equals(before)).toBe(true);
    },
  );
});
