// The series import against a store: read the file (CSV or a one-sheet workbook), then check
// it against the measure and merge it in one locked mutate whose change-log entries share one
// messageId. The check runs inside the write, against the measure as it is under the lock,
// so a series replaced meanwhile is judged as it now is.
import path from 'node:path';
import { findMeasure, type MeasuresStore } from '../store/index.ts';
import { ImportChanges, newImportContext } from './change-log.ts';
import { ImportRefusal } from './refusal.ts';
import { refreshComputed, snapshotAll, type ComputedRefresh } from './refresh.ts';
import type { ImportOptions } from './run.ts';
import { checkSeriesTable } from './series/check.ts';
import { mergeSeriesFile } from './series/merge.ts';
import { readSeriesCsv } from './series/read-csv.ts';
import type { SeriesTable } from './series/table.ts';

export interface SeriesReport {
  source: 'series';
  applied: boolean;
  messageId: string | null;
  measure: string;
  file: string;
  periods: string[];
  replacedIllustrative: boolean;
  computed: ComputedRefresh[];
  changes: number;
}

export async function readSeriesFile(file: string): Promise<SeriesTable> {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.csv') return readSeriesCsv(file);
  if (ext === '.xlsx') return (await import('./series/read-xlsx.ts')).readSeriesXlsx(file);
  throw new ImportRefusal(path.basename(file), null, 'a series file is a .csv or a one-sheet .xlsx');
}

export async function importSeries(
  store: MeasuresStore,
  measureId: string,
  file: string,
  options: ImportOptions,
): Promise<SeriesReport> {
  const table = await readSeriesFile(file);
  const now = options.now ?? new Date();
  const ctx = newImportContext(options.author, now);
  const merged = await store.mutate((draft) => {
    const measure = findMeasure(draft, measureId)?.measure;
    if (!measure) throw new ImportRefusal(table.file, null, `no measure "${measureId}" in the store`);
    const checked = checkSeriesTable(table, measure, draft, now);
    const changes = new ImportChanges(ctx);
    const before = snapshotAll(draft);
    const summary = mergeSeriesFile(draft, measureId, checked, ctx, changes);
    draft.changeLog.push(...changes.entries);
    return { ...summary, computed: refreshComputed(before, draft, [measureId]) };
  });
  return {
    source: 'series',
    applied: true,
    messageId: merged.changes > 0 ? ctx.messageId : null,
    measure: measureId,
    file: table.file,
    periods: merged.periods,
    replacedIllustrative: merged.replacedIllustrative,
    computed: merged.computed,
    changes: merged.changes,
  };
}
