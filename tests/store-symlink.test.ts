// A store path that is a symbolic link (onto a persistent volume, say): every write, the backup
// and the lock follow the link, so the link stays a link and processes using either path share one lock.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '../src/store/index.ts';
import type { Store } from '../src/store/schema.ts';
import { tempDir } from './helpers/seed.ts';
import { measuresInProcess, readStoreJson, tempStoreFile } from './helpers/store-temp.ts';

const robbery = (s: Store) => s.priorities.flatMap((p) => p.measures).find((m) => m.id === 'robbery')!;

/** app/store.json → ../volume/store.json, a relative link as an operator would make it. */
function linkedStore(target: string): { link: string; appDir: string } {
  const appDir = path.join(path.dirname(path.dirname(target)), 'app');
  fs.mkdirSync(appDir, { recursive: true });
  const link = path.join(appDir, 'store.json');
  fs.symlinkSync(path.relative(appDir, target), link);
  return { link, appDir };
}

function volumeStore(): string {
  const volume = path.join(tempDir(), 'volume');
  fs.mkdirSync(volume);
  const file = path.join(volume, 'store.json');
  fs.renameSync(tempStoreFile(), file);
  return file;
}

describe('a store reached through a symbolic link', () => {
  it('an update writes the target; the link stays a link; the backup is beside the target', async () => {
    const target = volumeStore();
    const { link, appDir } = linkedStore(target);
    const linkText = fs.readlinkSync(link);
    const r = await measuresInProcess(['update', 'robbery', 'trend: moderate reduction', '--as', 'U0ANALYST1'], link);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(fs.lstatSync(link).isSymbolicLink()).toBe(true);
    expect(fs.readlinkSync(link)).toBe(linkText);
    expect(robbery(readStoreJson(target)).trend.label).toBe('Moderate reduction');
    expect(fs.readdirSync(appDir)).toEqual(['store.json']);
    expect(fs.readdirSync(path.dirname(target)).sort()).toEqual(['store.json', 'store.json.bak']);
  });

  it('takes its lock beside the target, so a writer using the real path holds it off', async () => {
    const target = volumeStore();
    const { link, appDir } = linkedStore(target);
    fs.mkdirSync(`${target}.lock`); // another process, using the real path, is writing
    const before = fs.readFileSync(target);
    const store = await openStore(link, { notice: () => undefined, lockWaitMs: 300 });
    try {
      await expect(store.mutate((d) => void (robbery(d).trend.label = 'Reducing'))).rejects.toThrow(
        /held the store lock.*nothing was saved/,
      );
    } finally {
      await store.close();
    }
    expect(fs.readFileSync(target).equals(before)).toBe(true);
    expect(fs.readdirSync(appDir)).toEqual(['store.json']);
  });

  it('a link to a store that does not exist yet creates the target, and the link stays a link', async () => {
    const volume = path.join(tempDir(), 'volume');
    fs.mkdirSync(volume);
    const target = path.join(volume, 'store.json');
    const { link } = linkedStore(target);
    const r = await measuresInProcess(['update', 'robbery', 'comment: first words', '--as', 'U1'], link);
    expect(r.code).toBe(0);
    expect(r.err).toContain(`created ${target}`);
    expect(fs.lstatSync(link).isSymbolicLink()).toBe(true);
    expect(robbery(readStoreJson(target)).comments.at(-1)!.text).toBe('first words');
  });
});
