// The store contract (store-contract.ts) against PostgreSQL, on a throwaway cluster.
import { afterAll, beforeAll } from 'vitest';
import pg from 'pg';
import { startPostgres, type PostgresCluster } from './helpers/postgres.ts';
import { storeContract } from './store-contract.ts';

let cluster: PostgresCluster;
beforeAll(async () => {
  cluster = await startPostgres();
}, 60_000);
afterAll(async () => cluster?.stop(), 30_000);

async function sql(url: string, text: string, values: unknown[] = []) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(text, values);
  } finally {
    await client.end();
  }
}

storeContract('PostgreSQL', {
  fresh: () => cluster.createDatabase(),
  corrupt: (url) =>
    sql(
      url,
      `update store_document set doc = jsonb_set(doc::jsonb, '{report,title}', '5')::json, version = version + 1`,
    ),
  repair: (url, store) =>
    sql(url, 'update store_document set doc = $1::json, version = version + 1', [JSON.stringify(store)]),
});
