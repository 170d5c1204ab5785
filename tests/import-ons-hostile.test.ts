// ONS workbooks that must not be imported: cells whose stored value cannot be trusted (an
// error, a formula saved without its value, a formula linking to another workbook), named
// by sheet and cell; and workbooks far larger than an ONS table, refused before exceljs loads them.
import fs from 'node:fs';
import path from 'node:path';
import type { CellValue } from 'exceljs';
import yazl from 'yazl';
import { afterAll, describe, expect, it } from 'vitest';
import { readOnsWorkbook } from '../src/import/ons/workbook.ts';
import { importOns } from '../src/import/run.ts';
import { openStore } from '../src/store/index.ts';
import { WORKBOOK_LIMITS } from '../src/import/ons/workbook-bytes.ts';
import { ImportRefusal } from '../src/import/refusal.ts';
import { runCli } from '../commands/cli.ts';
import { ONS_WORKBOOKS, removeTempDirs, tempDir, tempStore, writeOnsTables, writeXlsxBomb } from './import-fixtures.ts';

afterAll(removeTempDirs);

async function refusalOf(file: string): Promise<ImportRefusal> {
  const err = await readOnsWorkbook(file).then(
    () => null,
    (e: unknown) => e,
  );
  expect(err, 'expected the workbook to be refused').toBeInstanceOf(ImportRefusal);
  return err as ImportRefusal;
}

describe('cells whose stored value cannot be trusted refuse the workbook, naming sheet and cell', () => {
  // Row 12 is E23000018 (Derbyshire); column F is Robbery, E Homicide, A the area code.
  const cases: [string, string, CellValue, string][] = [
    ['a #REF! error', 'Table P1  !F12', { error: '#REF!' } as CellValue, `'Table P1  '!F12: #REF! error`],
    ['a #N/A error in Table P3', 'Table P3!E12', { error: '#N/A' } as CellValue, `'Table P3'!E12: #N/A error`],
    [
      'a formula saved without its value',
      'Table P1  !F12',
      { formula: 'SUM(F9:F11)' } as CellValue,
      `'Table P1  '!F12: formula =SUM(F9:F11) has no saved value (the workbook was saved without calculating it)`,
    ],
    [
      'a formula whose saved value is an error',
      'Table P1  !E12',
      { formula: 'E9/0', result: { error: '#DIV/0!' } } as CellValue,
      `'Table P1  '!E12: #DIV/0! error from formula =E9/0`,
    ],
    [
      'a formula linking to another workbook, though it has a saved value',
      'Table P3!F12',
      { formula: "'[1]Rates 2021'!F12", result: 3.5 } as CellValue,
      "'Table P3'!F12: formula ='[1]Rates 2021'!F12 links to another workbook " +
        '(its value is a copy from a file that is not here)',
    ],
    [
      'an area code that is an error (its row would vanish)',
      'Table P1  !A12',
      { error: '#REF!' } as CellValue,
      `'Table P1  '!A12: #REF! error`,
    ],
  ];
  for (const [what, ref, value, problem] of cases) {
    it(what, async () => {
      const file = path.join(tempDir(), 'tables.xlsx');
      await writeOnsTables(file, { [ref]: value });
      const err = await refusalOf(file);
      const sheet = ref.startsWith('Table P1') ? 'Table P1' : 'Table P3';
      expect(err.message).toBe(`${file} [${sheet}]: ${problem}`);
    });
  }

  it('a number that is not a finite count, rate or population: NaN, Infinity, below zero', async () => {
    for (const value of [NaN, Infinity, -5]) {
      const file = path.join(tempDir(), 'tables.xlsx');
      await writeOnsTables(file, { 'Table P1  !F12': value });
      expect((await refusalOf(file)).message).toBe(
        `${file} [Table P1], line 12: "Robbery" for E23000018 is ${value}: a count, ` +
          'rate or population is a finite number, not below zero',
      );
    }
  });

  it('an area code mangled in one table, which would leave that area without counts or rates', async () => {
    const file = path.join(tempDir(), 'tables.xlsx');
    await writeOnsTables(file, { 'Table P1  !A13': 'E2300002' });
    expect((await refusalOf(file)).message).toBe(
      `${file}: area E23000028 is in Table P3 but not in Table P1 (is an area code cell damaged?)`,
    );
  });

  it(
    'a force of the most similar group missing from both tables: ' + 'refused naming the workbook by its path',
    async () => {
      const store = await openStore(tempStore({ withoutOns: true }), { notice: () => {} });
      try {
        const file = path.join(tempDir(), 'tables.xlsx');
        await writeOnsTables(file, { 'Table P1  !A15': 'Hertfordshire', 'Table P3!A15': 'Hertfordshire' });
        const err = await importOns(store, [file], { author: 'U1' }).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(ImportRefusal);
        expect((err as ImportRefusal).message).toBe(`${file}: no row for area E23000027 in Tables P1/P3`);
      } finally {
        await store.close();
      }
    },
  );

  it('keeps a formula with its saved value that stays inside the workbook, and ".." as not available', async () => {
    const file = path.join(tempDir(), 'tables.xlsx');
    await writeOnsTables(file, {
      'Table P1  !F12': { formula: 'F11+10', result: 40 } as CellValue,
      'Table P1  !E12': '..',
    });
    const book = await readOnsWorkbook(file);
    expect(book.areas.find((a) => a.code === 'E23000018')!.counts).toMatchObject({ Robbery: 40, Homicide: null });
  });

  it(
    'measures import ons: exit 3 naming the cell, the store byte for byte ' +
      '(it was exit 0 with the figure "not available")',
    async () => {
      const store = tempStore({ withoutOns: true });
      const before = fs.readFileSync(store);
      const file = path.join(tempDir(), 'tables.xlsx');
      await writeOnsTables(file, { 'Table P3!F10': { error: '#REF!' } as CellValue });
      let stderr = '';
      const code = await runCli(['import', 'ons', file], {
        out: () => {},
        err: (t) => (stderr += t),
        env: { MEASURES_STORE: store },
      });
      expect(code).toBe(3);
      expect(stderr).toBe(
        `measures import: refused, nothing was imported: ${file} [Table P3]: 'Table P3'!F10: #REF! error`,
      );
      expect(fs.readFileSync(store).equals(before)).toBe(true);
    },
  );
});

