// The store contract (store-contract.ts) against the JSON file store.
import fs from 'node:fs';
import path from 'node:path';
import { serializeStore } from '../src/store/file-store.ts';
import { tempDir } from './helpers/seed.ts';
import { storeContract } from './store-contract.ts';

storeContract('file', {
  fresh: async () => path.join(tempDir('measures-contract-'), 'store.json'),
  corrupt: async (file) => fs.writeFileSync(file, '{"schemaVersion": 2, "report": '),
  repair: async (file, store) => fs.writeFileSync(file, serializeStore(store)),
});
