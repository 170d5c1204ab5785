// Reads Tables P1 (counts) and P3 (rates per 1,000 and population) of an ONS "Police force
// area data tables" workbook. Layouts vary by edition, so nothing is found by position:
// sheets by trimmed name, the header row by searching for "Area Code", columns by label.
import path from 'node:path';
import ExcelJS from 'exceljs';
import { ImportRefusal } from '../refusal.ts';
import { cellNumber, cellProblem, cellReference, cellText, cleanLabel } from './cells.ts';
import { readWorkbookBytes } from './workbook-bytes.ts';

export interface OnsArea {
  code: string;
  name: string;
  population: number | null;
  /** e.g. "mid-2018": the population year P3's rates use. */
  populationBasis: string | null;
  /** Offence group → offences in the rolling year (Table P1). null = not available. */
  counts: Record<string, number | null>;
  /** Offence group → rate per 1,000 residents (Table P3). */
  rates: Record<string, number | null>;
}

export interface OnsWorkbook {
  /** The path as given, for refusals; sourceFile (its base name) is what the store keeps. */
  file: string;
  sourceFile: string;
  yearEnding: string;
  /** The scope note under the title, e.g. "England and Wales (excluding Greater Manchester Police)". */
  scope: string | null;
  areas: OnsArea[];
}

/** P3 names two columns differently from P1; the store keys both by P1's name. */
const SAME_GROUP: Record<string, string> = {
  'All other theft offences': 'Other theft offences',
  'Miscellaneous crimes against society': 'Miscellaneous crimes',
};

const AREA_CODE = /^[EKW]\d{8}$/;
const MONTHS = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];
const HEADER_SEARCH_ROWS = 30;

export async function readOnsWorkbook(file: string): Promise<OnsWorkbook> {
  // Sized up by what it inflates to before exceljs holds all of it in memory.
  const bytes = await readWorkbookBytes(file);
  const wb = new ExcelJS.Workbook();
  try {
    // exceljs declares its own Buffer type, which Node's Buffer<ArrayBufferLike> does not match.
    await wb.xlsx.load(bytes as unknown as Parameters<ExcelJS.Xlsx['load']>[0]);
  } catch (err) {
    throw new ImportRefusal(file, null, `not a readable .xlsx workbook (${(err as Error).message})`);
  }
  const p1 = readTable(file, wb, 'Table P1');
  const p3 = readTable(file, wb, 'Table P3');
  const yearEnding = p1.yearEnding ?? p3.yearEnding;
  if (!yearEnding) throw new ImportRefusal(`${file} [Table P1]`, 1, 'no "year ending <Month> <YYYY>" in the title');
  if (p1.yearEnding && p3.yearEnding && p1.yearEnding !== p3.yearEnding) {
    throw new ImportRefusal(
      file,
      null,
      `Table P1 is for year ending ${p1.yearEnding} but Table P3 for ${p3.yearEnding}`,
    );
  }

  const populationColumn = p3.headers.findIndex((h) => /^Population figures/i.test(h));
  if (populationColumn < 0)
    throw new ImportRefusal(`${file} [Table P3]`, p3.headerRow, 'no "Population figures" column');
  const basis = /\(mid-(\d{4})\)/.exec(p3.headers[populationColumn]!)?.[1];

  // The real tables list the same 55 areas. A row in one only is a mangled area code, and
  // the area would be stored with no counts (or no rates): a comparator gone without a word.
  const p3Codes = new Set(p3.rows.map((r) => r.code));
  const p1Codes = new Set(p1.rows.map((r) => r.code));
  const onlyP1 = p1.rows.find((r) => !p3Codes.has(r.code));
  const onlyP3 = p3.rows.find((r) => !p1Codes.has(r.code));
  if (onlyP1 || onlyP3) {
    const [code, has, lacks] = onlyP1 ? [onlyP1.code, 'Table P1', 'Table P3'] : [onlyP3!.code, 'Table P3', 'Table P1'];
    throw new ImportRefusal(
      file,
      null,
      `area ${code} is in ${has} but not in ${lacks} (is an area code cell damaged?)`,
    );
  }

  const areas = new Map<string, OnsArea>();
  for (const row of p1.rows) {
    areas.set(row.code, {
      code: row.code,
      name: row.name,
      population: null,
      populationBasis: null,
      counts: row.values,
      rates: {},
    });
  }
  for (const row of p3.rows) {
    const area = areas.get(row.code) ?? {
      code: row.code,
      name: row.name,
      population: null,
      populationBasis: null,
      counts: {},
      rates: {},
    };
    const { [p3.headers[populationColumn]!]: population, ...rest } = row.values;
    area.population = population ?? null;
    area.populationBasis = basis ? `mid-${basis}` : null;
    area.rates = Object.fromEntries(Object.entries(rest).filter(([k]) => !/^Household figures/i.test(k)));
    areas.set(row.code, area);
  }
  return { file, sourceFile: path.basename(file), yearEnding, scope: p1.scope, areas: [...areas.values()] };
}

