// The street-file reader: counts against independent sums of the real CSV, and every kind of
// malformed file refused with its file, line and problem.
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { MAX_RECORD_CHARS, countStreetRows } from '../src/import/police-uk/street-csv.ts';
import { ImportRefusal } from '../src/import/refusal.ts';
import {
  HEADER_LINE,
  REAL_STREET_FILE,
  readMonthlyCounts,
  realLines,
  streetRow,
  removeTempDirs,
} from './import-fixtures.ts';

afterAll(removeTempDirs);

const ASP = {
  label: 'test.csv',
  month: '2021-11',
  force: 'avon-and-somerset',
  fallsWithin: 'Avon and Somerset Constabulary',
};

function fromText(text: string): Readable {
  // Small chunks, so rows and multi-byte characters straddle chunk boundaries.
  const buf = Buffer.from(text);
  const chunks: Buffer[] = [];
  for (let i = 0; i < buf.length; i += 997) chunks.push(buf.subarray(i, i + 997));
  return Readable.from(chunks);
}

async function refusalOf(text: string, meta = ASP): Promise<ImportRefusal> {
  try {
    await countStreetRows(fromText(text), meta);
  } catch (err) {
    expect(err).toBeInstanceOf(ImportRefusal);
    return err as ImportRefusal;
  }
  throw new Error('expected the file to be refused');
}

describe('street file counts', () => {
  it(
    'counts the real ASP November 2021 file exactly as a plain split of its lines ' + 'and as the monthly counts',
    async () => {
      const result = await countStreetRows(fs.createReadStream(REAL_STREET_FILE), { ...ASP, label: REAL_STREET_FILE });
      // Independent sum: the file has no quoted fields, so column 10 of a comma split is the crime type.
      const bySplit = new Map<string, number>();
      for (const line of realLines.slice(1)) {
        const type = line.split(',')[9]!;
        bySplit.set(type, (bySplit.get(type) ?? 0) + 1);
      }
      expect(result.rows).toBe(14_242);
      expect(Object.fromEntries(result.byType)).toEqual(Object.fromEntries(bySplit));
      const published = readMonthlyCounts().filter((c) => c.month === '2021-11' && c.force === 'avon-and-somerset');
      expect(Object.fromEntries(result.byType)).toEqual(Object.fromEntries(published.map((c) => [c.type, c.count])));
      expect(result.otherFallsWithin).toBe(0);
    },
  );

  it('accepts a byte-order mark, CRLF line ends and blank lines without counting them', async () => {
    const lines = [
      HEADER_LINE,
      streetRow('Robbery', '2021-11', ASP.fallsWithin),
      '',
      streetRow('Drugs', '2021-11', ASP.fallsWithin),
    ];
    const text = `\uFEFF${lines.join('\r\n')}\r\n`;
    const result = await countStreetRows(fromText(text), ASP);
    expect(result.rows).toBe(2);
    expect(Object.fromEntries(result.byType)).toEqual({ Robbery: 1, Drugs: 1 });
  });

  it('keeps quoted fields with commas and non-ASCII text whole', async () => {
    const cells = streetRow('Burglary', '2021-11', ASP.fallsWithin).split(',');
    cells[6] = '"On or near Café Street, Bristol"';
    const text = HEADER_LINE + `\n${cells.join(',')}`.repeat(300);
    const result = await countStreetRows(fromText(text), ASP);
    expect(Object.fromEntries(result.byType)).toEqual({ Burglary: 300 });
  });

  it('counts rows of another "Falls within" for the file\'s force and says how many', async () => {
    const text = [
      HEADER_LINE,
      streetRow('Robbery', '2021-11', ASP.fallsWithin),
      streetRow('Robbery', '2021-11', 'Kent Police'),
    ].join('\n');
    const result = await countStreetRows(fromText(text), ASP);
    expect(result.byType.get('Robbery')).toBe(2);
    expect(result.otherFallsWithin).toBe(1);
  });
});

