// Checks a series table against the measure it is for, and refuses the whole file at the first
// problem, naming the file and line: an unknown or repeated column, a period that is not one
// of the measure's (a month, or the quarter or rolling-year months its series has), a period
// given twice, a value or count the measure cannot take (the same range an analyst's update
// is held to), or a line with the wrong number of fields.
import type { Measure, Store } from '../../store/index.ts';
import { valueProblem, LIMITS } from '../../measures/update/limits.ts';
import { periodIndex } from '../../measures/computed/periods.ts';
import { londonMonth } from '../police-uk/months.ts';
import { ImportRefusal } from '../refusal.ts';
import type { SeriesTable } from './table.ts';

export interface SeriesRow {
  period: string;
  value: number;
  count?: number;
  peers: Record<string, number>;
}

export interface SeriesFile {
  file: string;
  rows: SeriesRow[];
  /** Whether the file has a count column. */
  hasCount: boolean;
  /** Peer slugs the file has columns for. */
  peers: string[];
}

const NUMBER = /^-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/;

export function checkSeriesTable(table: SeriesTable, measure: Measure, store: Store, now: Date): SeriesFile {
  const refuse = (line: number | null, problem: string): never => {
    throw new ImportRefusal(table.file, line, problem);
  };
  const peerSlugs = store.msg.forces.map((f) => f.slug).filter((s) => s !== store.force.slug);
  const columns = table.header.map((h) => h.trim().toLowerCase());
  const seen = new Set<string>();
  columns.forEach((name, i) => {
    if (seen.has(name)) refuse(table.headerLine, `the column "${name}" appears twice`);
    seen.add(name);
    if (name !== 'period' && name !== 'value' && name !== 'count' && !peerSlugs.includes(name))
      refuse(
        table.headerLine,
        `unknown column ${i + 1} "${table.header[i]}": expected period, value, count or a most similar group ` +
          `force (${peerSlugs.join(', ')})`,
      );
  });
  for (const needed of ['period', 'value'])
    if (!seen.has(needed)) refuse(table.headerLine, `no "${needed}" column: the header must include period,value`);
  if (table.rows.length === 0) refuse(null, 'has a header but no periods');

  const latest = londonMonth(now);
  const firstPeriod = table.rows
    .map((r) => r.cells[columns.indexOf('period')] ?? '')
    .find((p) => /^\d{4}-\d{2}$/.test(p));
  const step = periodStep(measure, firstPeriod);
  const rows: SeriesRow[] = [];
  const periods = new Map<string, number>();
  for (const { line, cells } of table.rows) {
    if (cells.length > columns.length || (cells.length < columns.length && !table.shortRowsAllowed))
      refuse(line, `${cells.length} fields where the header has ${columns.length}`);
    const cell = (name: string) => cells[columns.indexOf(name)] ?? '';
    const period = cell('period');
    if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(period)) refuse(line, `period "${period}" is not a month as YYYY-MM`);
    if (Number(period.slice(0, 4)) < LIMITS.earliestYear)
      refuse(line, `period ${period} is before ${LIMITS.earliestYear}: a typo?`);
    if (period > latest) refuse(line, `period ${period} is after the current month (${latest})`);
    const earlier = periods.get(period);
    if (earlier !== undefined) refuse(line, `period ${period} appears twice (also on line ${earlier})`);
    periods.set(period, line);
    if (step.months > 1 && (periodIndex(period) - step.anchor) % step.months !== 0)
      refuse(line, `period ${period} is not one of ${measure.title}'s periods: ${step.describe}`);

    const value = numberCell(cell('value'), 'value', line, refuse) ?? refuse(line, 'the value is empty');
    const problem = valueProblem(value, measure);
    if (problem) refuse(line, `value ${cell('value')}: ${problem}`);
    const row: SeriesRow = { period, value, peers: {} };
    if (seen.has('count')) {
      const count = numberCell(cell('count'), 'count', line, refuse);
      if (count !== null) {
        if (!Number.isInteger(count) || count < 0 || count > LIMITS.magnitude)
          refuse(
            line,
            `count ${cell('count')} is not a whole number from 0 to ${LIMITS.magnitude.toLocaleString('en-GB')}`,
          );
        row.count = count;
      }
    }
    for (const slug of peerSlugs) {
      if (!seen.has(slug)) continue;
      const peer = numberCell(cell(slug), slug, line, refuse);
      if (peer === null) continue;
      const peerProblem = valueProblem(peer, measure);
      if (peerProblem) refuse(line, `${slug} ${cell(slug)}: ${peerProblem}`);
      row.peers[slug] = peer;
    }
    rows.push(row);
  }
  rows.sort((a, b) => (a.period < b.period ? -1 : 1));
  return { file: table.file, rows, hasCount: seen.has('count'), peers: peerSlugs.filter((s) => seen.has(s)) };
}

/** A number as written in a cell, or null when empty. "1,234" is refused: in a CSV the comma splits fields. */
function numberCell(
  text: string,
  column: string,
  line: number,
  refuse: (line: number, problem: string) => never,
): number | null {
  if (text === '') return null;
  if (!NUMBER.test(text)) return refuse(line, `${column} "${text.slice(0, 40)}" is not a number`);
  return Number(text);
}

/**
 * The spacing of the measure's periods. A quarterly measure's points are every third month
 * (the seeded quarters end Feb, May, Aug and Nov; ONS rolling years end Mar, Jun, Sep and
 * Dec), so a file for it keeps to the months of its real series. An illustrative series is
 * replaced whole, so its invented quarters do not bind the file: the file's first period does.
 */
function periodStep(
  measure: Measure,
  firstFilePeriod: string | undefined,
): { months: number; anchor: number; describe: string } {
  const real = measure.series?.official ? measure.series.points.map((p) => periodIndex(p.period)) : [];
  const gaps = real.slice(1).map((x, i) => x - real[i]!);
  const quarterly = measure.updateInterval === 'quarterly' || (gaps.length > 0 && gaps.every((g) => g % 3 === 0));
  const anchor = real[0] ?? (firstFilePeriod ? periodIndex(firstFilePeriod) : undefined);
  if (!quarterly || anchor === undefined) return { months: 1, anchor: 0, describe: 'any month' };
  const ends = [0, 1, 2, 3]
    .map((q) => MONTH_NAMES[(anchor + 3 * q) % 12]!)
    .sort((a, b) => MONTH_NAMES.indexOf(a) - MONTH_NAMES.indexOf(b));
  const whose = real.length > 0 ? 'its series has' : 'the file starts with';
  return { months: 3, anchor, describe: `quarters ending ${ends.join(', ')}, as ${whose}` };
}

const MONTH_NAMES = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
