// Cross-process write lock on the store file (proper-lockfile: a `<file>.lock` directory
// whose mtime the holder refreshes). A holder killed with SIGKILL stops refreshing it, so
// the lock goes stale and the next writer takes it over.
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

export async function acquireStoreLock(file: string, options: LockOptions = {}): Promise<StoreLock> {
  const waitMs = options.waitMs ?? LOCK_WAIT_MS;
  const stale = options.staleMs ?? LOCK_STALE_MS;
  const deadline = Date.now() + waitMs;
  let lost: Error | null = null;
  let delay = 20;
  for (;;) {
    try {
      const release = await lockfile.lock(file, {
        realpath: false, // the store file may not exist yet
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
