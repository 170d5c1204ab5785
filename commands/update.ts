// `measures update <measure or priority> "<text>" --as <user> [--json]`: an analyst update
// from the command line, through the same code path as Slack. Exit 0 applied, 3 refused.
import { randomUUID } from 'node:crypto';
import { EXIT, UsageError, type CommandIO } from './io.ts';
import { parseCommandArgs } from './args.ts';
import { openStore, resolveStorePath, type Store } from '../src/store/index.ts';
import { resolveQuery } from '../src/measures/resolve.ts';
import { applyUpdate, UPDATE_SYNTAX, type UpdateTarget } from '../src/measures/update/index.ts';

const USAGE = `usage: measures update <measure or priority> "<update text>" --as <slack user id> [--json]
update lines:
  ${UPDATE_SYNTAX.join('\n  ')}
A value is in the measure's unit (for crime counts, offences per 1,000 residents).
Under a priority, start each line with the measure's name: "robbery trend: Stable".`;

export async function run(argv: string[], io: CommandIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, {
    as: { type: 'string' },
    json: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
    store: { type: 'string' },
  });
  if (values.help) {
    io.out(USAGE);
    return EXIT.ok;
  }
  if (positionals.length < 2) throw new UsageError(`needs a measure or priority and the update text\n${USAGE}`);
  const author = values.as?.trim();
  if (!author) throw new UsageError(`--as <slack user id> is required: it is recorded as the author\n${USAGE}`);
  // The text is the last argument; unquoted words before it name the target ("street robbery").
  const text = positionals[positionals.length - 1]!;
  const query = positionals.slice(0, -1).join(' ');

  const store = await openStore(values.store ?? resolveStorePath(io.env), { notice: (m) => io.err(m) });
  try {
    const target = resolveUpdateTarget(store.snapshot(), query);
    const result = await applyUpdate(store, {
      target,
      text,
      author,
      source: { kind: 'cli' },
      messageId: `cli:${randomUUID()}`,
    });
    if (values.json) {
      io.out(JSON.stringify({ ...result, target }));
    } else if (result.ok) {
      io.out(['Saved.', ...result.summary.map((line) => `  ${line}`)].join('\n'));
    } else {
      io.err(`Refused. ${result.message}`);
    }
    return result.ok ? EXIT.ok : EXIT.refused;
  } finally {
    await store.close();
  }
}

/** A measure or priority by id or exact title first (scripts), then as officers would name it. */
export function resolveUpdateTarget(store: Store, query: string): UpdateTarget {
  const wanted = query.trim().toLowerCase();
  for (const priority of store.priorities) {
    if (priority.id === wanted || priority.title.toLowerCase() === wanted) return { kind: 'priority', id: priority.id };
    for (const measure of priority.measures) {
      if (measure.id === wanted || measure.title.toLowerCase() === wanted) return { kind: 'measure', id: measure.id };
    }
  }
  const resolved = resolveQuery(store, query);
  switch (resolved.kind) {
    case 'measure':
    case 'priority':
      return { kind: resolved.kind, id: resolved.ref.id };
    case 'glossary':
      throw new UsageError(`"${query}" is a glossary term, not a measure or priority`);
    case 'ambiguous':
      throw new UsageError(`"${query}" could be: ${resolved.candidates.map((c) => `${c.title} (${c.id})`).join('; ')}`);
    case 'not-found': {
      const closest = resolved.candidates.length > 0 ? `; closest: ${resolved.candidates.map((c) => `${c.title} (${c.id})`).join('; ')}` : '';
      throw new UsageError(`no measure or priority matches "${query}"${closest}`);
    }
    default:
      throw new UsageError(`name a measure or priority to update\n${USAGE}`);
  }
}
