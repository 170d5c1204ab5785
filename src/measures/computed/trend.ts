// The computed trend: one documented, deterministic method that turns a measure's own
// series into a label from the report's closed list. It is computed independently of the
// published label (never tuned to match it); answers show both when they differ.
import type { Measure, SeriesPoint } from '../../store/index.ts';
import { periodIndex } from './periods.ts';

export const TREND_LABELS = [
  'Stable',
  'Small increase',
  'Small reduction',
  'Moderate increase',
  'Moderate reduction',
  'Large increase',
  'Large reduction',
  'Increasing',
  'Reducing',
] as const;
export type TrendLabel = (typeof TREND_LABELS)[number];

export const TREND_METHOD = {
  /** How many of the latest points the trend looks at, by the measure's update interval. */
  windowPoints: { monthly: 12, quarterly: 8, annual: 5 },
  /** Fewer points than this gives no computed trend. */
  minPoints: 4,
  /** Fitted change across the window, as % of the window mean: below 5 is Stable. */
  stableBelowPercent: 5,
  smallBelowPercent: 15,
  moderateBelowPercent: 30,
  /** A fit this tight (R²) is a steady, sustained direction: Increasing / Reducing. */
  steadyRSquared: 0.8,
} as const;

export const TREND_METHOD_TEXT =
  'Least-squares straight line through the latest points (12 monthly, 8 quarterly or 5 annual). ' +
  'Change = fitted rise across the window as % of the window mean. Stable when |change| < 5% or the slope ' +
  'is not significant (two-sided t-test, 5%). Otherwise Increasing/Reducing when the line explains ≥ 80% ' +
  'of the variation (a steady direction), else Small (5–15%), Moderate (15–30%) or Large (≥ 30%) increase/reduction.';

export interface ComputedTrend {
  label: TrendLabel;
  method: string;
  window: { from: string; to: string; points: number };
  /** Fitted change across the window, % of the window mean (signed). */
  changePercent: number;
  rSquared: number;
}

/** Two-sided 5% critical values of Student's t, df 1…30; beyond 30 the normal value is close enough. */
const T_CRITICAL_5 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11,
  2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042,
];

export function computeTrend(measure: Pick<Measure, 'series' | 'updateInterval'>): ComputedTrend | null {
  const points = measure.series?.points ?? [];
  const size = TREND_METHOD.windowPoints[measure.updateInterval];
  const window = [...points].sort(byPeriod).slice(-size);
  if (window.length < TREND_METHOD.minPoints) return null;
  const fit = fitLine(window);
  const label = labelFor(fit);
  return {
    label,
    method: TREND_METHOD_TEXT,
    window: { from: window[0]!.period, to: window[window.length - 1]!.period, points: window.length },
    changePercent: round(fit.changePercent, 2),
    rSquared: round(fit.rSquared, 3),
  };
}

/**
 * Published labels carry capitals and notes the closed list does not ("Moderate Reduction",
 * "Stable (100%)"): compare them without case or parenthesised notes.
 */
export function trendLabelsAgree(published: string, computed: string): boolean {
  return normaliseLabel(published) === normaliseLabel(computed);
}

function normaliseLabel(label: string): string {
  return label
    .replace(/\([^)]*\)/g, '')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
}

interface LineFit {
  changePercent: number;
  rSquared: number;
  significant: boolean;
  slope: number;
}

function fitLine(points: SeriesPoint[]): LineFit {
  // x is months since the first point, so quarterly series and gaps are spaced honestly.
  const x0 = periodIndex(points[0]!.period);
  const xs = points.map((p) => periodIndex(p.period) - x0);
  const ys = points.map((p) => p.value);
  const n = points.length;
  const meanX = xs.reduce((a, b) => a + b, 0) / n;
  const meanY = ys.reduce((a, b) => a + b, 0) / n;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = xs[i]! - meanX;
    const dy = ys[i]! - meanY;
    sxx += dx * dx;
    sxy += dx * dy;
    syy += dy * dy;
  }
  if (syy === 0 || sxx === 0) return { changePercent: 0, rSquared: 0, significant: false, slope: 0 };
  const slope = sxy / sxx;
  const rSquared = (sxy * sxy) / (sxx * syy);
  const residual = Math.max(0, syy - slope * sxy);
  const df = n - 2;
  const standardError = Math.sqrt(residual / df / sxx);
  const t = standardError === 0 ? Infinity : Math.abs(slope / standardError);
  const critical = T_CRITICAL_5[df - 1] ?? 1.96;
  const span = xs[n - 1]! - xs[0]!;
  const changePercent = meanY === 0 ? 0 : ((slope * span) / Math.abs(meanY)) * 100;
  return { changePercent, rSquared, significant: t >= critical, slope };
}

function labelFor(fit: LineFit): TrendLabel {
  const size = Math.abs(fit.changePercent);
  if (size < TREND_METHOD.stableBelowPercent || !fit.significant) return 'Stable';
  const up = fit.changePercent > 0;
  if (fit.rSquared >= TREND_METHOD.steadyRSquared) return up ? 'Increasing' : 'Reducing';
  if (size < TREND_METHOD.smallBelowPercent) return up ? 'Small increase' : 'Small reduction';
  if (size < TREND_METHOD.moderateBelowPercent) return up ? 'Moderate increase' : 'Moderate reduction';
  return up ? 'Large increase' : 'Large reduction';
}

function byPeriod(a: SeriesPoint, b: SeriesPoint): number {
  return a.period < b.period ? -1 : a.period > b.period ? 1 : 0;
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
