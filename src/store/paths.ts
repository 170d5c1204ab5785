import { fileURLToPath } from 'node:url';
import path from 'node:path';

export const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** The report for the quarter ending November 2021, as data: what a new store starts from. */
export const SEED_STORE_FILE = path.join(PACKAGE_ROOT, 'fixtures', 'report-2021-11.json');

/** MEASURES_STORE, or ./data/store.json relative to where the command runs. */
export function resolveStorePath(env: NodeJS.ProcessEnv = process.env): string {
  const configured = env.MEASURES_STORE?.trim();
  return path.resolve(configured ? configured : path.join('data', 'store.json'));
}
