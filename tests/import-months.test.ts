// Months a police.uk file cannot be for: after the current month (Europe/London, by the
// import's clock) or before police.uk began (December 2010). Such a month would become the
// series' latest point, so the answer and the computed trend would follow it.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readPoliceUk } from '../src/import/police-uk/read.ts';
import { importPoliceUk } from '../src/import/run.ts';
import { ImportRefusal } from '../src/import/refusal.ts';
import { openStore } from '../src/store/index.ts';
import type { Store } from '../src/store/schema.ts';
import { runCli } from '../commands/cli.ts';
import { removeTempDirs, streetFileText, tempDir, tempStore, writeZip } from './import-fixtures.ts';

afterAll(removeTempDirs);

const MSG = [{ slug: 'avon-and-somerset', fallsWithin: 'Avon and Somerset Constabulary' }];
const ASP = 'Avon and Somerset Constabulary';
/** Mid-May 2024 in London. */
const MAY_2024 = new Date('2024-05-15T12:00:00Z');

function aspFile(dir: string, month: string): string {
  const file = path.join(dir, `${month}-avon-and-somerset-street.csv`);
  fs.writeFileSync(file, streetFileText(month, ASP, { Robbery: 4 }));
  return file;
}

async function refusalOf(p: Promise<unknown>): Promise<ImportRefusal> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ImportRefusal);
  return err as ImportRefusal;
}

describe('police.uk months outside what police.uk can have published', () => {
  it('refuses a month after the current one, naming the file, and accepts the current month', async () => {
    const dir = tempDir();
    const june = aspFile(dir, '2024-06');
    const err = await refusalOf(readPoliceUk([june], MSG, undefined, MAY_2024));
    expect(err.message).toBe(
      `${june}: month 2024-06 is after the current month (2024-05): police.uk cannot have published it yet`,
    );
    const may = await readPoliceUk([aspFile(dir, '2024-05')], MSG, undefined, MAY_2024);
    expect(may.files.map((f) => f.month)).toEqual(['2024-05']);
  });

  it('takes the current month in Europe/London: 23:30 UTC on 31 May is already June there', async () => {
    const june = aspFile(tempDir(), '2024-06');
    const read = await readPoliceUk([june], MSG, undefined, new Date('2024-05-31T23:30:00Z'));
    expect(read.files.map((f) => f.month)).toEqual(['2024-06']);
    // In winter London is on UTC, so 23:30 UTC on 31 December is still December.
    const january = aspFile(tempDir(), '2025-01');
    await refusalOf(readPoliceUk([january], MSG, undefined, new Date('2024-12-31T23:30:00Z')));
  });

  it('refuses months before December 2010 (year 0000 included), and accepts December 2010', async () => {
    const dir = tempDir();
    for (const month of ['0000-01', '2010-11']) {
      const err = await refusalOf(readPoliceUk([aspFile(dir, month)], MSG, undefined, MAY_2024));
      expect(err.problem).toBe(`month ${month} is before police.uk's first month (2010-12)`);
    }
    const first = await readPoliceUk([aspFile(tempDir(), '2010-12')], MSG, undefined, MAY_2024);
    expect(first.files).toHaveLength(1);
  });

  it('refuses a 2099-01/ folder in an archive, naming the archive entry', async () => {
    const zip = path.join(tempDir(), 'archive.zip');
    await writeZip(zip, {
      '2024-04/2024-04-avon-and-somerset-street.csv': streetFileText('2024-04', ASP, { Robbery: 2 }),
      '2099-01/2099-01-avon-and-somerset-street.csv': streetFileText('2099-01', ASP, { Robbery: 2 }),
    });
    const err = await refusalOf(readPoliceUk([zip], MSG, undefined, MAY_2024));
    expect(err.file).toBe(`${zip}:2099-01/2099-01-avon-and-somerset-street.csv`);
    expect(err.problem).toMatch(/^month 2099-01 is after the current month \(2024-05\)/);
  });
});

describe('a future month leaves the store as it was', () => {
  it(
    'importPoliceUk with its clock: refused, the store byte for byte; ' + 'the latest series point is unchanged',
    async () => {
      const file = tempStore();
      const before = fs.readFileSync(file);
      const dir = tempDir();
      aspFile(dir, '2024-04');
      aspFile(dir, '2099-01');
      const store = await openStore(file, { notice: () => {} });
      try {
        await refusalOf(importPoliceUk(store, [dir], { author: 'U1', now: MAY_2024 }));
      } finally {
        await store.close();
      }
      expect(fs.readFileSync(file).equals(before)).toBe(true);
    },
  );

  it(
    'measures import police-uk: exit 3 naming the file, with MEASURES_NOW as the clock; ' +
      'a bad MEASURES_NOW is a usage error',
    async () => {
      const file = tempStore();
      const before = fs.readFileSync(file);
      const future = aspFile(tempDir(), '2024-06');
      let stderr = '';
      const io = (now: string) => ({
        out: () => {},
        err: (t: string) => (stderr += `${t}\n`),
        env: { MEASURES_STORE: file, MEASURES_NOW: now },
      });
      expect(await runCli(['import', 'police-uk', future], io('2024-05-15T12:00:00Z'))).toBe(3);
      expect(stderr).toContain(
        `refused, nothing was imported: ${future}: month 2024-06 is after the current month (2024-05)`,
      );
      expect(fs.readFileSync(file).equals(before)).toBe(true);
      expect(await runCli(['import', 'police-uk', future], io('next tuesday'))).toBe(2);
      expect(stderr).toMatch(/MEASURES_NOW "next tuesday" is not an ISO 8601 time/);

      // A month later it is the current month, and it becomes the latest point.
      expect(await runCli(['import', 'police-uk', future, '--quiet'], io('2024-06-02T09:00:00+01:00'))).toBe(0);
      const doc = JSON.parse(fs.readFileSync(file, 'utf8')) as Store;
      const robbery = doc.priorities.flatMap((p) => p.measures).find((m) => m.id === 'robbery')!;
      expect(robbery.series!.points.at(-1)).toMatchObject({
        period: '2024-06',
        count: 4,
        importedAt: '2024-06-02T08:00:00.000Z',
      });
    },
  );
});
