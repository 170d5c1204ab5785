// Figures computed from a measure's series, shown beside the published ones and never
// in their place (`computedTrend`, `computedBenchmark`).
import type { Measure, Store } from '../store/schema.ts';

export interface ComputedExtras {
  computedTrend: unknown;
  computedBenchmark: unknown;
}

export function computeMeasureExtras(_store: Store, _measure: Measure): Partial<ComputedExtras> {
  return {};
}
