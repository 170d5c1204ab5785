// Illustrative series for measures with no matching public data. They are invented, say so
// in the store (official: false) and everywhere they are shown, and are generated from a
// seeded PRNG so re-running the script gives the same numbers. Each one is searched (seed
// after seed) until the project's own trend and rank methods, applied to it, give the
// report's published trend label and MSG position: the chart then tells the report's story.
import type { Measure, Series, SeriesPoint, Store } from '../../src/store/index.ts';
import { addMonths, computeBenchmark, computeTrend, trendLabelsAgree } from '../../src/measures/computed/index.ts';

export interface IllustrativeSpec {
  /** The force's level in the middle of the trend window, in the measure's unit. */
  level: number;
  /** Rounding of generated values. */
  decimals: number;
  /** Upper bound, e.g. 100 for percentages. */
  cap?: number;
  /** A flat series with no noise, e.g. "Stable (100%)". */
  constant?: boolean;
  /** Why there is no real series: shown in the caveats. */
  why: string;
}

export const ILLUSTRATIVE_SOURCE =
  'Illustrative series generated to reproduce the published trend and MSG position; not official data';

const MONTHLY_POINTS = 24;
const QUARTERLY_POINTS = 8;
const MAX_ATTEMPTS = 5000;

/** Relative change across the trend window and relative noise, per published label. */
function shapeFor(label: string): { drift: number; noise: number } {
  const l = label
    .replace(/\([^)]*\)/g, '')
    .trim()
    .toLowerCase();
  const sign = /increas/.test(l) ? 1 : /reduc/.test(l) ? -1 : 0;
  if (l === 'increasing' || l === 'reducing') return { drift: 0.14 * sign, noise: 0.012 };
  if (l.startsWith('small')) return { drift: 0.1 * sign, noise: 0.03 };
  if (l.startsWith('moderate')) return { drift: 0.22 * sign, noise: 0.06 };
  if (l.startsWith('large')) return { drift: 0.4 * sign, noise: 0.1 };
  return { drift: 0, noise: 0.03 };
}

export function illustrativeSeries(
  measure: Measure,
  store: Pick<Store, 'force' | 'msg'>,
  spec: IllustrativeSpec,
): Series {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const series = generate(measure, store, spec, hash(`${measure.id}#${attempt}`));
    const candidate = { ...measure, series };
    const trend = computeTrend(candidate);
    const benchmark = computeBenchmark(candidate, store);
    const trendOk = trend !== null && trendLabelsAgree(measure.trend.label, trend.label);
    const published = measure.benchmark;
    const benchmarkOk =
      published.status === 'published'
        ? benchmark !== null &&
          benchmark.rank === published.rank &&
          benchmark.of === published.of &&
          benchmark.relation === published.relation
        : benchmark === null;
    if (trendOk && benchmarkOk) return series;
  }
  throw new Error(
    `${measure.id}: no illustrative series reproduced "${measure.trend.label}" in ${MAX_ATTEMPTS} attempts`,
  );
}

function generate(measure: Measure, store: Pick<Store, 'force' | 'msg'>, spec: IllustrativeSpec, seed: number): Series {
  const random = mulberry32(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const quarterly = measure.updateInterval === 'quarterly';
  const count = quarterly ? QUARTERLY_POINTS : MONTHLY_POINTS;
  const step = quarterly ? 3 : 1;
  const periods = Array.from({ length: count }, (_, i) => addMonths('2021-11', -step * (count - 1 - i)));
  // The trend method reads the latest 12 monthly or 8 quarterly points: drift is set across those.
  const windowSize = quarterly ? 8 : 12;
  const span = (windowSize - 1) * step;
  const mid = (count - 1) * step - span / 2;
  const { drift, noise } = spec.constant ? { drift: 0, noise: 0 } : shapeFor(measure.trend.label);
  const shape = (i: number, level: number, d: number, n: number) => {
    const t = i * step;
    return level * (1 + (d * (t - mid)) / span) * (1 + n * normal());
  };
  const clean = (v: number) => {
    const capped = spec.cap === undefined ? v : Math.min(spec.cap, v);
    return Number(Math.max(0, capped).toFixed(spec.decimals));
  };

  const peerFactors = measure.benchmark.status === 'published' ? peerFactorsFor(measure, store, random) : null;
  const points: SeriesPoint[] = periods.map((period, i) => {
    const point: SeriesPoint = { period, value: clean(shape(i, spec.level, drift, noise)) };
    if (peerFactors) {
      point.peers = {};
      for (const [slug, { factor, drift: peerDrift }] of peerFactors) {
        point.peers[slug] = { value: clean(shape(i, spec.level * factor, peerDrift, Math.max(noise, 0.02))) };
      }
    }
    return point;
  });
  return {
    source: ILLUSTRATIVE_SOURCE,
    official: false,
    caveats: [
      'Illustrative: invented by scripts/seed-series.ts (seeded, deterministic) ' +
        `so that the chart and the computed trend and rank reproduce the published report. ${spec.why}`,
      "Do not quote these numbers. Replace them with the force's own figures when available.",
    ],
    points,
  };
}

/**
 * Peer levels relative to the force: (rank − 1) peers perform better and the rest worse, by
 * random margins, so the published rank holds; the search loop checks the relation.
 */
function peerFactorsFor(measure: Measure, store: Pick<Store, 'force' | 'msg'>, random: () => number) {
  if (measure.benchmark.status !== 'published') return null;
  const peers = store.msg.forces.map((f) => f.slug).filter((s) => s !== store.force.slug);
  const better = measure.benchmark.rank - 1;
  const lowerIsBetter = measure.polarity === 'higher-is-worse';
  // Shuffled, so which peers beat the force is chance, not the store's order.
  for (let i = peers.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [peers[i], peers[j]] = [peers[j]!, peers[i]!];
  }
  const factors = new Map<string, { factor: number; drift: number }>();
  peers.forEach((slug, i) => {
    const gap = 0.1 + random() * 0.45;
    const isBetter = i < better;
    const up = isBetter !== lowerIsBetter;
    factors.set(slug, { factor: up ? 1 + gap : 1 / (1 + gap), drift: (random() - 0.5) * 0.1 });
  });
  return factors;
}

/** mulberry32: a small 32-bit PRNG; the same seed gives the same numbers in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** FNV-1a: a stable 32-bit seed from a string. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
