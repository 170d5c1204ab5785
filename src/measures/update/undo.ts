// undo: reverts the author's last update message (every line of it), unless someone has
// changed any of those fields since, in which case nothing is reverted.
import { findMeasure, findPriority } from '../../store/index.ts';
import type { Action, ChangeEntry, Comment, PeerValue, SeriesPoint, Store } from '../../store/index.ts';
import type { NewEntry } from './apply-ops.ts';
import { fieldPhrase } from './describe.ts';
import {
  ANALYST_SERIES_SOURCE,
  analystSeries,
  jsonEqual,
  pointFor,
  putPoint,
  sameAction,
  sameComment,
} from './store-access.ts';
import { UpdateRefused, type SourceLine, type UpdateTarget } from './types.ts';

/**
 * The author's last update message (not an import, not itself an undo, not undone) that touched
 * the target: under a robbery answer, "undo" picks the last message that changed robbery (or
 * its priority's actions), never one that only changed burglary. The message found is then
 * reverted whole, all of its lines, including lines about other measures of the same priority
 * message: an analyst undoes what they sent, and reverting part of it would leave figures that
 * no one ever wrote. A digest target is all measures.
 */
export function lastUndoableMessage(store: Store, author: string, target: UpdateTarget): string | null {
  const undone = new Set(store.changeLog.flatMap((e) => (e.undoes ? [e.undoes] : [])));
  const inScope = scopeOf(store, target);
  for (let i = store.changeLog.length - 1; i >= 0; i--) {
    const e = store.changeLog[i]!;
    // Imports (even one run with --as) are not update messages: re-import to change them.
    if (e.author === author && e.source.kind !== 'import' && !e.undoes && !undone.has(e.messageId) && inScope(e))
      return e.messageId;
  }
  return null;
}

function scopeOf(store: Store, target: UpdateTarget): (e: ChangeEntry) => boolean {
  if (target.kind === 'digest') return () => true;
  const priority =
    target.kind === 'priority' ? findPriority(store, target.id) : findMeasure(store, target.id)?.priority;
  const measureIds = new Set(target.kind === 'measure' ? [target.id] : (priority?.measures.map((m) => m.id) ?? []));
  return (e) => (e.target.kind === 'measure' ? measureIds.has(e.target.id) : e.target.id === priority?.id);
}

/** Reverts on the draft and returns the entries recording it; throws UpdateRefused (nothing kept) when it cannot. */
export function undoLastMessage(
  draft: Store,
  author: string,
  target: UpdateTarget,
  line: SourceLine,
): { undoes: string; entries: NewEntry[] } {
  const refuse = (reason: string): never => {
    throw new UpdateRefused({ line: line.number, text: line.text, reason });
  };
  const messageId =
    lastUndoableMessage(draft, author, target) ??
    refuse(target.kind === 'digest' ? 'you have no update to undo' : 'you have no update here to undo');
  const log = draft.changeLog;
  const lastIndex = log.findLastIndex((e) => e.messageId === messageId);
  const originals = log.filter((e) => e.messageId === messageId);
  const entries: NewEntry[] = [];
  // Newest first, so a message that changed one field twice unwinds in order.
  for (const original of [...originals].reverse()) {
    const current = readField(draft, original);
    if (!jsonEqual(current, original.after)) {
      const later = log.slice(lastIndex + 1).findLast((e) => sameThing(e, original));
      const who = later ? ` by ${later.author} at ${later.at.slice(0, 16).replace('T', ' ')} UTC` : '';
      refuse(`cannot undo: ${fieldPhrase(draft, original)} has been changed${who} since your update`);
    }
    writeField(draft, original, structuredClone(original.before));
    entries.push(
      structuredClone({
        target: original.target,
        field: original.field,
        before: original.after,
        after: original.before,
        undoes: messageId,
      }),
    );
  }
  return { undoes: messageId, entries };
}

function sameThing(a: ChangeEntry, b: ChangeEntry): boolean {
  return (
    a.target.kind === b.target.kind &&
    a.target.id === b.target.id &&
    (a.field === b.field || (a.field.startsWith('action') && b.field.startsWith('action')))
  );
}

/** The current value of what an entry changed, in the entry's own terms (null: absent). */
function readField(store: Store, entry: ChangeEntry): unknown {
  const { field } = entry;
  if (entry.target.kind === 'priority' && field !== 'comment') {
    const actions = findPriority(store, entry.target.id)?.plannedActions ?? [];
    const identity = (field === 'action:add' ? entry.after : entry.before) as Action;
    return actions.find((a) => sameAction(a, identity)) ?? null;
  }
  if (field === 'comment') {
    return commentsOf(store, entry).find((c) => sameComment(c, entry.after as Comment)) ?? null;
  }
  const measure = findMeasure(store, entry.target.id)?.measure;
  if (!measure) return undefined;
  if (field === 'trend') return measure.trend;
  if (field === 'benchmark') return measure.benchmark;
  const [kind, a, b] = field.split(':');
  if (kind === 'value') return pointFor(measure, a!);
  if (kind === 'peer') return pointFor(measure, b!)?.peers?.[a!] ?? null;
  return undefined;
}

function commentsOf(store: Store, entry: ChangeEntry): Comment[] {
  if (entry.target.kind === 'priority') return findPriority(store, entry.target.id)?.comments ?? [];
  return findMeasure(store, entry.target.id)?.measure.comments ?? [];
}

/** Sets what an entry changed back to `value`. Only called after readField matched the entry's after. */
function writeField(store: Store, entry: ChangeEntry, value: unknown): void {
  const { field } = entry;
  if (entry.target.kind === 'priority' && field !== 'comment') {
    const priority = findPriority(store, entry.target.id)!;
    const identity = (field === 'action:add' ? entry.after : entry.before) as Action;
    const index = priority.plannedActions.findIndex((a) => sameAction(a, identity));
    if (value === null) priority.plannedActions.splice(index, 1);
    else priority.plannedActions[index] = value as Action;
    return;
  }
  if (field === 'comment') {
    const comments = commentsOf(store, entry);
    comments.splice(
      comments.findIndex((c) => sameComment(c, entry.after as Comment)),
      1,
    );
    return;
  }
  const measure = findMeasure(store, entry.target.id)!.measure;
  if (field === 'trend') {
    measure.trend = value as typeof measure.trend;
    return;
  }
  if (field === 'benchmark') {
    measure.benchmark = value as typeof measure.benchmark;
    return;
  }
  const [kind, a, b] = field.split(':');
  if (kind === 'value') {
    const series = (measure.series ??= analystSeries());
    if (value === null) {
      series.points = series.points.filter((p) => p.period !== a);
      // A series that existed only for this value goes back to "no series".
      if (series.points.length === 0 && series.source === ANALYST_SERIES_SOURCE) measure.series = null;
    } else putPoint(series, value as SeriesPoint);
    return;
  }
  if (kind === 'peer') {
    const point = pointFor(measure, b!)!;
    const peers = { ...point.peers };
    if (value === null) delete peers[a!];
    else peers[a!] = value as PeerValue;
    if (Object.keys(peers).length > 0) point.peers = peers;
    else delete point.peers;
  }
}
