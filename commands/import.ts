// measures import police-uk <files|folders|.zip…>   measures import ons <workbook.xlsx…>
//
// All or nothing: every input is read and checked before the store is touched, and the
// figures are then merged in one locked write, logged under one messageId. A malformed file
// refuses the whole import (exit 3, like a refused update), naming the file, line and problem.
import { openStore, resolveStorePath } from '../src/store/index.ts';
import { ImportRefusal } from '../src/import/refusal.ts';
import { MissingInputError } from '../src/import/police-uk/inputs.ts';
import { importPoliceUk, importOns, type ImportReport } from '../src/import/run.ts';
import { formatImportReport } from '../src/import/report.ts';
import { parseCommandArgs } from './args.ts';
import { EXIT, UsageError, type CommandIO } from './io.ts';

const USAGE = `usage: measures import police-uk <street files, folders or .zip archives…> [--replace-illustrative]
       measures import ons <workbook.xlsx…>
options: --as <slack user id> (recorded as the author; default "import"), --json, --quiet (no progress)
env: MEASURES_NOW=<ISO 8601 time> sets the import's clock (tests; default the system clock)
exit: 0 imported, 1 store error, 2 usage, 3 refused (a malformed file, or nothing to import): nothing is changed`;

export async function run(argv: string[], io: CommandIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, {
    as: { type: 'string' },
    json: { type: 'boolean' },
    quiet: { type: 'boolean' },
    'replace-illustrative': { type: 'boolean' },
    store: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    io.out(USAGE);
    return EXIT.ok;
  }
  const [source, ...paths] = positionals;
  if (source !== 'police-uk' && source !== 'ons')
    throw new UsageError(`say what to import: police-uk or ons\n${USAGE}`);
  if (paths.length === 0)
    throw new UsageError(`give at least one file${source === 'police-uk' ? ', folder or .zip archive' : ''}\n${USAGE}`);
  if (values.as !== undefined && !values.as.trim()) throw new UsageError('--as needs a user id');
  const now = clockFrom(io.env);

  const store = await openStore(values.store ?? resolveStorePath(io.env), { notice: (m) => io.err(m) });
  try {
    const options = {
      author: values.as?.trim() || 'import',
      now,
      replaceIllustrative: values['replace-illustrative'] ?? false,
      progress: values.quiet ? undefined : progressPrinter(io),
    };
    let report: ImportReport;
    try {
      report =
        source === 'police-uk' ? await importPoliceUk(store, paths, options) : await importOns(store, paths, options);
    } catch (err) {
      if (err instanceof MissingInputError) throw new UsageError(err.message);
      if (err instanceof ImportRefusal) {
        io.err(`measures import: refused, nothing was imported: ${err.message}`);
        return EXIT.refused;
      }
      throw err;
    }
    if (values.json) io.out(JSON.stringify(report));
    else io.out(formatImportReport(report));
    return report.applied ? EXIT.ok : EXIT.refused;
  } finally {
    await store.close();
  }
}

/**
 * MEASURES_NOW pins the import's clock, so a test can say which months are "the future"
 * and what time the import is stamped with; unset, the system clock.
 */
function clockFrom(env: NodeJS.ProcessEnv): Date {
  const given = env.MEASURES_NOW;
  if (given === undefined || given === '') return new Date();
  const at = new Date(given);
  if (!/^\d{4}-\d{2}-\d{2}/.test(given) || Number.isNaN(at.getTime())) {
    throw new UsageError(`MEASURES_NOW "${given}" is not an ISO 8601 time, e.g. 2024-05-01T12:00:00Z`);
  }
  return at;
}

/** Progress on stderr, only once an import has run for a second, then at most every 2 s. */
function progressPrinter(io: CommandIO): (text: string) => void {
  const started = Date.now();
  let last = started;
  return (text) => {
    const now = Date.now();
    if (now - started < 1000 || now - last < 2000) return;
    last = now;
    io.err(`measures import: ${text}`);
  };
}
