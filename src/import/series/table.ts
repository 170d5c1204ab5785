// A series file as a table of text cells, whatever it was read from (CSV or a one-sheet
// workbook): the header, then each data row with the line (or sheet row) it came from, so
// every refusal can name it.

export interface SeriesTable {
  /** The file as the user would find it. */
  file: string;
  /** A sheet row may stop at its last filled cell; a CSV line must have every field. */
  shortRowsAllowed: boolean;
  header: string[];
  /** 1-based line (CSV) or row (sheet) of the header. */
  headerLine: number;
  rows: { line: number; cells: string[] }[];
}
