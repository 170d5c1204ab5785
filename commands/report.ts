// `measures report [--as-of YYYY-MM-DD] [--format pdf|html|md] [--out FILE] [--final] [--json]`:
// the quarterly report from the store as it is now. Thin: the model, charts and renderers are
// in src/report/.
import fs from 'node:fs';
import path from 'node:path';
import { DateTime } from 'luxon';
import { parseCommandArgs } from './args.ts';
import { EXIT, UsageError, type CommandIO } from './io.ts';
import { readStore } from './store-access.ts';
import { digestZone } from '../src/digest/settings.ts';
import { quarterOf } from '../src/report/quarter.ts';
import { buildReportModel, reportSummary } from '../src/report/model.ts';
import { findFonts, MissingFontError } from '../src/report/fonts.ts';
import { REPORT_FORMATS, type ReportFormat, startReportCharts, writeReport } from '../src/report/write.ts';

const USAGE = 'usage: measures report [--as-of YYYY-MM-DD] [--format pdf|html|md] [--out FILE] [--final] [--json]';

function checkOutPath(file: string): void {
  const dir = path.dirname(path.resolve(file));
  if (!fs.statSync(dir, { throwIfNoEntry: false })?.isDirectory())
    throw new UsageError(`--out ${file}: the folder ${dir} does not exist`);
  if (fs.statSync(file, { throwIfNoEntry: false })?.isDirectory())
    throw new UsageError(`--out ${file}: that is a folder; give a file name`);
}

export async function run(argv: string[], io: CommandIO, now: Date = new Date()): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, {
    'as-of': { type: 'string' },
    format: { type: 'string', default: 'pdf' },
    out: { type: 'string' },
    final: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
    store: { type: 'string' },
  });
  if (positionals.length > 0) throw new UsageError(`unexpected "${positionals.join(' ')}"; ${USAGE}`);
  const format = values.format!.toLowerCase() as ReportFormat;
  if (!REPORT_FORMATS.includes(format)) throw new UsageError(`--format wants pdf, html or md, got "${values.format}"`);
  const zone = digestZone(io.env);
  if (!zone.ok) throw new UsageError(zone.error);
  const asOf = values['as-of']?.trim() ?? DateTime.fromJSDate(now).setZone(zone.zone).toISODate()!;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(asOf) || !DateTime.fromISO(asOf).isValid)
    throw new UsageError(`--as-of wants a date as YYYY-MM-DD, got "${values['as-of']}"`);
  const marking = (io.env.REPORT_MARKING ?? '').trim() || 'OFFICIAL';
  if (marking.length > 60) throw new UsageError('REPORT_MARKING is longer than 60 characters');

  const quarter = quarterOf(asOf, zone.zone);
  const out = values.out ?? `${quarter.fileStem}.${format}`;
  checkOutPath(out);
  let fonts;
  try {
    fonts = format === 'pdf' ? findFonts(io.env.REPORT_FONT_DIR?.trim() || undefined) : null;
  } catch (err) {
    if (err instanceof MissingFontError) {
      io.err(`measures report: ${err.message}`);
      return EXIT.storeError;
    }
    throw err;
  }

  // The chart workers fork and load canvas while the store is read and the model built.
  const charts = startReportCharts();
  let store;
  let model;
  try {
    store = await readStore(io, values.store);
    model = buildReportModel(store, { quarter, now, zone: zone.zone });
  } catch (err) {
    await (await charts).close();
    throw err;
  }
  // A progress line only for a person watching; redirected stderr (a log) stays clean. The bot,
  // which shows the progress in Slack, asks for whole lines with MEASURES_PROGRESS=lines.
  const tty = process.stderr.isTTY === true;
  const lines = io.env.MEASURES_PROGRESS === 'lines';
  const progress = (done: number, total: number) => {
    if (lines) process.stderr.write(`charts ${done}/${total}\n`);
    else if (tty) process.stderr.write(`\rcharts ${done}/${total}${done === total ? '\n' : ''}`);
  };
  let written;
  try {
    written = await writeReport(model, store, { format, out, fonts, marking, final: values.final, progress, charts });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code && /^E[A-Z]+$/.test(code)) throw new UsageError(`--out ${out}: cannot write it (${code})`);
    throw err;
  }
  const summary = reportSummary(model);
  if (values.json) {
    io.out(JSON.stringify({ file: written.file, quarter: summary.quarter, pages: written.pages, ...pick(summary) }));
  } else {
    const pages = written.pages === null ? '' : `, ${written.pages} pages`;
    io.out(`${written.file}: ${summary.quarter}${pages}${values.final ? '' : ', DRAFT'}`);
    if (written.chartsDir) io.err(`measures: charts written to ${written.chartsDir}`);
  }
  return EXIT.ok;
}

const pick = (s: { improved: number; worsened: number }) => ({ improved: s.improved, worsened: s.worsened });
