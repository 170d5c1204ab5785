// The chart service for the Slack app: renders off the event loop in a small pool of
// worker processes (so acks stay fast while many charts render), caches PNGs by
// (kind, id, data version) and shares one render between identical concurrent requests.
// Processes rather than worker_threads: see render-worker.ts (node-canvas segfaults when a
// worker thread that drew ends). IPC uses advanced serialisation, so PNGs travel as bytes.
import { createHash } from 'node:crypto';
import os from 'node:os';
import { fork, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { LRUCache } from 'lru-cache';
import { findMeasure, findPriority, type Store } from '../store/index.ts';
import { hasChartPoints, type ChartStore } from './chart-data.ts';
import type { AnyChartRequest, RenderedChart } from './render.ts';
import type { WorkerJob, WorkerReply } from './render-worker.ts';
import { ENGLAND_AND_WALES_CODE } from '../measures/ons-comparison.ts';

export interface ChartServiceOptions {
  /** Worker processes; default: one less than the cores, at least 1, at most 4. */
  workers?: number;
  /** PNGs kept (least recently used dropped); 0 disables the cache. Default 200. */
  cacheSize?: number;
  /** The worker entry file; tests point it at a failing one. */
  workerEntry?: string;
}

/** Workers that die before they are ready this many times in a row mean rendering is broken. */
const MAX_STARTUP_FAILURES = 3;

/**
 * How much nicer than the bot the chart workers run. On a machine with few cores a render
 * (tens of milliseconds of CPU) competes with the bot's own process, which must read and ack
 * slash commands within Slack's 3 s; the OS then gives the bot the core first. Moderate, not
 * 19: other processes on the machine still run at the default priority, and a first answer's
 * chart should not starve behind them.
 */
const WORKER_NICENESS = 5;

export type ServedChart = RenderedChart;

export interface RenderOptions {
  /**
   * A render nobody is waiting for (the prewarm after start): it waits until no answer's
   * render is queued, so a question asked meanwhile is not queued behind every other chart.
   */
  background?: boolean;
}

export interface ChartService {
  /** Null when there is nothing to draw (unknown id, or no series): never an empty chart. */
  render(request: AnyChartRequest, store: ChartStore | Store, options?: RenderOptions): Promise<ServedChart | null>;
  readonly stats: { renders: number; cacheHits: number; shared: number };
  /** The worker processes' ids (running or starting). */
  readonly workerPids: number[];
  close(): Promise<void>;
}

interface Slot {
  worker: ChildProcess;
  ready: boolean;
  job: { jobId: number; resolve: (c: ServedChart | null) => void; reject: (e: Error) => void } | null;
}

interface Queued {
  job: WorkerJob;
  resolve: (c: ServedChart | null) => void;
  reject: (e: Error) => void;
}

const FROM_SOURCES = import.meta.url.endsWith('.ts');
/**
 * From the TypeScript sources (tests) a worker runs render-worker.ts under tsx's loader, resolved
 * from here so that it is found whatever the working directory; the build in dist/ starts
 * compiled-worker.js, which needs no loader.
 */
const WORKER_ENTRY = fileURLToPath(
  new URL(FROM_SOURCES ? './render-worker.ts' : './compiled-worker.js', import.meta.url),
);
const WORKER_EXEC_ARGV = FROM_SOURCES
  ? ['--import', pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href]
  : [];

export function createChartService(options: ChartServiceOptions = {}): ChartService {
  const size = Math.max(1, options.workers ?? Math.min(4, Math.max(1, os.availableParallelism() - 1)));
  // lru-cache wants a whole number and refuses 0, which here means no cache at all.
  const cacheSize = Math.floor(options.cacheSize ?? 200);
  const cache = cacheSize > 0 ? new LRUCache<string, ServedChart>({ max: cacheSize }) : null;
  const inFlight = new Map<string, { promise: Promise<ServedChart | null>; queued: Queued }>();
  // Answers' renders first, then the background ones, each in order of arrival.
  const queue: Queued[] = [];
  const background: Queued[] = [];
  const slots: Slot[] = [];
  const stats = { renders: 0, cacheHits: 0, shared: 0 };
  let nextJob = 1;
  let closed = false;
  let startupFailures = 0;
  /** Set when workers keep dying at start-up (e.g. a broken canvas build): renders reject with it. */
  let broken: Error | null = null;
  const entry = options.workerEntry ?? WORKER_ENTRY;

  const spawn = (): Slot => {
    // execArgv is given, not inherited, so a test runner's or debugger's flags do not reach
    // the workers: only tsx's loader.
    const child = fork(entry, [], {
      serialization: 'advanced',
      execArgv: WORKER_EXEC_ARGV,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    lowerPriority(child);
    const slot: Slot = { worker: child, ready: false, job: null };
    child.on('message', (message) => {
      const reply = message as WorkerReply | { ready: true };
      if ('ready' in reply) {
        slot.ready = true;
        startupFailures = 0;
        return;
      }
      const job = slot.job;
      slot.job = null;
      if (job && reply.jobId === job.jobId) {
        if (reply.ok) {
          const png = reply.chart?.png;
          job.resolve(
            reply.chart && png
              ? { ...reply.chart, png: Buffer.from(png.buffer, png.byteOffset, png.byteLength) }
              : null,
          );
        } else {
          job.reject(new Error(`chart worker failed: ${reply.error}`));
        }
      }
      dispatch();
    });
    const fail = (err: Error) => {
      // A crashed worker fails only its own job; a fresh worker takes its place, unless
      // workers keep dying before they are ready, which no respawn will fix.
      slot.job?.reject(err);
      slot.job = null;
      const i = slots.indexOf(slot);
      if (!slot.ready && ++startupFailures >= MAX_STARTUP_FAILURES && !broken) {
        broken = new Error(`chart workers fail to start (${err.message})`);
        for (const q of [...queue.splice(0), ...background.splice(0)]) q.reject(broken);
      }
      if (i >= 0 && !closed && !broken) {
        slots[i] = spawn();
        dispatch();
      }
    };
    // 'error' (spawn failed) may be followed by 'exit': handle the slot once.
    let failed = false;
    const failOnce = (err: Error) => {
      if (failed || closed) return;
      failed = true;
      fail(err);
    };
    child.on('error', failOnce);
    child.on('exit', (code, signal) => failOnce(new Error(`chart worker exited (${signal ?? `code ${code}`})`)));
    return slot;
  };
  for (let i = 0; i < size; i++) slots.push(spawn());

  function dispatch(): void {
    for (const slot of slots) {
      if (slot.job) continue;
      const next = queue.shift() ?? background.shift();
      if (!next) return;
      slot.job = { jobId: next.job.jobId, resolve: next.resolve, reject: next.reject };
      slot.worker.send(next.job);
    }
  }

  function enqueue(
    request: AnyChartRequest,
    store: ChartStore,
    toBackground: boolean,
  ): Queued & { promise: Promise<ServedChart | null> } {
    const queued = { job: { jobId: nextJob++, request, store } } as Queued & { promise: Promise<ServedChart | null> };
    queued.promise = new Promise((resolve, reject) => {
      queued.resolve = resolve;
      queued.reject = reject;
      if (closed) return reject(new Error('chart service is closed'));
      if (broken) return reject(broken);
      (toBackground ? background : queue).push(queued);
      dispatch();
    });
    return queued;
  }

  /** An answer now waits for this background render: it moves to the end of the answers' queue. */
  function promote(queued: Queued): void {
    const i = background.indexOf(queued);
    if (i >= 0) queue.push(...background.splice(i, 1));
  }

  return {
    stats,
    get workerPids() {
      return slots.flatMap((s) => (s.worker.pid === undefined ? [] : [s.worker.pid]));
    },
    async render(request, store, options = {}) {
      const slice = sliceFor(store, request);
      if (!slice) return null;
      const key = `${request.kind}:${request.id}:${dataVersion(slice)}`;
      const hit = cache?.get(key); // a hit becomes the most recently used
      if (hit) {
        stats.cacheHits++;
        return hit;
      }
      const pending = inFlight.get(key);
      if (pending) {
        stats.shared++;
        if (!options.background) promote(pending.queued);
        return pending.promise;
      }
      stats.renders++;
      const queued = enqueue(request, slice, options.background === true);
      const promise = queued.promise.finally(() => inFlight.delete(key));
      inFlight.set(key, { promise, queued });
      const chart = await promise;
      if (chart) cache?.set(key, chart);
      return chart;
    },
    async close() {
      closed = true;
      for (const q of [...queue.splice(0), ...background.splice(0)]) q.reject(new Error('chart service closed'));
      await Promise.all(slots.map((s) => stop(s.worker)));
      for (const s of slots) s.job?.reject(new Error('chart service closed'));
    },
  };
}

/**
 * Just what the chart needs (the force, its MSG, and the measure or priority), so workers
 * get a few kB per job, and the cache key changes only when the chart's own data changes.
 */
export function sliceFor(store: ChartStore, request: AnyChartRequest): ChartStore | null {
  if (request.kind === 'scorecard') {
    // Every measure's series, without the text the scorecard never draws.
    const priorities = store.priorities.map((p) => ({
      ...p,
      plannedActions: [],
      comments: [],
      measures: p.measures.map((m) => ({ ...m, comments: [] })),
    }));
    return { force: store.force, msg: store.msg, priorities };
  }
  if (request.kind === 'measure') {
    const found = findMeasure(store, request.id);
    if (!found || !hasChartPoints(found.measure)) return null;
    return withEnglandAndWales(store, {
      force: store.force,
      msg: store.msg,
      priorities: [{ ...found.priority, plannedActions: [], comments: [], measures: [found.measure] }],
    });
  }
  const priority = findPriority(store, request.id);
  if (!priority || !priority.measures.some(hasChartPoints)) return null;
  return withEnglandAndWales(store, {
    force: store.force,
    msg: store.msg,
    priorities: [{ ...priority, plannedActions: [], comments: [] }],
  });
}

/** England and Wales only: the rest of the ONS tables would just make every job bigger. */
function withEnglandAndWales(store: ChartStore, slice: ChartStore): ChartStore {
  const usesOns = slice.priorities.some((p) => p.measures.some((m) => m.sourceMapping.ons.length > 0));
  if (store.ons?.length && usesOns)
    slice.ons = store.ons.map((e) => ({ ...e, areas: e.areas.filter((a) => a.code === ENGLAND_AND_WALES_CODE) }));
  return slice;
}

export function dataVersion(slice: ChartStore): string {
  return createHash('sha1').update(JSON.stringify(slice)).digest('base64url').slice(0, 16);
}

/** Best effort: where the OS refuses (or the spawn failed), the worker keeps the bot's priority. */
function lowerPriority(child: ChildProcess): void {
  if (child.pid === undefined) return;
  try {
    os.setPriority(child.pid, Math.min(19, os.getPriority() + WORKER_NICENESS));
  } catch {
    // e.g. EACCES in a container that forbids it: rendering works the same, only less politely.
  }
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}
