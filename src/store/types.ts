// The store's contract, apart from index.ts so that open-store.ts can implement it without
// importing the module that re-exports open-store.ts.
import type { StoreError } from './errors.ts';
import type { Store } from './schema.ts';

export interface MutateOptions {
  /**
   * The change log's messageId of the change being made. When the connection fails after a
   * COMMIT was sent, a store that cannot tell whether it succeeded looks for this key: present,
   * it was applied; absent, the write is run again. Without one, the caller is told it may or
   * may not have been saved.
   */
  dedupeKey?: string;
}

/**
 * The store as the bot, the CLI, the importers and the digest use it. Nothing here says where
 * the data lives: openStore keeps it in one JSON file, a test keeps it in memory, and a
 * server-backed store (postgres/) implements the same members.
 */
export interface MeasuresStore {
  /** Where the data lives, for logs and messages only ("/srv/measures/store.json"); never parse it. */
  describe(): string;
  /** The last good, validated snapshot. Cheap: no I/O. Treat it as read-only. */
  snapshot(): Store;
  /**
   * Locked read-modify-write: re-reads the stored data under the lock, hands the mutator a
   * fresh copy, validates the result and saves it atomically. Resolves with the mutator's
   * value once the write is durable. Throws StoreError (and saves nothing) when the stored
   * data is invalid. The mutator must be synchronous; if it throws, nothing is saved and the
   * error propagates.
   */
  mutate<T>(fn: (draft: Store) => T, options?: MutateOptions): Promise<T>;
  /**
   * Brings snapshot() up to the last committed change, wherever it was made: call it at the
   * start of a request. Cheap when nothing changed (a file identity check; one indexed read).
   * Rejects with StoreError when the data cannot be reached.
   */
  sync(): Promise<void>;
  /**
   * Shared by every process on the store (PostgreSQL): resolves true for the first claim of
   * `key` (a Slack event id) on any replica, false for every later one. A store used by one
   * process leaves it out: the process remembers the keys it has seen itself.
   */
  claimOnce?(key: string): Promise<boolean>;
  /** Whether the data can be reached now (a database that is down says false); for /healthz. */
  healthy(): Promise<boolean>;
  /**
   * Why what is served is not what is stored (null when all is well): the stored data became
   * unreadable or invalid, and the last good snapshot is served meanwhile. Writes are refused
   * until it is fixed.
   */
  problem(): StoreError | null;
  /** Stops watching for changes; waits for in-flight writes. */
  close(): Promise<void>;
}
