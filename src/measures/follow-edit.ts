// Following and unfollowing, as pure mutators of a store draft (run inside store.mutate, so two
// clicks at once are applied one after the other on fresh data). A followed priority stays
// live; unfollowing one of its measures leaves an 'except' row, and following that measure
// again removes it, so the rows always say the least that gives the user's choice.
import { findPriority, type Store } from '../store/index.ts';
import { followedMeasureIds } from './follows.ts';

export interface FollowTarget {
  kind: 'measure' | 'priority';
  id: string;
}

export interface FollowOutcome {
  /** Whether the user follows the target after the edit (a priority: the priority row itself). */
  following: boolean;
  /** false when the user's rows were already as asked. */
  changed: boolean;
}

const sameTarget = (a: FollowTarget, b: FollowTarget) => a.kind === b.kind && a.id === b.id;

/** Whether `user` follows the target now: a measure directly or through its priority; a priority by its row. */
export function isFollowing(store: Store, user: string, target: FollowTarget): boolean {
  if (target.kind === 'measure') return followedMeasureIds(store, user).includes(target.id);
  return store.follows.some((f) => f.user === user && f.mode === 'follow' && sameTarget(f.target, target));
}

function removeRows(draft: Store, keep: (row: Store['follows'][number]) => boolean): number {
  const before = draft.follows.length;
  draft.follows = draft.follows.filter(keep);
  return before - draft.follows.length;
}

export function follow(draft: Store, user: string, target: FollowTarget, now: Date): FollowOutcome {
  if (isFollowing(draft, user, target)) return { following: true, changed: false };
  const mine = (r: Store['follows'][number]) => r.user === user;
  if (target.kind === 'measure') {
    const removed = removeRows(draft, (r) => !(mine(r) && r.mode === 'except' && sameTarget(r.target, target)));
    // The exception was all that kept it out: its priority covers it again.
    if (removed > 0 && isFollowing(draft, user, target)) return { following: true, changed: true };
  } else {
    // Following a whole priority again means all of it: earlier exceptions in it go.
    const ids = new Set(findPriority(draft, target.id)?.measures.map((m) => m.id) ?? []);
    removeRows(draft, (r) => !(mine(r) && r.mode === 'except' && ids.has(r.target.id)));
  }
  draft.follows.push({ user, target: { ...target }, mode: 'follow', since: now.toISOString() });
  return { following: true, changed: true };
}

export function unfollow(draft: Store, user: string, target: FollowTarget, now: Date): FollowOutcome {
  const mine = (r: Store['follows'][number]) => r.user === user;
  if (target.kind === 'priority') {
    const ids = new Set(findPriority(draft, target.id)?.measures.map((m) => m.id) ?? []);
    const removed = removeRows(
      draft,
      (r) =>
        !(
          mine(r) &&
          ((r.mode === 'follow' && sameTarget(r.target, target)) || (r.mode === 'except' && ids.has(r.target.id)))
        ),
    );
    return { following: false, changed: removed > 0 };
  }
  if (!isFollowing(draft, user, target)) return { following: false, changed: false };
  removeRows(draft, (r) => !(mine(r) && r.mode === 'follow' && sameTarget(r.target, target)));
  // Still covered by a followed priority: opt this one measure out of it.
  if (isFollowing(draft, user, target))
    draft.follows.push({
      user,
      target: { kind: 'measure', id: target.id },
      mode: 'except',
      since: now.toISOString(),
    });
  return { following: false, changed: true };
}

/** Follows when not following, unfollows when following: the button's one action. */
export function toggleFollow(
  draft: Store,
  user: string,
  target: FollowTarget,
  now: Date,
): FollowOutcome & { action: 'follow' | 'unfollow' } {
  return isFollowing(draft, user, target)
    ? { ...unfollow(draft, user, target, now), action: 'unfollow' }
    : { ...follow(draft, user, target, now), action: 'follow' };
}
