// Fixtures for the importer tests, built in temp folders from the real files in ../shared.
// Not a test file itself (no .test.ts): the import-*.test.ts files share it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import ExcelJS, { type CellValue } from 'exceljs';
import yazl from 'yazl';
import { expect } from 'vitest';
import { SEED_STORE_FILE } from '../src/store/paths.ts';
import { PACKAGE_ROOT } from '../src/paths.ts';

/** CI clones the repo with shared/ beside it, so ../shared is always relative to the repo root. */
export const SHARED = path.resolve(PACKAGE_ROOT, '..', 'shared');
export const REAL_STREET_FILE = path.join(SHARED, 'data', 'police-uk', '2021-11-avon-and-somerset-street.csv');
export const MONTHLY_COUNTS = path.join(SHARED, 'data', 'police-uk', 'monthly-counts-2021-asp-msg.csv');
export const ONS_WORKBOOKS = path.join(SHARED, 'data', 'ons', 'workbooks');
export const ONS_TIDY = path.join(SHARED, 'data', 'ons', 'pfa-p1-p3-asp-msg-2018-2019.csv');

const made: string[] = [];
export function tempDir(prefix = 'measures-import-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/** Every test file calls this in afterAll: synthetic years are tens of MB. */
export function removeTempDirs(): void {
  for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

export const realLines: string[] = fs
  .readFileSync(REAL_STREET_FILE, 'utf8')
  .split(/\r?\n/)
  .filter((l) => l !== '');
export const HEADER_LINE = realLines[0]!;

/**
 * One real row per crime type, with the month and force fields re-set per file and the
 * location emptied ("No location", as real rows without coordinates are): small rows keep
 * a synthetic year of counts quick to write and read.
 */
const templates = new Map<string, string[]>();
for (const line of realLines.slice(1)) {
  const cells = line.split(',');
  if (!templates.has(cells[9]!)) templates.set(cells[9]!, cells);
}

export function streetRow(type: string, month: string, fallsWithin: string, compact = true): string {
  const cells = [...(templates.get(type) ?? templates.get('Burglary')!)];
  cells[1] = month;
  cells[2] = fallsWithin;
  cells[3] = fallsWithin;
  cells[9] = type;
  if (compact) {
    cells[4] = '';
    cells[5] = '';
    cells[6] = 'No location';
    cells[7] = '';
    cells[8] = '';
  }
  return cells.join(',');
}

export function streetFileText(month: string, fallsWithin: string, counts: Record<string, number>): string {
  const out = [HEADER_LINE];
  for (const [type, n] of Object.entries(counts))
    for (let i = 0; i < n; i++) out.push(streetRow(type, month, fallsWithin));
  return `${out.join('\n')}\n`;
}

export interface MonthlyCount {
  month: string;
  force: string;
  fallsWithin: string;
  type: string;
  count: number;
}

/** monthly-counts-2021-asp-msg.csv, read with a plain split (it has no quoted fields). */
export function readMonthlyCounts(): MonthlyCount[] {
  const [header, ...lines] = fs.readFileSync(MONTHLY_COUNTS, 'utf8').trim().split(/\r?\n/);
  expect(header).toBe('month,force_slug,falls_within,crime_type,count');
  return lines.map((line) => {
    const [month, force, fallsWithin, type, count] = line.split(',') as [string, string, string, string, string];
    return { month, force, fallsWithin, type, count: Number(count) };
  });
}

/**
 * Writes one street file per force-month of the real 2021 counts, for the crime types given,
 * as a police.uk archive lays them out (YYYY-MM/ folders); writeZip packs them when a test needs an archive.
 */
export function writeCountsAsStreetFiles(
  dir: string,
  types: ReadonlySet<string>,
  filter: (c: MonthlyCount) => boolean = () => true,
): string[] {
  const byFile = new Map<
    string,
    { month: string; force: string; fallsWithin: string; counts: Record<string, number> }
  >();
  for (const c of readMonthlyCounts()) {
    if (!filter(c)) continue;
    const key = `${c.month}-${c.force}`;
    const file = byFile.get(key) ?? { month: c.month, force: c.force, fallsWithin: c.fallsWithin, counts: {} };
    if (types.has(c.type)) file.counts[c.type] = c.count;
    byFile.set(key, file);
  }
  const written: string[] = [];
  for (const f of byFile.values()) {
    const folder = path.join(dir, f.month);
    fs.mkdirSync(folder, { recursive: true });
    const file = path.join(folder, `${f.month}-${f.force}-street.csv`);
    fs.writeFileSync(file, streetFileText(f.month, f.fallsWithin, f.counts));
    written.push(file);
  }
  return written;
}

/** Zips files (name inside the archive → text or a file on disk). */
export async function writeZip(zipPath: string, entries: Record<string, string | { file: string }>): Promise<void> {
  const zip = new yazl.ZipFile();
  for (const [name, body] of Object.entries(entries)) {
    if (typeof body === 'string') zip.addBuffer(Buffer.from(body), name);
    else zip.addFile(body.file, name);
  }
  zip.end();
  await new Promise<void>((resolve, reject) => {
    const out = fs.createWriteStream(zipPath);
    zip.outputStream.pipe(out).on('close', resolve).on('error', reject);
  });
}

/**
 * A store file copied from the bundled report, in its own temp folder. withoutOns drops the
 * bundled ONS editions, as in a store created before they were bundled.
 */
export function tempStore(options: { withoutOns?: boolean } = {}): string {
  const dir = tempDir('measures-import-store-');
  const file = path.join(dir, 'store.json');
  if (options.withoutOns) {
    const doc = JSON.parse(fs.readFileSync(SEED_STORE_FILE, 'utf8'));
    doc.ons = [];
    fs.writeFileSync(file, JSON.stringify(doc));
  } else fs.copyFileSync(SEED_STORE_FILE, file);
  return file;
}

/**
 * Streams `bytes` bytes of `fill` after `head`, then `tail`, without ever holding more than
 * one 1 MB block: the hostile inputs (a 100 MB line) must not cost the test their size in memory.
 */
export function repeatedStream(head: string, fill: string, bytes: number, tail = ''): Readable {
  const block = Buffer.from(fill.repeat(Math.ceil((1 << 20) / fill.length))).subarray(0, 1 << 20);
  let left = bytes;
  return Readable.from(
    (function* () {
      yield Buffer.from(head);
      while (left > 0) {
        const n = Math.min(left, block.length);
        left -= n;
        yield block.subarray(0, n);
      }
      if (tail) yield Buffer.from(tail);
    })(),
  );
}

/** A street file whose one data record is a `bytes`-long run of "x" (no line break). */
export async function writeLongLineCsv(file: string, bytes: number): Promise<void> {
  await pipeline(repeatedStream(`${HEADER_LINE}\n`, 'x', bytes, '\n'), fs.createWriteStream(file));
}

/** The same long line inside a police.uk-style archive: the zip stays small, the line does not. */
export async function writeLongLineZip(zipPath: string, bytes: number, month = '2021-11'): Promise<void> {
  const zip = new yazl.ZipFile();
  zip.addReadStream(
    repeatedStream(`${HEADER_LINE}\n`, 'x', bytes, '\n'),
    `${month}/${month}-avon-and-somerset-street.csv`,
  );
  zip.end();
  await pipeline(zip.outputStream, fs.createWriteStream(zipPath));
}

/**
 * A minimal .xlsx whose "Table P1" sheet has `rows` rows of one number each, written as a
 * stream: a few MB on disk, hundreds of MB of sheet XML once inflated.
 */
export async function writeXlsxBomb(file: string, rows: number): Promise<void> {
  const zip = new yazl.ZipFile();
  const part = (name: string, xml: string) =>
    zip.addBuffer(Buffer.from(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n${xml}`), name);
  part(
    '[Content_Types].xml',
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
  );
  part(
    '_rels/.rels',
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
  );
  part(
    'xl/workbook.xml',
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Table P1" sheetId="1" r:id="rId1"/></sheets></workbook>',
  );
  part(
    'xl/_rels/workbook.xml.rels',
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
  );
  const sheet = Readable.from(
    (function* () {
      yield '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>';
      const batch: string[] = [];
      for (let r = 1; r <= rows; r++) {
        batch.push(`<row r="${r}"><c r="A${r}"><v>1</v></c></row>`);
        if (batch.length === 10_000) yield batch.splice(0).join('');
      }
      yield `${batch.join('')}</sheetData></worksheet>`;
    })(),
  );
  zip.addReadStream(sheet, 'xl/worksheets/sheet1.xml');
  zip.end();
  await pipeline(zip.outputStream, fs.createWriteStream(file));
}

/** The ONS area codes of the force and its MSG peers, as the workbooks list them. */
export const ONS_MSG_CODES = [
  'E23000036',
  'E23000015',
  'E23000018',
  'E23000028',
  'E23000030',
  'E23000027',
  'E23000032',
  'E23000033',
];

/**
 * Tables P1 and P3 in the later layout (header on row 8), every figure a plain number, and
 * then `cells` set as given: e.g. { 'Table P1  !E12': { error: '#REF!' } }.
 */
export async function writeOnsTables(file: string, cells: Record<string, CellValue> = {}): Promise<void> {
  const wb = new ExcelJS.Workbook();
  const areas = [['K04000001', 'ENGLAND AND WALES'], ...ONS_MSG_CODES.map((c, i) => [c, `Force ${i + 1}`])];
  const p1 = wb.addWorksheet('Table P1  ');
  p1.getCell('A1').value =
    'Table P1: Police recorded crime by offence group and police force area, year ending March 2022';
  p1.getRow(8).values = [
    'Area Code',
    'Area Name',
    'Total recorded crime (excluding fraud)',
    null,
    'Homicide',
    'Robbery',
  ];
  areas.forEach(([code, name], i) => (p1.getRow(9 + i).values = [code, name, 1000 + i, null, i, 10 * i]));
  const p3 = wb.addWorksheet('Table P3');
  p3.getCell('A1').value = 'Table P3: Police recorded crime, rate of offences, year ending March 2022';
  p3.getRow(8).values = [
    'Area Code',
    'Area Name',
    'Population figures (mid-2020) rounded to 100',
    null,
    'Homicide',
    'Robbery',
  ];
  areas.forEach(
    ([code, name], i) => (p3.getRow(9 + i).values = [code, name, 1_000_000 + i * 100, null, 0.01 * i, 0.5 + i]),
  );
  for (const [ref, value] of Object.entries(cells)) {
    const [sheet, address] = ref.split('!') as [string, string];
    wb.getWorksheet(sheet)!.getCell(address).value = value;
  }
  await wb.xlsx.writeFile(file);
}
