// The store's module interface: MeasuresStore is the contract a server-backed store would
// implement in place of the file. (Schema types and lookups are still imported directly too.)
export type { Store } from './schema.ts';
export { StoreError } from './errors.ts';
export { resolveStorePath } from './paths.ts';
export { openStore, type OpenStoreOptions, type FileMeasuresStore } from './open-store.ts';
export { historyEntries, entriesForMessage, hasMessage, type HistoryFilter } from './change-log.ts';
export { findThreadBinding } from './lookup.ts';
export { findPriority } from './lookup.ts';
export type { ChangeEntry, DigestKey, ThreadBinding } from './schema.ts';

import type { Store } from './schema.ts';

export interface MeasuresStore {
  readonly file: string;
  /** The last good, validated snapshot. Cheap: no I/O. Treat it as read-only. */
  snapshot(): Store;
  /**
   * Locked read-modify-write: re-reads the file under the lock, hands the mutator a fresh
   * copy, validates the result and writes it atomically. Resolves with the mutator's value
   * once the write is durable. Throws StoreError (and writes nothing) when the file is invalid.
   * The mutator must be synchronous; if it throws, nothing is written and the error propagates.
   */
  mutate<T>(fn: (draft: Store) => T): Promise<T>;
  /** Stops watching the file; waits for in-flight writes. */
  close(): Promise<void>;
}