describe('malformed street files are refused, naming file, line and problem', () => {
  const good = (n: number) => Array.from({ length: n }, () => streetRow('Burglary', '2021-11', ASP.fallsWithin));

  it('a wrong header', async () => {
    const err = await refusalOf([HEADER_LINE.replace('Crime type', 'Category'), ...good(3)].join('\n'));
    expect(err.file).toBe('test.csv');
    expect(err.line).toBe(1);
    expect(err.problem).toMatch(/wrong header: column 10 is "Category", expected "Crime type"/);
    expect(err.message).toMatch(/^test\.csv, line 1: wrong header/);
  });

  it('an outcomes header in a street file name', async () => {
    const outcomes =
      'Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Outcome type';
    const err = await refusalOf(`${outcomes}\n`);
    expect(err.line).toBe(1);
    expect(err.problem).toMatch(/column 10 is "Outcome type"/);
  });

  it('a bad month', async () => {
    const bad = streetRow('Burglary', '2021-13', ASP.fallsWithin);
    const err = await refusalOf([HEADER_LINE, ...good(5), bad, ...good(2)].join('\n'));
    expect(err.line).toBe(7);
    expect(err.problem).toBe('bad Month "2021-13" (expected YYYY-MM)');
  });

  it('a month that does not match the file name', async () => {
    const other = streetRow('Burglary', '2021-10', ASP.fallsWithin);
    const err = await refusalOf([HEADER_LINE, ...good(2), other].join('\n'));
    expect(err.line).toBe(4);
    expect(err.problem).toBe('Month is 2021-10 but the file name says 2021-11');
  });

  it('an unknown crime type', async () => {
    const err = await refusalOf(
      [HEADER_LINE, ...good(1), streetRow('Cyber crime', '2021-11', ASP.fallsWithin)].join('\n'),
    );
    expect(err.line).toBe(3);
    expect(err.problem).toBe('unknown crime type "Cyber crime"');
  });

  it('a row with the wrong number of fields, counting blank lines', async () => {
    const err = await refusalOf(
      [HEADER_LINE, ...good(1), '', `${streetRow('Drugs', '2021-11', ASP.fallsWithin)},extra`].join('\n'),
    );
    expect(err.line).toBe(4);
    expect(err.problem).toBe('expected 12 fields, found 13');
  });

  it('a quoted field that never ends', async () => {
    const cells = streetRow('Robbery', '2021-11', ASP.fallsWithin).split(',');
    cells[6] = '"On or near High Street';
    const err = await refusalOf([HEADER_LINE, ...good(2), cells.join(','), ...good(2)].join('\n'));
    expect(err.line).toBe(4);
    expect(err.problem).toBe('Quoted field unterminated');
  });

  it('an empty file, and a file with a header but no rows', async () => {
    expect((await refusalOf('')).problem).toMatch(/empty/);
    expect((await refusalOf(`${HEADER_LINE}\n\n`)).problem).toBe(
      'no crime rows after the header (a truncated download?)',
    );
  });

  it('a bad row deep in a large file, after many chunks', async () => {
    const rows = good(20_000);
    rows[15_000] = streetRow('Shoplifting', '2021-12', ASP.fallsWithin);
    const err = await refusalOf([HEADER_LINE, ...rows].join('\n'));
    expect(err.line).toBe(15_002);
  });

  it('names the file as the user gave it', async () => {
    const label = path.join('archive.zip:2021-11', '2021-11-avon-and-somerset-street.csv');
    const err = await refusalOf(`${HEADER_LINE}\n${streetRow('Nope', '2021-11', ASP.fallsWithin)}\n`, {
      ...ASP,
      label,
    });
    expect(err.message).toBe(`${label}, line 2: unknown crime type "Nope"`);
  });
});

