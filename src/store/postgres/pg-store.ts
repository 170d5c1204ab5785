// The PostgreSQL MeasuresStore, for more than one replica. The unit is still the validated JSON
// document: each write is one transaction that locks the document's row (so writers on every
// replica take turns), runs the mutator on a fresh copy, validates, writes version + 1 and
// notifies the other replicas. Reads are served from memory; sync() brings the copy up to the
// committed version with one indexed read, and LISTEN/NOTIFY usually has done it already.
import fs from 'node:fs';
import pg from 'pg';
import type { Store } from '../schema.ts';
import type { MeasuresStore, MutateOptions } from '../types.ts';
import type { OpenStoreOptions } from '../open-store.ts';
import { StoreError } from '../errors.ts';
import { parseStoreText, validateStore } from '../validate.ts';
import { hasMessage } from '../change-log.ts';
import { SEED_STORE_FILE } from '../paths.ts';
import { describeDatabaseUrl } from '../location.ts';
import { migrate } from './migrate.ts';
import { keyChanges } from './unique-keys.ts';
import { startListener, type Listener } from './listener.ts';

export const NOTIFY_CHANNEL = 'measures_store';
/** How long a write may try to confirm a commit whose reply was lost before it apologises. */
const CONFIRM_WINDOW_MS = 10_000;
/** Event keys claimed between two sweeps of the old ones. */
const PRUNE_EVERY = 500;
/** A health probe slower than this counts as a database that cannot be reached. */
const HEALTH_TIMEOUT_MS = 2000;

export interface PgStoreOptions extends Pick<
  OpenStoreOptions,
  'watch' | 'notice' | 'onReload' | 'onProblem' | 'onHealth'
> {
  /** Connections per process; writes hold one for their transaction. */
  poolSize?: number;
  /** Waits for a connection this long before the operation fails. */
  connectTimeoutMs?: number;
}

/** A failure of the connection (the statement's outcome unknown), as opposed to PostgreSQL refusing it. */
export function isConnectionError(err: unknown): boolean {
  if (err instanceof StoreError || err instanceof MutatorFailure) return false;
  if (err instanceof pg.DatabaseError) return /^(08|57P)/.test(err.code ?? '');
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) return true; // ECONNRESET, ECONNREFUSED, EPIPE…
  return err instanceof Error && /connection|terminated|timeout/i.test(err.message);
}

/** What the caller's mutator threw, carried past the transaction's own error handling unchanged. */
class MutatorFailure extends Error {
  constructor(override readonly cause: unknown) {
    super('the mutator threw');
  }
}

function reason(err: unknown): string {
  return ((err as Error)?.message ?? String(err)).split('\n')[0]!;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function newPool(url: string, options: PgStoreOptions): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 8,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 3000,
    idleTimeoutMillis: 30_000,
  });
  // An idle connection dropped by a database restart: the next checkout makes a new one.
  pool.on('error', () => undefined);
  return pool;
}

/** The bundled report as a document and its unique-key rows, unless the database already has a store. */
async function createIfEmpty(client: pg.ClientBase): Promise<boolean> {
  const seed = parseStoreText(fs.readFileSync(SEED_STORE_FILE, 'utf8'), SEED_STORE_FILE);
  await client.query('begin');
  try {
    const created = await client.query(
      'insert into store_document (id, version, doc) values (1, 1, $1::json) on conflict (id) do nothing',
      [JSON.stringify(seed)],
    );
    if (created.rowCount) await writeKeyRows(client, null, seed);
    await client.query('commit');
    return Boolean(created.rowCount);
  } catch (err) {
    await client.query('rollback').catch(() => undefined);
    throw err;
  }
}

async function writeKeyRows(client: pg.ClientBase, before: Store | null, after: Store): Promise<void> {
  if (!before) await client.query('delete from unique_keys');
  for (const { kind, added, removed } of keyChanges(before, after)) {
    if (removed.length)
      await client.query('delete from unique_keys where kind = $1 and key = any($2)', [kind, removed]);
    if (added.length)
      await client.query('insert into unique_keys (kind, key) select $1, unnest($2::text[])', [kind, added]);
  }
}

async function readDocument(
  client: pg.ClientBase | pg.Pool,
  where: string,
): Promise<{ version: number; store: Store }> {
  const { rows } = await client.query<{ version: string; doc: string }>(
    'select version, doc::text as doc from store_document where id = 1',
  );
  if (!rows[0]) throw new StoreError(`${where}: the database has no store (run \`measures migrate\`)`, where);
  return { version: Number(rows[0].version), store: parseStoreText(rows[0].doc, where) };
}

