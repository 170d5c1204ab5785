// Counts one street-level crime CSV by crime type, streaming: rows are validated and
// counted as they arrive and never kept, so memory does not grow with the file.
import type { Readable } from 'node:stream';
import Papa from 'papaparse';
import { ImportRefusal } from '../refusal.ts';
import {
  CRIME_TYPE_COLUMN,
  FALLS_WITHIN_COLUMN,
  KNOWN_CRIME_TYPES,
  MONTH_COLUMN,
  STREET_HEADER,
} from './crime-types.ts';
import { MONTH } from './file-name.ts';

export interface StreetFileMeta {
  /** How the user names this file in messages. */
  label: string;
  /** The month the file name promises; every row must carry it. */
  month: string;
  force: string;
  /** The store's "Falls within" for the force; other values are counted and reported. */
  fallsWithin: string;
}

export interface StreetFileCounts extends StreetFileMeta {
  rows: number;
  byType: Map<string, number>;
  /** Rows whose "Falls within" is not the force's; still counted for the file's force. */
  otherFallsWithin: number;
}

/** Report progress every this many rows, so a progress line costs nothing per row. */
const PROGRESS_EVERY = 50_000;

/**
 * The longest record a street file may hold. Real rows are a few hundred characters; papaparse
 * re-reads an unfinished record with every chunk, so one endless line (a 50 MB line, or a
 * 100 KB zip inflating to a 100 MB one) costs time and memory with its square. Refused early.
 */
export const MAX_RECORD_CHARS = 64 * 1024;

export function countStreetRows(
  input: Readable,
  meta: StreetFileMeta,
  onProgress: (rowsSinceLast: number) => void = () => {},
): Promise<StreetFileCounts> {
  // Decode in the stream, so a multi-byte character split across chunks survives.
  input.setEncoding('utf8');
  const byType = new Map<string, number>();
  for (const type of KNOWN_CRIME_TYPES) byType.set(type, 0);
  let records = 0;
  /** The physical line the current record starts on (a quoted line break spans two). */
  let line = 0;
  let nextLine = 1;
  /** Characters handed to papaparse, and where its last complete record ended. */
  let received = 0;
  let parsedTo = 0;
  let rows = 0;
  let otherFallsWithin = 0;
  let sinceProgress = 0;
  let refusal: ImportRefusal | null = null;

  const tooLong =
    `a record longer than ${MAX_RECORD_CHARS.toLocaleString('en-GB')} characters ` + '(a street row is a few hundred)';

  return new Promise((resolve, reject) => {
    const refuse = (parser: Papa.Parser, problem: string) => {
      refusal ??= new ImportRefusal(meta.label, line, problem);
      parser.abort();
    };
    // A file that cannot be read to the end (a damaged archive entry, a vanished file) is
    // refused like a malformed one: its counts would be short.
    const unreadable = (err: Error) =>
      reject(refusal ?? new ImportRefusal(meta.label, null, `cannot be read to the end (${err.message})`));
    input.once('error', unreadable);
    Papa.parse<string[]>(input as unknown as File, {
      header: false,
      delimiter: ',',
      // Blank lines carry no data; counted as lines so numbers stay right, never as rows.
      skipEmptyLines: false,
      step(result, parser) {
        if (refusal) return;
        records += 1;
        line = nextLine;
        const row = result.data;
        nextLine = line + 1 + lineBreaksWithin(row, result.meta.linebreak);
        const length = result.meta.cursor - parsedTo;
        parsedTo = result.meta.cursor;
        if (length > MAX_RECORD_CHARS + result.meta.linebreak.length) return refuse(parser, tooLong);
        if (result.errors.length > 0) return refuse(parser, result.errors[0]!.message);
        if (records === 1) {
          const problem = headerProblem(row);
          if (problem) refuse(parser, problem);
          return;
        }
        if (row.length === 1 && row[0] === '') return;
        if (row.length !== STREET_HEADER.length) {
          return refuse(parser, `expected ${STREET_HEADER.length} fields, found ${row.length}`);
        }
        const month = row[MONTH_COLUMN]!;
        if (month !== meta.month) {
          return refuse(
            parser,
            MONTH.test(month)
              ? `Month is ${month} but the file name says ${meta.month}`
              : `bad Month ${JSON.stringify(month)} (expected YYYY-MM)`,
          );
        }
        const type = row[CRIME_TYPE_COLUMN]!;
        const seen = byType.get(type);
        if (seen === undefined) return refuse(parser, `unknown crime type ${JSON.stringify(type)}`);
        byType.set(type, seen + 1);
        if (row[FALLS_WITHIN_COLUMN] !== meta.fallsWithin) otherFallsWithin += 1;
        rows += 1;
        if (++sinceProgress === PROGRESS_EVERY) {
          onProgress(sinceProgress);
          sinceProgress = 0;
        }
      },
      complete() {
        if (refusal) {
          input.destroy();
          return reject(refusal);
        }
        if (records === 0) return reject(new ImportRefusal(meta.label, null, 'the file is empty (no header)'));
        // Every force records thousands of crimes a month: a header alone is a truncated
        // download, and importing it would replace a month's figures with zeros.
        if (rows === 0)
          return reject(new ImportRefusal(meta.label, null, 'no crime rows after the header (a truncated download?)'));
        onProgress(sinceProgress);
        for (const [type, n] of byType) if (n === 0) byType.delete(type);
        resolve({ ...meta, rows, byType, otherFallsWithin });
      },
      error(err) {
        unreadable(err);
      },
    });
    // Runs before papaparse's own listener, once it has parsed every earlier chunk: what it
    // holds past its last complete record is one unfinished record. Past the cap, the file is
    // refused and the stream destroyed (which stops a zip entry's inflation) before papaparse
    // reads on. The step above checks each complete record too, the last one included.
    input.prependListener('data', (chunk: string) => {
      if (!refusal && received - parsedTo > MAX_RECORD_CHARS) {
        refusal = new ImportRefusal(meta.label, nextLine, tooLong);
        input.destroy(refusal);
      }
      received += chunk.length;
    });
  });
}

/**
 * Line breaks inside a record's quoted fields, so refusals name the physical line a record
 * starts on. A "\r" ending the last field is the first half of a "\r\n" line end when
 * papaparse splits on "\n" alone (a file that mixes line ends).
 */
function lineBreaksWithin(row: string[], linebreak: string): number {
  let breaks = 0;
  for (let i = 0; i < row.length; i++) {
    const field = row[i]!;
    if (field.indexOf('\n') < 0 && field.indexOf('\r') < 0) continue;
    breaks += field.match(/\r\n|\r|\n/g)!.length;
    if (i === row.length - 1 && linebreak === '\n' && field.endsWith('\r')) breaks -= 1;
  }
  return breaks;
}

function headerProblem(row: string[]): string | null {
  const got = row.map((cell, i) => (i === 0 ? cell.replace(/^\uFEFF/, '') : cell).trim());
  for (let i = 0; i < STREET_HEADER.length; i++) {
    if (got[i] !== STREET_HEADER[i]) {
      return (
        `wrong header: column ${i + 1} is ${JSON.stringify(got[i] ?? '(missing)')}, ` +
        `expected ${JSON.stringify(STREET_HEADER[i])} (a street file has: ${STREET_HEADER.join(',')})`
      );
    }
  }
  if (got.length > STREET_HEADER.length)
    return `wrong header: ${got.length} columns, a street file has ${STREET_HEADER.length}`;
  return null;
}
