import fs from 'node:fs';
import path from 'node:path';
import type { Answer } from '../src/measures/answer.ts';
import type { Store } from '../src/store/index.ts';
import { UsageError, type CommandIO } from './io.ts';

/** A --chart path whose folder does not exist is a usage error, found before any work. */
export function checkChartPath(file: string): void {
  const dir = path.dirname(path.resolve(file));
  let stat: fs.Stats;
  try {
    stat = fs.statSync(dir);
  } catch {
    throw new UsageError(`--chart ${file}: the folder ${dir} does not exist`);
  }
  if (!stat.isDirectory()) throw new UsageError(`--chart ${file}: ${dir} is not a folder`);
}

/**
 * Writes the chart of a measure or priority answer; says on stderr when there is none or it
 * cannot be written. The answer itself is printed either way.
 */
export async function writeChartFile(store: Store, answer: Answer, file: string, io: CommandIO): Promise<void> {
  if (answer.kind !== 'measure' && answer.kind !== 'priority') {
    io.err(`measures: no chart for a ${answer.kind} answer; ${file} not written`);
    return;
  }
  const charts = await import('../src/charts/index.ts');
  const chart =
    answer.kind === 'measure' ? await charts.renderMeasureChart(store, answer.measure.id) : await charts.renderPriorityChart(store, answer.priority.id);
  if (!chart) {
    io.err(`measures: no chart is available for this ${answer.kind} (no series held); ${file} not written`);
    return;
  }
  try {
    fs.writeFileSync(file, chart.png);
    io.err(`measures: chart written to ${file} (${chart.png.length} bytes)`);
  } catch (err) {
    io.err(`measures: could not write the chart to ${file} (${(err as Error).message})`);
  }
}
