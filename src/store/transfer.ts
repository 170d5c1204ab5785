// Moving a store between kinds (file ⇄ PostgreSQL): the JSON document is the exchange format.
// Export writes exactly what the file store would hold; load replaces a store's whole document
// in one locked, validated write, so a load is all or nothing on either kind.
import fs from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import type { Store } from './schema.ts';
import { parseStoreText } from './validate.ts';
import { serializeStore } from './file-store.ts';
import { SEED_STORE_FILE } from './paths.ts';
import type { MeasuresStore } from './types.ts';

/** Refused: the store holds data and --replace was not given. */
export class StoreNotEmpty extends Error {
  override name = 'StoreNotEmpty';
}

/** The document as text, in the file store's own format. */
export function documentText(store: Store): string {
  return serializeStore(store);
}

/** A document read from `text` (named `source` in errors): migrated and validated, or a StoreError. */
export function parseDocument(text: string, source: string): Store {
  return parseStoreText(text, source);
}

/**
 * Nothing has happened to it yet: the bundled report exactly, as a store is when it was just
 * created (a bot or command that opened it first created it so). Key order does not count.
 */
export function isUntouched(store: Store): boolean {
  const seed = parseStoreText(fs.readFileSync(SEED_STORE_FILE, 'utf8'), SEED_STORE_FILE);
  return isDeepStrictEqual(JSON.parse(JSON.stringify(store)), JSON.parse(JSON.stringify(seed)));
}

/** Replaces the whole document; refuses (StoreNotEmpty) a store with data in it unless `replace`. */
export async function replaceDocument(store: MeasuresStore, doc: Store, replace: boolean): Promise<void> {
  await store.mutate((draft) => {
    if (!replace && !isUntouched(draft)) {
      throw new StoreNotEmpty(
        `${store.describe()} already holds data (${draft.changeLog.length} changes); ` +
          'nothing was loaded (add --replace to overwrite it)',
      );
    }
    for (const key of Object.keys(draft)) delete (draft as Record<string, unknown>)[key];
    Object.assign(draft, structuredClone(doc));
  });
}
