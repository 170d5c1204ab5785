import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseStoreText } from '../../src/store/validate.ts';
import { SEED_STORE_FILE } from '../../src/store/paths.ts';
import type { Store } from '../../src/store/schema.ts';

/** A fresh, validated copy of the bundled report. */
export function seedStore(): Store {
  return parseStoreText(fs.readFileSync(SEED_STORE_FILE, 'utf8'), SEED_STORE_FILE);
}

export function tempDir(prefix = 'measures-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}
