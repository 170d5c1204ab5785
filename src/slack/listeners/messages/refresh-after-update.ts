// After an update the answers people see must not show the old figures. A reply under a
// measure or priority answer redraws that answer (chat.update via refreshAnswer) with a foot
// line saying who updated it. Without such a parent (a digest thread, /measures update) the
// newest answer about each changed measure or priority in the same channel is redrawn instead:
// that is the one people are looking at. Older copies keep their as-of date.
import type { ChangeEntry, Store, ThreadBinding } from '../../../store/index.ts';
import { type DeliveryContext, refreshAnswer } from '../../post-answer.ts';
import { updatedFooter } from '../../views/update-messages.ts';

/** At most this many other answers are redrawn for one update without a parent. */
const MAX_OTHER_REFRESHES = 3;

export interface RefreshRequest {
  channel: string;
  /** The bound answer the update was written under, if any. */
  parent?: ThreadBinding;
  entries: ChangeEntry[];
  author: string;
  at: Date;
}

/** The newest bound answers in `channel` about what the entries changed, newest first. */
export function answersShowing(store: Store, channel: string, entries: ChangeEntry[]): ThreadBinding[] {
  const measures = new Set(entries.filter((e) => e.target.kind === 'measure').map((e) => e.target.id));
  const priorities = new Set(entries.filter((e) => e.target.kind === 'priority').map((e) => e.target.id));
  // A priority answer lists its measures' trends, so it shows a measure's change too.
  for (const p of store.priorities) if (p.measures.some((m) => measures.has(m.id))) priorities.add(p.id);
  const newest = new Map<string, ThreadBinding>();
  for (const t of store.threads) {
    if (t.channel !== channel) continue;
    const shows = (t.kind === 'measure' && measures.has(t.id)) || (t.kind === 'priority' && priorities.has(t.id));
    if (!shows) continue;
    const key = `${t.kind}:${t.id}`;
    const seen = newest.get(key);
    if (!seen || Date.parse(t.createdAt) >= Date.parse(seen.createdAt)) newest.set(key, t);
  }
  return [...newest.values()].sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt));
}

/** Redraws what the update made stale. Never throws: a failed redraw is logged. */
export async function refreshAfterUpdate(ctx: DeliveryContext, req: RefreshRequest): Promise<void> {
  const footer = [updatedFooter(req.at, req.author)];
  const targets =
    req.parent && req.parent.kind !== 'digest'
      ? [req.parent]
      : answersShowing(ctx.deps.store.snapshot(), req.channel, req.entries).slice(0, MAX_OTHER_REFRESHES);
  for (const t of targets) {
    const kind = t.kind;
    if (kind === 'digest') continue;
    // refreshAnswer queues behind any other redraw of that message (the first chart too)
    // and reads the store when its turn comes, so the last update's redraw lands last.
    try {
      const shown = await refreshAnswer(ctx, { channel: t.channel, ts: t.ts, ref: { kind, id: t.id }, footer });
      if (!shown)
        ctx.log.warn(`answer ${t.channel}:${t.ts} is about ${kind} ${t.id}, which no longer exists; left as it is`);
    } catch (err) {
      ctx.log.error(`could not refresh the answer ${t.channel}:${t.ts} after an update`, err);
    }
  }
}