describe('workbooks far larger than an ONS table are refused before loading', () => {
  it('a small file holding more rows than the cap', async () => {
    const file = path.join(tempDir(), 'rows.xlsx');
    await writeXlsxBomb(file, WORKBOOK_LIMITS.rows + 1);
    expect(fs.statSync(file).size).toBeLessThan(1024 * 1024);
    const err = await refusalOf(file);
    expect(err.message).toBe(
      `${file}: holds more than 25,000 rows (an ONS force-area workbook has about 600); refused before loading`,
    );
  });

  it('a part of a few KB that inflates past the cap, counted as it inflates', async () => {
    const file = path.join(tempDir(), 'bytes.xlsx');
    const zip = new yazl.ZipFile();
    zip.addBuffer(Buffer.alloc(WORKBOOK_LIMITS.inflatedBytes + 1, ' '), 'xl/sharedStrings.xml');
    zip.end();
    await new Promise<void>((resolve, reject) =>
      zip.outputStream.pipe(fs.createWriteStream(file)).on('close', resolve).on('error', reject),
    );
    expect((await refusalOf(file)).problem).toBe(
      'inflates to more than 16 MB (an ONS force-area workbook inflates to about 1 MB); refused before loading',
    );
  });

  it('a file far larger than an ONS workbook on disk', async () => {
    const file = path.join(tempDir(), 'big.xlsx');
    fs.writeFileSync(file, Buffer.alloc(WORKBOOK_LIMITS.fileBytes + 1));
    expect((await refusalOf(file)).problem).toBe(
      'is 16.0 MB, over the 16 MB an import accepts (an ONS force-area workbook is about 200 KB); ' +
        'refused before loading',
    );
  });

  it('the real workbooks are well inside every cap', { timeout: 30_000 }, async () => {
    for (const name of fs.readdirSync(ONS_WORKBOOKS))
      await expect(readOnsWorkbook(path.join(ONS_WORKBOOKS, name))).resolves.toBeTruthy();
  });
});
