// A chart worker process, forked by service.ts with tsx's loader: renders the charts it is
// sent with its own reused renderer and sends back the PNG. Worker processes, not
// worker_threads: node-canvas 3 is not context-aware, and any process whose worker thread
// has called getContext('2d') segfaults when that thread ends (checked with canvas 3.2.3 on
// Node 20).
import type { ChartStore } from './chart-data.ts';
import { renderChart, type AnyChartRequest } from './render.ts';

export interface WorkerJob {
  jobId: number;
  request: AnyChartRequest;
  store: ChartStore;
}

export type WorkerReply =
  | { jobId: number; ok: true; chart: { png: Uint8Array; altText: string; filename: string; title: string } | null }
  | { jobId: number; ok: false; error: string };

if (!process.send) throw new Error('render-worker.ts runs only as a forked chart worker');
const send = (reply: WorkerReply | { ready: true }) => process.send!(reply);

process.on('message', (job: WorkerJob) => {
  try {
    send({ jobId: job.jobId, ok: true, chart: renderChart(job.store, job.request) });
  } catch (err) {
    send({ jobId: job.jobId, ok: false, error: (err as Error).stack ?? String(err) });
  }
});
// The parent went away: nothing left to render for.
process.on('disconnect', () => process.exit(0));
send({ ready: true });
