// A store on a disk that fills up: a real ENOSPC from a small tmpfs. Every write path (creating
// the store, an update, an import) must say so in one line, exit 1 and leave the disk as it was.
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { serializeStore } from '../src/store/file-store.ts';
import { runMeasures } from './helpers/cli.ts';
import { seedStore, tempDir } from './helpers/seed.ts';
import { measuresInProcess } from './helpers/store-temp.ts';
import { streetFileText } from './import-fixtures.ts';

const mounted: string[] = [];

/** A 1 MiB tmpfs of its own (mounting needs root; the suite skips, saying why, where it is not allowed). */
function mountSmallDisk(): string {
  const dir = tempDir('measures-full-disk-');
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', dir], { stdio: 'pipe' });
  mounted.push(dir);
  return dir;
}

const mountProblem = (() => {
  try {
    const dir = mountSmallDisk();
    execFileSync('umount', [dir]);
    mounted.pop();
    fs.rmdirSync(dir);
    return null;
  } catch (err) {
    return (err as Error).message.split('\n')[0];
  }
})();

afterAll(() => {
  for (const dir of mounted.splice(0)) {
    execFileSync('umount', [dir]);
    fs.rmdirSync(dir);
  }
});

/** Fills the disk with `filler`, then frees `freeBytes` again: less than a store needs, so its write is cut short. */
function fillLeaving(dir: string, freeBytes: number): void {
  const filler = path.join(dir, 'filler');
  const fd = fs.openSync(filler, 'w');
  const chunk = Buffer.alloc(64 * 1024, 1);
  try {
    for (let i = 0; i < 1000; i++) fs.writeSync(fd, chunk); // 64 MiB at most: a 1 MiB disk fills long before
    throw new Error('the small disk never filled up');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
  } finally {
    fs.closeSync(fd);
  }
  fs.truncateSync(filler, Math.max(0, fs.statSync(filler).size - freeBytes));
}

function storeOnFullDisk(): { dir: string; file: string; before: Buffer } {
  const dir = mountSmallDisk();
  const file = path.join(dir, 'store.json');
  fs.writeFileSync(file, serializeStore(seedStore()));
  fillLeaving(dir, 16 * 1024);
  return { dir, file, before: fs.readFileSync(file) };
}

const lines = (text: string) => text.split('\n').filter((l) => l !== '');

describe.skipIf(mountProblem !== null)(
  `a full disk${mountProblem ? ` (skipped: cannot mount a tmpfs: ${mountProblem})` : ''}`,
  () => {
    it('an update exits 1 with one line naming the problem, and the store is byte for byte unchanged', () => {
      const { dir, file, before } = storeOnFullDisk();
      const r = runMeasures(['update', 'robbery', 'trend: moderate reduction', '--as', 'U0ANALYST1'], file);
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      expect(lines(r.stderr)).toEqual([
        `measures: ${file}: no space left on device while saving the store; nothing was changed`,
      ]);
      expect(fs.readFileSync(file).equals(before)).toBe(true);
      expect(fs.readdirSync(dir).sort()).toEqual(['filler', 'store.json']); // no temp file, no lock, no backup
    }, 60_000);

    it('creating a missing store does not leave a truncated one behind (and does not claim it was created)', () => {
      const dir = mountSmallDisk();
      fillLeaving(dir, 16 * 1024);
      const file = path.join(dir, 'store.json');
      const r = runMeasures(['list'], file);
      expect(r.code).toBe(1);
      expect(lines(r.stderr)).toEqual([
        `measures: ${file}: no space left on device while creating the store; nothing was changed`,
      ]);
      expect(fs.readdirSync(dir)).toEqual(['filler']);
      // Once there is room, the next command creates it as usual.
      fs.rmSync(path.join(dir, 'filler'));
      const again = runMeasures(['list'], file);
      expect(again.code).toBe(0);
      expect(again.stderr).toContain(`created ${file}`);
    }, 60_000);

    it('an import exits 1 with one line, and the store is byte for byte unchanged', async () => {
      const { dir, file, before } = storeOnFullDisk();
      const input = path.join(tempDir(), '2021-11-kent-street.csv');
      fs.writeFileSync(input, streetFileText('2021-11', 'Kent Police', { Robbery: 88 }));
      const r = await measuresInProcess(['import', 'police-uk', input, '--as', 'U123', '--quiet'], file);
      expect(r.code).toBe(1);
      expect(r.out).toBe('');
      expect(lines(r.err)).toEqual([
        `measures: ${file}: no space left on device while saving the store; nothing was changed`,
      ]);
      expect(fs.readFileSync(file).equals(before)).toBe(true);
      expect(fs.readdirSync(dir).sort()).toEqual(['filler', 'store.json']);
    });
  },
);
