import { describe, expect, it } from 'vitest';
import { computeTrend, trendLabelsAgree, TREND_LABELS } from '../src/measures/computed/index.ts';
import { addMonths } from '../src/measures/computed/periods.ts';
import type { Measure } from '../src/store/schema.ts';

type TrendInput = Pick<Measure, 'series' | 'updateInterval'>;

function monthly(values: number[], end = '2021-11'): TrendInput {
  return {
    updateInterval: 'monthly',
    series: {
      source: 'test',
      official: true,
      caveats: [],
      points: values.map((value, i) => ({ period: addMonths(end, i - values.length + 1), value })),
    },
  };
}

/** Deterministic wiggle, so the tests do not depend on a random generator. */
const wiggle = (i: number, size: number) => size * Math.sin(i * 2.1);

describe('computeTrend', () => {
  it('calls a flat or constant series Stable', () => {
    expect(computeTrend(monthly(Array(12).fill(100)))?.label).toBe('Stable');
    expect(computeTrend(monthly(Array.from({ length: 12 }, (_, i) => 100 + wiggle(i, 3))))?.label).toBe('Stable');
  });

  it('calls a steady climb Increasing and a steady fall Reducing', () => {
    expect(computeTrend(monthly(Array.from({ length: 12 }, (_, i) => 100 + i * 2)))?.label).toBe('Increasing');
    expect(computeTrend(monthly(Array.from({ length: 12 }, (_, i) => 100 - i * 2)))?.label).toBe('Reducing');
  });

  it('grades an uneven but significant movement by size', () => {
    // Rises of about 10%, 22% and 45% across the window, with noise that keeps R² below 0.8.
    const small = computeTrend(monthly(Array.from({ length: 12 }, (_, i) => 100 + i * 0.9 + wiggle(i, 2.6))));
    const moderate = computeTrend(monthly(Array.from({ length: 12 }, (_, i) => 100 + i * 2 + wiggle(i, 6))));
    const large = computeTrend(monthly(Array.from({ length: 12 }, (_, i) => 100 - i * 4 + wiggle(i, 12))));
    expect(small?.rSquared).toBeLessThan(0.8);
    expect(small?.label).toBe('Small increase');
    expect(moderate?.label).toBe('Moderate increase');
    expect(large?.label).toBe('Large reduction');
  });

  it('calls noise Stable even when the fitted change is large (slope not significant)', () => {
    const noisy = computeTrend(monthly([10, 30, 12, 28, 9, 31, 11, 29, 10, 33, 12, 30]));
    expect(Math.abs(noisy!.changePercent)).toBeGreaterThan(5);
    expect(noisy?.label).toBe('Stable');
  });

  it('uses the latest 12 monthly points and reports the window', () => {
    const values = [...Array(12).fill(500), ...Array(12).fill(100)];
    const trend = computeTrend(monthly(values));
    expect(trend?.window).toEqual({ from: '2020-12', to: '2021-11', points: 12 });
    expect(trend?.label).toBe('Stable');
  });

  it('uses 8 points for quarterly series, spaced by months', () => {
    const series = monthly([]);
    series.updateInterval = 'quarterly';
    series.series!.points = Array.from({ length: 10 }, (_, i) => ({
      period: addMonths('2021-11', (i - 9) * 3),
      value: 50 + i * 3,
    }));
    const trend = computeTrend(series);
    expect(trend?.window.points).toBe(8);
    expect(trend?.label).toBe('Increasing');
  });

  it('gives no trend with fewer than 4 points or no series', () => {
    expect(computeTrend(monthly([1, 2, 3]))).toBeNull();
    expect(computeTrend({ updateInterval: 'monthly', series: null })).toBeNull();
  });

  it('only ever answers from the closed list', () => {
    for (let k = 0; k < 40; k++) {
      const label = computeTrend(
        monthly(Array.from({ length: 12 }, (_, i) => 100 + i * (k - 20) * 0.3 + wiggle(i * k, k))),
      )?.label;
      expect(TREND_LABELS).toContain(label);
    }
  });
});

describe('trendLabelsAgree', () => {
  it('ignores case and parenthesised notes in published labels', () => {
    expect(trendLabelsAgree('Moderate Reduction', 'Moderate reduction')).toBe(true);
    expect(trendLabelsAgree('Stable (100%)', 'Stable')).toBe(true);
    expect(trendLabelsAgree('Stable', 'Small increase')).toBe(false);
  });
});
