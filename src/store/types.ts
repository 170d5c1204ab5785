// The store's contract, apart from index.ts so that open-store.ts can implement it without
// importing the module that re-exports open-store.ts.
import type { StoreError } from './errors.ts';
import type { Store } from './schema.ts';

/**
 * The store as the bot, the CLI, the importers and the digest use it. Nothing here says where
 * the data lives: openStore keeps it in one JSON file, a test keeps it in memory, and a
 * server-backed store would implement the same five members.
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
  mutate<T>(fn: (draft: Store) => T): Promise<T>;
  /**
   * Why what is served is not what is stored (null when all is well): the stored data became
   * unreadable or invalid, and the last good snapshot is served meanwhile. Writes are refused
   * until it is fixed.
   */
  problem(): StoreError | null;
  /** Stops watching for changes; waits for in-flight writes. */
  close(): Promise<void>;
}
