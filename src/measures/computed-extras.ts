// Figures computed from a measure's series, shown beside the published ones and never
// in their place (`computedTrend`, `computedBenchmark`).
import type { Measure, Store } from '../store/index.ts';
import { computeBenchmark, computeTrend, formatBenchmarkComparison, type ComputedBenchmark, type ComputedTrend } from './computed/index.ts';

export interface ComputedExtras {
  computedTrend: ComputedTrend;
  /** `comparison` reads "published 6th of 8; police.uk Jan–Nov 2021 gives 7th of 8" when the two differ. */
  computedBenchmark: ComputedBenchmark & { comparison: string | null };
}

export function computeMeasureExtras(store: Store, measure: Measure): Partial<ComputedExtras> {
  const extras: Partial<ComputedExtras> = {};
  const trend = computeTrend(measure);
  if (trend) extras.computedTrend = trend;
  const benchmark = computeBenchmark(measure, store);
  if (benchmark) extras.computedBenchmark = { ...benchmark, comparison: formatBenchmarkComparison(measure.benchmark, benchmark) };
  return extras;
}
