// Undoing an import: every point, series and ONS edition it changed goes back to what it was,
// in one write, logged as entries that say which import they undo. Any entry of the import
// names it. It is refused, and nothing changes, when the change is not an import, was already
// undone, or a later change touched the same points (then that change is named): reverting
// under it would silently throw away someone's later figures.
import { randomUUID } from 'node:crypto';
import {
  findMeasure,
  type ChangeEntry,
  type ChangeSource,
  type ImportRecord,
  type MeasuresStore,
  type Store,
} from '../store/index.ts';
import { details, same, setDetails } from './diff.ts';
import { UNDOABLE_IMPORTS } from './records.ts';

export class ImportUndoRefused extends Error {
  override name = 'ImportUndoRefused';
}

export interface UndoContext {
  author: string;
  source: ChangeSource;
  now?: Date;
}

export interface ImportUndone {
  /** The import's messageId. */
  undoes: string;
  messageId: string;
  files: string[];
  measures: string[];
  changes: number;
}

/** The import a change id (an entry's id, or the import's messageId) belongs to; throws ImportUndoRefused. */
export function importFor(store: Store, changeId: string): ImportRecord {
  const id = changeId.trim();
  const entry = store.changeLog.find((e) => e.id === id || e.messageId === id);
  if (!entry) throw new ImportUndoRefused(`no change "${id}" in the change log (measures history lists them)`);
  if (entry.undoes) throw new ImportUndoRefused(`${id} is itself an undo, not an import`);
  if (entry.source.kind !== 'import')
    throw new ImportUndoRefused(`${id} is not an import (it came from ${entry.source.kind}); only imports undo here`);
  const record = (store.imports ?? []).find((r) => r.messageId === entry.messageId);
  if (!record)
    throw new ImportUndoRefused(
      `${id} is from an import older than the ${UNDOABLE_IMPORTS} most recent (or made before imports kept what ` +
        'they replaced), so it cannot be undone; import the right file again instead',
    );
  const undoneBy = record.undoneBy ?? store.changeLog.find((e) => e.undoes === record.messageId)?.messageId;
  if (undoneBy) throw new ImportUndoRefused(`that import (${record.messageId}) was already undone (${undoneBy})`);
  return record;
}

/** Reverts the import on the draft (inside a locked mutate); throws ImportUndoRefused with nothing changed. */
export function undoImportOnDraft(draft: Store, changeId: string, ctx: UndoContext): ImportUndone {
  const record = importFor(draft, changeId);
  const log = draft.changeLog;
  const originals = log.filter((e) => e.messageId === record.messageId);
  const lastIndex = log.findLastIndex((e) => e.messageId === record.messageId);
  // Later changes that still stand: an undo and what it undid cancel out.
  const undoneLater = new Set(log.slice(lastIndex + 1).flatMap((e) => (e.undoes ? [e.undoes] : [])));
  const later = log.slice(lastIndex + 1).filter((e) => !e.undoes && !undoneLater.has(e.messageId));
  for (const original of originals) {
    const clash = later.find((e) => touchesSame(e, original));
    if (clash) refuseFor(draft, clash);
  }
  // The figures themselves must be as the import left them (a count can change without a log line).
  for (const m of record.measures) {
    const measure = findMeasure(draft, m.id)?.measure;
    const series = measure?.series ?? null;
    const current = new Map((series?.points ?? []).map((p) => [p.period, p]));
    const changedSince = m.points.find((p) => !same(current.get(p.period) ?? null, p.after));
    const extra = m.replaced
      ? [...current.keys()].find((period) => !m.points.some((p) => p.period === period))
      : undefined;
    if (!measure || changedSince || extra) {
      const clash = later.find((e) => e.target.kind === 'measure' && e.target.id === m.id);
      if (clash) refuseFor(draft, clash);
      throw new ImportUndoRefused(
        `${measure?.title ?? m.id} ${changedSince?.period ?? extra ?? ''} has changed since the import; ` +
          'nothing was undone',
      );
    }
  }
  for (const e of record.ons) {
    const current = draft.ons.find((x) => x.yearEnding === e.yearEnding) ?? null;
    if (!same(current, e.after))
      throw new ImportUndoRefused(
        `the ONS year ending ${e.yearEnding} has changed since the import; nothing was undone`,
      );
  }

  for (const m of record.measures) {
    const measure = findMeasure(draft, m.id)!.measure;
    if (m.replaced) {
      measure.series = structuredClone(m.replaced.before);
      continue;
    }
    const series = measure.series!;
    for (const p of m.points) {
      series.points = series.points.filter((x) => x.period !== p.period);
      if (p.before) series.points.push(structuredClone(p.before));
    }
    series.points.sort((a, b) => (a.period < b.period ? -1 : a.period > b.period ? 1 : 0));
    if (same(details(series), m.detailsAfter) && m.detailsBefore) setDetails(series, m.detailsBefore);
  }
  for (const e of record.ons) {
    draft.ons = draft.ons.filter((x) => x.yearEnding !== e.yearEnding);
    if (e.before) draft.ons.push(structuredClone(e.before));
  }
  draft.ons.sort((a, b) => (a.yearEnding < b.yearEnding ? -1 : 1));

  const messageId = `undo-import:${randomUUID()}`;
  const at = (ctx.now ?? new Date()).toISOString();
  const entries: ChangeEntry[] = [...originals].reverse().map((o, i) => ({
    id: `${messageId}#${i + 1}`,
    messageId,
    author: ctx.author,
    at,
    source: ctx.source,
    target: structuredClone(o.target),
    field: o.field,
    before: structuredClone(o.after),
    after: structuredClone(o.before),
    undoes: record.messageId,
  }));
  log.push(...entries);
  record.undoneBy = messageId;
  return {
    undoes: record.messageId,
    messageId,
    files: record.files.map((f) => f.name),
    measures: record.measures.map((m) => m.id),
    changes: entries.length,
  };
}

/** A later entry touches what an import's entry did: same measure and field (a replaced series: any figure of it). */
function touchesSame(later: ChangeEntry, original: ChangeEntry): boolean {
  if (later.target.kind !== original.target.kind || later.target.id !== original.target.id) return false;
  if (later.field === original.field) return true;
  const figure = (f: string) => f === 'series' || f.startsWith('value:') || f.startsWith('peer:');
  return (original.field === 'series' && figure(later.field)) || (later.field === 'series' && figure(original.field));
}

function refuseFor(store: Store, clash: ChangeEntry): never {
  const when = `${clash.at.slice(0, 16).replace('T', ' ')} UTC`;
  const title = findMeasure(store, clash.target.id)?.measure.title ?? clash.target.id;
  throw new ImportUndoRefused(
    `a later change touched the same figures: ${clash.id} (${title}, ${clash.field}, by ${clash.author} at ${when}); ` +
      'nothing was undone',
  );
}

/** Undoes an import in one locked write. */
export async function undoImport(store: MeasuresStore, changeId: string, ctx: UndoContext): Promise<ImportUndone> {
  return store.mutate((draft) => undoImportOnDraft(draft, changeId, ctx));
}
