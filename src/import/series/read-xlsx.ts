// Reads a one-sheet series workbook into the same table of text cells as a CSV. The workbook
// is sized up first (readWorkbookBytes, with caps for a series), since exceljs holds a whole
// workbook in memory. Excel turns a typed "2021-11" into a date, so a date cell is read as
// its month.
import path from 'node:path';
import { ImportRefusal } from '../refusal.ts';
import { readWorkbookBytes } from '../ons/workbook-bytes.ts';
import { cellProblem, cellText } from '../ons/cells.ts';
import { SERIES_LIMITS } from './limits.ts';
import type { SeriesTable } from './table.ts';

export async function readSeriesXlsx(file: string): Promise<SeriesTable> {
  const label = path.basename(file);
  let bytes: Buffer;
  try {
    bytes = await readWorkbookBytes(file, SERIES_LIMITS.workbook);
  } catch (err) {
    if (err instanceof ImportRefusal) throw new ImportRefusal(label, err.line, err.problem);
    throw err;
  }
  const { default: ExcelJS } = await import('exceljs');
  const book = new ExcelJS.Workbook();
  try {
    await book.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch (err) {
    throw new ImportRefusal(label, null, `not a readable .xlsx workbook (${(err as Error).message})`);
  }
  if (book.worksheets.length !== 1)
    throw new ImportRefusal(
      label,
      null,
      `has ${book.worksheets.length} sheets; a series workbook has one, with the columns period,value`,
    );
  const sheet = book.worksheets[0]!;
  let header: string[] | null = null;
  let headerLine = 0;
  const rows: SeriesTable['rows'] = [];
  const width = sheet.columnCount;
  sheet.eachRow({ includeEmpty: false }, (row) => {
    const cells: string[] = [];
    for (let c = 1; c <= width; c++) {
      const cell = row.getCell(c);
      const problem = cellProblem(cell);
      if (problem) throw new ImportRefusal(label, row.number, `cell ${cell.address}: ${problem}`);
      const value = cell.value;
      cells.push(value instanceof Date ? value.toISOString().slice(0, 7) : cellText(value).trim());
    }
    while (cells.length > 0 && cells[cells.length - 1] === '') cells.pop();
    if (cells.length === 0) return;
    if (header === null) {
      header = cells;
      headerLine = row.number;
    } else rows.push({ line: row.number, cells });
  });
  if (header === null) throw new ImportRefusal(label, null, 'is empty: expected a header row "period, value"');
  if (rows.length > SERIES_LIMITS.rows)
    throw new ImportRefusal(label, null, `more than ${SERIES_LIMITS.rows.toLocaleString('en-GB')} periods in one file`);
  return { file: label, shortRowsAllowed: true, header, headerLine, rows };
}
