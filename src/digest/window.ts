// Which changes a digest covers: everything since the last sent digest, or the last 7 days.
// One rule for the posted digest's key (keys.ts), the preview and the CLI.
import type { Store } from '../store/index.ts';

export const DEFAULT_WINDOW_DAYS = 7;

/** The window's start as ISO: the stored lastSentAt as written when it is before `until`, else 7 days back. */
export function defaultSinceIso(store: Store, until: Date): string {
  const last = store.digest.lastSentAt;
  return last && Date.parse(last) < until.getTime()
    ? last
    : new Date(until.getTime() - DEFAULT_WINDOW_DAYS * 86_400_000).toISOString();
}

export function defaultSince(store: Store, until: Date): Date {
  return new Date(defaultSinceIso(store, until));
}
