// openStore: the file-backed MeasuresStore. Reads are served from memory; every write takes
// the cross-process lock, re-reads the file, validates the result and replaces the file
// atomically, so concurrent writers (CLI runs, the bot) never lose each other's changes.
import fs from 'node:fs';
import type { Store } from './schema.ts';
import type { MeasuresStore } from './types.ts';
import { NotDurableError, StoreError, storeWriteError } from './errors.ts';
import { decodeStoreBytes, parseStoreText, validateStore } from './validate.ts';
import { loadStoreFile, serializeStore, type Notice } from './file-store.ts';
import { backupPathFor, sweepOrphanedTempFiles, writeFileDurably, type FileLayer } from './durable-write.ts';
import { acquireStoreLock } from './lock.ts';
import { storeTarget } from './paths.ts';

export interface OpenStoreOptions {
  /** Reload the snapshot when the file changes (long-running readers such as the bot). */
  watch?: boolean;
  /** How often the watcher polls the file. Polling survives the file being replaced by rename. */
  pollIntervalMs?: number;
  /** How long a write waits for another process's lock. */
  lockWaitMs?: number;
  /** Where "created the store" goes; stderr by default. */
  notice?: Notice;
  /** Called after the snapshot changed because another process wrote the file. */
  onReload?: (store: Store) => void;
  /** Called when the file on disk became unreadable or invalid; the last good snapshot stays. */
  onProblem?: (error: StoreError) => void;
  /** A store behind a server (PostgreSQL): called when it becomes unreachable (false) and back (true). */
  onHealth?: (healthy: boolean) => void;
  /** Where file data is written; node:fs unless a test injects a failing disk. */
  files?: FileLayer;
}

/**
 * The crash test sets MEASURES_TEST_PAUSE_BEFORE_RENAME_MS so that its random SIGKILLs often land
 * in the narrow window that matters (lock held, new version written but not yet renamed in).
 */
function pauseForCrashTests(): void {
  const ms = Number(process.env.MEASURES_TEST_PAUSE_BEFORE_RENAME_MS ?? 0);
  if (ms > 0) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Changes whenever the file is replaced or rewritten: our writes always rename a new inode in. */
function identityOf(file: string): string | null {
  const st = fs.statSync(file, { throwIfNoEntry: false });
  return st ? `${st.ino}:${st.size}:${st.mtimeMs}` : null;
}

/**
 * Opens (creating from the bundled report if missing) and validates the store file.
 * Throws StoreError when the file is invalid: there is no good snapshot to serve.
 * A symbolic link is resolved once, here: the process then reads, writes, backs up and locks
 * the file it points to.
 */
export async function openStore(path: string, options: OpenStoreOptions = {}): Promise<MeasuresStore> {
  const file = storeTarget(path);
  let current: Store = loadStoreFile(file, options.notice, options.files);
  let known = identityOf(file);
  let problem: StoreError | null = null;
  let closed = false;
  /** Writes from this process run one at a time (the file lock is per process, not per call). */
  let queue: Promise<unknown> = Promise.resolve();
  const inFlight = new Set<Promise<unknown>>();

  const reportProblem = (err: StoreError) => {
    const fresh = problem?.message !== err.message;
    problem = err;
    if (fresh) options.onProblem?.(err);
  };

  /** Synchronous on purpose: nothing in this process can interleave between the stat and the parse. */
  const reload = () => {
    if (closed) return;
    const id = identityOf(file);
    if (id === known) return;
    if (id === null) {
      reportProblem(
        new StoreError(
          `${file}: the store file has disappeared; serving the last good copy (a backup is at ${backupPathFor(file)})`,
          file,
        ),
      );
      return;
    }
    let bytes: Buffer;
    try {
      bytes = fs.readFileSync(file);
    } catch (err) {
      reportProblem(new StoreError(`${file}: cannot read the store (${(err as Error).message})`, file));
      return;
    }
    if (identityOf(file) !== id) return; // replaced while reading: the next poll picks up the newer one
    known = id;
    try {
      current = parseStoreText(decodeStoreBytes(bytes, file), file);
      problem = null;
      options.onReload?.(current);
    } catch (err) {
      if (!(err instanceof StoreError)) throw err;
      reportProblem(err);
    }
  };

  // A timer that compares the file's identity with `known`, not fs.watchFile: watchFile takes its
  // baseline with an asynchronous stat, so a change made between opening and that stat (a CLI
  // update just after the bot starts, on a busy machine) became the baseline and was never seen.
  const interval = options.pollIntervalMs ?? 500;
  const poller = options.watch ? setInterval(reload, interval) : null;
  poller?.unref();

  const locked = async <T>(fn: (draft: Store) => T): Promise<T> => {
    const lock = await acquireStoreLock(file, { waitMs: options.lockWaitMs });
    try {
      try {
        sweepOrphanedTempFiles(file);
      } catch (err) {
        throw storeWriteError(file, err, 'saving');
      }
      let bytes: Buffer;
      try {
        bytes = await fs.promises.readFile(file);
      } catch (err) {
        // Recreating it from the report here would silently drop every change made so far.
        const why =
          (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'the store file has disappeared' : (err as Error).message;
        const refusal = new StoreError(
          `${file}: ${why}; nothing was saved (a backup is at ${backupPathFor(file)})`,
          file,
        );
        reportProblem(refusal);
        throw refusal;
      }
      const readAs = identityOf(file);
      let draft: Store;
      try {
        draft = parseStoreText(decodeStoreBytes(bytes, file), file);
      } catch (err) {
        if (err instanceof StoreError) {
          const refusal = new StoreError(
            `${err.message}; nothing was saved until the file is fixed`,
            file,
            err.jsonPath,
          );
          reportProblem(refusal);
          throw refusal;
        }
        throw err;
      }
      const result = fn(draft);
      // Never write a document the next load would reject.
      const next = validateStore(draft, file);
      try {
        await writeFileDurably(file, serializeStore(next), {
          backup: true,
          files: options.files,
          beforeRename: () => {
            pauseForCrashTests();
            if (lock.compromised()) {
              throw new StoreError(
                `${file}: lost the store lock while writing (the process stalled); nothing was saved, try again`,
                file,
              );
            }
            if (identityOf(file) !== readAs) {
              throw new StoreError(
                `${file}: another process changed the store while this write held the lock; ` +
                  'nothing was saved, try again',
                file,
              );
            }
          },
        });
      } catch (err) {
        // The new version is in place even though it may not be durable: serve what is on disk.
        if (err instanceof NotDurableError) {
          current = next;
          known = identityOf(file);
        }
        // A full or failing disk is a store error like any other (one line, exit 1), not a crash.
        throw storeWriteError(file, err, 'saving');
      }
      current = next;
      known = identityOf(file);
      problem = null;
      return result;
    } finally {
      await lock.release();
    }
  };

  return {
    describe: () => file,
    snapshot: () => current,
    problem: () => problem,
    // The identity check the watcher makes, now: a change made by another process is served at once.
    sync: async () => reload(),
    healthy: async () => true,
    mutate<T>(fn: (draft: Store) => T): Promise<T> {
      if (closed) return Promise.reject(new StoreError(`${file}: the store is closed; nothing was saved`, file));
      const run = queue.then(() => locked(fn));
      queue = run.catch(() => undefined);
      inFlight.add(run);
      void run.finally(() => inFlight.delete(run)).catch(() => undefined);
      return run;
    },
    async close() {
      if (closed) return;
      closed = true;
      if (poller) clearInterval(poller);
      await Promise.allSettled([...inFlight]);
    },
  };
}
