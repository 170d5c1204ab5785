// The two imports against a store: read and check every input first (nothing touched on a
// refusal), then merge in one locked mutate whose change-log entries share one messageId.
import path from 'node:path';
import { allMeasures, type MeasuresStore, type Store } from '../store/index.ts';
import { ImportChanges, newImportContext } from './change-log.ts';
import { readPoliceUk } from './police-uk/read.ts';
import type { SkippedInput } from './police-uk/inputs.ts';
import { mergePoliceUk, type MeasureMergeSummary } from './police-uk/merge.ts';
import type { OnsWorkbook } from './ons/workbook.ts';
import { mergeOnsEdition, type OnsMergeSummary } from './ons/merge.ts';
import { refreshComputed, snapshotAll, type ComputedRefresh } from './refresh.ts';

export interface ImportOptions {
  author: string;
  /** police.uk only: let real figures replace an illustrative series (see MergeOptions). */
  replaceIllustrative?: boolean;
  progress?: (text: string) => void;
  /** The import's clock: stamped on what it writes, and police.uk months after it are refused. */
  now?: Date;
}

export interface PoliceUkReport {
  source: 'police-uk';
  applied: boolean;
  /** Why nothing was applied, when applied is false. */
  reason?: string;
  messageId: string | null;
  files: { label: string; force: string; month: string; rows: number }[];
  rows: number;
  seconds: number;
  skipped: SkippedInput[];
  measures: MeasureMergeSummary[];
  /** Measures whose series the import left alone, and why. */
  kept: { id: string; reason: string }[];
  /** The computed MSG rank and trend of each measure fed, before and after (the shared methods). */
  computed: ComputedRefresh[];
  unplaced: { force: string; month: string }[];
  /** Rows by crime type that no fed measure uses: counted and reported, not stored. */
  unusedTypes: Record<string, number>;
  /** Files holding rows whose "Falls within" is not their force's (counted for the file's force). */
  otherFallsWithin: { label: string; rows: number }[];
  changes: number;
}

export interface OnsReport {
  source: 'ons';
  applied: boolean;
  reason?: string;
  messageId: string | null;
  editions: (OnsMergeSummary & { scope: string | null })[];
  /** The computed MSG rank and trend of each measure whose ONS series took an edition. */
  computed: ComputedRefresh[];
  changes: number;
}

export type ImportReport = PoliceUkReport | OnsReport;

export async function importPoliceUk(
  store: MeasuresStore,
  paths: string[],
  options: ImportOptions,
): Promise<PoliceUkReport> {
  const started = performance.now();
  const forces = store.snapshot().msg.forces;
  const read = await readPoliceUk(
    paths,
    forces,
    (p) =>
      options.progress?.(
        `${p.rows.toLocaleString('en-GB')} rows from ${p.files + 1} street files; ` +
          `reading ${path.basename(p.currentFile)}`,
      ),
    options.now,
  );
  const base = {
    source: 'police-uk' as const,
    files: read.files.map((f) => ({ label: f.label, force: f.force, month: f.month, rows: f.rows })),
    rows: read.rows,
    seconds: (performance.now() - started) / 1000,
    skipped: read.skipped,
    otherFallsWithin: read.files
      .filter((f) => f.otherFallsWithin > 0)
      .map((f) => ({ label: f.label, rows: f.otherFallsWithin })),
  };
  const unusedTypes = (fed: string[], draft: Store): Record<string, number> => {
    const used = new Set(
      allMeasures(draft)
        .filter((m) => fed.includes(m.id))
        .flatMap((m) => m.sourceMapping.policeUk),
    );
    const out: Record<string, number> = {};
    for (const file of read.files)
      for (const [type, n] of file.byType) if (!used.has(type)) out[type] = (out[type] ?? 0) + n;
    return out;
  };
  if (read.files.length === 0) {
    return {
      ...base,
      applied: false,
      reason: 'no street files of the most similar group forces were found',
      messageId: null,
      measures: [],
      kept: [],
      computed: [],
      unplaced: [],
      unusedTypes: {},
      changes: 0,
    };
  }
  const ctx = newImportContext(options.author, options.now);
  const merged = await store.mutate((draft) => {
    const changes = new ImportChanges(ctx);
    const before = snapshotAll(draft);
    const summary = mergePoliceUk(draft, read.files, ctx, changes, {
      replaceIllustrative: options.replaceIllustrative,
    });
    draft.changeLog.push(...changes.entries);
    const fed = summary.measures.map((m) => m.id);
    return { ...summary, computed: refreshComputed(before, draft, fed), unusedTypes: unusedTypes(fed, draft) };
  });
  return {
    ...base,
    applied: true,
    messageId: merged.changes > 0 ? ctx.messageId : null,
    measures: merged.measures,
    kept: merged.kept,
    computed: merged.computed,
    unusedTypes: merged.unusedTypes,
    unplaced: merged.unplaced,
    changes: merged.changes,
  };
}

export async function importOns(store: MeasuresStore, paths: string[], options: ImportOptions): Promise<OnsReport> {
  // exceljs is loaded only for an ONS import: a police.uk import does not pay for it.
  const { readOnsWorkbook } = await import('./ons/workbook.ts');
  const books: OnsWorkbook[] = [];
  for (const file of paths) {
    options.progress?.(`reading ${path.basename(file)}`);
    books.push(await readOnsWorkbook(file));
  }
  const ctx = newImportContext(options.author, options.now);
  const { editions, computed } = await store.mutate((draft: Store) => {
    const changes = new ImportChanges(ctx);
    const before = snapshotAll(draft);
    const out = books.map((book) => ({ ...mergeOnsEdition(draft, book, ctx, changes), scope: book.scope }));
    draft.changeLog.push(...changes.entries);
    const fed = [...new Set(out.flatMap((e) => e.series))];
    return { editions: out, computed: refreshComputed(before, draft, fed) };
  });
  const changes = editions.reduce((n, e) => n + e.changes, 0);
  return { source: 'ons', applied: true, messageId: changes > 0 ? ctx.messageId : null, editions, computed, changes };
}
