// measures validate [--store FILE]: exit 0 when valid, 1 naming the file and the bad field.
import { checkStore, describeDatabaseUrl, isDatabaseUrl, resolveStorePath } from '../src/store/index.ts';
import { parseCommandArgs } from './args.ts';
import { EXIT, UsageError, type CommandIO } from './io.ts';

export async function run(argv: string[], io: CommandIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, { store: { type: 'string' } });
  // "validate other.json" would otherwise check the default store and say it is valid.
  if (positionals.length > 0)
    throw new UsageError(`unexpected "${positionals.join(' ')}"; usage: measures validate [--store FILE]`);
  const file = values.store ?? resolveStorePath(io.env);
  const store = await checkStore(file);
  const shown = isDatabaseUrl(file) ? describeDatabaseUrl(file) : file;
  const measures = store.priorities.reduce((n, p) => n + p.measures.length, 0);
  io.out(
    `${shown}: valid (schema version ${store.schemaVersion}; ${store.priorities.length} priorities, ` +
      `${measures} measures, ${store.glossary.length} glossary terms, ${store.changeLog.length} changes)`,
  );
  return EXIT.ok;
}
