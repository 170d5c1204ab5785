// measures migrate [--store LOCATION]: brings a PostgreSQL store's tables up to date (the bot
// also does this at start, behind a lock). A file store has no tables: nothing to do.
import { describeDatabaseUrl, isDatabaseUrl, migrateStore, resolveStorePath } from '../src/store/index.ts';
import { parseCommandArgs } from './args.ts';
import { EXIT, UsageError, type CommandIO } from './io.ts';

export async function run(argv: string[], io: CommandIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, { store: { type: 'string' } });
  if (positionals.length > 0) throw new UsageError(`unexpected "${positionals.join(' ')}"; usage: measures migrate`);
  const location = values.store ?? resolveStorePath(io.env);
  if (!isDatabaseUrl(location)) {
    io.out(`${location}: a file store; nothing to migrate`);
    return EXIT.ok;
  }
  const applied = await migrateStore(location);
  const where = describeDatabaseUrl(location);
  io.out(applied.length ? `${where}: applied ${applied.join(', ')}` : `${where}: up to date`);
  return EXIT.ok;
}
