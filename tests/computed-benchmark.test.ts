import { describe, expect, it } from 'vitest';
import {
  computeBenchmark,
  formatBenchmarkComparison,
  rankByPerformance,
  relationToMean,
  type ComputedBenchmark,
} from '../src/measures/computed/index.ts';
import type { Benchmark, Measure, Store } from '../src/store/schema.ts';

const slugs = ['own', 'a', 'b', 'c'];
const store = {
  force: { slug: 'own', name: 'Own', shortName: 'O' },
  msg: { designatedBy: 'test', forces: slugs.map((slug) => ({ slug })) },
} as unknown as Pick<Store, 'force' | 'msg'>;

function measure(
  polarity: Measure['polarity'],
  rows: [string, number, Record<string, number>][],
  official = true,
): Pick<Measure, 'series' | 'polarity'> {
  return {
    polarity,
    series: {
      source: official ? 'police.uk street-level crime data' : 'Illustrative series',
      official,
      caveats: [],
      points: rows.map(([period, value, peers]) => ({
        period,
        value,
        peers: Object.fromEntries(Object.entries(peers).map(([slug, v]) => [slug, { value: v }])),
      })),
    },
  };
}

describe('rankByPerformance', () => {
  it('ranks 1 as best: lowest when higher is worse, highest when higher is better', () => {
    expect(rankByPerformance(1, [1, 2, 3, 4], 'higher-is-worse')).toBe(1);
    expect(rankByPerformance(1, [1, 2, 3, 4], 'higher-is-better')).toBe(4);
    expect(rankByPerformance(4, [1, 2, 3, 4], 'higher-is-worse')).toBe(4);
  });

  it('shares ranks for ties (1, 2, 2, 4)', () => {
    expect(rankByPerformance(2, [1, 2, 2, 4], 'higher-is-worse')).toBe(2);
    expect(rankByPerformance(4, [1, 2, 2, 4], 'higher-is-worse')).toBe(4);
    // Equal to 6 significant figures is a tie: float noise does not split forces.
    expect(rankByPerformance(0.1 + 0.2, [0.3, 0.3, 0.1], 'higher-is-worse')).toBe(2);
  });
});

describe('relationToMean', () => {
  it('is similar within ±5% of the mean, otherwise above or below', () => {
    expect(relationToMean(104.9, 100)).toBe('similar');
    expect(relationToMean(95.1, 100)).toBe('similar');
    expect(relationToMean(105.1, 100)).toBe('above');
    expect(relationToMean(94.9, 100)).toBe('below');
  });
});

describe('computeBenchmark', () => {
  it('ranks window means by polarity and relates the raw value to the mean of all forces', () => {
    const rows: [string, number, Record<string, number>][] = [
      ['2021-01', 4, { a: 1, b: 2, c: 3 }],
      ['2021-02', 6, { a: 1, b: 2, c: 3 }],
    ];
    const worse = computeBenchmark(measure('higher-is-worse', rows), store)!;
    expect(worse).toMatchObject({
      rank: 4,
      of: 4,
      relation: 'above',
      value: 5,
      window: { from: '2021-01', to: '2021-02', periods: 2 },
    });
    expect(worse.msgMean).toBeCloseTo((5 + 1 + 2 + 3) / 4);
    const better = computeBenchmark(measure('higher-is-better', rows), store)!;
    expect(better).toMatchObject({ rank: 1, relation: 'above' });
  });

  it('shares a rank when the force ties a peer', () => {
    const b = computeBenchmark(measure('higher-is-worse', [['2021-01', 2, { a: 1, b: 2, c: 3 }]]), store)!;
    expect(b.rank).toBe(2);
  });

  it('leaves out periods where a peer is missing, and keeps to 12 months', () => {
    const rows: [string, number, Record<string, number>][] = [
      ['2020-06', 100, { a: 1, b: 1, c: 1 }], // outside the 12 months ending 2021-11
      ...Array.from({ length: 11 }, (_, i): [string, number, Record<string, number>] => [
        `2021-${String(i + 1).padStart(2, '0')}`,
        1,
        { a: 2, b: 3, c: 4 },
      ]),
      ['2021-12', 100, { a: 2, b: 3 }], // c missing: not ranked on fewer forces
    ];
    const b = computeBenchmark(measure('higher-is-worse', rows), store)!;
    expect(b.window).toEqual({ from: '2021-01', to: '2021-11', periods: 11 });
    expect(b.rank).toBe(1);
    expect(b.relation).toBe('below');
  });

  it('gives nothing without peers or without a series', () => {
    expect(computeBenchmark(measure('higher-is-worse', [['2021-01', 1, {}]]), store)).toBeNull();
    expect(computeBenchmark({ polarity: 'higher-is-worse', series: null }, store)).toBeNull();
  });
});

describe('formatBenchmarkComparison', () => {
  const published: Benchmark = {
    status: 'published',
    rank: 6,
    of: 8,
    relation: 'similar',
    asOf: '2021-11-30',
    text: '6th/8 MSG',
  };
  const computed = (rank: number, relation: ComputedBenchmark['relation']): ComputedBenchmark => ({
    rank,
    of: 8,
    relation,
    window: { from: '2021-01', to: '2021-11', periods: 11 },
    method: '',
    source: 'police.uk street-level crime data',
    sourceLabel: 'police.uk',
    value: 1,
    msgMean: 1,
    values: {},
  });

  it('says both positions when they differ', () => {
    expect(formatBenchmarkComparison(published, computed(7, 'similar'))).toBe(
      'published 6th of 8; police.uk Jan–Nov 2021 gives 7th of 8',
    );
    expect(formatBenchmarkComparison(published, computed(7, 'above'))).toBe(
      'published 6th of 8, similar to the MSG average; police.uk Jan–Nov 2021 gives 7th of 8, ' +
        'higher than the MSG average',
    );
  });

  it('is null when they agree or nothing was computed', () => {
    expect(formatBenchmarkComparison(published, computed(6, 'similar'))).toBeNull();
    expect(formatBenchmarkComparison(published, null)).toBeNull();
  });

  it('names a computed position where none was published', () => {
    const none: Benchmark = { status: 'not-available', asOf: '2021-11-30', text: 'Not available' };
    expect(formatBenchmarkComparison(none, computed(2, 'below'))).toBe(
      'published: not available; police.uk Jan–Nov 2021 gives 2nd of 8',
    );
  });
});
