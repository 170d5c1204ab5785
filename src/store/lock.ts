// Cross-process write lock on the store file (proper-lockfile: a `<file>.lock` directory
// whose mtime the holder refreshes). A holder killed with SIGKILL stops refreshing it, so
// the lock goes stale and the next writer takes it over.
import fs from 'node:fs';
import lockfile from 'proper-lockfile';
import pRetry from 'p-retry';
import { StoreError } from './errors.ts';

/** How long a writer waits for another writer before giving up. 20 queued writers fit easily. */
export const LOCK_WAIT_MS = 30_000;
/**
 * A lock not refreshed for this long belongs to a dead process; with the retry delay it is
 * taken over well within 10 s.
 */
export const LOCK_STALE_MS = 5_000;
/** The holder refreshes the lock this often (proper-lockfile requires at most stale / 2). */
export const LOCK_UPDATE_MS = 2_000;

export interface StoreLock {
  /** Set when the lock was lost (e.g. this process stalled past the stale time): do not write. */
  compromised(): Error | null;
  release(): Promise<void>;
}

export interface LockOptions {
  waitMs?: number;
  staleMs?: number;
}

/**
 * proper-lockfile judges a lock only by how long ago it was refreshed, so a lock dated in the
 * future (its holder's clock stepped back, then the holder died) would look fresh until the
 * clock caught up: up to an hour of refused writes. A live holder refreshes its lock to its
 * own "now", so one more than the stale time ahead cannot be a live writer on this clock; the
 * lock's stat reports such a date as long past, and proper-lockfile takes it over as stale.
 * A live holder whose clock stepped back meanwhile sees its lock change, is told it was
 * compromised, and refuses its write.
 */
function lockFileSystem(staleMs: number): typeof fs {
  // One per stale time: proper-lockfile caches the disk's mtime precision on the object.
  const known = lockFileSystems.get(staleMs);
  if (known) return known;
  const stat = (file: fs.PathLike, callback: (err: NodeJS.ErrnoException | null, stats?: fs.Stats) => void) =>
    fs.stat(file, (err, stats) => {
      if (err || stats.mtimeMs <= Date.now() + staleMs) return callback(err, stats);
      callback(null, { ...stats, mtime: new Date(0), mtimeMs: 0 } as fs.Stats);
    });
  const lockFs = { ...fs, stat } as typeof fs;
  lockFileSystems.set(staleMs, lockFs);
  return lockFs;
}
const lockFileSystems = new Map<number, typeof fs>();

/** Waits between tries: from 10–20 ms, growing by half each time, up to 250 ms. */
const FIRST_WAIT_MS = 10;
const WAIT_GROWTH = 1.5;
const LONGEST_WAIT_MS = 250;

export async function acquireStoreLock(file: string, options: LockOptions = {}): Promise<StoreLock> {
  const waitMs = options.waitMs ?? LOCK_WAIT_MS;
  const stale = options.staleMs ?? LOCK_STALE_MS;
  const lockFs = lockFileSystem(stale);
  let lost: Error | null = null;
  let release: () => Promise<void>;
  try {
    // proper-lockfile's own retries would retry every error (a permission error would wait out
    // waitMs), so it tries once and p-retry retries only "someone else holds it".
    release = await pRetry(
      () =>
        lockfile.lock(file, {
          realpath: false, // the store file may not exist yet; openStore has already followed any link
          fs: lockFs,
          stale,
          update: Math.min(LOCK_UPDATE_MS, stale / 2),
          retries: 0,
          // The default throws from a timer, which would crash the bot; we refuse the write instead.
          onCompromised: (err) => {
            lost = err;
          },
        }),
      {
        shouldRetry: ({ error }) => isHeldElsewhere(error),
        maxRetryTime: waitMs,
        // Every wait is at least FIRST_WAIT_MS, so this many never run out before maxRetryTime.
        retries: Math.ceil(waitMs / FIRST_WAIT_MS) + 1,
        minTimeout: FIRST_WAIT_MS,
        factor: WAIT_GROWTH,
        maxTimeout: LONGEST_WAIT_MS,
        // Jitter, while the waits grow, spreads a crowd of waiting writers apart so they do not
        // retry in lockstep.
        randomize: true,
      },
    );
  } catch (err) {
    if (!isHeldElsewhere(err)) {
      throw new StoreError(`${file}: cannot lock the store (${(err as Error).message})`, file);
    }
    throw new StoreError(
      `${file}: another process held the store lock for more than ${Math.round(waitMs / 1000)} s; ` +
        'nothing was saved, try again',
      file,
    );
  }
  return {
    compromised: () => lost,
    release: async () => {
      if (lost) return; // proper-lockfile has already dropped it
      await release().catch(() => undefined);
    },
  };
}

function isHeldElsewhere(err: unknown): boolean {
  return (err as NodeJS.ErrnoException | undefined)?.code === 'ELOCKED';
}
