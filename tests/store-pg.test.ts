// What only the PostgreSQL store has to get right: the unique key rows, notifications between
// replicas, migrations racing at start, a COMMIT lost in flight, and a database that goes away.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { applyUpdate } from '../src/measures/update/index.ts';
import { migrateStore, openStore, StoreError, type MeasuresStore, type Store } from '../src/store/index.ts';
import { claimKey } from '../src/digest/keys.ts';
import { startPostgres, type PostgresCluster } from './helpers/postgres.ts';
import { startCuttingProxy } from './helpers/cutting-proxy.ts';

let cluster: PostgresCluster;
beforeAll(async () => {
  cluster = await startPostgres();
}, 60_000);
afterAll(async () => cluster?.stop(), 30_000);

const quiet = { notice: () => undefined };

async function rows<T extends pg.QueryResultRow>(url: string, text: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(text)).rows;
  } finally {
    await client.end();
  }
}

function comments(store: Store): string[] {
  return store.priorities
    .flatMap((p) => p.measures)
    .find((m) => m.id === 'robbery')!
    .comments.map((c) => c.text);
}

const update = (messageId: string, text: string) => ({
  target: { kind: 'measure' as const, id: 'robbery' },
  text: `comment: ${text}`,
  author: 'U0ANALYST',
  source: { kind: 'thread' as const },
  messageId,
});

