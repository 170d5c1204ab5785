// The force's quarters end in February, May, August and November, as the seed's does.
import { describe, expect, it } from 'vitest';
import { quarterOf } from '../src/report/quarter.ts';

describe('quarterOf', () => {
  it.each([
    ['2026-11-29', '2026-09', '2026-11', 'September–November 2026', 'report-2026-11'],
    ['2026-09-01', '2026-09', '2026-11', 'September–November 2026', 'report-2026-11'],
    ['2026-12-01', '2026-12', '2027-02', 'December 2026–February 2027', 'report-2027-02'],
    ['2027-02-28', '2026-12', '2027-02', 'December 2026–February 2027', 'report-2027-02'],
    ['2027-03-01', '2027-03', '2027-05', 'March–May 2027', 'report-2027-05'],
    ['2021-11-30', '2021-09', '2021-11', 'September–November 2021', 'report-2021-11'],
  ])('%s is in the quarter %s to %s', (asOf, from, to, months, stem) => {
    const q = quarterOf(asOf, 'Europe/London');
    expect({ from: q.from, to: q.to, months: q.months, fileStem: q.fileStem }).toEqual({
      from,
      to,
      months,
      fileStem: stem,
    });
  });

  it('starts and ends at midnight in the zone (British Summer Time in September)', () => {
    const q = quarterOf('2026-10-15', 'Europe/London');
    expect(q.start.toISOString()).toBe('2026-08-31T23:00:00.000Z');
    expect(q.end.toISOString()).toBe('2026-12-01T00:00:00.000Z');
    expect(q.label).toBe('Quarter ending November 2026');
  });
});
