// The report build alone, in a fresh process (bench/report.ts forks it): its time and how much
// the process's resident memory grows while it builds, from just before the build to its peak.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readStore } from '../src/store/index.ts';
import { quarterOf } from '../src/report/quarter.ts';
import { buildReportModel } from '../src/report/model.ts';
import { findFonts } from '../src/report/fonts.ts';
import { writeReport } from '../src/report/write.ts';

const [storeFile] = process.argv.slice(2);
const store = await readStore(storeFile!, { notice: () => undefined });
// Loaded before the baseline, so the growth is the build's, not the modules'.
await import('pdfkit');
await import('../src/charts/service.ts');
await import('../src/report/pdf.ts');
const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'measures-bench-report-')), 'report.pdf');
const baseline = process.memoryUsage().rss;
const started = performance.now();
const cpu = process.cpuUsage();
const model = buildReportModel(store, {
  quarter: quarterOf('2021-11-30', 'Europe/London'),
  now: new Date(),
  zone: 'Europe/London',
});
const written = await writeReport(model, store, {
  format: 'pdf',
  out,
  fonts: findFonts(),
  marking: 'OFFICIAL',
  final: false,
});
const ms = performance.now() - started;
const used = process.cpuUsage(cpu);
// CPU time of this process alone (the chart workers are others): what a quiet machine would wait.
const cpuMs = (used.user + used.system) / 1000;
const peak = process.resourceUsage().maxRSS * 1024;
process.send!({
  ms,
  cpuMs,
  growthMb: (peak - baseline) / 1e6,
  peakMb: peak / 1e6,
  pages: written.pages,
  bytes: fs.statSync(out).size,
});
fs.rmSync(path.dirname(out), { recursive: true, force: true });
