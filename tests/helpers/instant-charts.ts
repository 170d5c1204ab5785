// Chart services whose worker is a stand-in that answers each job at once, in order, with a
// one-byte PNG: for tests of the service's own queue and cache, which need no canvas.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach } from 'vitest';
import { type ChartService, type ChartServiceOptions, createChartService } from '../../src/charts/service.ts';
import { tempDir } from './seed.ts';

function instantWorker(): string {
  const entry = path.join(tempDir('charts-instant-'), 'instant-worker.mjs');
  fs.writeFileSync(
    entry,
    `const chart = (job) => ({ png: new Uint8Array([1]), altText: '', filename: job.request.id, title: '' });
process.on('message', (job) => process.send({ jobId: job.jobId, ok: true, chart: chart(job) }));
process.on('disconnect', () => process.exit(0));
process.send({ ready: true });
`,
  );
  return entry;
}

/** Returns a starter of such services; each one started is closed after its test. */
export function instantChartServices(): (options: Omit<ChartServiceOptions, 'workerEntry'>) => ChartService {
  const services: ChartService[] = [];
  afterEach(async () => {
    await Promise.all(services.splice(0).map((s) => s.close()));
  });
  return (options) => {
    const s = createChartService({ ...options, workerEntry: instantWorker() });
    services.push(s);
    return s;
  };
}
