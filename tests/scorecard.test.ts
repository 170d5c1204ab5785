// The force scorecard model: every measure once, under its priority, with the answers' wording.
import { describe, expect, it } from 'vitest';
import { DateTime } from 'luxon';
import { answerFor } from '../src/measures/answer.ts';
import { headline } from '../src/measures/glance.ts';
import { ageInWords, buildScorecard, rankBand, scorecardMeasures } from '../src/measures/scorecard.ts';
import { allMeasures } from '../src/store/index.ts';
import { seedStore } from './helpers/seed.ts';

const store = seedStore();

describe('rankBand', () => {
  it('puts ranks 1–3 in the best three, the last three ranks in the worst three, the rest between', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8].map((r) => rankBand(r, 8))).toEqual([
      'best',
      'best',
      'best',
      'middle',
      'middle',
      'worst',
      'worst',
      'worst',
    ]);
    // A small group: the best three win where the two ends overlap.
    expect([1, 2, 3, 4].map((r) => rankBand(r, 4))).toEqual(['best', 'best', 'best', 'worst']);
  });
});

describe('ageInWords', () => {
  const now = DateTime.fromISO('2022-03-10T09:00:00Z');
  it('counts whole months from the latest period, then years', () => {
    expect(ageInWords('2022-03', now)).toBe('this month');
    expect(ageInWords('2022-02', now)).toBe('1 month ago');
    expect(ageInWords('2021-11', now)).toBe('4 months ago');
    expect(ageInWords('2019-12', now)).toBe('2 years ago');
  });
});

describe('buildScorecard on the bundled report', () => {
  const now = DateTime.fromISO('2022-01-15T12:00:00Z');
  const card = buildScorecard(store, now);
  const measures = scorecardMeasures(card);

  it('lists all 19 measures once, under their own priorities, in the report order', () => {
    expect(measures.map((m) => m.id)).toEqual(allMeasures(store).map((m) => m.id));
    expect(measures).toHaveLength(19);
    expect(card.priorities.map((p) => p.id)).toEqual(store.priorities.map((p) => p.id));
  });

  it('words the trend, MSG band and latest figure as the answer headline does', () => {
    const robbery = measures.find((m) => m.id === 'robbery')!;
    expect(robbery).toMatchObject({ trend: 'Stable', msg: { rank: 8, of: 8, band: 'worst' } });
    const answer = answerFor(store, { kind: 'measure', id: 'robbery' }, '', { now });
    if (answer?.kind !== 'measure') throw new Error('no robbery answer');
    expect(headline(answer.measure)).toContain(robbery.latest);
    expect(robbery.latest).toBe('Dec 21: 125 crimes, −1% on Nov 21');
    expect(measures.find((m) => m.id === 'homicide')!.msg).toEqual({ rank: 3, of: 8, band: 'best' });
    expect(measures.find((m) => m.id === 'theft-from-the-person')!.msg?.band).toBe('middle');
    expect(measures.find((m) => m.id === 'action-fraud-offences')!.msg).toBeNull();
  });

  it('marks stale figures by the answers’ rule, with their age', () => {
    // Jan 2022: monthly Dec 21 figures are fresh; ONS homicide to Dec 2019 is long out of date.
    const robbery = measures.find((m) => m.id === 'robbery')!;
    expect(robbery).toMatchObject({ stale: false, age: '1 month ago' });
    expect(measures.find((m) => m.id === 'homicide')).toMatchObject({ stale: true, age: '2 years ago' });
    const later = scorecardMeasures(buildScorecard(store, DateTime.fromISO('2026-11-29T12:00:00Z')));
    expect(later.every((m) => m.stale)).toBe(true);
  });

  it('follows an analyst’s change in the store', () => {
    const changed = structuredClone(store);
    const robbery = changed.priorities.flatMap((p) => p.measures).find((m) => m.id === 'robbery')!;
    robbery.trend = { label: 'Large increase', asOf: '2022-01-10' };
    robbery.benchmark = { status: 'published', rank: 4, of: 8, relation: 'similar', asOf: '2022-01-10', text: 't' };
    const after = scorecardMeasures(buildScorecard(changed, now)).find((m) => m.id === 'robbery')!;
    expect(after).toMatchObject({ trend: 'Large increase', msg: { rank: 4, band: 'middle' } });
  });
});
