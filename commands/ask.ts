// measures ask <words…> [--json] [--chart FILE]
import { buildAnswer } from '../src/measures/answer.ts';
import { formatAnswerText } from '../src/measures/format-text.ts';
import { parseCommandArgs } from './args.ts';
import { EXIT, type CommandIO } from './io.ts';
import { readStore } from './store-access.ts';
import { checkChartPath, writeChartFile } from './chart-file.ts';

export async function run(argv: string[], io: CommandIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, {
    json: { type: 'boolean' },
    chart: { type: 'string' },
    store: { type: 'string' },
  });
  if (values.chart !== undefined) checkChartPath(values.chart);
  const store = await readStore(io, values.store);
  const answer = buildAnswer(store, positionals.join(' '));
  if (values.chart !== undefined) await writeChartFile(store, answer, values.chart, io);
  io.out(values.json ? JSON.stringify(answer) : formatAnswerText(answer));
  return EXIT.ok;
}
