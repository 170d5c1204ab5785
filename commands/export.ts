// measures export [--out FILE] [--store LOCATION]: the store's whole JSON document, as the file
// store holds it, on stdout or into FILE. Works on either kind of store.
import fs from 'node:fs';
import { readStore, resolveStorePath, storeTransfer } from '../src/store/index.ts';
import { parseCommandArgs } from './args.ts';
import { EXIT, UsageError, type CommandIO } from './io.ts';

export async function run(argv: string[], io: CommandIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, { out: { type: 'string' }, store: { type: 'string' } });
  if (positionals.length > 0)
    throw new UsageError(`unexpected "${positionals.join(' ')}"; usage: measures export [--out FILE]`);
  const store = await readStore(values.store ?? resolveStorePath(io.env), { notice: (m) => io.err(m) });
  const text = (await storeTransfer()).documentText(store);
  if (!values.out) {
    io.out(text);
    return EXIT.ok;
  }
  try {
    fs.writeFileSync(values.out, text);
  } catch (err) {
    throw new UsageError(
      `cannot write ${values.out} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`,
    );
  }
  io.err(`measures: wrote the store (${text.length} bytes) to ${values.out}`);
  return EXIT.ok;
}
