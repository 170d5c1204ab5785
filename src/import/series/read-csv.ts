// Reads a series CSV into a table of text cells. The whole file is small (capped before it is
// read), so it is decoded at once; lines are split here, not by the CSV parser, so a refusal
// names the physical line, and a quoted line break (never needed in a series) is refused.
import fs from 'node:fs';
import path from 'node:path';
import Papa from 'papaparse';
import { ImportRefusal } from '../refusal.ts';
import { SERIES_LIMITS } from './limits.ts';
import type { SeriesTable } from './table.ts';

export async function readSeriesCsv(file: string, limits = SERIES_LIMITS): Promise<SeriesTable> {
  const label = path.basename(file);
  let size: number;
  try {
    size = (await fs.promises.stat(file)).size;
  } catch (err) {
    throw new ImportRefusal(label, null, `cannot be read (${(err as Error).message})`);
  }
  if (size > limits.csvBytes) {
    throw new ImportRefusal(
      label,
      null,
      `is ${(size / 1024).toFixed(0)} KB, over the ${limits.csvBytes / 1024} KB a series file may be ` +
        '(a series of twenty years of months is under 30 KB)',
    );
  }
  return parseSeriesCsv(label, await fs.promises.readFile(file), limits);
}

export function parseSeriesCsv(label: string, bytes: Buffer, limits = SERIES_LIMITS): SeriesTable {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))
    throw new ImportRefusal(label, null, 'is UTF-16 text; save it as CSV UTF-8');
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new ImportRefusal(label, null, 'is not UTF-8 text; save it as CSV UTF-8');
  }
  // Excel's "CSV UTF-8" starts with a byte order mark; it is not part of the first column's name.
  if (text.startsWith('\uFEFF')) text = text.slice(1);
  if (text.includes('\0')) throw new ImportRefusal(label, null, 'holds NUL bytes: not a text file');

  const lines = text.split(/\r\n|\n|\r/);
  let header: string[] | null = null;
  let headerLine = 0;
  const rows: SeriesTable['rows'] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = i + 1;
    const raw = lines[i]!;
    if (raw.trim() === '') continue;
    if (raw.length > limits.lineChars)
      throw new ImportRefusal(
        label,
        line,
        `the line has ${raw.length.toLocaleString('en-GB')} characters, more than the ${limits.lineChars} allowed`,
      );
    const cells = splitLine(label, line, raw);
    if (header === null) {
      header = cells;
      headerLine = line;
      continue;
    }
    if (rows.length >= limits.rows)
      throw new ImportRefusal(label, line, `more than ${limits.rows.toLocaleString('en-GB')} periods in one file`);
    rows.push({ line, cells });
  }
  if (header === null) throw new ImportRefusal(label, null, 'is empty: expected a header "period,value"');
  return { file: label, shortRowsAllowed: false, header, headerLine, rows };
}

function splitLine(label: string, line: number, raw: string): string[] {
  const parsed = Papa.parse<string[]>(raw, { header: false, delimiter: ',' });
  const error = parsed.errors[0];
  if (error) {
    const what = error.code === 'MissingQuotes' ? 'a quote is not closed (a field may not span lines)' : error.message;
    throw new ImportRefusal(label, line, what);
  }
  return (parsed.data[0] ?? []).map((cell) => cell.trim());
}
