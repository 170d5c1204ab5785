// The glanceable answer's parts, for every measure in the bundled report.
import { describe, expect, it } from 'vitest';
import { DateTime } from 'luxon';
import { answerFor, type Answer } from '../src/measures/answer.ts';
import {
  actionHead,
  compactActions,
  contextLine,
  disagreementLine,
  headline,
  rankInWords,
} from '../src/measures/glance.ts';
import { allMeasures } from '../src/store/index.ts';
import { shortPeriodLabel } from '../src/measures/computed/periods.ts';
import { ordinal } from '../src/measures/wording.ts';
import { seedStore } from './helpers/seed.ts';

const store = seedStore();
const now = DateTime.fromISO('2022-01-15T12:00:00Z');
const answers = allMeasures(store).map(
  (m) => answerFor(store, { kind: 'measure', id: m.id }, '', { now }) as Extract<Answer, { kind: 'measure' }>,
);

describe('the headline', () => {
  it.each(answers.map((a) => [a.measure.title, a] as const))(
    'of %s holds the trend, MSG position and latest',
    (_, a) => {
      const m = a.measure;
      const line = headline(m);
      expect(line.length).toBeLessThanOrEqual(160);
      expect(line.startsWith(`${m.trend} · `)).toBe(true);
      if (m.benchmark) expect(line).toContain(`${ordinal(m.benchmark.rank)} of ${m.benchmark.of} in MSG (`);
      else expect(line).toContain('no MSG position');
      expect(line).toContain(`${shortPeriodLabel(m.latest!.period)}: `);
      // "similar" names a relation value; the group is never called that here.
      expect(line).not.toMatch(/similar/i);
    },
  );

  it('reads as the issue shows it for robbery', () => {
    const robbery = answers.find((a) => a.measure.id === 'robbery')!.measure;
    expect(headline(robbery)).toBe('Stable · 8th of 8 in MSG (highest rate) · Dec 21: 125 crimes, −1% on Nov 21');
  });

  it('compares with the same period a year earlier where the series holds it', () => {
    const sv = answers.find((a) => a.measure.id === 'serious-violence')!.measure;
    expect(sv.latest!.yearEarlier?.period).toBe('2020-11');
    expect(headline(sv)).toMatch(/Nov 21: 0\.302 per 1,000 residents, [+−][\d.]+% on Nov 20$/);
  });
});

describe('MSG position words', () => {
  it('follow the rank and the polarity, never the raw direction', () => {
    expect(rankInWords(8, 8, 'higher-is-worse')).toBe('highest rate');
    expect(rankInWords(8, 8, 'higher-is-better')).toBe('lowest rate');
    expect(rankInWords(1, 8, 'higher-is-worse')).toBe('lowest rate');
    expect(rankInWords(1, 8, 'higher-is-better')).toBe('highest rate');
    expect(rankInWords(3, 8, 'higher-is-worse')).toBe('3rd lowest rate');
    expect(rankInWords(6, 8, 'higher-is-worse')).toBe('3rd highest rate');
    expect(rankInWords(7, 8, 'higher-is-better')).toBe('2nd lowest rate');
    expect(rankInWords(4, 7, 'higher-is-better')).toBe('middle of the group');
  });
});

describe('the flag and the compact parts', () => {
  it('flags a disagreement in one line, and only then', () => {
    const flagged = answers.filter((a) => disagreementLine(a.measure)).map((a) => a.measure.id);
    expect(flagged).toEqual(['burglary', 'robbery']);
    expect(disagreementLine(answers.find((a) => a.measure.id === 'robbery')!.measure)).toBe(
      'Since the report, the monthly figures show a large increase',
    );
  });

  it('shows at most three actions, each short, then how many more', () => {
    for (const a of answers) {
      const { lines, more } = compactActions(a.priority);
      expect(lines.length).toBe(Math.min(3, a.priority.actions.length));
      expect(more).toBe(a.priority.actions.length - lines.length);
      for (const line of lines) expect(line.length).toBeLessThanOrEqual(160);
    }
    expect(actionHead('Short action.')).toBe('Short action.');
    expect(actionHead(`${'word '.repeat(40)}end`)).toMatch(/^(word ){10,}.*…$/);
    expect(actionHead(`${'word '.repeat(40)}end`).length).toBeLessThanOrEqual(100);
  });

  it('puts owner, due date and done after a cut action', () => {
    const line = compactActions({
      actions: [
        { number: 1, text: 'Run the operation, then review it', owner: 'DI Jones', due: '2022-03-31', done: true },
      ],
    }).lines[0];
    expect(line).toBe('1. Run the operation, then review it (owner: DI Jones, due 31 Mar 2022, done)');
  });

  it('gives one context line with the data period, the trend date, the source and notes', () => {
    const sv = answers.find((a) => a.measure.id === 'serious-violence')!.measure;
    expect(contextLine(sv)).toMatch(/^Data to Nov 2021 · trend set 30 Nov 2021 · Source: .* · illustrative$/);
  });
});
