// What a follower is told about one change set (all entries of one update message or one
// import): the digest's own change rows (from/to, better or worse by polarity, who, when,
// the thread) narrowed to what they follow, and the crossing alerts that lead the DM. Pure.
import type { ChangeEntry, Measure, Store } from '../store/index.ts';
import { findMeasure } from '../store/index.ts';
import { ordinal } from '../measures/wording.ts';
import { buildDigest, type DigestChange } from './build.ts';

export interface ChangeSet {
  messageId: string;
  entries: ChangeEntry[];
}

/**
 * The change sets logged after the entry `seenThrough` (null: the whole log), oldest first.
 * An unknown `seenThrough` (the log was replaced) reads nothing: replaying a whole log to
 * followers would be worse than missing one set.
 */
export function changeSetsAfter(store: Store, seenThrough: string | null): ChangeSet[] {
  let start = 0;
  if (seenThrough !== null) {
    const index = store.changeLog.findIndex((e) => e.id === seenThrough);
    if (index === -1) return [];
    start = index + 1;
  }
  const sets = new Map<string, ChangeEntry[]>();
  for (const entry of store.changeLog.slice(start)) {
    const list = sets.get(entry.messageId) ?? [];
    list.push(entry);
    sets.set(entry.messageId, list);
  }
  return [...sets].map(([messageId, entries]) => ({ messageId, entries }));
}

export interface Crossing {
  measureId: string;
  measure: string;
  direction: 'better' | 'worse';
  /** Plain text: "now below the MSG average (was above)". */
  text: string;
}

interface Published {
  rank: number;
  of: number;
  relation: 'above' | 'below' | 'similar';
}

function published(v: unknown): Published | null {
  const o = v && typeof v === 'object' ? (v as Record<string, unknown>) : null;
  if (o?.status !== 'published' || typeof o.rank !== 'number' || typeof o.of !== 'number') return null;
  const relation = o.relation === 'above' || o.relation === 'below' || o.relation === 'similar' ? o.relation : null;
  return relation ? { rank: o.rank, of: o.of, relation } : null;
}

/** The worst three ranks of the group (6th–8th of 8); rank 1 is best whatever the polarity. */
const inWorstThree = (b: Published) => b.rank > b.of - 3;

/**
 * Crossings in one measure's MSG position, before the set against after it: the raw value
 * moving between above and below the MSG average, and the rank entering or leaving the worst
 * three. A measure without a published MSG position on either side has none.
 */
export function crossingsOf(measure: Measure, before: unknown, after: unknown): Crossing[] {
  const from = published(before);
  const to = published(after);
  if (!from || !to) return [];
  const out: Crossing[] = [];
  const flipped =
    (from.relation === 'above' && to.relation === 'below') || (from.relation === 'below' && to.relation === 'above');
  if (flipped) {
    const worseAbove = measure.polarity === 'higher-is-worse';
    out.push({
      measureId: measure.id,
      measure: measure.title,
      direction: (to.relation === 'above') === worseAbove ? 'worse' : 'better',
      text: `now ${to.relation} the MSG average (was ${from.relation})`,
    });
  }
  if (inWorstThree(from) !== inWorstThree(to)) {
    const entered = inWorstThree(to);
    const move = `${ordinal(from.rank)} → ${ordinal(to.rank)} of ${to.of}`;
    out.push({
      measureId: measure.id,
      measure: measure.title,
      direction: entered ? 'worse' : 'better',
      text: `${entered ? 'entered' : 'left'} the worst three in the MSG: ${move}`,
    });
  }
  return out;
}

export interface ChangeSetView {
  messageId: string;
  /** Whoever made the set (its last entry's author). */
  author: string;
  /** ISO time of its last entry. */
  at: string;
  changes: DigestChange[];
  crossings: Crossing[];
}

/** The whole set described, in the digest's order; `zone` words its times. */
export function describeChangeSet(store: Store, set: ChangeSet, zone: string): ChangeSetView {
  const first = set.entries[0]!;
  const last = set.entries[set.entries.length - 1]!;
  const digest = buildDigest(store, {
    since: new Date(Date.parse(first.at) - 1),
    until: new Date(last.at),
    zone,
    entries: set.entries,
  });
  const crossings: Crossing[] = [];
  const byMeasure = new Map<string, ChangeEntry[]>();
  for (const e of set.entries)
    if (e.target.kind === 'measure' && e.field === 'benchmark')
      byMeasure.set(e.target.id, [...(byMeasure.get(e.target.id) ?? []), e]);
  for (const [id, entries] of byMeasure) {
    const found = findMeasure(store, id);
    if (found) crossings.push(...crossingsOf(found.measure, entries[0]!.before, entries[entries.length - 1]!.after));
  }
  return { messageId: set.messageId, author: last.author, at: last.at, changes: digest.changes, crossings };
}

/**
 * The part of a set a follower of `measureIds` is told: changes to those measures, and changes
 * to the priorities they belong to (planned actions, priority comments). Null when none.
 */
export function viewFor(store: Store, view: ChangeSetView, measureIds: readonly string[]): ChangeSetView | null {
  const followed = new Set(measureIds);
  const priorities = new Set(
    store.priorities.filter((p) => p.measures.some((m) => followed.has(m.id))).map((p) => p.id),
  );
  const changes = view.changes.filter((c) => (c.measureId ? followed.has(c.measureId) : priorities.has(c.priorityId)));
  if (changes.length === 0) return null;
  return { ...view, changes, crossings: view.crossings.filter((c) => followed.has(c.measureId)) };
}

/**
 * What a view is about, for the ten-minute edit rule: its measures' ids, and a priority's id
 * for changes to the priority itself (planned actions, its comments).
 */
export function measuresOf(view: ChangeSetView): string[] {
  return [...new Set(view.changes.map((c) => c.measureId ?? c.priorityId))];
}
