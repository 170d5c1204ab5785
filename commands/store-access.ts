import { loadStoreFile } from '../src/store/file-store.ts';
import { resolveStorePath } from '../src/store/paths.ts';
import type { Store } from '../src/store/schema.ts';
import type { CommandIO } from './io.ts';

/** Read-only access for commands: writes are atomic renames, so a plain read never sees half a file. */
export function readStore(io: CommandIO, file?: string): Store {
  return loadStoreFile(file ?? resolveStorePath(io.env), (m) => io.err(m));
}
