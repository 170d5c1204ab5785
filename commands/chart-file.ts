import fs from 'node:fs';
import path from 'node:path';
import type { Answer } from '../src/measures/answer.ts';
import type { Store } from '../src/store/index.ts';
import { UsageError, type CommandIO } from './io.ts';

/** "EACCES: permission denied, open '/x.png'" → "permission denied". */
function reasonOf(err: unknown): string {
  return (err as Error).message.replace(/^E[A-Z]+: /, '').replace(/, \w+(?: '.*')?$/s, '');
}

/**
 * A --chart path that cannot be a file we may write (its folder missing, itself a folder, no
 * permission) is a usage error, found before any work.
 */
export function checkChartPath(file: string): void {
  const target = path.resolve(file);
  const dir = path.dirname(target);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(dir);
  } catch {
    throw new UsageError(`--chart ${file}: the folder ${dir} does not exist`);
  }
  if (!stat.isDirectory()) throw new UsageError(`--chart ${file}: ${dir} is not a folder`);
  const existing = fs.statSync(target, { throwIfNoEntry: false });
  if (existing?.isDirectory())
    throw new UsageError(`--chart ${file}: that is a folder; give a file name such as ${path.join(file, 'chart.png')}`);
  try {
    fs.accessSync(existing ? target : dir, fs.constants.W_OK);
  } catch (err) {
    throw new UsageError(`--chart ${file}: cannot write it (${reasonOf(err)})`);
  }
}

/**
 * Writes the chart of a measure or priority answer; says on stderr when there is none (the
 * answer is printed all the same). Throws a UsageError when the file cannot be written.
 */
export async function writeChartFile(store: Store, answer: Answer, file: string, io: CommandIO): Promise<void> {
  if (answer.kind !== 'measure' && answer.kind !== 'priority') {
    io.err(`measures: no chart for a ${answer.kind} answer; ${file} not written`);
    return;
  }
  const charts = await import('../src/charts/render.ts');
  const chart =
    answer.kind === 'measure'
      ? await charts.renderMeasureChart(store, answer.measure.id)
      : await charts.renderPriorityChart(store, answer.priority.id);
  if (!chart) {
    io.err(`measures: no chart is available for this ${answer.kind} (no series held); ${file} not written`);
    return;
  }
  const existed = fs.existsSync(file);
  try {
    fs.writeFileSync(file, chart.png);
  } catch (err) {
    // A half-written PNG left by a full disk is worse than none; only a file this run created is removed.
    if (!existed) {
      try {
        fs.rmSync(file, { force: true });
      } catch {
        // the usage error below says what went wrong; a leftover file is secondary
      }
    }
    // Not writable after all (a full disk, a device that refuses writes): as much a usage error as a missing folder.
    throw new UsageError(`--chart ${file}: cannot write it (${reasonOf(err)})`);
  }
  io.err(`measures: chart written to ${file} (${chart.png.length} bytes)`);
}
