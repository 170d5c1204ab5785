// After new figures land, the computed MSG rank and trend of the measures they fed are
// recomputed with the one shared method (src/measures/computed), never a copy of it. They
// are derived from the series whenever an answer is built, so nothing extra is stored; the
// import reports them before and after so the analyst sees what the new months changed.
import { allMeasures, findMeasure, type Measure, type Store } from '../store/index.ts';
import { computeBenchmark, computeTrend, periodRangeLabel } from '../measures/computed/index.ts';
import { ordinal } from '../measures/wording.ts';

export interface ComputedSnapshot {
  /** e.g. "8th of 8, above the MSG mean (police.uk Jan–Nov 2021)", or null when none can be computed. */
  rank: string | null;
  trend: string | null;
}

export interface ComputedRefresh {
  id: string;
  before: ComputedSnapshot;
  after: ComputedSnapshot;
}

export function computedSnapshot(store: Store, measure: Measure): ComputedSnapshot {
  const bench = computeBenchmark(measure, store);
  const trend = computeTrend(measure);
  return {
    rank: bench
      ? `${ordinal(bench.rank)} of ${bench.of}, ${bench.relation === 'similar' ? 'similar to' : bench.relation} ` +
        `the MSG mean (${bench.sourceLabel} ${periodRangeLabel(bench.window.from, bench.window.to)})`
      : null,
    trend: trend ? `${trend.label} (${periodRangeLabel(trend.window.from, trend.window.to)})` : null,
  };
}

export function snapshotAll(store: Store): Map<string, ComputedSnapshot> {
  const out = new Map<string, ComputedSnapshot>();
  for (const m of allMeasures(store)) out.set(m.id, computedSnapshot(store, m));
  return out;
}

export function refreshComputed(
  before: Map<string, ComputedSnapshot>,
  after: Store,
  measureIds: string[],
): ComputedRefresh[] {
  return measureIds.flatMap((id) => {
    const found = findMeasure(after, id);
    if (!found) return [];
    return [
      { id, before: before.get(id) ?? { rank: null, trend: null }, after: computedSnapshot(after, found.measure) },
    ];
  });
}
