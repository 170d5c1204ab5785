// Reading the change log. Pure functions over a snapshot.
import type { ChangeEntry, Store } from './schema.ts';
import { findPriority } from './lookup.ts';

export interface HistoryFilter {
  /** Only entries about this measure (its trend, MSG position, values, comments). */
  measureId?: string;
  /** Only entries about this priority: its actions and comments, and everything about its measures. */
  priorityId?: string;
  /** YYYY-MM-DD (from the start of that day, UTC) or a full ISO time. */
  since?: string;
}

/** Change-log entries matching the filter, newest first. */
export function historyEntries(store: Store, filter: HistoryFilter = {}): ChangeEntry[] {
  const sinceMs = filter.since
    ? Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(filter.since) ? `${filter.since}T00:00:00Z` : filter.since)
    : null;
  const priorityMeasures = filter.priorityId
    ? new Set(findPriority(store, filter.priorityId)?.measures.map((m) => m.id) ?? [])
    : null;
  const matches = (e: ChangeEntry) => {
    if (filter.measureId && !(e.target.kind === 'measure' && e.target.id === filter.measureId)) return false;
    if (priorityMeasures) {
      const mine = e.target.kind === 'priority' ? e.target.id === filter.priorityId : priorityMeasures.has(e.target.id);
      if (!mine) return false;
    }
    if (sinceMs !== null && Date.parse(e.at) < sinceMs) return false;
    return true;
  };
  // The log is appended in order; keep log order for entries with the same time.
  return store.changeLog
    .map((entry, index) => ({ entry, index }))
    .filter(({ entry }) => matches(entry))
    .sort((a, b) => Date.parse(b.entry.at) - Date.parse(a.entry.at) || b.index - a.index)
    .map(({ entry }) => entry);
}

export function entriesForMessage(store: Store, messageId: string): ChangeEntry[] {
  return store.changeLog.filter((e) => e.messageId === messageId);
}

/** True when a message with this id was already applied: Slack retries must not apply twice. */
export function hasMessage(store: Store, messageId: string): boolean {
  return store.changeLog.some((e) => e.messageId === messageId);
}
