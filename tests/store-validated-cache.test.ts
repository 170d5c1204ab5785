// Read-only commands skip zod for bytes already validated (src/store/validated-cache.ts). What
// must hold: the answer is the same, and any bytes not validated before, or a cache that cannot
// be trusted, still get the full check, so a broken store is never served.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { checkStore, readStore, SEED_STORE_FILE, StoreError } from '../src/store/index.ts';
import { PACKAGE_ROOT } from '../src/paths.ts';
import { tempStoreFile } from './helpers/store-temp.ts';
import { tempDir } from './helpers/seed.ts';

const quiet = { notice: () => undefined };
const sha256 = (data: string | Buffer) => crypto.createHash('sha256').update(data).digest('hex');
const SCHEMA_SOURCES = ['src/store/schema.ts', 'src/store/validate.ts'];
/** What a stamp for `bytes` says, as the cache writes it. */
const stampOf = (bytes: Buffer) => {
  const schema = sha256(SCHEMA_SOURCES.map((f) => fs.readFileSync(path.join(PACKAGE_ROOT, f), 'utf8')).join('\0'));
  return `${schema} ${sha256(bytes)}\n`;
};
const cacheDir = () => path.join(process.env.TMPDIR!, `measures-bot-validated-${process.getuid!()}`);
const stampPath = (file: string) => path.join(cacheDir(), sha256(file).slice(0, 32));

/** The store with its first measure's trend label emptied: valid JSON, refused by the schema. */
function breakStore(file: string): void {
  const text = fs.readFileSync(file, 'utf8');
  const label = /"label": "([^"]+)"/.exec(text)![1]!;
  fs.writeFileSync(file, text.replace(`"label": "${label}"`, '"label": ""'));
}

beforeEach(() => {
  // A cache of this test's own, not the machine's.
  process.env.TMPDIR = tempDir('measures-cache-');
});

describe('reading a store whose bytes were validated before', () => {
  it('gives the same store as a full validation, the second time too', async () => {
    const file = tempStoreFile();
    const first = await readStore(file, quiet);
    expect(fs.existsSync(stampPath(file))).toBe(true);
    const second = await readStore(file, quiet);
    expect(second).toEqual(first);
    expect(second).toEqual(await checkStore(file));
  });

  it('notes the bundled report as copied: it is stored exactly as the store writes it', async () => {
    const file = path.join(tempDir('measures-seed-copy-'), 'store.json');
    fs.copyFileSync(SEED_STORE_FILE, file);
    await readStore(file, quiet);
    // Fails when a new defaulted store field is missing from fixtures/report-2021-11.json: write
    // the fixture back as serializeStore(parseStoreText(fixture)) so that copies of it stay fast.
    expect(fs.existsSync(stampPath(file)), 'the bundled report is not in the form the store writes').toBe(true);
  });

  it('validates in full once the file changed, and refuses it when the change broke it', async () => {
    const file = tempStoreFile();
    await readStore(file, quiet);
    breakStore(file);
    await expect(readStore(file, quiet)).rejects.toThrow(StoreError);
    await expect(readStore(file, quiet)).rejects.toThrow(/label/);
  });

  it('trusts a stamp only in a private cache folder of its own', async () => {
    const file = tempStoreFile();
    breakStore(file);
    const bytes = fs.readFileSync(file);
    // A correct stamp for the broken bytes, planted where others could have written it.
    fs.mkdirSync(cacheDir(), { recursive: true, mode: 0o777 });
    fs.chmodSync(cacheDir(), 0o777);
    fs.writeFileSync(stampPath(file), stampOf(bytes));
    await expect(readStore(file, quiet)).rejects.toThrow(StoreError);
    // The same stamp in a private folder is trusted: the check above failed for the folder alone.
    fs.chmodSync(cacheDir(), 0o700);
    await expect(readStore(file, quiet)).resolves.toBeTruthy();
  });

  it('does not trust a stamp made under another schema', async () => {
    const file = tempStoreFile();
    breakStore(file);
    fs.mkdirSync(cacheDir(), { recursive: true, mode: 0o700 });
    fs.writeFileSync(stampPath(file), `${'0'.repeat(64)} ${sha256(fs.readFileSync(file))}\n`);
    await expect(readStore(file, quiet)).rejects.toThrow(StoreError);
  });
});
