import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseStoreText } from '../../src/store/validate.ts';
import { SEED_STORE_FILE } from '../../src/store/paths.ts';
import type { ChangeEntry, Store } from '../../src/store/schema.ts';

/** A fresh, validated copy of the bundled report. */
export function seedStore(): Store {
  return parseStoreText(fs.readFileSync(SEED_STORE_FILE, 'utf8'), SEED_STORE_FILE);
}

export function tempDir(prefix = 'measures-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** One change-log entry: U0ANALYST set `measureId`'s trend from the report's to Stable, from the CLI. */
export function trendChangedToStable(measureId: string): ChangeEntry {
  return {
    id: 'c1',
    messageId: 'm1',
    author: 'U0ANALYST',
    at: '2026-11-20T10:00:00Z',
    source: { kind: 'cli' },
    target: { kind: 'measure', id: measureId },
    field: 'trend',
    before: { label: 'Moderate Reduction', asOf: '2021-11-30' },
    after: { label: 'Stable', asOf: '2026-11-20' },
  };
}
