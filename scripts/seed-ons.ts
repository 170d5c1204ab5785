// Adds the ONS force-area editions in ../shared/data/ons/workbooks to the bundled report, so
// answers offer England and Wales as a comparator from the first run. Only the `ons` key of the
// fixture changes: the import runs on a scratch copy and its change log is thrown away, because
// the bundled report has no history.
//
//   node --import tsx scripts/seed-ons.ts [--data DIR]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { openStore, SEED_STORE_FILE } from '../src/store/index.ts';
import { importOns } from '../src/import/run.ts';
import { PACKAGE_ROOT } from '../src/paths.ts';

const { values } = parseArgs({ options: { data: { type: 'string' } } });
const dir = path.resolve(values.data ?? path.join(PACKAGE_ROOT, '..', 'shared', 'data', 'ons', 'workbooks'));
const workbooks = fs
  .readdirSync(dir)
  .filter((f) => f.endsWith('.xlsx'))
  .sort()
  .map((f) => path.join(dir, f));

const scratch = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'seed-ons-')), 'store.json');
fs.copyFileSync(SEED_STORE_FILE, scratch);
const store = await openStore(scratch);
await importOns(store, workbooks, { author: 'seed' });
await store.close();

const imported = JSON.parse(fs.readFileSync(scratch, 'utf8'));
const fixture = JSON.parse(fs.readFileSync(SEED_STORE_FILE, 'utf8'));
fixture.ons = imported.ons;
fs.writeFileSync(SEED_STORE_FILE, `${JSON.stringify(fixture, null, 1)}\n`);
console.log(`ons: ${fixture.ons.length} editions from ${workbooks.map((w) => path.basename(w)).join(', ')}`);
