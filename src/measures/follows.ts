// Who follows which measures, worked out from the store's follow rows at the moment of asking:
// a followed priority covers the measures it has now, not those it had when it was followed.
import type { Store } from '../store/index.ts';

function rowsOf(store: Store, user: string) {
  return store.follows.filter((f) => f.user === user);
}

/** The measure ids `user` follows now, in the report's order. */
export function followedMeasureIds(store: Store, user: string): string[] {
  const rows = rowsOf(store, user);
  const direct = new Set(
    rows.filter((r) => r.mode === 'follow' && r.target.kind === 'measure').map((r) => r.target.id),
  );
  const priorities = new Set(
    rows.filter((r) => r.mode === 'follow' && r.target.kind === 'priority').map((r) => r.target.id),
  );
  const except = new Set(rows.filter((r) => r.mode === 'except').map((r) => r.target.id));
  const out: string[] = [];
  for (const p of store.priorities)
    for (const m of p.measures) {
      const viaPriority = priorities.has(p.id) && !except.has(m.id);
      if (direct.has(m.id) || viaPriority) out.push(m.id);
    }
  return out;
}

/** Everyone who follows measure `measureId` now, directly or through its priority. */
export function followersOf(store: Store, measureId: string): string[] {
  const users = new Set(store.follows.map((f) => f.user));
  return [...users].filter((u) => followedMeasureIds(store, u).includes(measureId)).sort();
}
