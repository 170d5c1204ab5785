// Reading ONS workbook cells: text without footnote markers, numbers with ".." as missing.
import ExcelJS, { type CellValue } from 'exceljs';

/**
 * The cell's text with footnote markers removed. ONS sets footnotes as superscript runs of
 * rich text ("ENGLAND AND WALES" + superscript "7,8"); those runs are dropped. Older or
 * re-saved files glue them on as plain digits ("Violence against the person4"), which
 * stripFootnoteDigits removes.
 */
export function cellText(value: CellValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') {
    if ('richText' in value) {
      return value.richText
        .filter((run) => run.font?.vertAlign !== 'superscript')
        .map((run) => run.text)
        .join('');
    }
    if ('text' in value && typeof value.text === 'string') return value.text;
    if ('result' in value) return cellText((value.result ?? null) as CellValue);
  }
  return '';
}

/** "Population figures (mid-2018) rounded to 100": the one header that really ends in digits. */
const ROUNDED_TO = /rounded to 100[\d,\s]*$/i;

/** Collapses whitespace (headers carry line breaks) and strips trailing footnote digits. */
export function cleanLabel(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (ROUNDED_TO.test(flat)) return flat.replace(ROUNDED_TO, 'rounded to 100');
  return flat.replace(/(?<=[A-Za-z)\]])\s*\d+(?:\s*,\s*\d+)*$/, '').trim();
}

/**
 * A number, or null when ONS marks it not available (".."), suppressed ("+"), or not
 * applicable ("-"). Anything else is a surprise the caller refuses.
 */
export function cellNumber(value: CellValue): number | null | undefined {
  if (typeof value === 'number') return value;
  if (value && typeof value === 'object' && 'result' in value && typeof value.result === 'number') return value.result;
  const text = cellText(value).trim();
  if (text === '' || text === '..' || text === '+' || text === '-') return null;
  const n = Number(text.replace(/,/g, ''));
  return Number.isFinite(n) ? n : undefined;
}

/**
 * Why a cell's stored value cannot be trusted, or null. An error (#REF!) or a formula saved
 * without its value reads as empty, which would pass for ".." (not available) and drop a
 * comparator without a word; a formula linking to another workbook holds a copy of a figure
 * from a file we do not have, as of whenever it was last opened. The real tables hold plain
 * values only.
 */
export function cellProblem(cell: ExcelJS.Cell): string | null {
  if (cell.type === ExcelJS.ValueType.Error) return `${errorText(cell.value)} error`;
  if (cell.type !== ExcelJS.ValueType.Formula) return null;
  const formula = `=${cell.formula ?? ''}`;
  if (linksToAnotherWorkbook(formula))
    return `formula ${formula} links to another workbook (its value is a copy from a file that is not here)`;
  const result = cell.result as CellValue | undefined;
  if (result === undefined || result === null)
    return `formula ${formula} has no saved value (the workbook was saved without calculating it)`;
  if (typeof result === 'object' && 'error' in result) return `${errorText(result)} error from formula ${formula}`;
  return null;
}

/** "'Table P1 '!D12", as Excel names a cell (the sheet name quoted, trailing spaces and all). */
export function cellReference(sheet: ExcelJS.Worksheet, cell: ExcelJS.Cell): string {
  return `'${sheet.name.replace(/'/g, "''")}'!${cell.address}`;
}

function errorText(value: unknown): string {
  const error =
    value && typeof value === 'object' && 'error' in value ? String((value as { error: unknown }).error) : '';
  return error || '#ERROR';
}

/**
 * An .xlsx file stores a reference to another workbook as "[n]" (an index into its external
 * links) before a sheet or name and "!": [1]Sheet1!A1, '[1]Sheet 1'!A1, [1]!Name; "[Book.xlsx]"
 * is the form Excel shows. String literals are removed first; a structured table reference
 * (Table1[Column]) has no "!" after its brackets.
 */
function linksToAnotherWorkbook(formula: string): boolean {
  return /\[[^[\]]+\][^![\]]*!/.test(formula.replace(/"(?:[^"]|"")*"/g, '""'));
}
