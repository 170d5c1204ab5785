// Turns the paths a user gives (files, folders, .zip archives) into a sequence of police.uk
// files. Zip entries are streamed straight out of the archive, never extracted to disk.
import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import yauzl from 'yauzl';
import { ImportRefusal } from '../refusal.ts';
import { parsePoliceUkFileName, type PoliceUkFileName } from './file-name.ts';
import { monthOutsideWindow, type MonthWindow } from './months.ts';

/**
 * 64 KB reads (Node's default). Measured on the synthetic year: 1 MB chunks were no faster
 * but let peak RSS wander by 25+ MB with input size (each chunk's rows are garbage V8 lets
 * pile up); 64 KB keeps the peak within a few MB from 1× to 4×.
 */
const READ_CHUNK_BYTES = 64 * 1024;

export interface InputFile extends PoliceUkFileName {
  /** e.g. "data/2021-11-kent-street.csv" or "archive.zip:2021-11/2021-11-kent-street.csv". */
  label: string;
  open(): Promise<Readable>;
}

export interface SkippedInput {
  label: string;
  reason: string;
}

export type InputItem = { file: InputFile } | { skipped: SkippedInput };

/** A path that does not exist is a usage mistake, not malformed data. */
export class MissingInputError extends Error {
  override name = 'MissingInputError';
}

/** `months`: the months a file name may carry (see months.ts); others refuse the import. */
export async function* expandInputs(paths: string[], months: MonthWindow): AsyncGenerator<InputItem> {
  for (const given of paths) {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(given);
    } catch {
      throw new MissingInputError(`${given}: no such file or folder`);
    }
    if (stat.isDirectory()) yield* walkFolder(given, months);
    else yield* classifyPath(given, months);
  }
}

async function* walkFolder(dir: string, months: MonthWindow): AsyncGenerator<InputItem> {
  const entries = fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* walkFolder(full, months);
    else yield* classifyPath(full, months);
  }
}

async function* classifyPath(file: string, months: MonthWindow): AsyncGenerator<InputItem> {
  const base = path.basename(file);
  if (/\.zip$/i.test(base)) {
    yield* zipEntries(file, months);
    return;
  }
  const item = classifyName(file, base, months);
  if ('skipped' in item) {
    yield item;
    return;
  }
  yield {
    file: { ...item, label: file, open: async () => fs.createReadStream(file, { highWaterMark: READ_CHUNK_BYTES }) },
  };
}

function classifyName(
  label: string,
  base: string,
  months: MonthWindow,
): (PoliceUkFileName & { label: string }) | { skipped: SkippedInput } {
  if (!/\.csv$/i.test(base)) return { skipped: { label, reason: 'not a .csv file or .zip archive' } };
  const parsed = parsePoliceUkFileName(base);
  if (!parsed) return { skipped: { label, reason: 'not named like a police.uk file (YYYY-MM-<force>-street.csv)' } };
  if (parsed.badMonth) throw new ImportRefusal(label, null, `bad month ${parsed.month} in the file name`);
  const outside = monthOutsideWindow(parsed.month, months);
  if (outside) throw new ImportRefusal(label, null, outside);
  const { badMonth: _unused, ...name } = parsed;
  return { ...name, label };
}

/** police.uk archives hold one YYYY-MM/ folder per month (police-data.md §1). */
const MONTH_FOLDER = /(?:^|\/)(\d{4}-\d{2})\/([^/]+)$/;

async function* zipEntries(zipPath: string, months: MonthWindow): AsyncGenerator<InputItem> {
  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.openPromise(zipPath, { lazyEntries: true, autoClose: false });
  } catch (err) {
    throw new ImportRefusal(zipPath, null, `not a readable zip archive (${(err as Error).message})`);
  }
  try {
    for await (const entry of zip.eachEntry()) {
      if (entry.fileName.endsWith('/')) continue; // a folder entry, not data
      const label = `${zipPath}:${entry.fileName}`;
      const inFolder = MONTH_FOLDER.exec(entry.fileName);
      if (!inFolder) {
        yield { skipped: { label, reason: 'not inside a YYYY-MM/ folder of the archive' } };
        continue;
      }
      const [, folderMonth, base] = inFolder as unknown as [string, string, string];
      const item = classifyName(label, base, months);
      if ('skipped' in item) {
        yield item;
        continue;
      }
      if (item.month !== folderMonth) {
        throw new ImportRefusal(label, null, `file name month ${item.month} does not match its folder ${folderMonth}/`);
      }
      // The consumer opens the entry after this generator has yielded, outside the catch below,
      // so a damaged local header is turned into a refusal here.
      const open = () =>
        zip.openReadStreamPromise(entry).catch((err: Error) => {
          throw new ImportRefusal(label, null, `damaged zip entry (${err.message})`);
        });
      yield { file: { ...item, open } };
    }
  } catch (err) {
    if (err instanceof ImportRefusal) throw err;
    throw new ImportRefusal(zipPath, null, `damaged zip archive (${(err as Error).message})`);
  } finally {
    zip.close();
  }
}
