// Versioned SQL files applied in order, each in its own transaction, recorded in
// schema_migrations. An advisory lock held for the whole run means replicas starting together
// take turns: the first applies, the others then find nothing left to do.
import fs from 'node:fs';
import path from 'node:path';
import type pg from 'pg';
import { PACKAGE_ROOT } from '../../paths.ts';

/** Read from the sources at run time (the package ships src/), so the build needs no copy step. */
export const MIGRATIONS_DIR = path.join(PACKAGE_ROOT, 'src', 'store', 'postgres', 'migrations');
/** Any constant shared by every replica; "measures" in ASCII. */
const MIGRATION_LOCK = 0x6d656173;

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export function bundledMigrations(dir: string = MIGRATIONS_DIR): Migration[] {
  return fs
    .readdirSync(dir)
    .filter((f) => /^\d{3}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((f) => ({ version: Number(f.slice(0, 3)), name: f, sql: fs.readFileSync(path.join(dir, f), 'utf8') }));
}

/** Applies what the database lacks; resolves with the names applied (none when up to date). */
export async function migrate(client: pg.ClientBase, migrations: Migration[] = bundledMigrations()): Promise<string[]> {
  await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK]);
  try {
    await client.query(
      'create table if not exists schema_migrations (version int primary key, name text not null, ' +
        'applied_at timestamptz not null default now())',
    );
    const { rows } = await client.query<{ version: number }>('select version from schema_migrations');
    const done = new Set(rows.map((r) => Number(r.version)));
    const newest = Math.max(0, ...done);
    const known = Math.max(0, ...migrations.map((m) => m.version));
    if (newest > known) {
      throw new Error(
        `the database is at schema ${newest}, newer than this program understands (${known}); upgrade measures-bot`,
      );
    }
    const applied: string[] = [];
    for (const m of migrations) {
      if (done.has(m.version)) continue;
      await client.query('begin');
      try {
        await client.query(m.sql);
        await client.query('insert into schema_migrations (version, name) values ($1, $2)', [m.version, m.name]);
        await client.query('commit');
      } catch (err) {
        await client.query('rollback').catch(() => undefined);
        throw new Error(`migration ${m.name} failed: ${(err as Error).message}`, { cause: err });
      }
      applied.push(m.name);
    }
    return applied;
  } finally {
    await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
  }
}
