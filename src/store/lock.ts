// Cross-process write lock on the store file (proper-lockfile: a `<file>.lock` directory
// whose mtime the holder refreshes). A holder killed with SIGKILL stops refreshing it, so
// the lock goes stale and the next writer takes it over.
import fs from 'node:fs';
import lockfile from 'proper-lockfile';
import { StoreError } from './errors.ts';

/** How long a writer waits for another writer before giving up. 20 queued writers fit easily. */
export const LOCK_WAIT_MS = 30_000;
/** A lock not refreshed for this long belongs to a dead process; with the retry delay it is taken over well within 10 s. */
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

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

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

export async function acquireStoreLock(file: string, options: LockOptions = {}): Promise<StoreLock> {
  const waitMs = options.waitMs ?? LOCK_WAIT_MS;
  const stale = options.staleMs ?? LOCK_STALE_MS;
  const deadline = Date.now() + waitMs;
  const lockFs = lockFileSystem(stale);
  let lost: Error | null = null;
  let delay = 20;
  for (;;) {
    try {
      const release = await lockfile.lock(file, {
        realpath: false, // the store file may not exist yet; openStore has already followed any link
        fs: lockFs,
        stale,
        update: Math.min(LOCK_UPDATE_MS, stale / 2),
        retries: 0,
        // The default throws from a timer, which would crash the bot; we refuse the write instead.
        onCompromised: (err) => {
          lost = err;
        },
      });
      return {
        compromised: () => lost,
        release: async () => {
          if (lost) return; // proper-lockfile has already dropped it
          await release().catch(() => undefined);
        },
      };
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'ELOCKED') {
        throw new StoreError(`${file}: cannot lock the store (${(err as Error).message})`, file);
      }
      if (Date.now() >= deadline) {
        throw new StoreError(
          `${file}: another process held the store lock for more than ${Math.round(waitMs / 1000)} s; nothing was saved, try again`,
          file,
        );
      }
      // Jitter keeps a crowd of waiting writers from retrying in lockstep.
      await sleep(delay / 2 + Math.random() * delay);
      delay = Math.min(delay * 1.5, 250);
    }
  }
}
