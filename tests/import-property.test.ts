// Property: whatever bytes a police.uk street file (alone or zipped) or an ONS table cell
// holds, the import either applies and leaves a store that validates, or is refused naming
// the file and (for a street file) a line that exists, with the store byte for byte as it was.
// Never a crash, a hang or a half-written store. Runs are kept few so this stays seconds.
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import type { CellValue } from 'exceljs';
import { afterAll, describe, expect, it } from 'vitest';
import { importOns, importPoliceUk } from '../src/import/run.ts';
import { ImportRefusal } from '../src/import/refusal.ts';
import { KNOWN_CRIME_TYPES } from '../src/import/police-uk/crime-types.ts';
import { MAX_RECORD_CHARS } from '../src/import/police-uk/street-csv.ts';
import { openStore } from '../src/store/index.ts';
import { validateStore } from '../src/store/validate.ts';
import type { OnsEdition, Store } from '../src/store/schema.ts';
import {
  HEADER_LINE,
  removeTempDirs,
  streetRow,
  tempDir,
  tempStore,
  writeOnsTables,
  writeZip,
} from './import-fixtures.ts';

afterAll(removeTempDirs);

const ASP = 'Avon and Somerset Constabulary';
const NOW = new Date('2024-05-15T12:00:00Z');
const STREET_NAME = '2021-11-avon-and-somerset-street.csv';
/** Refusals about a whole file rather than one of its lines. */
const FILE_LEVEL =
  /^(the file is empty|no crime rows after the header|cannot be read to the end|damaged zip (archive|entry)|not a readable zip archive)/;

// --- street files built to be nearly right, so both outcomes are common -------------------

const validRow = fc.constantFrom(...KNOWN_CRIME_TYPES).map((type) => streetRow(type, '2021-11', ASP));
const noise = fc.oneof(
  fc.constantFrom('"', ',', '\n', '\r', '\r\n', '""', '\uFEFF', ' ', '2021-12', 'Kent Police', '\u00e9', '\ud800'),
  fc.string({ unit: 'binary', maxLength: 12 }),
);
/** Inserts `what` at a position (modulo the length) of `text`. */
const insert = (text: string, at: number, what: string) => {
  const i = at % (text.length + 1);
  return text.slice(0, i) + what + text.slice(i);
};
const mutatedRow = fc.tuple(validRow, fc.nat(), noise).map(([row, at, what]) => insert(row, at, what));
const line = fc.oneof(
  { weight: 6, arbitrary: validRow },
  { weight: 2, arbitrary: mutatedRow },
  { weight: 1, arbitrary: fc.constant('') },
  { weight: 1, arbitrary: fc.constant(`${'x'.repeat(MAX_RECORD_CHARS + 1)}`) },
);
const header = fc.oneof(
  { weight: 6, arbitrary: fc.constant(HEADER_LINE) },
  { weight: 1, arbitrary: fc.tuple(fc.nat(), noise).map(([at, what]) => insert(HEADER_LINE, at, what)) },
);
const streetText = fc
  .tuple(header, fc.array(line, { maxLength: 12 }), fc.constantFrom('\n', '\r\n'), fc.boolean())
  .map(([head, rows, end, finalEnd]) => [head, ...rows].join(end) + (finalEnd ? end : ''));
/** The text as bytes, with a few bytes overwritten (invalid UTF-8 included); or any bytes at all. */
const streetBytes = fc.oneof(
  {
    weight: 5,
    arbitrary: fc
      .tuple(streetText, fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 2 }))
      .map(([text, edits]) => {
        const bytes = Buffer.from(text);
        for (const [at, value] of edits) if (bytes.length > 0) bytes[at % bytes.length] = value;
        return bytes;
      }),
  },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 600 }).map((a) => Buffer.from(a)) },
);

const physicalLines = (bytes: Buffer) => (bytes.toString('utf8').match(/\r\n|\r|\n/g)?.length ?? 0) + 1;

/** Runs an import against the store file; anything but success or ImportRefusal fails the property. */
/** JSON has no negative zero: a -0 cell is stored, and read back, as 0. */
const positiveZero = (n: number) => (Object.is(n, -0) ? 0 : n);

async function importInto(
  storeFile: string,
  run: (store: Awaited<ReturnType<typeof openStore>>) => Promise<unknown>,
): Promise<{ refusal: ImportRefusal | null }> {
  const before = fs.readFileSync(storeFile);
  const store = await openStore(storeFile, { notice: () => {} });
  let refusal: ImportRefusal | null = null;
  try {
    await run(store);
  } catch (err) {
    if (!(err instanceof ImportRefusal)) throw err;
    refusal = err;
  } finally {
    await store.close();
  }
  const after = fs.readFileSync(storeFile);
  if (refusal) expect(after.equals(before), 'a refused import changed the store').toBe(true);
  else validateStore(JSON.parse(after.toString('utf8')), storeFile);
  return { refusal };
}

