// npm run bench: chart rendering figures as ONE JSON object on stdout (progress on stderr).
//   cold first render, uncached warm median/p95 (measure and priority), cache hits,
//   renders/s through the worker pool (and the main thread's event-loop delay meanwhile),
//   RSS before and after 3,000 uncached renders.
// Bounded: about a minute on a 2-core machine. CHART_BENCH_RENDERS overrides the 3,000.
import os from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { checkStore, SEED_STORE_FILE, type Store } from '../src/store/index.ts';
import { renderMeasureChart, renderPriorityChart } from '../src/charts/render.ts';
import { createChartService } from '../src/charts/service.ts';

const store = await checkStore(SEED_STORE_FILE);
const measureIds = store.priorities.flatMap((p) => p.measures.map((m) => m.id));
const MB = 1024 * 1024;
const round = (n: number, d = 2) => Math.round(n * 10 ** d) / 10 ** d;
const log = (msg: string) => process.stderr.write(`bench: ${msg}\n`);

function stats(samples: number[]): { median: number; p95: number; n: number } {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
  return { median: round(at(0.5)), p95: round(at(0.95)), n: s.length };
}

function time(fn: () => unknown): number {
  const t = performance.now();
  fn();
  return performance.now() - t;
}

/** A copy of the store whose series differ, so every chart of it misses the cache. */
function variant(n: number): Store {
  const copy = structuredClone(store);
  for (const m of copy.priorities.flatMap((p) => p.measures)) {
    const last = m.series?.points.at(-1);
    if (last) last.value = last.value * (1 + n * 1e-6);
  }
  return copy;
}

const rssStart = process.memoryUsage().rss;
log('cold render');
const coldMs = time(() => renderMeasureChart(store, 'robbery'));

log('warm uncached measure and priority renders');
for (let i = 0; i < 20; i++) renderMeasureChart(store, measureIds[i % measureIds.length]!);
const measureSamples = Array.from({ length: 200 }, () => time(() => renderMeasureChart(store, 'robbery')));
const allMeasureSamples = Array.from({ length: 190 }, (_, i) =>
  time(() => renderMeasureChart(store, measureIds[i % measureIds.length]!)),
);
const prioritySamples = Array.from({ length: 60 }, () =>
  time(() => renderPriorityChart(store, 'reduce-neighbourhood-crime')),
);

const renders = Number(process.env.CHART_BENCH_RENDERS ?? 3000);
log(`${renders} uncached renders for RSS`);
// Before the pool phase builds store copies, and after a settling run: RSS first grows
// while V8 and malloc size their heaps, which is not what this figure is about.
for (let i = 0; i < 300; i++) renderMeasureChart(store, measureIds[i % measureIds.length]!);
const rssBefore = process.memoryUsage().rss;
for (let i = 0; i < renders; i++) {
  renderMeasureChart(store, measureIds[i % measureIds.length]!);
  if (i % 500 === 499) log(`${i + 1} renders, rss ${round(process.memoryUsage().rss / MB, 1)} MB`);
}
const rssAfter = process.memoryUsage().rss;

log('worker pool: cache hits and throughput');
const workers = Math.min(2, os.availableParallelism());
const service = createChartService({ workers });
const poolStart = performance.now();
await Promise.all(
  Array.from({ length: workers }, (_, i) => service.render({ kind: 'measure', id: measureIds[i]! }, store)),
);
const poolColdMs = performance.now() - poolStart;
const hitSamples: number[] = [];
for (let i = 0; i < 200; i++) {
  const t = performance.now();
  await service.render({ kind: 'measure', id: measureIds[0]! }, store);
  hitSamples.push(performance.now() - t);
}
const POOL_RENDERS = 190;
const stores = Array.from({ length: POOL_RENDERS / measureIds.length }, (_, i) => variant(i + 1));
const delay = monitorEventLoopDelay({ resolution: 5 });
delay.enable();
const t0 = performance.now();
await Promise.all(stores.flatMap((s) => measureIds.map((id) => service.render({ kind: 'measure', id }, s))));
const poolSeconds = (performance.now() - t0) / 1000;
delay.disable();
await service.close();

const measure = stats(measureSamples);
const result = {
  // Other work on a shared machine slows every figure here: the load average says how much.
  machine: { cpus: os.availableParallelism(), node: process.version, loadAverage1m: round(os.loadavg()[0]!, 1) },
  coldFirstRenderMs: round(coldMs, 1),
  warmUncached: {
    measureChartMs: measure,
    anyMeasureChartMs: stats(allMeasureSamples),
    priorityChartMs: stats(prioritySamples),
  },
  cacheHitMs: stats(hitSamples),
  pool: {
    workers,
    coldStartMs: round(poolColdMs, 0),
    renders: POOL_RENDERS,
    rendersPerSecond: round(POOL_RENDERS / poolSeconds, 1),
    mainThreadEventLoopDelayMs: { p99: round(delay.percentile(99) / 1e6), max: round(delay.max / 1e6) },
  },
  rss: {
    startMb: round(rssStart / MB, 1),
    beforeMb: round(rssBefore / MB, 1),
    afterMb: round(rssAfter / MB, 1),
    growthMb: round((rssAfter - rssBefore) / MB, 1),
    renders,
  },
  goals: {
    measureMedianAtMost20Ms: measure.median <= 20,
    rssGrowthAtMost30Mb: (rssAfter - rssBefore) / MB <= 30,
  },
};
process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
