// The file-backed store: one JSON file, validated on every load.
import fs from 'node:fs';
import path from 'node:path';
import type { Store } from './schema.ts';
import { parseStoreText } from './validate.ts';
import { StoreError } from './errors.ts';
import { SEED_STORE_FILE } from './paths.ts';

export type Notice = (message: string) => void;

/** Writes text so that a reader sees either the old file or the new one, never half of one. */
export function writeFileAtomic(file: string, text: string): void {
  const dir = path.dirname(file);
  fs.mkdirSync(dir, { recursive: true });
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${Date.now()}.tmp`);
  const fd = fs.openSync(tmp, 'w');
  try {
    fs.writeSync(fd, text);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
  const dirFd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(dirFd);
  } finally {
    fs.closeSync(dirFd);
  }
}

export function serializeStore(store: Store): string {
  return `${JSON.stringify(store, null, 1)}\n`;
}

/** Loads and validates the store file. A missing file is created from the bundled report. */
export function loadStoreFile(file: string, notice: Notice = (m) => process.stderr.write(`${m}\n`)): Store {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new StoreError(`${file}: cannot read the store (${(err as Error).message})`, file);
    }
    const seed = parseStoreText(fs.readFileSync(SEED_STORE_FILE, 'utf8'), SEED_STORE_FILE);
    try {
      fs.writeFileSync(file, serializeStore(seed), { flag: 'wx' });
      notice(`measures: created ${file} from the bundled report (quarter ending November 2021)`);
    } catch (createErr) {
      // Another process created it first; theirs is as good as ours.
      if ((createErr as NodeJS.ErrnoException).code !== 'EEXIST') {
        if ((createErr as NodeJS.ErrnoException).code === 'ENOENT') {
          fs.mkdirSync(path.dirname(file), { recursive: true });
          return loadStoreFile(file, notice);
        }
        throw new StoreError(`${file}: cannot create the store (${(createErr as Error).message})`, file);
      }
    }
    text = fs.readFileSync(file, 'utf8');
  }
  return parseStoreText(text, file);
}