/** Migrates, creates the store from the bundled report when the database has none, and reads it. */
async function prepare(pool: pg.Pool, where: string, options: PgStoreOptions) {
  const client = await pool.connect();
  try {
    await migrate(client);
    if (await createIfEmpty(client))
      (options.notice ?? ((m) => process.stderr.write(`${m}\n`)))(
        `measures: created the store in ${where} from the bundled report (quarter ending November 2021)`,
      );
    return await readDocument(client, where);
  } finally {
    client.release();
  }
}

/** Any failure reaching or using the database, as the one-line StoreError commands and the bot expect. */
export function databaseError(where: string, err: unknown, doing: string): StoreError {
  if (err instanceof StoreError) return err;
  return new StoreError(`${where}: cannot reach the database while ${doing} (${reason(err)})`, where);
}

export async function openPgStore(url: string, options: PgStoreOptions = {}): Promise<MeasuresStore> {
  const where = describeDatabaseUrl(url);
  const pool = newPool(url, options);
  let loaded: { version: number; store: Store };
  try {
    loaded = await prepare(pool, where, options);
  } catch (err) {
    await pool.end().catch(() => undefined);
    throw databaseError(where, err, 'opening the store');
  }
  let current = loaded.store;
  let version = loaded.version;
  let problem: StoreError | null = null;
  let closed = false;
  const inFlight = new Set<Promise<unknown>>();
  let claims = 0;

  const reportProblem = (err: StoreError) => {
    const fresh = problem?.message !== err.message;
    problem = err;
    if (fresh) options.onProblem?.(err);
  };
  /**
   * Versions only go up, so an older read finishing late never replaces a newer copy. A read
   * made under the row lock, or after the stored version went down (the database was restored
   * from a backup), is the truth whatever the version.
   */
  const adopt = (next: Store, at: number, fromElsewhere: boolean, authoritative = false) => {
    if (at <= version && !authoritative) return;
    current = next;
    version = at;
    problem = null;
    if (fromElsewhere) options.onReload?.(next);
  };

  /** One reload at a time; a caller that needs a newer version than the one in flight waits for the next. */
  let reloading: Promise<void> | null = null;
  const reloadOnce = (): Promise<void> => {
    reloading ??= (async () => {
      try {
        const read = await readDocument(pool, where);
        adopt(read.store, read.version, true);
      } catch (err) {
        if (err instanceof StoreError) {
          reportProblem(new StoreError(`${err.message}; serving the last good copy, writes are refused`, where));
          return;
        }
        throw err;
      } finally {
        reloading = null;
      }
    })();
    return reloading;
  };
  const catchUp = async (target: number) => {
    // A reload already running may have read an older version than `target`: then read again.
    for (let tries = 0; version < target && tries < 3; tries++) {
      await reloadOnce();
      if (problem) return;
    }
  };

  const listener: Listener | null = options.watch
    ? startListener(url, NOTIFY_CHANNEL, {
        onNotify: (payload) => void catchUp(Number(payload)).catch(() => undefined),
        // Notifications sent while it was away are lost: compare versions once it is back.
        onConnect: () => void store.sync().catch(() => undefined),
        onHealth: options.onHealth,
      })
    : null;

  /** Runs one transaction; `lost.commitSent` says whether a failure came after its COMMIT was sent. */
  const transaction = async <T>(fn: (draft: Store) => T, lost: { commitSent: boolean }): Promise<T> => {
    let client: pg.PoolClient;
    try {
      client = await pool.connect();
    } catch (err) {
      throw databaseError(where, err, 'saving; nothing was saved');
    }
    let broken: unknown;
    // A checked-out client with no listener would make a dropped connection an uncaught exception.
    const onError = (err: unknown) => (broken = err);
    client.on('error', onError);
    try {
      await client.query('begin');
      const head = await client.query<{ version: string }>(
        'select version from store_document where id = 1 for update',
      );
      if (!head.rows[0]) throw new StoreError(`${where}: the database has no store; nothing was saved`, where);
      const at = Number(head.rows[0].version);
      let base: Store;
      let draft: Store;
      if (at === version) {
        base = current;
        draft = structuredClone(current);
      } else {
        try {
          base = (await readDocument(client, where)).store;
        } catch (err) {
          if (!(err instanceof StoreError)) throw err;
          const refusal = new StoreError(`${err.message}; nothing was saved until it is fixed`, where, err.jsonPath);
          reportProblem(refusal);
          throw refusal;
        }
        draft = structuredClone(base);
      }
      let result: T;
      try {
        result = fn(draft);
      } catch (err) {
        throw new MutatorFailure(err);
      }
      // Never write a document the next load would reject.
      const next = validateStore(draft, where);
      try {
        await writeKeyRows(client, base, next);
      } catch (err) {
        if (err instanceof pg.DatabaseError && err.code === '23505')
          throw new StoreError(`${where}: another replica has already claimed that key; nothing was saved`, where);
        throw err;
      }
      await client.query('update store_document set version = $1, doc = $2::json, updated_at = now() where id = 1', [
        at + 1,
        JSON.stringify(next),
      ]);
      await client.query('select pg_notify($1, $2)', [NOTIFY_CHANNEL, String(at + 1)]);
      lost.commitSent = true;
      await client.query('commit');
      adopt(next, at + 1, false, true);
      return result;
    } catch (err) {
      if (isConnectionError(err)) broken = err;
      else await client.query('rollback').catch((e: unknown) => (broken = e));
      throw err;
    } finally {
      // A connection that failed mid-transaction is not given back to the pool.
      client.off('error', onError);
      client.release(broken instanceof Error ? broken : undefined);
    }
  };

  /** After a lost COMMIT reply: whether the change carrying `key` is in the stored document. */
  const confirm = async (key: string): Promise<boolean | null> => {
    const until = Date.now() + CONFIRM_WINDOW_MS;
    for (let wait = 100; Date.now() < until; wait = Math.min(wait * 2, 2000)) {
      try {
        const read = await readDocument(pool, where);
        adopt(read.store, read.version, true);
        return hasMessage(read.store, key);
      } catch {
        await sleep(wait);
      }
    }
    return null;
  };

  const write = async <T>(fn: (draft: Store) => T, opts: MutateOptions): Promise<T> => {
    for (let attempt = 1; ; attempt++) {
      const lost = { commitSent: false };
      let result: T;
      try {
        return await transaction((draft) => (result = fn(draft)), lost);
      } catch (err) {
        if (err instanceof MutatorFailure) throw err.cause;
        if (!isConnectionError(err)) throw err;
        if (!lost.commitSent)
          throw new StoreError(`${where}: lost the database connection (${reason(err)}); nothing was saved`, where);
        const applied = opts.dedupeKey && attempt < 3 ? await confirm(opts.dedupeKey) : null;
        if (applied) return result!;
        if (applied === false) continue; // not applied: safe to run again under the same key
        throw new StoreError(
          `${where}: lost the database connection while saving (${reason(err)}); ` +
            'the change may or may not have been saved, so check the history before trying again',
          where,
        );
      }
    }
  };

  const store: MeasuresStore = {
    describe: () => where,
    snapshot: () => current,
    problem: () => problem,
    mutate<T>(fn: (draft: Store) => T, opts: MutateOptions = {}): Promise<T> {
      if (closed) return Promise.reject(new StoreError(`${where}: the store is closed; nothing was saved`, where));
      const run = write(fn, opts);
      inFlight.add(run);
      void run.finally(() => inFlight.delete(run)).catch(() => undefined);
      return run;
    },
    async sync() {
      if (closed) return;
      let at: number;
      try {
        const { rows } = await pool.query<{ version: string }>('select version from store_document where id = 1');
        at = Number(rows[0]?.version ?? 0);
      } catch (err) {
        throw databaseError(where, err, 'checking for changes');
      }
      if (at > version) await catchUp(at);
      else if (at < version) {
        const read = await readDocument(pool, where).catch((err: unknown) => {
          throw databaseError(where, err, 'reloading the store');
        });
        adopt(read.store, read.version, true, true);
      }
    },
    async claimOnce(key: string) {
      const first = await pool.query('insert into event_keys (id) values ($1) on conflict (id) do nothing', [key]);
      // Now and then, forget keys old enough that Slack no longer retries them.
      if (++claims % PRUNE_EVERY === 0)
        void pool.query("delete from event_keys where seen_at < now() - interval '1 day'").catch(() => undefined);
      return first.rowCount === 1;
    },
    async healthy() {
      if (closed) return false;
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), HEALTH_TIMEOUT_MS)));
      const probe = pool.query('select 1').then(
        () => true,
        () => false,
      );
      const ok = await Promise.race([probe, timeout]);
      clearTimeout(timer);
      return ok;
    },
    async close() {
      if (closed) return;
      closed = true;
      await Promise.allSettled([...inFlight]);
      await listener?.close();
      await pool.end().catch(() => undefined);
    },
  };
  return store;
}
