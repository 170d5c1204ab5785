// How big a series file may be. A series is one figure per month, quarter or rolling year:
// twenty years of months is 240 lines of a few dozen characters, so the caps leave room for
// anything real and refuse a wrong file (a street file, a pasted page) before it is parsed.
import { WORKBOOK_LIMITS } from '../ons/workbook-bytes.ts';

export const SERIES_LIMITS = {
  /** A CSV file on disk: 240 real lines with every peer column are under 30 KB. */
  csvBytes: 1024 * 1024,
  /** Data lines (periods). */
  rows: 1_000,
  /** One line, before it is split. */
  lineChars: 1_000,
  /** A one-sheet workbook: sized up before exceljs loads it, as the ONS workbooks are. */
  workbook: {
    ...WORKBOOK_LIMITS,
    fileBytes: 2 * 1024 * 1024,
    inflatedBytes: 4 * 1024 * 1024,
    entries: 100,
    rows: 1_100,
    cells: 20_000,
  },
} as const;
