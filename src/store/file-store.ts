// The file-backed store: one JSON file, validated on every load.
import fs from 'node:fs';
import type { Store } from './schema.ts';
import { decodeStoreBytes, parseStoreText } from './validate.ts';
import { StoreError, storeWriteError } from './errors.ts';
import { SEED_STORE_FILE, storeTarget } from './paths.ts';
import { createFileDurably, nodeFiles, type FileLayer } from './durable-write.ts';
import { rememberValidated } from './validated-cache.ts';

export type Notice = (message: string) => void;

const stderrNotice: Notice = (m) => process.stderr.write(`${m}\n`);

export function serializeStore(store: Store): string {
  return `${JSON.stringify(store, null, 1)}\n`;
}

/** The store file's text, strictly UTF-8. Throws StoreError when it cannot be read or decoded. */
export function readStoreFileText(file: string): string {
  const bytes = readStoreBytes(file);
  if (!bytes) throw new StoreError(`${file}: cannot read the store (it does not exist)`, file);
  return decodeStoreBytes(bytes, file);
}

/** null when there is no file. */
function readStoreBytes(file: string): Buffer | null {
  try {
    return fs.readFileSync(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new StoreError(`${file}: cannot read the store (${(err as Error).message})`, file);
  }
}

/** The store file's text; a missing file is first created from the bundled report. */
function readStoreText(file: string, notice: Notice, files: FileLayer): string {
  const bytes = readStoreBytes(file);
  if (bytes) return decodeStoreBytes(bytes, file);
  const seed = parseStoreText(fs.readFileSync(SEED_STORE_FILE, 'utf8'), SEED_STORE_FILE);
  let created: boolean;
  try {
    created = createFileDurably(file, serializeStore(seed), files);
  } catch (err) {
    throw storeWriteError(file, err, 'creating');
  }
  if (created) notice(`measures: created ${file} from the bundled report (quarter ending November 2021)`);
  return readStoreFileText(file);
}

/** The store file's target (links followed), its text, and the store it validates as. */
function loadValidated(file: string, notice: Notice, files: FileLayer): { target: string; text: string; store: Store } {
  const target = storeTarget(file);
  const text = readStoreText(target, notice, files);
  return { target, text, store: parseStoreText(text, target) };
}

/**
 * Loads and validates the store file. A missing file is created from the bundled report.
 * A symbolic link is followed: the file it points to is read, and created if missing.
 */
export function loadStoreFile(file: string, notice: Notice = stderrNotice, files: FileLayer = nodeFiles): Store {
  return loadValidated(file, notice, files).store;
}

/**
 * One read of the store file, creating it from the bundled report when missing (index.ts says
 * more). What it validated is noted, so that the next read of the same bytes can skip zod.
 */
export function readStore(location: string, options: { notice?: Notice } = {}): Store {
  const { target, text, store } = loadValidated(location, options.notice ?? stderrNotice, nodeFiles);
  rememberValidated(target, Buffer.from(text, 'utf8'), serializeStore(store) === text);
  return store;
}

/** The store file as it is, checked: never created, never changed (index.ts says more). */
export function checkStore(location: string): Store {
  return parseStoreText(readStoreFileText(location), location);
}
