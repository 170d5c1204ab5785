// Computed MSG positions that new figures moved. The position is computed from the series
// (src/measures/computed), so the digest compares it on the series as it is now against
// the series with this period's net value and peer changes taken back out.
import type { Measure, PeerValue, SeriesPoint, Store } from '../store/index.ts';
import { computeBenchmark, type ComputedBenchmark } from '../measures/computed/benchmark.ts';
import { figureOf, type NetChange } from './net-changes.ts';

/** The measure's series before the given value/peer changes (figures only; enough for ranking). */
export function seriesBefore(measure: Measure, changes: NetChange[]): Measure['series'] {
  if (!measure.series) return null;
  const points = new Map<string, SeriesPoint>(
    measure.series.points.map((p) => [p.period, { ...p, peers: p.peers ? { ...p.peers } : undefined }]),
  );
  for (const change of changes) {
    const [kind, a, b] = change.field.split(':');
    const before = figureOf(change.before);
    if (kind === 'value') {
      const point = points.get(a!);
      if (before === null) points.delete(a!);
      else points.set(a!, { ...(point ?? { period: a! }), value: before });
    } else if (kind === 'peer') {
      const point = points.get(b!);
      if (!point) continue;
      const peers: Record<string, PeerValue> = { ...point.peers };
      if (before === null) delete peers[a!];
      else peers[a!] = { value: before };
      point.peers = peers;
    }
  }
  const sorted = [...points.values()]
    .sort((x, y) => x.period.localeCompare(y.period))
    .map((p) => (p.peers ? p : { ...p, peers: undefined }));
  return { ...measure.series, points: sorted.map(({ peers, ...rest }) => (peers ? { ...rest, peers } : rest)) };
}

export interface ComputedMove {
  before: ComputedBenchmark | null;
  after: ComputedBenchmark | null;
}

/** null when the computed position (rank and relation) is unchanged. */
export function computedMsgMove(store: Store, measure: Measure, figureChanges: NetChange[]): ComputedMove | null {
  if (figureChanges.length === 0) return null;
  const after = computeBenchmark(measure, store);
  const before = computeBenchmark({ ...measure, series: seriesBefore(measure, figureChanges) }, store);
  if (!before || !after) return null;
  if (before.rank === after.rank && before.of === after.of && before.relation === after.relation) return null;
  return { before, after };
}
