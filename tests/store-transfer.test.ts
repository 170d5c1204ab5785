// Moving a force's store between the file store and PostgreSQL with `measures export`,
// `measures load` and `measures migrate`, and proving nothing is lost on the way.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { measuresInProcess, readStoreJson, tempStoreFile } from './helpers/store-temp.ts';
import { tempDir } from './helpers/seed.ts';
import { startPostgres, type PostgresCluster } from './helpers/postgres.ts';

let cluster: PostgresCluster;
beforeAll(async () => {
  cluster = await startPostgres();
}, 60_000);
afterAll(async () => cluster?.stop(), 30_000);

/** The same JSON with every object's keys sorted, so a difference in order alone would not fail a test. */
function normalised(text: string): string {
  const sort = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(sort)
      : v && typeof v === 'object'
        ? Object.fromEntries(
            Object.keys(v)
              .sort()
              .map((k) => [k, sort((v as Record<string, unknown>)[k])]),
          )
        : v;
  return JSON.stringify(sort(JSON.parse(text)), null, 1);
}

async function ok(argv: string[], store: string) {
  const result = await measuresInProcess(argv, store);
  expect(result.err, `measures ${argv.join(' ')}`).not.toMatch(/^measures.*(error|cannot)/m);
  expect(result.code, `measures ${argv.join(' ')}: ${result.err}`).toBe(0);
  return result;
}

/** A file store that has lived a little: analyst updates of several kinds, a thread, a digest key, a follow. */
async function livedInFileStore(): Promise<string> {
  const file = tempStoreFile((s) => {
    s.threads.push({
      channel: 'C0T',
      ts: '1.000100',
      kind: 'measure',
      id: 'robbery',
      createdAt: '2026-11-20T10:00:00.000Z',
    });
    s.digest.keys.push({
      channel: 'C0D',
      week: '2026-W47',
      status: 'sent',
      createdAt: '2026-11-16T09:00:00.000Z',
      ts: '2.1',
    });
    s.digest.lastSentAt = '2026-11-16T09:00:00.000Z';
    s.follows.push({
      user: 'U0F',
      target: { kind: 'priority', id: s.priorities[0]!.id },
      mode: 'follow',
      since: '2026-11-01T00:00:00.000Z',
    });
  });
  await ok(['update', 'robbery', 'trend: Moderate increase', '--as', 'U0A'], file);
  await ok(['update', 'robbery', 'value 2022-01: 0.08', '--as', 'U0A'], file);
  await ok(['update', 'burglary', 'comment: Ünïcödé — “quotes” & <tags> ⚠', '--as', 'U0B'], file);
  await ok(['update', 'robbery', 'peer kent 2022-01: 0.05', '--as', 'U0B'], file);
  return file;
}

describe('moving a store between a file and PostgreSQL', () => {
  it('file → PostgreSQL → file loses nothing: the same document, the same history', async () => {
    const file = await livedInFileStore();
    const url = await cluster.createDatabase();
    const fromFile = (await ok(['export'], file)).out;
    expect(fromFile).toBe(fs.readFileSync(file, 'utf8'));

    const dumped = path.join(tempDir(), 'dump.json');
    await ok(['export', '--out', dumped], file);
    expect(fs.readFileSync(dumped, 'utf8')).toBe(fs.readFileSync(file, 'utf8'));
    await ok(['load', dumped], url);
    await ok(['validate'], url);

    const fromPg = path.join(tempDir(), 'from-pg.json');
    await ok(['export', '--out', fromPg], url);
    // Byte for byte: the document keeps its key order in PostgreSQL.
    expect(fs.readFileSync(fromPg, 'utf8')).toBe(fs.readFileSync(file, 'utf8'));
    expect((await ok(['history', '--json'], url)).out).toBe((await ok(['history', '--json'], file)).out);

    const back = path.join(tempDir(), 'store.json');
    await ok(['load', fromPg], back);
    expect(normalised(fs.readFileSync(back, 'utf8'))).toBe(normalised(fs.readFileSync(file, 'utf8')));
    expect(readStoreJson(back).changeLog).toHaveLength(readStoreJson(file).changeLog.length);
  });

  it('refuses to load over a store that holds data (exit 3, nothing changed) unless --replace', async () => {
    const url = await cluster.createDatabase();
    const lived = await livedInFileStore();
    const dump = path.join(tempDir(), 'dump.json');
    await ok(['export', '--out', dump], lived);
    // A store the bot created and nobody has used yet counts as empty.
    await ok(['ask', 'robbery'], url);
    await ok(['load', dump], url);

    const other = tempStoreFile();
    await ok(['update', 'robbery', 'comment: something else', '--as', 'U0C'], other);
    const refused = await measuresInProcess(['load', other], url);
    expect(refused.code).toBe(3);
    expect(refused.err).toMatch(
      /already holds data \(\d+ changes\); nothing was loaded \(add --replace to overwrite it\)/,
    );
    expect(refused.err).not.toContain('\n  at ');
    const still = await ok(['export'], url);
    expect(normalised(still.out)).toBe(normalised(fs.readFileSync(dump, 'utf8')));

    await ok(['load', other, '--replace'], url);
    expect(normalised((await ok(['export'], url)).out)).toBe(normalised(fs.readFileSync(other, 'utf8')));
    // The same rule on a file store.
    const target = await livedInFileStore();
    expect((await measuresInProcess(['load', other], target)).code).toBe(3);
  });

  it('refuses an invalid document in one line naming the field, and loads nothing', async () => {
    const url = await cluster.createDatabase();
    const bad = path.join(tempDir(), 'bad.json');
    const doc = readStoreJson(tempStoreFile());
    (doc.priorities[0]!.measures[0]!.trend as { asOf: string }).asOf = 'yesterday';
    fs.writeFileSync(bad, JSON.stringify(doc));
    const result = await measuresInProcess(['load', bad], url);
    expect(result.code).toBe(1);
    expect(result.err.trim().split('\n')).toHaveLength(1);
    expect(result.err).toMatch(/bad\.json: invalid store at priorities\[0\]\.measures\[0\]\.trend\.asOf/);
  });

  it('`measures migrate` applies the SQL migrations once, and says a file store needs none', async () => {
    const url = await cluster.createDatabase();
    const first = await ok(['migrate'], url);
    expect(first.out).toMatch(/applied 001_store_document\.sql/);
    expect((await ok(['migrate'], url)).out).toMatch(/up to date/);
    expect((await ok(['migrate'], tempStoreFile())).out).toMatch(/a file store; nothing to migrate/);
    // A password in the URL is never printed.
    const withPassword = url.replace('postgres@', 'postgres:s3cret-pw@');
    await ok(['ask', 'robbery'], withPassword);
    const valid = await ok(['validate'], withPassword);
    expect(valid.out).toMatch(/: valid \(schema version 2;/);
    expect(valid.out + valid.err).not.toContain('s3cret-pw');
  });
});
