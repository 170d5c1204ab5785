// measures ask <words…> [--full] [--json] [--chart FILE]
import { buildAnswer } from '../src/measures/answer.ts';
import { formatAnswerText, formatGlanceText } from '../src/measures/format-text.ts';
import { headline } from '../src/measures/glance.ts';
import { parseCommandArgs } from './args.ts';
import { EXIT, type CommandIO } from './io.ts';
import { readStore } from './store-access.ts';
import { checkChartPath, writeChartFile } from './chart-file.ts';

export async function run(argv: string[], io: CommandIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, {
    json: { type: 'boolean' },
    full: { type: 'boolean' },
    chart: { type: 'string' },
    store: { type: 'string' },
  });
  if (values.chart !== undefined) checkChartPath(values.chart);
  const store = await readStore(io, values.store);
  const answer = buildAnswer(store, positionals.join(' '));
  if (values.chart !== undefined) await writeChartFile(store, answer, values.chart, io);
  if (values.json) {
    // The headline is added beside the answer's own fields, which stay as they were.
    io.out(JSON.stringify(answer.kind === 'measure' ? { ...answer, headline: headline(answer.measure) } : answer));
  } else io.out(values.full ? formatAnswerText(answer) : formatGlanceText(answer));
  return EXIT.ok;
}
