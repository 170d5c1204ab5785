// Which changes a digest covers: everything since the last sent digest, or the last 7 days.
import type { Store } from '../store/schema.ts';

export const DEFAULT_WINDOW_DAYS = 7;

export function defaultSince(store: Store, until: Date): Date {
  const last = store.digest.lastSentAt ? new Date(store.digest.lastSentAt) : null;
  if (last && last < until) return last;
  return new Date(until.getTime() - DEFAULT_WINDOW_DAYS * 86_400_000);
}
