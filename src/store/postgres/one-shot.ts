// The PostgreSQL store for a command that runs once: read, check or migrate, then disconnect.
import pg from 'pg';
import type { Store } from '../schema.ts';
import type { Notice } from '../file-store.ts';
import { StoreError } from '../errors.ts';
import { parseStoreText } from '../validate.ts';
import { describeDatabaseUrl } from '../location.ts';
import { databaseError, openPgStore } from './pg-store.ts';
import { migrate } from './migrate.ts';

/** One read, creating the store (and its tables) first when the database has none, as openStore would. */
export async function readPgStore(url: string, options: { notice?: Notice } = {}): Promise<Store> {
  const store = await openPgStore(url, { notice: options.notice, poolSize: 1 });
  const snapshot = store.snapshot();
  await store.close();
  return snapshot;
}

async function withClient<T>(url: string, doing: string, fn: (client: pg.Client, where: string) => Promise<T>) {
  const where = describeDatabaseUrl(url);
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return await fn(client, where);
  } catch (err) {
    throw databaseError(where, err, doing);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** The stored document as it is, validated: never created and never changed. */
export function checkPgStore(url: string): Promise<Store> {
  return withClient(url, 'checking the store', async (client, where) => {
    const { rows } = await client
      .query<{ doc: string }>('select doc::text as doc from store_document where id = 1')
      .catch((err: unknown) => {
        if (err instanceof pg.DatabaseError && err.code === '42P01')
          throw new StoreError(`${where}: the database has no store tables (run \`measures migrate\`)`, where);
        throw err;
      });
    if (!rows[0])
      throw new StoreError(
        `${where}: the database has no store yet (the bot or any command creates it on first use)`,
        where,
      );
    return parseStoreText(rows[0].doc, where);
  });
}

export function migratePgStore(url: string): Promise<string[]> {
  return withClient(url, 'migrating', async (client) => {
    try {
      return await migrate(client);
    } catch (err) {
      if (err instanceof pg.DatabaseError) throw err;
      throw new StoreError(`${describeDatabaseUrl(url)}: ${(err as Error).message}`, describeDatabaseUrl(url));
    }
  });
}
