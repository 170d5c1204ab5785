// Shared wording, so the CLI, Slack, charts and the digest describe figures the same way.
import { DateTime } from 'luxon';
import type { Benchmark } from '../store/index.ts';

/** "2021-11" → "Nov 2021": the one month wording, shared with the charts (computed/periods.ts). */
export { longPeriodLabel as periodLabel } from './computed/periods.ts';

export function ordinal(n: number): string {
  const mod100 = n % 100;
  if (mod100 >= 11 && mod100 <= 13) return `${n}th`;
  return `${n}${{ 1: 'st', 2: 'nd', 3: 'rd' }[n % 10] ?? 'th'}`;
}

/** The report's own words: "higher than MSG average rates", "below MSG average rates". */
const RELATION_WORDS = { above: 'higher than', below: 'below', similar: 'similar to' } as const;

export function relationInWords(relation: 'above' | 'below' | 'similar'): string {
  return `${RELATION_WORDS[relation]} the MSG average`;
}

/** "8th of 8 in its most similar group, higher than the MSG average". */
export function msgPositionInWords(benchmark: Benchmark): string {
  if (benchmark.status === 'not-available') return 'No MSG benchmark is available for this measure';
  return (
    `${ordinal(benchmark.rank)} of ${benchmark.of} in its most similar group, ` +
    `${relationInWords(benchmark.relation)}`
  );
}

export function dateLabel(isoDate: string): string {
  return DateTime.fromISO(isoDate, { zone: 'utc' }).toFormat('d LLL yyyy');
}

// Built once: toLocaleString with options builds a new Intl.NumberFormat on every call, which
// was a measurable part of each answer's CPU.
const SIGNIFICANT_3 = new Intl.NumberFormat('en-GB', { maximumSignificantDigits: 3 });
const UP_TO_DIGITS = [0, 1, 2, 3].map(
  (digits) => new Intl.NumberFormat('en-GB', { minimumFractionDigits: 0, maximumFractionDigits: digits }),
);
const PERCENT_DIGITS = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 1 });

/** Enough digits to tell values apart: rates per 1,000 are small numbers. */
export function formatNumber(value: number): string {
  const abs = Math.abs(value);
  // Below 1, three significant figures: a change of 0.00012 per 1,000 must not read "+0".
  if (abs > 0 && abs < 1) return SIGNIFICANT_3.format(value);
  const digits = abs === 0 || abs >= 100 ? 0 : abs >= 10 ? 1 : abs >= 1 ? 2 : 3;
  return UP_TO_DIGITS[digits]!.format(value);
}

export function formatSigned(value: number): string {
  if (value === 0) return 'no change';
  return `${value > 0 ? '+' : '−'}${formatNumber(Math.abs(value))}`;
}

export function formatPercent(value: number): string {
  const sign = value > 0 ? '+' : value < 0 ? '−' : '';
  return `${sign}${PERCENT_DIGITS.format(Math.abs(value))}%`;
}

/** Units that are percentages read "87%"; others read "0.069 offences per 1,000 residents". */
export function formatValueWithUnit(value: number, unit: string): string {
  if (unit.startsWith('%')) return `${formatNumber(value)}%${unit.length > 1 ? ` ${unit.slice(1).trim()}` : ''}`;
  return `${formatNumber(value)} ${unit}`;
}
