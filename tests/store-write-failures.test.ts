// Disks that misbehave: writes that take fewer bytes than asked, fail with EIO half-way, or
// claim bytes they never wrote. The store must end up complete or untouched, never truncated.
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openStore, StoreError } from '../src/store/index.ts';
import { loadStoreFile, serializeStore } from '../src/store/file-store.ts';
import { nodeFiles, type FileLayer, type WritableFile } from '../src/store/durable-write.ts';
import type { Store } from '../src/store/schema.ts';
import { seedStore, tempDir } from './helpers/seed.ts';
import { measuresInProcess, tempStoreFile } from './helpers/store-temp.ts';

afterEach(() => {
  vi.restoreAllMocks();
});

const robbery = (s: Store) => s.priorities.flatMap((p) => p.measures).find((m) => m.id === 'robbery')!;
const seedText = serializeStore(seedStore());

const eio = () => Object.assign(new Error('EIO: i/o error, write'), { code: 'EIO', errno: -5, syscall: 'write' });

/**
 * A file layer over the real disk whose writes go through `write(real, data, offset, length)`,
 * so a test decides how many bytes each call really writes and what it reports.
 */
function layerWith(write: (real: (length: number) => number, length: number, call: number) => number): FileLayer {
  let calls = 0;
  const wrapHandle = (handle: fsp.FileHandle): WritableFile => ({
    write: async (data, offset, length) => ({
      bytesWritten: write((n) => fs.writeSync(handle.fd, data, offset, n), length, calls++),
    }),
    sync: () => handle.sync(),
    stat: () => handle.stat(),
    close: () => handle.close(),
  });
  return {
    ...nodeFiles,
    writeSync: (fd, data, offset, length) => write((n) => fs.writeSync(fd, data, offset, n), length, calls++),
    open: async (file, flags, mode) => wrapHandle(await fsp.open(file, flags, mode)),
  };
}

/** At most 4 KiB per call, as a write to a pipe, a network disk or a nearly full one may do. */
const dribbling = layerWith((real, length) => real(Math.min(length, 4096)));
/** Writes 4 KiB, then the disk fails. */
const failingPartWay = () =>
  layerWith((real, length, call) => {
    if (call > 0) throw eio();
    return real(Math.min(length, 4096));
  });
/** Reports every byte as written but writes only the first 4 KiB: only checking the size catches it. */
const lying = layerWith((real, length) => {
  real(Math.min(length, 4096));
  return length;
});

function expectOneLineStoreError(err: unknown, pattern: RegExp): void {
  expect(err).toBeInstanceOf(StoreError);
  expect((err as Error).message).not.toContain('\n');
  expect((err as Error).message).toMatch(pattern);
}

async function mutateWith(file: string, files: FileLayer): Promise<unknown> {
  const store = await openStore(file, { notice: () => undefined, files });
  try {
    await store.mutate((d) => void (robbery(d).trend.label = 'Reducing'));
    return null;
  } catch (err) {
    return err;
  } finally {
    await store.close();
  }
}

describe('writing a store through a misbehaving disk', () => {
  it('completes writes that take fewer bytes than asked (update and create)', async () => {
    const file = tempStoreFile();
    expect(await mutateWith(file, dribbling)).toBeNull();
    expect(robbery(JSON.parse(fs.readFileSync(file, 'utf8'))).trend.label).toBe('Reducing');

    const fresh = path.join(tempDir(), 'store.json');
    loadStoreFile(fresh, () => undefined, dribbling);
    expect(fs.readFileSync(fresh, 'utf8')).toBe(seedText);
  });

  it(
    'an update that hits EIO part-way is a one-line StoreError; ' + 'store and backup unchanged, no temp file',
    async () => {
      const file = tempStoreFile();
      expect(await mutateWith(file, nodeFiles)).toBeNull(); // leaves a backup to check too
      const before = fs.readFileSync(file);
      const backup = fs.readFileSync(`${file}.bak`);
      const err = await mutateWith(file, failingPartWay());
      expectOneLineStoreError(
        err,
        new RegExp(`^${file}: input/output error from the disk while saving the store; nothing was changed$`),
      );
      expect(fs.readFileSync(file).equals(before)).toBe(true);
      expect(fs.readFileSync(`${file}.bak`).equals(backup)).toBe(true);
      expect(fs.readdirSync(path.dirname(file)).sort()).toEqual(['store.json', 'store.json.bak']);
    },
  );

  it('never renames in a file the disk claimed to write but did not', async () => {
    const file = tempStoreFile();
    const before = fs.readFileSync(file);
    const err = await mutateWith(file, lying);
    expectOneLineStoreError(err, /the disk wrote only 4096 of \d+ bytes while saving the store; nothing was changed$/);
    expect(fs.readFileSync(file).equals(before)).toBe(true);
    expect(fs.readdirSync(path.dirname(file))).toEqual(['store.json']);
  });

  it('creating a missing store through a failing or lying disk leaves no store and no temp file', () => {
    for (const files of [failingPartWay(), lying]) {
      const dir = tempDir();
      const file = path.join(dir, 'store.json');
      const notices: string[] = [];
      let err: unknown;
      try {
        loadStoreFile(file, (m) => notices.push(m), files);
      } catch (e) {
        err = e;
      }
      expectOneLineStoreError(err, new RegExp(`^${file}: .* while creating the store; nothing was changed$`));
      expect(notices).toEqual([]);
      expect(fs.readdirSync(dir)).toEqual([]);
    }
  });
});

describe('the CLI on a misbehaving disk', () => {
  it('measures update exits 1 with one line when the disk fails with EIO; the store is unchanged', async () => {
    const file = tempStoreFile();
    const before = fs.readFileSync(file);
    vi.spyOn(nodeFiles, 'open').mockImplementation(failingPartWay().open);
    const r = await measuresInProcess(['update', 'robbery', 'trend: moderate reduction', '--as', 'U0ANALYST1'], file);
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err).toBe(
      `measures: ${file}: input/output error from the disk while saving the store; nothing was changed\n`,
    );
    expect(fs.readFileSync(file).equals(before)).toBe(true);
    expect(fs.readdirSync(path.dirname(file))).toEqual(['store.json']);
  });

  it('a store created through short writes (node:fs taking 4 KiB per call) is complete', async () => {
    const realWriteSync = fs.writeSync.bind(fs) as (fd: number, data: Uint8Array) => number;
    // However it is called, write only the first 4 KiB and say so, as write(2) may.
    vi.spyOn(fs, 'writeSync').mockImplementation(((
      fd: number,
      data: string | Uint8Array,
      offset?: unknown,
      length?: unknown,
    ) => {
      const bytes =
        typeof data === 'string' ? Buffer.from(data) : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
      const start = typeof offset === 'number' ? offset : 0;
      const end = typeof length === 'number' ? start + length : bytes.length;
      return realWriteSync(fd, bytes.subarray(start, Math.min(end, start + 4096)));
    }) as typeof fs.writeSync);
    const file = path.join(tempDir(), 'store.json');
    const r = await measuresInProcess(['list'], file);
    expect(r.err).toBe(`measures: created ${file} from the bundled report (quarter ending November 2021)\n`);
    expect(r.code).toBe(0);
    expect(fs.readFileSync(file, 'utf8')).toBe(seedText);
  });
});
