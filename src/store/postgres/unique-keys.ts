// Keys that must be claimed once across all replicas, mirrored from the document into rows with
// a primary key. The document is still where the rest of the code reads them; the rows make a
// second claim fail on the constraint, inside the same transaction, even if logic slipped.
import type { Store } from '../schema.ts';

/** One line per kind of key: its name in the table and the keys a document holds. */
export const UNIQUE_KEYS: ReadonlyArray<{ kind: string; keys: (store: Store) => string[] }> = [
  { kind: 'digest', keys: (s) => s.digest.keys.map((k) => JSON.stringify([k.channel, k.week])) },
  { kind: 'personal-digest', keys: (s) => s.personalDigests.keys.map((k) => JSON.stringify([k.user, k.week])) },
];

export interface KeyChanges {
  kind: string;
  added: string[];
  removed: string[];
}

/**
 * What the rows must gain and lose to go from `before` to `after` (null before: the rows are
 * rebuilt). Counted, not deduplicated: a key the document holds twice is added twice, so the
 * primary key refuses the second claim instead of the mirror quietly hiding it.
 */
export function keyChanges(before: Store | null, after: Store): KeyChanges[] {
  return UNIQUE_KEYS.map(({ kind, keys }) => {
    const old = counts(before ? keys(before) : []);
    const now = counts(keys(after));
    const added: string[] = [];
    const removed: string[] = [];
    for (const [key, n] of now) for (let i = old.get(key) ?? 0; i < n; i++) added.push(key);
    for (const [key, n] of old) if (!now.has(key) && n > 0) removed.push(key);
    return { kind, added, removed };
  });
}

function counts(keys: string[]): Map<string, number> {
  const map = new Map<string, number>();
  for (const k of keys) map.set(k, (map.get(k) ?? 0) + 1);
  return map;
}
