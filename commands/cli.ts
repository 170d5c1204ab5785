// `measures <verb> …`: finds the verb's file and maps failures to exit codes.
import { EXIT, UsageError, processIO, type CommandIO } from './io.ts';
import { StoreError } from '../src/store/index.ts';
import { terminalSafe } from './terminal-text.ts';

export type CommandRun = (argv: string[], io: CommandIO) => Promise<number>;

const verbs: Record<string, () => Promise<{ run: CommandRun }>> = {
  ask: () => import('./ask.ts'),
  list: () => import('./list.ts'),
  validate: () => import('./validate.ts'),
  update: () => import('./update.ts'),
  history: () => import('./history.ts'),
  digest: () => import('./digest.ts'),
  import: () => import('./import.ts'),
  report: () => import('./report.ts'),
  migrate: () => import('./migrate.ts'),
  export: () => import('./export.ts'),
  load: () => import('./load.ts'),
};

export const USAGE = `usage: measures <command> [options]

  ask <words…> [--full] [--json] [--chart FILE]
                                         answer a question; --full prints every detail
  list [--json]                          every priority with its measures
  validate [--store FILE]                check the store file
  update <target> "<text>" --as <user>   apply an analyst update (exit 3 when refused)
  history [<measure>] [--since DATE] [--json]
  digest [--since DATE] [--json]         what changed since the last digest
  import series <measure> <file>         a measure's series from a CSV or one-sheet .xlsx
  import undo <change id>                revert a whole import (--dry-run on any import: preview only)
  import police-uk|ons <files…>          refresh figures from police.uk or ONS files
  report [--as-of DATE] [--format pdf|html|md] [--out FILE] [--final] [--json]
                                         the quarterly report (REPORT_MARKING: the marking)
  migrate                                bring a PostgreSQL store's tables up to date
  export [--out FILE]                    the store's whole JSON document
  load FILE [--replace]                  replace an empty store's document (exit 3 if it holds data)

The store is MEASURES_STORE: a file (default ./data/store.json) or a postgres:// URL.`;

export async function runCli(argv: string[], rawIO: CommandIO = processIO): Promise<number> {
  // Stored text is other people's: no control character in it reaches the terminal raw.
  const io = terminalSafe(rawIO);
  const [verb, ...rest] = argv;
  if (!verb) {
    io.err(USAGE);
    return EXIT.usage;
  }
  if (verb === 'help' || verb === '--help' || verb === '-h') {
    io.out(USAGE);
    return EXIT.ok;
  }
  const load = verbs[verb];
  if (!load) {
    io.err(`measures: unknown command "${verb}"\n${USAGE}`);
    return EXIT.usage;
  }
  try {
    const { run } = await load();
    return await run(rest, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`measures ${verb}: ${err.message}`);
      return EXIT.usage;
    }
    if (err instanceof StoreError) {
      io.err(`measures: ${err.message}`);
      return EXIT.storeError;
    }
    throw err;
  }
}
