import { describe, expect, it } from 'vitest';
import { formatNumber, formatSigned, msgPositionInWords, ordinal } from '../src/measures/wording.ts';
import { latestInWords } from '../src/measures/format-text.ts';

describe('wording of figures', () => {
  it('never shows a small non-zero change as zero', () => {
    expect(formatSigned(0.00012)).toBe('+0.00012');
    expect(formatSigned(-0.0332)).toBe('−0.0332');
    expect(formatNumber(0.3621)).toBe('0.362');
    expect(formatNumber(1234.4)).toBe('1,234');
  });

  it('gives a change in a percentage in percentage points, without a relative percent', () => {
    const text = latestInWords(
      {
        period: '2021-11',
        value: 77.1,
        change: -0.8,
        changePercent: -1,
        previousPeriod: '2021-08',
        illustrative: true,
      },
      '% of victims satisfied',
    );
    expect(text).toBe('Nov 2021: 77.1% of victims satisfied; −0.8 percentage points on Aug 2021');
  });

  it('says an unchanged count as "no change", without a unit after it', () => {
    const text = latestInWords(
      {
        period: '2021-11',
        value: 0.5,
        count: 118,
        change: 0,
        changeCount: 0,
        changePercent: 0,
        previousPeriod: '2021-10',
        illustrative: false,
      },
      'offences per 1,000 residents',
      'crimes',
    );
    expect(text).toBe('Nov 2021: 118 crimes (0.5 offences per 1,000 residents); no change on Oct 2021');
  });

  it('says positions as the report does', () => {
    expect(['1st', '2nd', '3rd', '4th', '11th', '12th', '13th', '21st'].join()).toBe(
      [1, 2, 3, 4, 11, 12, 13, 21].map(ordinal).join(),
    );
    expect(
      msgPositionInWords({ status: 'published', rank: 8, of: 8, relation: 'below', asOf: '2021-11-30', text: 'x' }),
    ).toBe('8th of 8 in its most similar group, below the MSG average');
  });
});