describe('property: any street file bytes are imported or refused with file and line, never half-written', () => {
  it('a street file', { timeout: 60_000 }, async () => {
    const storeFile = tempStore();
    const dir = tempDir();
    const file = path.join(dir, STREET_NAME);
    const seen = { imported: 0, refused: 0 };
    await fc.assert(
      fc.asyncProperty(streetBytes, async (bytes) => {
        fs.writeFileSync(file, bytes);
        const { refusal } = await importInto(storeFile, (s) => importPoliceUk(s, [file], { author: 'U1', now: NOW }));
        if (!refusal) return void seen.imported++;
        seen.refused++;
        expect(refusal.file).toBe(file);
        if (refusal.line === null) expect(refusal.problem).toMatch(FILE_LEVEL);
        else {
          expect(refusal.line).toBeGreaterThanOrEqual(1);
          expect(refusal.line).toBeLessThanOrEqual(physicalLines(bytes));
        }
      }),
      { numRuns: 80 },
    );
    // The generator is worth something only if both outcomes happen.
    expect(seen.imported).toBeGreaterThan(5);
    expect(seen.refused).toBeGreaterThan(5);
  });

  it('a street file inside a .zip archive, the archive itself sometimes damaged', { timeout: 60_000 }, async () => {
    const storeFile = tempStore();
    const dir = tempDir();
    const zip = path.join(dir, 'archive.zip');
    const entry = `2021-11/${STREET_NAME}`;
    const damage = fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 2 });
    await fc.assert(
      fc.asyncProperty(
        streetBytes,
        fc.oneof({ weight: 3, arbitrary: fc.constant([]) }, { weight: 1, arbitrary: damage }),
        async (bytes, edits) => {
          const plain = path.join(dir, STREET_NAME);
          fs.writeFileSync(plain, bytes);
          await writeZip(zip, { [entry]: { file: plain } });
          if (edits.length > 0) {
            const archive = fs.readFileSync(zip);
            for (const [at, value] of edits) archive[at % archive.length] = value;
            fs.writeFileSync(zip, archive);
          }
          const { refusal } = await importInto(storeFile, (s) => importPoliceUk(s, [zip], { author: 'U1', now: NOW }));
          if (!refusal) return;
          // The archive, or an entry in it (damage may rename the entry).
          expect(refusal.file === zip || refusal.file.startsWith(`${zip}:`)).toBe(true);
          if (refusal.line === null)
            expect(refusal.problem).toMatch(new RegExp(`${FILE_LEVEL.source}|^(bad month|month |file name month)`));
          else expect(refusal.line).toBeLessThanOrEqual(physicalLines(bytes));
        },
      ),
      // Found by this property: a damaged local header escaped as a raw yauzl error.
      { numRuns: 40, examples: [[Buffer.from(HEADER_LINE), [[0, 0]]]] },
    );
  });
});

describe('property: any value in an ONS table cell is imported or refused naming sheet and cell', () => {
  const value: fc.Arbitrary<CellValue> = fc.oneof(
    fc.double(),
    fc.integer(),
    fc.string({ maxLength: 8 }),
    fc.constantFrom('..', '-', '+', '', '1,234', ' 7 '),
    fc.constantFrom('#REF!', '#N/A', '#DIV/0!', '#VALUE!').map((error) => ({ error }) as CellValue),
    fc
      .tuple(
        fc.constantFrom('SUM(F9:F11)', "'[1]Other sheet'!F12", '[2]Rates!A1', 'F9*2'),
        fc.option(fc.double(), { nil: undefined }),
      )
      .map(([formula, result]) => (result === undefined ? { formula } : { formula, result }) as CellValue),
    fc.boolean(),
    fc.constant(null),
  );
  /** Data cells and where the store keeps their figure (rows 9–17: E&W, then the MSG forces). */
  const DATA_CELLS: Record<
    string,
    { code: string; figure: (a: OnsEdition['areas'][number]) => number | null | undefined }
  > = {
    'Table P1  !F12': { code: 'E23000018', figure: (a) => a.counts.Robbery },
    'Table P1  !E9': { code: 'K04000001', figure: (a) => a.counts.Homicide },
    'Table P3!C12': { code: 'E23000018', figure: (a) => a.population },
    'Table P3!F10': { code: 'E23000036', figure: (a) => a.rates.Robbery },
  };
  const where = fc.constantFrom(...Object.keys(DATA_CELLS), 'Table P3!B11');
  /** What ONS writes for "no figure" (not available, suppressed, not applicable), or nothing. */
  const NO_FIGURE = new Set(['', '..', '-', '+']);

  it('one cell of Table P1 or P3', { timeout: 60_000 }, async () => {
    const storeFile = tempStore({ withoutOns: true });
    const dir = tempDir();
    let n = 0;
    await fc.assert(
      fc.asyncProperty(where, value, async (ref, cell) => {
        const file = path.join(dir, `tables-${n++}.xlsx`);
        await writeOnsTables(file, { [ref]: cell });
        const { refusal } = await importInto(storeFile, (s) => importOns(s, [file], { author: 'U1', now: NOW }));
        if (refusal) {
          expect(refusal.message.startsWith(file)).toBe(true);
          // A sheet and a line, or a sheet and a cell reference.
          expect(refusal.message).toMatch(/\[Table P[13]\](, line \d+: |: 'Table P[13] *'![A-Z]+\d+: )/);
          return;
        }
        const data = DATA_CELLS[ref];
        if (!data) return;
        // Imported: the stored figure is the cell's own number, or null only where the cell says "no figure".
        const doc = JSON.parse(fs.readFileSync(storeFile, 'utf8')) as Store;
        const stored = data.figure(
          doc.ons.find((e) => e.yearEnding === '2022-03')!.areas.find((a) => a.code === data.code)!,
        );
        const shown = typeof cell === 'string' ? cell.trim() : cell;
        if (stored === null)
          expect(
            shown === null || (typeof shown === 'string' && NO_FIGURE.has(shown)),
            `${JSON.stringify(cell)} stored as null`,
          ).toBe(true);
        else if (typeof cell === 'number') expect(stored).toBe(positiveZero(cell));
        else if (cell && typeof cell === 'object' && 'formula' in cell)
          expect(stored).toBe(positiveZero((cell as { result: number }).result));
        else expect(typeof stored).toBe('number');
      }),
      // Found by this property: a -0 cell, which JSON stores as 0.
      { numRuns: 30, examples: [['Table P1  !F12', -0]] },
    );
  });
});
