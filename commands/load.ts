// measures load FILE [--replace] [--store LOCATION]: replaces the store's document with FILE's
// (a `measures export`, or a file store), validated first. A store that already holds data is
// refused (exit 3) unless --replace: a load onto the wrong store would otherwise wipe it.
import fs from 'node:fs';
import { describeDatabaseUrl, isDatabaseUrl, openStore, resolveStorePath, storeTransfer } from '../src/store/index.ts';
import { parseCommandArgs } from './args.ts';
import { EXIT, UsageError, type CommandIO } from './io.ts';

export async function run(argv: string[], io: CommandIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, { replace: { type: 'boolean' }, store: { type: 'string' } });
  if (positionals.length !== 1) throw new UsageError('usage: measures load FILE [--replace]');
  const file = positionals[0]!;
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  const transfer = await storeTransfer();
  const doc = transfer.parseDocument(text, file); // a StoreError (exit 1) names the bad field
  const location = values.store ?? resolveStorePath(io.env);
  const store = await openStore(location, { notice: () => undefined });
  try {
    await transfer.replaceDocument(store, doc, values.replace ?? false);
  } catch (err) {
    if (err instanceof transfer.StoreNotEmpty) {
      io.err(`measures load: ${err.message}`);
      return EXIT.refused;
    }
    throw err;
  } finally {
    await store.close();
  }
  const shown = isDatabaseUrl(location) ? describeDatabaseUrl(location) : location;
  io.err(`measures: loaded ${file} into ${shown} (${doc.changeLog.length} changes)`);
  return EXIT.ok;
}
