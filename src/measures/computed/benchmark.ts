// The computed MSG position: rank by performance and the raw relation to the MSG mean,
// from the peer values in a measure's series. One documented method, computed
// independently of the published benchmark; answers show both when they differ.
import type { Benchmark, Measure, Series, Store } from '../../store/index.ts';
import { periodIndex, periodRangeLabel } from './periods.ts';
import { ordinal, relationInWords } from '../wording.ts';

export const BENCHMARK_METHOD = {
  /** The window: the complete periods in the 12 months ending with the latest complete period. */
  windowMonths: 12,
  /** Within ±5% of the MSG mean counts as "similar". */
  similarBandPercent: 5,
  /** Values equal to this many significant figures share a rank. */
  tieSignificantFigures: 6,
} as const;

export const BENCHMARK_METHOD_TEXT =
  "Each force's mean value over the complete periods (every MSG force has a value) in the 12 months ending " +
  'with the latest complete period. Ranked by performance (1 = best: lowest where higher is worse, highest ' +
  "where higher is better); equal values share a rank. Relation is the force's raw value against the " +
  'unweighted mean of all MSG forces, itself included: within ±5% of that mean is "similar".';

export type Relation = 'above' | 'below' | 'similar';

export interface ComputedBenchmark {
  rank: number;
  of: number;
  relation: Relation;
  window: { from: string; to: string; periods: number };
  method: string;
  /** The series' source, in full. */
  source: string;
  /** A short name for phrases: "police.uk", "ONS", "the illustrative series". */
  sourceLabel: string;
  value: number;
  msgMean: number;
  /** Each force's window mean, keyed by slug (the force itself included). */
  values: Record<string, number>;
}

type BenchmarkStore = Pick<Store, 'force' | 'msg'>;

export function computeBenchmark(
  measure: Pick<Measure, 'series' | 'polarity'>,
  store: BenchmarkStore,
): ComputedBenchmark | null {
  const series = measure.series;
  if (!series) return null;
  const own = store.force.slug;
  const slugs = store.msg.forces.map((f) => f.slug);
  const peers = slugs.filter((s) => s !== own);
  if (peers.length === 0) return null;

  // Only periods where every force has a value compare like with like (police.uk lacks
  // Derbyshire for Dec 2021, for example): a force is never ranked on fewer months.
  const complete = series.points
    .filter((p) => peers.every((slug) => p.peers?.[slug] !== undefined))
    .sort((a, b) => periodIndex(a.period) - periodIndex(b.period));
  const last = complete[complete.length - 1];
  if (!last) return null;
  const start = periodIndex(last.period) - BENCHMARK_METHOD.windowMonths + 1;
  const window = complete.filter((p) => periodIndex(p.period) >= start);

  const values: Record<string, number> = {};
  for (const slug of slugs) {
    const sum = window.reduce((acc, p) => acc + (slug === own ? p.value : p.peers![slug]!.value), 0);
    values[slug] = sum / window.length;
  }
  const value = values[own]!;
  const all = slugs.map((s) => values[s]!);
  const msgMean = all.reduce((a, b) => a + b, 0) / all.length;
  return {
    rank: rankByPerformance(value, all, measure.polarity),
    of: all.length,
    relation: relationToMean(value, msgMean),
    window: { from: window[0]!.period, to: last.period, periods: window.length },
    method: BENCHMARK_METHOD_TEXT,
    source: series.source,
    sourceLabel: sourceLabel(series),
    value,
    msgMean,
    values,
  };
}

/** Competition ranking (1, 2, 2, 4): a force's rank is one more than the forces that did strictly better. */
export function rankByPerformance(value: number, all: number[], polarity: Measure['polarity']): number {
  const mine = significant(value);
  const better = all.filter((v) => {
    const other = significant(v);
    return polarity === 'higher-is-worse' ? other < mine : other > mine;
  });
  return better.length + 1;
}

export function relationToMean(value: number, mean: number): Relation {
  const band = (Math.abs(mean) * BENCHMARK_METHOD.similarBandPercent) / 100;
  if (Math.abs(value - mean) <= band) return 'similar';
  return value > mean ? 'above' : 'below';
}

/** A short name for the series' source, for phrases such as "police.uk Jan–Nov 2021 gives 7th of 8". */
export function sourceLabel(series: Pick<Series, 'official' | 'source'>): string {
  if (!series.official) return 'the illustrative series';
  if (/police\.uk/i.test(series.source)) return 'police.uk';
  if (/\bONS\b/.test(series.source)) return 'ONS';
  return series.source.split(/[:,(]/)[0]!.trim().slice(0, 40);
}

/**
 * "published 6th of 8; police.uk Jan–Nov 2021 gives 7th of 8" when the computed position
 * differs from the published one (relations are added when they differ too); null when
 * they agree or nothing was computed.
 */
export function formatBenchmarkComparison(published: Benchmark, computed: ComputedBenchmark | null): string | null {
  if (!computed) return null;
  const where = `${computed.sourceLabel} ${periodRangeLabel(computed.window.from, computed.window.to)}`;
  const mine = `${ordinal(computed.rank)} of ${computed.of}`;
  if (published.status !== 'published') return `published: not available; ${where} gives ${mine}`;
  const sameRank = published.rank === computed.rank && published.of === computed.of;
  const sameRelation = published.relation === computed.relation;
  if (sameRank && sameRelation) return null;
  const theirs = `${ordinal(published.rank)} of ${published.of}`;
  if (sameRelation) return `published ${theirs}; ${where} gives ${mine}`;
  return (
    `published ${theirs}, ${relationInWords(published.relation)}; ${where} ` +
    `gives ${mine}, ${relationInWords(computed.relation)}`
  );
}

function significant(value: number): number {
  return Number(value.toPrecision(BENCHMARK_METHOD.tieSignificantFigures));
}
