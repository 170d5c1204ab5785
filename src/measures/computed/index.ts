// The one place for computed trends and MSG positions. The answer builder, the charts and
// the importers all call these, so a method changes in one file and everywhere at once.
export {
  computeTrend,
  trendLabelsAgree,
  TREND_LABELS,
  TREND_METHOD,
  TREND_METHOD_TEXT,
  type ComputedTrend,
  type TrendLabel,
} from './trend.ts';
export {
  computeBenchmark,
  formatBenchmarkComparison,
  rankByPerformance,
  relationToMean,
  sourceLabel,
  BENCHMARK_METHOD,
  BENCHMARK_METHOD_TEXT,
  type ComputedBenchmark,
  type Relation,
} from './benchmark.ts';
export { addMonths, longPeriodLabel, periodIndex, periodRangeLabel, shortPeriodLabel } from './periods.ts';
