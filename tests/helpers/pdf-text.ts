// A PDF's text as a reader's tools see it: poppler's pdftotext -layout on the real file.
import { execFileSync } from 'node:child_process';

/** One string per page (pdftotext ends each page with a form feed). */
export function pdfPages(file: string): string[] {
  const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8', timeout: 30_000 });
  return text.split('\f').slice(0, -1);
}

export function pdfPageCount(file: string): number {
  const info = execFileSync('pdfinfo', [file], { encoding: 'utf8', timeout: 30_000 });
  return Number(/^Pages:\s+(\d+)/m.exec(info)![1]);
}

/**
 * The pages' running text without each page's header and footer lines (the marking, DRAFT,
 * "Page N of M"), so a paragraph that pdftotext wrapped still reads as one.
 */
export function bodyText(pages: string[], marking: string): string {
  const m = marking.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  // The header (DRAFT, the marking) and the footer (a running title, the marking, the page number).
  const furniture = new RegExp(`^\\s*(DRAFT)?\\s*${m}\\s*$|^.*\\s${m}\\s+Page \\d+ of \\d+\\s*$`);
  return pages
    .map((page) =>
      page
        .split('\n')
        .filter((line) => !furniture.test(line))
        .join('\n'),
    )
    .join('\n');
}

/**
 * Whitespace removed: pdftotext breaks lines wherever the layout did (after a hyphen too), but a
 * missing, extra or changed word still makes the text differ.
 */
export const squeeze = (s: string) => s.replace(/\s+/g, '');
