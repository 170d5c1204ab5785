import fs from 'node:fs';
import path from 'node:path';
import { PACKAGE_ROOT } from '../paths.ts';
import { isDatabaseUrl } from './location.ts';

/** The report for the quarter ending November 2021, as data: what a new store starts from. */
export const SEED_STORE_FILE = path.join(PACKAGE_ROOT, 'fixtures', 'report-2021-11.json');

/** MEASURES_STORE (a database URL as given), or ./data/store.json relative to where the command runs. */
export function resolveStorePath(env: NodeJS.ProcessEnv = process.env): string {
  const configured = env.MEASURES_STORE?.trim();
  if (configured && isDatabaseUrl(configured)) return configured;
  return path.resolve(configured ? configured : path.join('data', 'store.json'));
}

/** Linux's own limit on links followed in one path. */
const MAX_LINKS = 40;

/**
 * The file a store path stands for, with symbolic links followed. Writes replace the file by
 * rename, which would turn a link (onto a persistent volume, say) into a regular file; so
 * writes, the backup and the lock all work on the target, and a process that names the target
 * directly shares the same lock. A link to a store not yet created resolves to where it points.
 */
export function storeTarget(file: string): string {
  let current = path.resolve(file);
  for (let hop = 0; hop <= MAX_LINKS; hop++) {
    try {
      return fs.realpathSync(current);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') return current; // reading it will say what is wrong
    }
    // Nothing there yet, or a link whose target is missing: follow the link by hand.
    let target: string;
    try {
      target = fs.readlinkSync(current);
    } catch {
      return current; // not a link: the store will be created here
    }
    current = path.resolve(path.dirname(current), target);
  }
  return current; // a loop of links: opening it will fail with ELOOP, naming the file
}
