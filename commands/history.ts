// `measures history [<measure or priority>] [--since YYYY-MM-DD] [--json]`: the change log, newest first.
import { EXIT, UsageError, type CommandIO } from './io.ts';
import { parseCommandArgs } from './args.ts';
import { historyEntries, openStore, resolveStorePath, type HistoryFilter } from '../src/store/index.ts';
import { describeChange } from '../src/measures/update/describe.ts';
import { parseCalendarDate } from '../src/measures/update/values.ts';
import { targetOrUsageError } from './update.ts';

export async function run(argv: string[], io: CommandIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, {
    since: { type: 'string' },
    json: { type: 'boolean', default: false },
    store: { type: 'string' },
  });
  const since = values.since?.trim();
  if (since !== undefined && !parseCalendarDate(since).ok)
    throw new UsageError(`--since wants a date as YYYY-MM-DD, got "${since}"`);

  const store = await openStore(values.store ?? resolveStorePath(io.env), { notice: (m) => io.err(m) });
  try {
    const snapshot = store.snapshot();
    const filter: HistoryFilter = { ...(since ? { since } : {}) };
    const query = positionals.join(' ').trim();
    let subject: string | null = null;
    if (query) {
      const target = targetOrUsageError(snapshot, query);
      if (target.kind === 'measure') filter.measureId = target.id;
      if (target.kind === 'priority') filter.priorityId = target.id;
      subject = target.id;
    }
    const entries = historyEntries(snapshot, filter);
    if (values.json) {
      io.out(
        JSON.stringify({
          kind: 'history',
          subject,
          since: since ?? null,
          entries: entries.map((e) => ({ ...e, summary: describeChange(snapshot, e, { withSubject: true }) })),
        }),
      );
      return EXIT.ok;
    }
    if (entries.length === 0) {
      io.out(`No changes recorded${subject ? ` for ${subject}` : ''}${since ? ` since ${since}` : ''}.`);
      return EXIT.ok;
    }
    for (const e of entries) {
      const when = `${e.at.slice(0, 16).replace('T', ' ')} UTC`;
      const via = e.source.channel ? `${e.source.kind} ${e.source.channel}` : e.source.kind;
      // An import's id is what `measures import undo` takes.
      const id = e.source.kind === 'import' && !e.undoes ? `  [${e.id}]` : '';
      io.out(`${when}  ${e.author}  (${via})  ${describeChange(snapshot, e, { withSubject: true })}${id}`);
    }
    return EXIT.ok;
  } finally {
    await store.close();
  }
}
