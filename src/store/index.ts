// The store's one way in: import the store from here, never from the files behind it (only
// the tests of those files reach past it). MeasuresStore is the contract: openStore keeps the
// data in one JSON file, and a server-backed store would implement the same interface. The
// schema's types, the lookups and the change-log readers are pure functions over a snapshot,
// wherever it came from.
import type { Notice } from './file-store.ts';
import type { OpenStoreOptions } from './open-store.ts';
import type { Store } from './schema.ts';
import type { MeasuresStore, MutateOptions } from './types.ts';
import { isDatabaseUrl } from './location.ts';
import { storeTarget } from './paths.ts';
import { readValidatedBefore } from './validated-cache.ts';

export type * from './schema.ts';
export type { MeasuresStore, MutateOptions, Notice, OpenStoreOptions };
export { isDatabaseUrl, describeDatabaseUrl } from './location.ts';
export { StoreError } from './errors.ts';
export { resolveStorePath, SEED_STORE_FILE } from './paths.ts';
export { allMeasures, findMeasure, findPriority, homeForce, findThreadBinding } from './lookup.ts';
export { historyEntries, entriesForMessage, hasMessage, type HistoryFilter } from './change-log.ts';

// `location` is a file path, or a postgres:// (postgresql://) URL for the PostgreSQL store
// (postgres/), which several replicas can share.
//
// The file store (the zod schema, locking, durable writes) loads on first use: a chart worker
// only looks things up in the slices it is sent, and would otherwise carry 12–15 MB more
// and start 0.1–0.2 s later for code it never runs.

/** Opens the store at `location`; see open-store.ts and postgres/pg-store.ts. Throws StoreError when it is invalid. */
export async function openStore(location: string, options?: OpenStoreOptions): Promise<MeasuresStore> {
  if (isDatabaseUrl(location)) return (await import('./postgres/pg-store.ts')).openPgStore(location, options);
  return (await import('./open-store.ts')).openStore(location, options);
}

/**
 * One read of the store at `location`, for a command that only reads: no lock and no watch,
 * because writes replace the file by rename and a plain read never sees half of one. A missing
 * store is first created from the bundled report, as openStore would.
 */
export async function readStore(location: string, options: { notice?: Notice } = {}): Promise<Store> {
  if (isDatabaseUrl(location)) return (await import('./postgres/one-shot.ts')).readPgStore(location, options);
  // Bytes validated before need neither zod nor a second check (validated-cache.ts).
  const known = readValidatedBefore(storeTarget(location));
  if (known) return known;
  return (await import('./file-store.ts')).readStore(location, options);
}

/**
 * The store at `location` as it is, checked: never created and never changed. Throws a
 * StoreError naming the location (and the first bad field) when it is missing or invalid.
 */
export async function checkStore(location: string): Promise<Store> {
  if (isDatabaseUrl(location)) return (await import('./postgres/one-shot.ts')).checkPgStore(location);
  return (await import('./file-store.ts')).checkStore(location);
}

/**
 * Brings a PostgreSQL database's tables up to date (the file store has none: resolves with
 * []). Resolves with the names of the migrations applied.
 */
export async function migrateStore(location: string): Promise<string[]> {
  if (!isDatabaseUrl(location)) return [];
  return (await import('./postgres/one-shot.ts')).migratePgStore(location);
}

/** Whole-document export and load, for moving between store kinds (transfer.ts). */
export async function storeTransfer() {
  return import('./transfer.ts');
}
