// measures list [--json]
import { listView } from '../src/measures/answer.ts';
import { formatAnswerText } from '../src/measures/format-text.ts';
import { parseCommandArgs } from './args.ts';
import { EXIT, UsageError, type CommandIO } from './io.ts';
import { readStore } from './store-access.ts';

export async function run(argv: string[], io: CommandIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, { json: { type: 'boolean' }, store: { type: 'string' } });
  if (positionals.length > 0)
    throw new UsageError(`unexpected "${positionals.join(' ')}"; usage: measures list [--json]`);
  const answer = { kind: 'list' as const, query: 'list', ...listView(await readStore(io, values.store)) };
  io.out(values.json ? JSON.stringify(answer) : formatAnswerText(answer));
  return EXIT.ok;
}