describe('line numbers count physical lines', () => {
  it('a refusal after a record with a quoted line break names the line the bad record starts on', async () => {
    const cells = streetRow('Burglary', '2021-11', ASP.fallsWithin).split(',');
    cells[6] = '"On or near\nHigh Street"';
    const bad = streetRow('Cyber crime', '2021-11', ASP.fallsWithin);
    // Lines: 1 header, 2–3 the two-line record, 4 a good row, 5 the bad one.
    const err = await refusalOf(
      [HEADER_LINE, cells.join(','), streetRow('Robbery', '2021-11', ASP.fallsWithin), bad].join('\n'),
    );
    expect(err.line).toBe(5);
    // CRLF inside the quotes, and CRLF line ends: still one break each.
    cells[6] = '"On or near\r\nHigh\r\nStreet"';
    const crlf = await refusalOf([HEADER_LINE, cells.join(','), bad].join('\r\n'));
    expect(crlf.line).toBe(5);
  });

  it('a bad record that itself spans lines is named by its first line', async () => {
    const cells = streetRow('Nope', '2021-11', ASP.fallsWithin).split(',');
    cells[6] = '"a\nb\nc"';
    const err = await refusalOf(
      [HEADER_LINE, streetRow('Robbery', '2021-11', ASP.fallsWithin), '', cells.join(',')].join('\n'),
    );
    expect(err.line).toBe(4);
    expect(err.problem).toBe('unknown crime type "Nope"');
  });
});

describe('over-long records', () => {
  /** A street file whose record on line 3 never ends, read lazily; counts what was pulled. */
  function endlessRecord(): { stream: Readable; pulled: () => number } {
    let pulled = 0;
    const block = 'x'.repeat(64 * 1024);
    const stream = Readable.from(
      (function* () {
        const head = `${HEADER_LINE}\n${streetRow('Robbery', '2021-11', ASP.fallsWithin)}\n`;
        pulled += head.length;
        yield head;
        // 100 MB if read to the end.
        for (let i = 0; i < 1600; i++) {
          pulled += block.length;
          yield block;
        }
      })(),
      { objectMode: false },
    );
    return { stream, pulled: () => pulled };
  }

  it('refuses a record longer than 64 KB at the line it starts on, without reading the rest of the file', async () => {
    const { stream, pulled } = endlessRecord();
    const err = await countStreetRows(stream, ASP).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ImportRefusal);
    expect((err as ImportRefusal).message).toBe(
      `test.csv, line 3: a record longer than ${MAX_RECORD_CHARS.toLocaleString('en-GB')} characters ` +
        '(a street row is a few hundred)',
    );
    // Stopped within a few chunks of the cap (and the stream's read-ahead), not after 100 MB.
    expect(pulled()).toBeLessThan(8 * MAX_RECORD_CHARS);
  });

  it('refuses an over-long last record too, and an unterminated quote that runs on', async () => {
    const last =
      `${HEADER_LINE}\n${streetRow('Robbery', '2021-11', ASP.fallsWithin)}\n` + 'y'.repeat(MAX_RECORD_CHARS + 10);
    expect((await refusalOf(last)).line).toBe(3);
    const cells = streetRow('Robbery', '2021-11', ASP.fallsWithin).split(',');
    cells[6] = `"On or near ${'\n,'.repeat(MAX_RECORD_CHARS)}`;
    const open = await refusalOf(
      `${HEADER_LINE}\n${cells.join(',')}\n${streetRow('Robbery', '2021-11', ASP.fallsWithin)}\n`,
    );
    expect(open.line).toBe(2);
    expect(open.problem).toMatch(/^a record longer than/);
  });

  it('keeps a long but plausible record: a 60,000-character quoted location', async () => {
    const cells = streetRow('Burglary', '2021-11', ASP.fallsWithin).split(',');
    cells[6] = `"${'On or near Long Street, '.repeat(2500)}"`;
    const result = await countStreetRows(fromText([HEADER_LINE, cells.join(','), cells.join(',')].join('\n')), ASP);
    expect(result.rows).toBe(2);
  });
});
