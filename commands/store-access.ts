import { readStore as readStoreAt, resolveStorePath, type Store } from '../src/store/index.ts';
import type { CommandIO } from './io.ts';

/** Read-only access for commands: the store named by --store, else MEASURES_STORE; notices go to stderr. */
export function readStore(io: CommandIO, file?: string): Promise<Store> {
  return readStoreAt(file ?? resolveStorePath(io.env), { notice: (m) => io.err(m) });
}
