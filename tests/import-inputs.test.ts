// Which files an import reads: folders, .zip archives with YYYY-MM/ folders, and the files
// it skips (other forces, outcomes, stop-and-search, strays), each listed with a reason.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readPoliceUk } from '../src/import/police-uk/read.ts';
import { MissingInputError } from '../src/import/police-uk/inputs.ts';
import { ImportRefusal } from '../src/import/refusal.ts';
import { HEADER_LINE, REAL_STREET_FILE, streetFileText, tempDir, writeZip, removeTempDirs } from './import-fixtures.ts';

afterAll(removeTempDirs);

const MSG = [
  { slug: 'avon-and-somerset', fallsWithin: 'Avon and Somerset Constabulary' },
  { slug: 'kent', fallsWithin: 'Kent Police' },
];
const OUTCOMES_HEADER =
  'Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Outcome type';

async function refusal(p: Promise<unknown>): Promise<ImportRefusal> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(ImportRefusal);
    return err as ImportRefusal;
  }
  throw new Error('expected a refusal');
}

describe('police.uk inputs', () => {
  it('reads a folder, skipping and listing other forces, outcomes, stop-and-search and stray files', async () => {
    const dir = tempDir();
    fs.mkdirSync(path.join(dir, '2021-11'));
    fs.copyFileSync(REAL_STREET_FILE, path.join(dir, '2021-11', '2021-11-avon-and-somerset-street.csv'));
    fs.writeFileSync(
      path.join(dir, '2021-11', '2021-11-kent-street.csv'),
      streetFileText('2021-11', 'Kent Police', { Robbery: 3 }),
    );
    fs.writeFileSync(
      path.join(dir, '2021-11', '2021-11-devon-and-cornwall-street.csv'),
      streetFileText('2021-11', 'Devon & Cornwall Police', { Robbery: 9 }),
    );
    fs.writeFileSync(path.join(dir, '2021-11', '2021-11-kent-outcomes.csv'), `${OUTCOMES_HEADER}\n`);
    fs.writeFileSync(path.join(dir, '2021-11', '2021-11-kent-stop-and-search.csv'), 'Type,Date\n');
    fs.writeFileSync(path.join(dir, 'README.txt'), 'notes');
    fs.writeFileSync(path.join(dir, 'summary.csv'), 'a,b\n');

    const read = await readPoliceUk([dir], MSG);
    expect(read.files.map((f) => [f.force, f.month, f.rows])).toEqual([
      ['avon-and-somerset', '2021-11', 14_242],
      ['kent', '2021-11', 3],
    ]);
    expect(read.rows).toBe(14_245);
    const reasons = Object.fromEntries(read.skipped.map((s) => [path.relative(dir, s.label), s.reason]));
    expect(reasons).toEqual({
      [path.join('2021-11', '2021-11-devon-and-cornwall-street.csv')]:
        'force "devon-and-cornwall" is not in the most similar group',
      [path.join('2021-11', '2021-11-kent-outcomes.csv')]: 'outcomes file (only street files are counted)',
      [path.join('2021-11', '2021-11-kent-stop-and-search.csv')]:
        'stop-and-search file (only street files are counted)',
      'README.txt': 'not a .csv file or .zip archive',
      'summary.csv': 'not named like a police.uk file (YYYY-MM-<force>-street.csv)',
    });
  });

  it("streams street files out of a police.uk archive's YYYY-MM/ folders", async () => {
    const dir = tempDir();
    const zip = path.join(dir, '2021-11.zip');
    await writeZip(zip, {
      '2021-10/2021-10-kent-street.csv': streetFileText('2021-10', 'Kent Police', { Burglary: 4, Drugs: 1 }),
      '2021-11/2021-11-avon-and-somerset-street.csv': { file: REAL_STREET_FILE },
      '2021-11/2021-11-avon-and-somerset-outcomes.csv': `${OUTCOMES_HEADER}\n`,
      '2021-11/2021-11-essex-street.csv': streetFileText('2021-11', 'Essex Police', { Robbery: 2 }),
      'README.md': 'archive notes',
    });
    const read = await readPoliceUk([zip], MSG);
    expect(read.files.map((f) => [f.label, f.rows, Object.fromEntries(f.byType)])).toEqual([
      [`${zip}:2021-10/2021-10-kent-street.csv`, 5, { Burglary: 4, Drugs: 1 }],
      [
        `${zip}:2021-11/2021-11-avon-and-somerset-street.csv`,
        14_242,
        expect.objectContaining({ Robbery: 126, Burglary: 679 }),
      ],
    ]);
    expect(read.skipped.map((s) => [s.label.slice(zip.length + 1), s.reason])).toEqual([
      ['2021-11/2021-11-avon-and-somerset-outcomes.csv', 'outcomes file (only street files are counted)'],
      ['2021-11/2021-11-essex-street.csv', 'force "essex" is not in the most similar group'],
      ['README.md', 'not inside a YYYY-MM/ folder of the archive'],
    ]);
  });

  it('refuses a bad file inside an archive, naming the archive entry and line', async () => {
    const dir = tempDir();
    const zip = path.join(dir, 'bad.zip');
    const text = streetFileText('2021-11', 'Kent Police', { Robbery: 2 }).replace(/Robbery\b/, 'Robery');
    await writeZip(zip, { '2021-11/2021-11-kent-street.csv': text });
    const err = await refusal(readPoliceUk([zip], MSG));
    expect(err.message).toBe(`${zip}:2021-11/2021-11-kent-street.csv, line 2: unknown crime type "Robery"`);
  });

  it("refuses an archive entry whose file month is not its folder's", async () => {
    const dir = tempDir();
    const zip = path.join(dir, 'mixed.zip');
    await writeZip(zip, {
      '2021-11/2021-10-kent-street.csv': streetFileText('2021-10', 'Kent Police', { Robbery: 1 }),
    });
    const err = await refusal(readPoliceUk([zip], MSG));
    expect(err.problem).toBe('file name month 2021-10 does not match its folder 2021-11/');
  });

  it('refuses an archive entry that cannot be read to the end (damaged compressed data)', async () => {
    const dir = tempDir();
    const zip = path.join(dir, 'damaged.zip');
    await writeZip(zip, { '2021-11/2021-11-avon-and-somerset-street.csv': { file: REAL_STREET_FILE } });
    const bytes = fs.readFileSync(zip);
    // The entry's data starts after the 30-byte local header, its name and extra field.
    const dataStart = 30 + bytes.readUInt16LE(26) + bytes.readUInt16LE(28);
    for (let i = dataStart + 2000; i < dataStart + 2400; i++) bytes[i] = bytes[i]! ^ 0x5a;
    fs.writeFileSync(zip, bytes);
    const err = await refusal(readPoliceUk([zip], MSG));
    expect(err.file).toBe(`${zip}:2021-11/2021-11-avon-and-somerset-street.csv`);
  });

  it('refuses a file that is not a zip archive at all', async () => {
    const dir = tempDir();
    const zip = path.join(dir, 'fake.zip');
    fs.writeFileSync(zip, 'not a zip');
    const err = await refusal(readPoliceUk([zip], MSG));
    expect(err.file).toBe(zip);
    expect(err.problem).toMatch(/not a readable zip archive/);
  });

  it('refuses a bad month in a file name', async () => {
    const dir = tempDir();
    const file = path.join(dir, '2021-13-kent-street.csv');
    fs.writeFileSync(file, `${HEADER_LINE}\n`);
    const err = await refusal(readPoliceUk([file], MSG));
    expect(err.message).toBe(`${file}: bad month 2021-13 in the file name`);
  });

  it('refuses the same force and month given twice, which would double-count it', async () => {
    const dir = tempDir();
    const zip = path.join(dir, 'a.zip');
    await writeZip(zip, { '2021-11/2021-11-avon-and-somerset-street.csv': { file: REAL_STREET_FILE } });
    const err = await refusal(readPoliceUk([REAL_STREET_FILE, zip], MSG));
    expect(err.problem).toBe(`avon-and-somerset 2021-11 is also given by ${REAL_STREET_FILE}; give each month once`);
  });

  it('a path that does not exist is a usage error, not bad data', async () => {
    await expect(readPoliceUk(['/no/such/folder'], MSG)).rejects.toBeInstanceOf(MissingInputError);
  });
});
