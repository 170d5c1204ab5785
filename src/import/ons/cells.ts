// Reading ONS workbook cells: text without footnote markers, numbers with ".." as missing.
import type { CellValue } from 'exceljs';

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
