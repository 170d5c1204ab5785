// The DejaVu fonts embedded in the PDF: pdfkit's built-in fonts are WinAnsi only and would drop
// the report's "−", "’" and "…". Regular and Bold come with fonts-dejavu-core, the italics with
// fonts-dejavu-extra (the README's install command has both).
import fs from 'node:fs';
import path from 'node:path';

export const DEFAULT_FONT_DIR = '/usr/share/fonts/truetype/dejavu';

export const FONT_FILES = {
  regular: 'DejaVuSans.ttf',
  bold: 'DejaVuSans-Bold.ttf',
  italic: 'DejaVuSans-Oblique.ttf',
  boldItalic: 'DejaVuSans-BoldOblique.ttf',
} as const;

export type FontStyle = keyof typeof FONT_FILES;
export type FontSet = Record<FontStyle, string>;

export class MissingFontError extends Error {
  override name = 'MissingFontError';
}

/** The four font files in `dir` (REPORT_FONT_DIR, else the Debian location); throws naming the first missing one. */
export function findFonts(dir = DEFAULT_FONT_DIR): FontSet {
  const set = {} as FontSet;
  for (const [style, file] of Object.entries(FONT_FILES) as Array<[FontStyle, string]>) {
    const full = path.join(dir, file);
    if (!fs.existsSync(full))
      throw new MissingFontError(
        `the font ${full} is missing; install fonts-dejavu-core and fonts-dejavu-extra (or set REPORT_FONT_DIR)`,
      );
    set[style] = full;
  }
  return set;
}
