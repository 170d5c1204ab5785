// A throwaway PostgreSQL cluster for one test file: initdb in a temp folder, started on a free
// loopback port with its socket in that folder, stopped (fast) afterwards. PostgreSQL refuses to
// run as root, so as root the cluster belongs to the `postgres` user. Missing binaries fail the
// file loudly: CI installs them (.ci/run), and a skipped store suite would hide a broken store.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { freePort } from './free-port.ts';

const run = promisify(execFile);

export interface PostgresCluster {
  /** postgres://postgres@127.0.0.1:PORT/postgres */
  url: string;
  port: number;
  /** A new empty database on the cluster; resolves with its URL. */
  createDatabase(name?: string): Promise<string>;
  /** Stops the server (as a crash would: no checkpoint) without removing its files. */
  kill(): Promise<void>;
  /** Starts it again after kill(), on the same port and data. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/** The newest installed PostgreSQL's bin folder (Debian's layout), or an error saying how to get one. */
export function postgresBin(): string {
  const root = '/usr/lib/postgresql';
  const versions = fs.existsSync(root)
    ? fs
        .readdirSync(root)
        .filter((v) => fs.existsSync(path.join(root, v, 'bin', 'initdb')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (!versions.length)
    throw new Error(
      'PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb): apt-get install postgresql (.ci/run does)',
    );
  return path.join(root, versions[0]!, 'bin');
}

const asRoot = process.getuid?.() === 0;

/** Runs a PostgreSQL program as the user that may run it, within `timeoutMs`. */
async function pgRun(bin: string, program: string, args: string[], timeoutMs = 30_000): Promise<void> {
  const file = path.join(bin, program);
  const [cmd, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', file, ...args]] : [file, args];
  await run(cmd, argv, { timeout: timeoutMs, cwd: os.tmpdir() });
}

let databases = 0;

export async function startPostgres(): Promise<PostgresCluster> {
  const bin = postgresBin();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'measures-pg-'));
  if (asRoot) {
    const { stdout } = await run('id', ['-u', 'postgres']);
    const { stdout: gid } = await run('id', ['-g', 'postgres']);
    fs.chownSync(dir, Number(stdout.trim()), Number(gid.trim()));
  }
  const data = path.join(dir, 'data');
  await pgRun(bin, 'initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync', '-A', 'trust']);
  const port = await freePort();
  const options = [
    `-p ${port}`,
    `-k ${dir}`,
    '-c listen_addresses=127.0.0.1',
    '-c fsync=off',
    '-c full_page_writes=off',
    '-c max_connections=200',
  ].join(' ');
  const start = () =>
    pgRun(bin, 'pg_ctl', ['-D', data, '-o', options, '-l', path.join(dir, 'log'), '-w', '-t', '30', 'start']);
  await start();
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  const admin = async <T>(fn: (c: pg.Client) => Promise<T>) => {
    const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
    await c.connect();
    try {
      return await fn(c);
    } finally {
      await c.end();
    }
  };
  return {
    url,
    port,
    async createDatabase(name = `t${process.pid}_${++databases}`) {
      await admin((c) => c.query(`create database ${name}`));
      return `postgres://postgres@127.0.0.1:${port}/${name}`;
    },
    kill: () => pgRun(bin, 'pg_ctl', ['-D', data, '-m', 'immediate', '-w', '-t', '30', 'stop']),
    restart: start,
    async stop() {
      await pgRun(bin, 'pg_ctl', ['-D', data, '-m', 'immediate', '-w', '-t', '30', 'stop']).catch(() => undefined);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
