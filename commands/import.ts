// measures import police-uk <files|folders|.zip…>   measures import ons <workbook.xlsx…>
// measures import series <measure> <file.csv|.xlsx>  measures import undo <change id>
//
// --dry-run runs the same merge on a copy of the store and prints what it would change.
// All or nothing: every input is read and checked before the store is touched, and the
// figures are then merged in one locked write, logged under one messageId. A malformed file
// refuses the whole import (exit 3, like a refused update), naming the file, line and problem.
import path from 'node:path';
import { openStore, resolveStorePath } from '../src/store/index.ts';
import { ImportRefusal } from '../src/import/refusal.ts';
import { MissingInputError } from '../src/import/police-uk/inputs.ts';
import { importPoliceUk, importOns, type ImportReport } from '../src/import/run.ts';
import { importSeries, type SeriesReport } from '../src/import/run-series.ts';
import { formatImportReport, formatSeriesReport } from '../src/import/report.ts';
import { describeFiles, trackImport } from '../src/import/tracked.ts';
import { formatPreview, refusedPreview } from '../src/import/preview.ts';
import { ImportUndoRefused, undoImport } from '../src/import/undo.ts';
import type { MeasuresStore } from '../src/store/index.ts';
import { targetOrUsageError } from './update.ts';
import { parseCommandArgs } from './args.ts';
import { EXIT, UsageError, type CommandIO } from './io.ts';

const USAGE = `usage: measures import police-uk <street files, folders or .zip archives…> [--replace-illustrative]
       measures import ons <workbook.xlsx…>
       measures import series <measure> <file.csv or one-sheet .xlsx: period,value[,count][,<peer force slug>…]>
       measures import undo <change id, as measures history shows it>
options: --as <slack user id> (recorded as the author; default "import"), --json, --quiet (no progress),
         --dry-run (run the import on a copy of the store and print what it would change; nothing is saved)
env: MEASURES_NOW=<ISO 8601 time> sets the import's clock (tests; default the system clock)
exit: 0 imported, 1 store error, 2 usage, 3 refused (a malformed file, or nothing to import): nothing is changed`;

export async function run(argv: string[], io: CommandIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, {
    as: { type: 'string' },
    json: { type: 'boolean' },
    quiet: { type: 'boolean' },
    'replace-illustrative': { type: 'boolean' },
    'dry-run': { type: 'boolean' },
    store: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    io.out(USAGE);
    return EXIT.ok;
  }
  const [source, ...paths] = positionals;
  if (source !== 'police-uk' && source !== 'ons' && source !== 'series' && source !== 'undo')
    throw new UsageError(`say what to import: police-uk, ons or series (or undo an import)\n${USAGE}`);
  if (paths.length === 0)
    throw new UsageError(
      {
        'police-uk': 'give at least one file, folder or .zip archive',
        ons: 'give at least one file',
        series: 'give the measure and the file: measures import series robbery robbery.csv',
        undo: 'give the change id of any entry of the import (measures history shows them)',
      }[source] + `\n${USAGE}`,
    );
  if (source === 'series' && paths.length !== 2)
    throw new UsageError(`give one measure and one file (quote a measure name of several words)\n${USAGE}`);
  if (source === 'undo' && paths.length !== 1) throw new UsageError(`give one change id\n${USAGE}`);
  if (values.as !== undefined && !values.as.trim()) throw new UsageError('--as needs a user id');
  const now = clockFrom(io.env);
  const author = values.as?.trim() || 'import';

  const store = await openStore(values.store ?? resolveStorePath(io.env), { notice: (m) => io.err(m) });
  try {
    if (source === 'undo') return await runUndo(store, paths[0]!, { author, now, json: values.json ?? false }, io);
    const options = {
      author,
      now,
      replaceIllustrative: values['replace-illustrative'] ?? false,
      progress: values.quiet ? undefined : progressPrinter(io),
    };
    let measureId: string | null = null;
    if (source === 'series') {
      const target = targetOrUsageError(store.snapshot(), paths[0]!);
      if (target.kind !== 'measure') throw new UsageError(`"${paths[0]}" is a priority: name one of its measures`);
      measureId = target.id;
    }
    const files = source === 'series' ? [paths[1]!] : paths;
    const dryRun = values['dry-run'] ?? false;
    const tracked = trackImport(store, { kind: source, files: await describeFiles(files), dryRun });
    let report: ImportReport | SeriesReport;
    try {
      report =
        source === 'police-uk'
          ? await importPoliceUk(tracked.store, files, options)
          : source === 'ons'
            ? await importOns(tracked.store, files, options)
            : await importSeries(tracked.store, measureId!, files[0]!, options);
    } catch (err) {
      if (err instanceof MissingInputError) throw new UsageError(err.message);
      if (err instanceof ImportRefusal) {
        if (dryRun && values.json)
          io.out(
            JSON.stringify(
              refusedPreview(
                source,
                files.map((f) => path.basename(f)),
                err,
              ),
            ),
          );
        io.err(`measures import: refused, nothing was imported: ${err.message}`);
        return EXIT.refused;
      }
      throw err;
    }
    const applied = report.source === 'police-uk' ? report.applied : true;
    if (dryRun) {
      const preview = tracked.preview();
      if (!applied || !preview) {
        io.err(`measures import: nothing would be imported: ${(report as { reason?: string }).reason ?? 'no figures'}`);
        return EXIT.refused;
      }
      io.out(values.json ? JSON.stringify(preview) : formatPreview(preview));
      return EXIT.ok;
    }
    if (values.json) io.out(JSON.stringify(report));
    else io.out(report.source === 'series' ? formatSeriesReport(report) : formatImportReport(report));
    return applied ? EXIT.ok : EXIT.refused;
  } finally {
    await store.close();
  }
}

async function runUndo(
  store: MeasuresStore,
  changeId: string,
  options: { author: string; now: Date; json: boolean },
  io: CommandIO,
): Promise<number> {
  try {
    const done = await undoImport(store, changeId, {
      author: options.author,
      now: options.now,
      source: { kind: 'cli' },
    });
    io.out(
      options.json
        ? JSON.stringify({ kind: 'import-undo', ...done })
        : `Undone: the import of ${done.files.join(', ')} (${done.undoes}), ${done.changes} changes reverted ` +
            `(${done.measures.join(', ') || 'ONS editions only'}); change log message ${done.messageId}.`,
    );
    return EXIT.ok;
  } catch (err) {
    if (err instanceof ImportUndoRefused) {
      io.err(`measures import undo: refused: ${err.message}`);
      return EXIT.refused;
    }
    throw err;
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