describe('the PostgreSQL store', () => {
  it('creates its tables and the store once when three replicas start together on an empty database', async () => {
    const url = await cluster.createDatabase();
    const notices: string[] = [];
    const stores = await Promise.all([1, 2, 3].map(() => openStore(url, { notice: (m) => notices.push(m) })));
    try {
      expect(notices).toHaveLength(1);
      expect(notices[0]).toMatch(
        /created the store in postgres:\/\/postgres@127\.0\.0\.1:\d+\/\w+ from the bundled report/,
      );
      expect(await rows(url, 'select version, name from schema_migrations order by version')).toEqual([
        { version: 1, name: '001_store_document.sql' },
        { version: 2, name: '002_event_keys.sql' },
      ]);
      expect(await migrateStore(url)).toEqual([]);
      for (const s of stores) expect(s.snapshot().priorities).toHaveLength(7);
    } finally {
      await Promise.all(stores.map((s) => s.close()));
    }
  });

  it('refuses a second claim of a digest key on the unique rows even when the logic slips', async () => {
    const url = await cluster.createDatabase();
    const a = await openStore(url, quiet);
    const b = await openStore(url, quiet);
    try {
      const now = new Date('2026-11-23T09:00:00Z');
      expect((await a.mutate((d) => claimKey(d, 'C0DIGEST', '2026-W48', now))).state).toBe('claimed');
      expect(await rows(url, 'select kind, key from unique_keys')).toEqual([
        { kind: 'digest', key: '["C0DIGEST","2026-W48"]' },
      ]);
      // A replica whose code pushed its own key without looking first.
      const slipped = b.mutate((d) => {
        d.digest.keys.push({ channel: 'C0DIGEST', week: '2026-W48', status: 'pending', createdAt: now.toISOString() });
      });
      await expect(slipped).rejects.toThrow(/another replica has already claimed that key; nothing was saved/);
      await b.sync();
      expect(b.snapshot().digest.keys).toHaveLength(1);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it("refuses a second claim of a follower's weekly digest key on the unique rows", async () => {
    const url = await cluster.createDatabase();
    const a = await openStore(url, quiet);
    const b = await openStore(url, quiet);
    try {
      const key = {
        user: 'U0FOLLOW',
        week: '2026-W48',
        status: 'pending' as const,
        createdAt: '2026-11-23T09:00:00.000Z',
      };
      await a.mutate((d) => void d.personalDigests.keys.push({ ...key }));
      expect(await rows(url, "select key from unique_keys where kind = 'personal-digest'")).toEqual([
        { key: '["U0FOLLOW","2026-W48"]' },
      ]);
      const slipped = b.mutate((d) => void d.personalDigests.keys.push({ ...key }));
      await expect(slipped).rejects.toThrow(/another replica has already claimed that key; nothing was saved/);
      await b.sync();
      expect(b.snapshot().personalDigests.keys).toHaveLength(1);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('lets one replica claim a Slack event id: every other claim, on any replica, is refused', async () => {
    const url = await cluster.createDatabase();
    const [a, b] = await Promise.all([openStore(url, quiet), openStore(url, quiet)]);
    try {
      const claims = await Promise.all([a, b, a, b].map((s) => s.claimOnce!('Ev0SAME')));
      expect(claims.filter(Boolean)).toHaveLength(1);
      expect(await b.claimOnce!('Ev0OTHER')).toBe(true);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it("refreshes a watching replica's copy from another's commit without being asked (LISTEN/NOTIFY)", async () => {
    const url = await cluster.createDatabase();
    const reloads: number[] = [];
    const watching = await openStore(url, { ...quiet, watch: true, onReload: () => reloads.push(Date.now()) });
    const writer = await openStore(url, quiet);
    try {
      await new Promise((r) => setTimeout(r, 200)); // the listener connects in the background
      await applyUpdate(writer, update('C0N:1', 'pushed to the other replica'));
      await expect
        .poll(() => comments(watching.snapshot()), { timeout: 5000 })
        .toContain('pushed to the other replica');
      expect(reloads.length).toBeGreaterThanOrEqual(1);
    } finally {
      await Promise.all([watching.close(), writer.close()]);
    }
  });

  it('serves a database restored from an older backup, though its version went down', async () => {
    const url = await cluster.createDatabase();
    const store = await openStore(url, quiet);
    const [backup] = await rows<{ doc: Store }>(url, 'select doc from store_document');
    try {
      await applyUpdate(store, update('C0R:1', 'made after the backup'));
      await applyUpdate(store, update('C0R:2', 'also after the backup'));
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      await client.query('update store_document set doc = $1::json, version = 1', [JSON.stringify(backup!.doc)]);
      await client.end();
      await store.sync();
      expect(comments(store.snapshot())).not.toContain('made after the backup');
      await applyUpdate(store, update('C0R:3', 'after the restore'));
      expect(comments(store.snapshot())).toContain('after the restore');
      expect(comments(store.snapshot())).not.toContain('also after the backup');
    } finally {
      await store.close();
    }
  });

  describe('when a COMMIT is lost in flight', () => {
    it('finds an update that was committed under its message id and reports it applied, once', async () => {
      const url = await cluster.createDatabase();
      const proxy = await startCuttingProxy(cluster.port);
      const store = await openStore(url.replace(`:${cluster.port}/`, `:${proxy.port}/`), quiet);
      try {
        proxy.cutNextCommit('after');
        const result = await applyUpdate(store, update('C0L:1', 'committed, reply lost'));
        expect(proxy.cuts).toBe(1);
        expect(result).toMatchObject({ ok: true, status: 'applied' });
        const [row] = await rows<{ doc: Store }>(url, 'select doc from store_document');
        expect(comments(row!.doc).filter((t) => t === 'committed, reply lost')).toHaveLength(1);
      } finally {
        await store.close();
        await proxy.close();
      }
    });

    it('runs an update again under the same message id when the COMMIT never arrived', async () => {
      const url = await cluster.createDatabase();
      const proxy = await startCuttingProxy(cluster.port);
      const store = await openStore(url.replace(`:${cluster.port}/`, `:${proxy.port}/`), quiet);
      try {
        proxy.cutNextCommit('before');
        const result = await applyUpdate(store, update('C0L:2', 'commit never arrived'));
        expect(proxy.cuts).toBe(1);
        expect(result).toMatchObject({ ok: true, status: 'applied' });
        const [row] = await rows<{ doc: Store }>(url, 'select doc from store_document');
        expect(comments(row!.doc).filter((t) => t === 'commit never arrived')).toHaveLength(1);
      } finally {
        await store.close();
        await proxy.close();
      }
    });

    it('apologises in one line for a write with no message id, rather than guessing', async () => {
      const url = await cluster.createDatabase();
      const proxy = await startCuttingProxy(cluster.port);
      const store = await openStore(url.replace(`:${cluster.port}/`, `:${proxy.port}/`), quiet);
      try {
        proxy.cutNextCommit('after');
        const err = await store.mutate((d) => void (d.digest.lastSentAt = '2026-11-23T09:00:00.000Z')).catch((e) => e);
        expect(err).toBeInstanceOf(StoreError);
        expect((err as StoreError).message).toMatch(
          /lost the database connection while saving .*may or may not have been saved/,
        );
        expect((err as StoreError).message).not.toContain('\n');
      } finally {
        await store.close();
        await proxy.close();
      }
    });
  });

  // Last in the file: it stops the cluster (and starts it again).
  it('says it is unhealthy while the database is down, refuses writes in one line, and recovers', async () => {
    const url = await cluster.createDatabase();
    const health: boolean[] = [];
    let store: MeasuresStore | null = null;
    try {
      store = await openStore(url, { ...quiet, watch: true, onHealth: (h: boolean) => health.push(h) });
      await expect.poll(() => health.at(-1), { timeout: 5000 }).toBe(true);
      expect(await store.healthy()).toBe(true);
      await cluster.kill();
      expect(await store.healthy()).toBe(false);
      await expect.poll(() => health.at(-1), { timeout: 5000 }).toBe(false);
      const refused = await store.mutate((d) => void (d.digest.lastSentAt = null)).catch((e) => e);
      expect(refused).toBeInstanceOf(StoreError);
      expect((refused as StoreError).message).toMatch(/nothing was saved/);
      await expect(store.sync()).rejects.toBeInstanceOf(StoreError);
      expect(store.snapshot().priorities).toHaveLength(7); // the last good copy is still there
      await cluster.restart();
      await expect.poll(() => store!.healthy(), { timeout: 10_000 }).toBe(true);
      await expect.poll(() => health.at(-1), { timeout: 10_000 }).toBe(true);
      await applyUpdate(store, update('C0H:1', 'after the restart'));
      expect(comments(store.snapshot())).toContain('after the restart');
    } finally {
      await store?.close();
    }
  }, 40_000);
});
