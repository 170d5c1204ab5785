// Who has the Home tab open lately. The rows live in the store (homeViewers), so every replica
// and every restart republishes for the same people. Pure: the listener writes through mutate.
import type { HomeViewer, Store } from '../../store/index.ts';

/** A user's row is rewritten at most this often: opening the tab is frequent, a store write is not free. */
export const VIEWER_WRITE_EVERY_MS = 60 * 60 * 1000;
/** Who opened the tab within this long sees it republished after a change. */
export const REPUBLISH_WITHIN_MS = 7 * 24 * 60 * 60 * 1000;

function openedAt(row: HomeViewer): number {
  return Date.parse(row.openedAt);
}

/** True when `user` has no row, or one older than an hour: then the open is worth a write. */
export function needsViewerWrite(store: Pick<Store, 'homeViewers'>, user: string, now: Date): boolean {
  const row = store.homeViewers.find((v) => v.user === user);
  return !row || now.getTime() - openedAt(row) >= VIEWER_WRITE_EVERY_MS;
}

/**
 * Records that `user` opened the tab at `now`, and forgets everyone who has not opened it
 * within the republishing window, so the list stays as long as the tab's regular readers.
 */
export function recordViewer(draft: Pick<Store, 'homeViewers'>, user: string, now: Date): void {
  const kept = draft.homeViewers.filter((v) => v.user !== user && now.getTime() - openedAt(v) < REPUBLISH_WITHIN_MS);
  draft.homeViewers = [{ user, openedAt: now.toISOString() }, ...kept];
}

/** Users who opened the tab within the last seven days, the most recent first. */
export function recentViewers(store: Pick<Store, 'homeViewers'>, now: Date): string[] {
  return store.homeViewers
    .filter((v) => now.getTime() - openedAt(v) < REPUBLISH_WITHIN_MS)
    .sort((a, b) => openedAt(b) - openedAt(a))
    .map((v) => v.user);
}
