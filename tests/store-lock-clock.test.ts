// Locks and a clock that stepped back: a lock dated in the future by a process that then died
// would otherwise look fresh until the clock caught up (up to an hour for a DST-sized step).
import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore, type MeasuresStore } from '../src/store/index.ts';
import { LOCK_STALE_MS } from '../src/store/lock.ts';
import type { Store } from '../src/store/schema.ts';
import { tempStoreFile } from './helpers/store-temp.ts';

const opened: MeasuresStore[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((s) => s.close()));
});

const robbery = (s: Store) => s.priorities.flatMap((p) => p.measures).find((m) => m.id === 'robbery')!;

async function open(file: string, lockWaitMs: number) {
  const store = await openStore(file, { notice: () => undefined, lockWaitMs });
  opened.push(store);
  return store;
}

function lockDatedAhead(file: string, aheadMs: number): void {
  fs.mkdirSync(`${file}.lock`);
  const when = new Date(Date.now() + aheadMs);
  fs.utimesSync(`${file}.lock`, when, when);
}

describe('a lock dated in the future', () => {
  it('an hour ahead, it is stale: a write takes it over at once', async () => {
    const file = tempStoreFile();
    lockDatedAhead(file, 3_600_000);
    const store = await open(file, 5_000);
    const start = Date.now();
    await store.mutate((d) => void (robbery(d).trend.label = 'Reducing'));
    const waited = Date.now() - start;
    console.info(`a lock an hour in the future was taken over in ${waited} ms`);
    expect(waited).toBeLessThan(1_000); // the normal wait is 30 s, and a stale lock takes 5 s to go stale
    expect(robbery(JSON.parse(fs.readFileSync(file, 'utf8'))).trend.label).toBe('Reducing');
    expect(fs.existsSync(`${file}.lock`)).toBe(false);
  });

  it('less than the stale time ahead, it may be a live writer on a skewed clock: it is respected', async () => {
    const file = tempStoreFile();
    lockDatedAhead(file, LOCK_STALE_MS / 2);
    const before = fs.readFileSync(file);
    const store = await open(file, 300);
    await expect(store.mutate(() => undefined)).rejects.toThrow(/held the store lock.*nothing was saved/);
    expect(fs.readFileSync(file).equals(before)).toBe(true);
  });
});
