// `measures update <measure or priority> "<text>" --as <user> [--json]`: an analyst update
// from the command line, through the same code path as Slack. Exit 0 applied, 3 refused.
import { randomUUID } from 'node:crypto';
import { EXIT, UsageError, type CommandIO } from './io.ts';
import { parseCommandArgs } from './args.ts';
import { openStore, resolveStorePath, type Store } from '../src/store/index.ts';
import type { EntityRef } from '../src/measures/resolve.ts';
import { resolveUpdateTarget, type NamedTarget } from '../src/measures/update-target.ts';
import { applyUpdate, UPDATE_SYNTAX } from '../src/measures/update/index.ts';

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
    const target = targetOrUsageError(store.snapshot(), query);
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

/** The measure or priority an update or a history query names, or a UsageError saying why not. */
export function targetOrUsageError(store: Store, query: string): NamedTarget {
  const resolved = resolveUpdateTarget(store, query);
  if (resolved.ok) return resolved.target;
  const listed = (candidates: EntityRef[]) => candidates.map((c) => `${c.title} (${c.id})`).join('; ');
  switch (resolved.reason) {
    case 'glossary':
      throw new UsageError(`"${query}" is a glossary term, not a measure or priority`);
    case 'ambiguous':
      throw new UsageError(`"${query}" could be: ${listed(resolved.candidates)}`);
    case 'not-found': {
      if (resolved.tooLong)
        throw new UsageError(
          `that name is too long (${resolved.tooLong.chars} characters; at most ${resolved.tooLong.limit} are read): ` +
            'name the measure or priority in a few words, e.g. "robbery"',
        );
      const closest = resolved.candidates.length > 0 ? `; closest: ${listed(resolved.candidates)}` : '';
      throw new UsageError(`no measure or priority matches "${query}"${closest}`);
    }
    case 'unnamed':
      throw new UsageError(`name a measure or priority to update\n${USAGE}`);
  }
}
