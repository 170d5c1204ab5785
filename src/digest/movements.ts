// Movements: which changes moved a figure, which way, and whether that is better or worse
// for the public, judged by the measure's polarity (a rise in robbery is worse; a rise in
// the rape charge rate is better). The headline is built from these.
import type { Measure } from '../store/index.ts';
import { formatPercent, ordinal, periodLabel } from '../measures/wording.ts';
import { figure, changeOnPrevious, trendText } from './describe.ts';
import { figureOf } from './net-changes.ts';

export interface Movement {
  direction: 'worse' | 'better';
  /** Comparable across kinds: percent for values, ten per trend step or MSG place. */
  size: number;
  /** The measure's title. */
  measure: string;
  /** What moved, plain text without the measure: "trend Stable → Small increase". */
  text: string;
}

/** Steps on one scale: increases positive, reductions negative. */
const TREND_SCORE: Record<string, number> = {
  'large increase': 3,
  'moderate increase': 2,
  increasing: 2,
  'small increase': 1,
  stable: 0,
  'small reduction': -1,
  reducing: -2,
  'moderate reduction': -2,
  'large reduction': -3,
};

function trendScore(v: unknown): number | null {
  const label = trendText(v)
    .replace(/\s*\(.*\)\s*$/, '')
    .trim()
    .toLowerCase();
  return TREND_SCORE[label] ?? null;
}

const worseWhenUp = (m: Pick<Measure, 'polarity'>) => m.polarity === 'higher-is-worse';
const STEP = 10;

export function trendMovement(measure: Measure, before: unknown, after: unknown): Movement | null {
  const from = trendScore(before);
  const to = trendScore(after);
  if (from === null || to === null || from === to) return null;
  const up = to > from;
  return {
    direction: up === worseWhenUp(measure) ? 'worse' : 'better',
    size: Math.abs(to - from) * STEP,
    measure: measure.title,
    text: `trend ${trendText(before)} → ${trendText(after)}`,
  };
}

/** Rank 1 is best whatever the polarity, so a larger rank is always worse. */
export function rankMovement(
  measure: Measure,
  from: { rank: number; of: number } | null,
  to: { rank: number; of: number } | null,
  what: string,
): Movement | null {
  if (!from || !to || from.rank === to.rank) return null;
  return {
    direction: to.rank > from.rank ? 'worse' : 'better',
    size: Math.abs(to.rank - from.rank) * STEP,
    measure: measure.title,
    text: `${what} ${ordinal(from.rank)} → ${ordinal(to.rank)} of ${to.of}`,
  };
}

export function publishedRank(v: unknown): { rank: number; of: number } | null {
  const o = v && typeof v === 'object' ? (v as Record<string, unknown>) : null;
  return o?.status === 'published' && typeof o.rank === 'number' && typeof o.of === 'number'
    ? { rank: o.rank, of: o.of }
    : null;
}

/** A new or revised figure against the previous period. */
export function valueMovement(measure: Measure, period: string, after: unknown): Movement | null {
  const value = figureOf(after);
  if (value === null) return null;
  const change = changeOnPrevious(measure, period, value);
  if (!change || change.percent === null || change.delta === 0) return null;
  const up = change.delta > 0;
  const unit = measure.unit.startsWith('%') ? '' : ` ${measure.unit}`;
  return {
    direction: up === worseWhenUp(measure) ? 'worse' : 'better',
    size: Math.abs(change.percent),
    measure: measure.title,
    text: `${up ? 'up' : 'down'} ${formatPercent(Math.abs(Math.round(change.percent * 10) / 10)).replace(/^[+−]/, '')} in ${periodLabel(period)} to ${figure(value, measure)}${unit}`,
  };
}

type Ranked = Pick<Movement, 'direction' | 'size'>;

const worseFirst = (m: Ranked) => (m.direction === 'worse' ? 0 : 1);

/** The biggest, worse before better, each group biggest first. */
export function headlineOrder<T extends Ranked>(items: T[], limit = 5): T[] {
  const biggest = [...items].sort((a, b) => b.size - a.size).slice(0, limit);
  return biggest.sort((a, b) => worseFirst(a) - worseFirst(b) || b.size - a.size);
}

/**
 * One measure's movements as one headline line, biggest first: "Police recorded robbery
 * offences: trend Stable → Small increase (worse); MSG position 8th → 7th of 8 (better)".
 * The line ranks by its biggest movement. All are named, because a trend that worsened while
 * the MSG position improved is a different story from the trend alone.
 */
export function measureHeadline(movements: Movement[]): Ranked & { text: string } {
  const sorted = [...movements].sort((a, b) => b.size - a.size || worseFirst(a) - worseFirst(b));
  const lead = sorted[0]!;
  const moves = sorted.map((m) => `${m.text} (${m.direction})`).join('; ');
  return { direction: lead.direction, size: lead.size, text: `${lead.measure}: ${moves}` };
}
