// The file-backed store: one JSON file, validated on every load.
import fs from 'node:fs';
import type { Store } from './schema.ts';
import { parseStoreText } from './validate.ts';
import { StoreError } from './errors.ts';
import { SEED_STORE_FILE } from './paths.ts';
import { createFileDurably } from './durable-write.ts';

export type Notice = (message: string) => void;

const stderrNotice: Notice = (m) => process.stderr.write(`${m}\n`);

export function serializeStore(store: Store): string {
  return `${JSON.stringify(store, null, 1)}\n`;
}

/** The store file's text; a missing file is first created from the bundled report. */
function readStoreText(file: string, notice: Notice = stderrNotice): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new StoreError(`${file}: cannot read the store (${(err as Error).message})`, file);
    }
  }
  const seed = parseStoreText(fs.readFileSync(SEED_STORE_FILE, 'utf8'), SEED_STORE_FILE);
  try {
    if (createFileDurably(file, serializeStore(seed))) {
      notice(`measures: created ${file} from the bundled report (quarter ending November 2021)`);
    }
  } catch (err) {
    throw new StoreError(`${file}: cannot create the store (${(err as Error).message})`, file);
  }
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new StoreError(`${file}: cannot read the store (${(err as Error).message})`, file);
  }
}

/** Loads and validates the store file. A missing file is created from the bundled report. */
export function loadStoreFile(file: string, notice: Notice = stderrNotice): Store {
  return parseStoreText(readStoreText(file, notice), file);
}
