// Renders a report model in one format and writes it, charts first (the bot's chart pool), then
// the file under a temporary name renamed into place, so nobody (the bot uploading it, say)
// ever reads half a report.
import fs from 'node:fs';
import path from 'node:path';
import type { Store } from '../store/index.ts';
import type { ChartService } from '../charts/service.ts';
import { renderReportCharts } from './charts.ts';
import type { FontSet } from './fonts.ts';
import type { ReportModel } from './model.ts';

export const REPORT_FORMATS = ['pdf', 'html', 'md'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export interface WriteOptions {
  format: ReportFormat;
  out: string;
  fonts: FontSet | null;
  marking: string;
  final: boolean;
  progress?: (done: number, total: number) => void;
  /** A chart pool already starting (its workers fork while the store is read); else one is made here. */
  charts?: Promise<ChartService>;
}

export interface WrittenReport {
  file: string;
  /** PDF only. */
  pages: number | null;
  /** Markdown only: the folder of PNGs beside it. */
  chartsDir: string | null;
}

function writeAtomically(file: string, bytes: Buffer | string): void {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  try {
    fs.writeFileSync(tmp, bytes);
    fs.renameSync(tmp, file);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
}

/**
 * The chart pool for one report. Two workers: the report is one job among the machine's others,
 * and two already halve the wait on a two-core machine. No cache: each chart is drawn once.
 */
export async function startReportCharts(): Promise<ChartService> {
  const { createChartService } = await import('../charts/service.ts');
  return createChartService({ workers: 2, cacheSize: 0 });
}

export async function writeReport(model: ReportModel, store: Store, options: WriteOptions): Promise<WrittenReport> {
  const service = await (options.charts ?? startReportCharts());
  let charts;
  try {
    charts = await renderReportCharts(model, store, service, options.progress);
  } finally {
    await service.close();
  }
  const file = options.out;
  if (options.format === 'pdf') {
    const { renderPdf } = await import('./pdf.ts');
    const pdf = await renderPdf(model, {
      fonts: options.fonts!,
      charts,
      marking: options.marking,
      final: options.final,
    });
    writeAtomically(file, pdf.bytes);
    return { file, pages: pdf.pages, chartsDir: null };
  }
  if (options.format === 'html') {
    const { renderHtml } = await import('./html.ts');
    writeAtomically(file, renderHtml(model, { charts, marking: options.marking, final: options.final }));
    return { file, pages: null, chartsDir: null };
  }
  const { renderMarkdown } = await import('./markdown.ts');
  const stem = path.basename(file).replace(/\.[^.]*$/, '');
  const chartsDir = path.join(path.dirname(file), `${stem}-charts`);
  fs.mkdirSync(chartsDir, { recursive: true });
  const md = renderMarkdown(model, {
    charts,
    chartsDir: path.basename(chartsDir),
    marking: options.marking,
    final: options.final,
  });
  for (const chart of md.files) fs.writeFileSync(path.join(chartsDir, chart.name), chart.png);
  writeAtomically(file, md.text);
  return { file, pages: null, chartsDir };
}