interface Table {
  yearEnding: string | null;
  scope: string | null;
  headerRow: number;
  headers: string[];
  rows: { code: string; name: string; values: Record<string, number | null> }[];
}

function readTable(file: string, wb: ExcelJS.Workbook, name: string): Table {
  // Sheet names carry trailing spaces in some editions ("Table P1 ").
  const sheet = wb.worksheets.find((ws) => ws.name.trim().toLowerCase() === name.toLowerCase());
  if (!sheet)
    throw new ImportRefusal(
      file,
      null,
      `no "${name}" sheet (found: ${wb.worksheets.map((ws) => JSON.stringify(ws.name)).join(', ')})`,
    );
  const where = `${file} [${sheet.name.trim()}]`;
  refuseUntrustedCells(where, sheet);

  const title = cellText(sheet.getRow(1).getCell(1).value);
  const yearEnding = parseYearEnding(title);

  let headerRow = 0;
  let codeColumn = 0;
  for (let r = 1; r <= Math.min(HEADER_SEARCH_ROWS, sheet.rowCount) && !headerRow; r++) {
    sheet.getRow(r).eachCell((cell, col) => {
      if (!headerRow && cleanLabel(cellText(cell.value)).toLowerCase() === 'area code') {
        headerRow = r;
        codeColumn = col;
      }
    });
  }
  if (!headerRow) throw new ImportRefusal(where, null, `no "Area Code" header in the first ${HEADER_SEARCH_ROWS} rows`);

  const scope = firstText(sheet, 2, headerRow - 1);
  const header = sheet.getRow(headerRow);
  const headers: string[] = [];
  const columns: { col: number; label: string }[] = [];
  const seen = new Set<string>();
  for (let col = codeColumn + 2; col <= header.cellCount; col++) {
    const raw = cleanLabel(cellText(header.getCell(col).value));
    if (!raw) continue; // blank spacer column
    const label = SAME_GROUP[raw] ?? raw;
    if (seen.has(label)) throw new ImportRefusal(where, headerRow, `column "${label}" appears twice`);
    seen.add(label);
    headers.push(label);
    columns.push({ col, label });
  }

  const rows: Table['rows'] = [];
  for (let r = headerRow + 1; r <= sheet.rowCount; r++) {
    const row = sheet.getRow(r);
    const code = cellText(row.getCell(codeColumn).value).trim();
    // Unit rows, BTP (no area code), blank rows and footnotes have no area code.
    if (!AREA_CODE.test(code)) continue;
    const values: Record<string, number | null> = {};
    for (const { col, label } of columns) {
      const n = cellNumber(row.getCell(col).value);
      if (n === undefined) {
        throw new ImportRefusal(
          where,
          r,
          `"${label}" for ${code} is ${JSON.stringify(cellText(row.getCell(col).value))}, not a number or ".."`,
        );
      }
      // NaN and Infinity would be written to the store as null, "not available", unseen.
      if (n !== null && !(Number.isFinite(n) && n >= 0)) {
        throw new ImportRefusal(
          where,
          r,
          `"${label}" for ${code} is ${n}: a count, rate or population is a finite number, not below zero`,
        );
      }
      values[label] = n;
    }
    rows.push({ code, name: cleanAreaName(cellText(row.getCell(codeColumn + 1).value)), values });
  }
  if (rows.length === 0) throw new ImportRefusal(where, headerRow, 'no area rows under the header');
  return { yearEnding, scope, headerRow, headers, rows };
}

/** Every cell of the table, not only the figures: a #REF! area code would drop its row unseen. */
function refuseUntrustedCells(where: string, sheet: ExcelJS.Worksheet): void {
  sheet.eachRow((row) => {
    row.eachCell((cell) => {
      const problem = cellProblem(cell);
      if (problem) throw new ImportRefusal(where, null, `${cellReference(sheet, cell)}: ${problem}`);
    });
  });
}

export function parseYearEnding(title: string): string | null {
  const m = /year ending (\w+) (\d{4})/i.exec(title);
  if (!m) return null;
  const month = MONTHS.findIndex((name) => name.startsWith(m[1]!.toLowerCase().slice(0, 3)));
  if (month < 0) return null;
  return `${m[2]}-${String(month + 1).padStart(2, '0')}`;
}

function cleanAreaName(text: string): string {
  return text
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[\d,\s]+$/, '');
}

function firstText(sheet: ExcelJS.Worksheet, from: number, to: number): string | null {
  for (let r = from; r <= to; r++) {
    const text = cellText(sheet.getRow(r).getCell(1).value).trim();
    if (text) return text;
  }
  return null;
}
