import fs from 'node:fs';
import type { Answer } from '../src/measures/answer.ts';
import type { Store } from '../src/store/schema.ts';
import type { CommandIO } from './io.ts';

/** Writes the chart of a measure or priority answer; says on stderr when there is none. */
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
  fs.writeFileSync(file, chart.png);
  io.err(`measures: chart written to ${file} (${chart.png.length} bytes)`);
}
