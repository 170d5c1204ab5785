// Reads an .xlsx file for exceljs only after proving it is the size of an ONS table.
// exceljs loads a whole workbook into memory, at about twenty times its inflated XML (a
// 1.9 MB file holding 250,000 one-cell rows, 13 MB of XML, took 2.7 s and 280 MB), so a small zip that inflates to
// millions of rows would take minutes and gigabytes before any check could refuse it.
// The sizes in a zip's headers and a sheet's stated dimensions are written by whoever made
// the file, so what counts here is what is actually inflated, entry by entry, stopping at a cap.
import fs from 'node:fs';
import yauzl from 'yauzl';
import { ImportRefusal } from '../refusal.ts';

/**
 * The real PFA workbooks (2018–2019 editions) are 163–211 KB on disk and inflate to
 * 0.67–0.94 MB with 9,300–12,400 cells in 390–620 rows over all their sheets. The caps
 * leave over ten times that, and bound what exceljs can be asked to hold to a few hundred MB.
 */
export const WORKBOOK_LIMITS = {
  fileBytes: 16 * 1024 * 1024,
  inflatedBytes: 16 * 1024 * 1024,
  entries: 1_000,
  rows: 25_000,
  cells: 250_000,
};

const MB = (bytes: number) => `${(bytes / (1024 * 1024)).toFixed(0)} MB`;
const BEFORE_LOADING = 'refused before loading';

/** The file's bytes, for exceljs to load, once every entry has inflated within the limits. */
export async function readWorkbookBytes(file: string, limits = WORKBOOK_LIMITS): Promise<Buffer> {
  let size: number;
  try {
    size = fs.statSync(file).size;
  } catch (err) {
    throw new ImportRefusal(file, null, `cannot be read (${(err as Error).message})`);
  }
  if (size > limits.fileBytes) {
    throw new ImportRefusal(
      file,
      null,
      `is ${(size / (1024 * 1024)).toFixed(1)} MB, over the ${MB(limits.fileBytes)} an import accepts ` +
        `(an ONS force-area workbook is about 200 KB); ${BEFORE_LOADING}`,
    );
  }
  const bytes = fs.readFileSync(file);
  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.fromBufferPromise(bytes, { lazyEntries: true });
  } catch (err) {
    throw new ImportRefusal(file, null, `not a readable .xlsx workbook (${(err as Error).message})`);
  }
  const count = new XmlTagCounter();
  let inflated = 0;
  let entries = 0;
  try {
    for await (const entry of zip.eachEntry()) {
      if (++entries > limits.entries)
        throw new ImportRefusal(
          file,
          null,
          `holds more than ${limits.entries.toLocaleString('en-GB')} parts ` +
            `(an ONS force-area workbook has under 100); ${BEFORE_LOADING}`,
        );
      const stream = await zip.openReadStreamPromise(entry);
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        inflated += chunk.length;
        count.scan(chunk);
        const over =
          inflated > limits.inflatedBytes
            ? `inflates to more than ${MB(limits.inflatedBytes)} (an ONS force-area workbook inflates to about 1 MB)`
            : count.rows > limits.rows
              ? `holds more than ${limits.rows.toLocaleString('en-GB')} rows (an ONS force-area workbook has about 600)`
              : count.cells > limits.cells
                ? `holds more than ${limits.cells.toLocaleString('en-GB')} cells ` +
                  '(an ONS force-area workbook has about 12,000)'
                : null;
        if (over) {
          stream.destroy();
          throw new ImportRefusal(file, null, `${over}; ${BEFORE_LOADING}`);
        }
      }
    }
  } catch (err) {
    if (err instanceof ImportRefusal) throw err;
    throw new ImportRefusal(file, null, `not a readable .xlsx workbook (${(err as Error).message})`);
  } finally {
    zip.close();
  }
  return bytes;
}

/**
 * Counts <row> and <c> elements as the XML streams past, byte by byte so a tag split between
 * chunks still counts. Prefixed (<x:c>) or other tags are not what exceljs reads as cells.
 */
class XmlTagCounter {
  rows = 0;
  cells = 0;
  /** 0 outside a tag name; 1 after "<"; 2 "<c"; 3 "<r"; 4 "<ro"; 5 "<row". */
  private state = 0;

  scan(chunk: Buffer): void {
    let state = this.state;
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i]!;
      if (b === LT) {
        state = 1;
        continue;
      }
      switch (state) {
        case 0:
          break;
        case 1:
          state = b === C ? 2 : b === R ? 3 : 0;
          break;
        case 2:
          if (ENDS_NAME[b]) this.cells += 1;
          state = 0;
          break;
        case 3:
          state = b === O ? 4 : 0;
          break;
        case 4:
          state = b === W ? 5 : 0;
          break;
        case 5:
          if (ENDS_NAME[b]) this.rows += 1;
          state = 0;
          break;
      }
    }
    this.state = state;
  }
}

const [LT, C, R, O, W] = ['<', 'c', 'r', 'o', 'w'].map((ch) => ch.charCodeAt(0)) as [
  number,
  number,
  number,
  number,
  number,
];
/** Bytes that end an element name: whitespace, ">" and "/". */
const ENDS_NAME: boolean[] = [];
for (const ch of [' ', '\t', '\n', '\r', '>', '/']) ENDS_NAME[ch.charCodeAt(0)] = true;
