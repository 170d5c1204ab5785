// The store's one way in: import the store from here, never from the files behind it (only
// the tests of those files reach past it). MeasuresStore is the contract: openStore keeps the
// data in one JSON file, and a server-backed store would implement the same interface. The
// schema's types, the lookups and the change-log readers are pure functions over a snapshot,
// wherever it came from.
export type * from './schema.ts';
export type { MeasuresStore } from './types.ts';
export { StoreError } from './errors.ts';
export { openStore, type OpenStoreOptions } from './open-store.ts';
export { readStore, checkStore } from './file-store.ts';
export { resolveStorePath, SEED_STORE_FILE } from './paths.ts';
export { allMeasures, findMeasure, findPriority, homeForce, findThreadBinding } from './lookup.ts';
export { historyEntries, entriesForMessage, hasMessage, type HistoryFilter } from './change-log.ts';
