// An update message edited or deleted after the fact. The store never follows: what was
// applied and confirmed stands until someone undoes it, so the change log stays the one
// truth. The bot says so once per original message (an edit followed by a delete, or five
// edits, get one note), in the thread, with how to undo.
import { LRUCache } from 'lru-cache';
import { isUpdateMessage, summarize } from '../../../measures/update/index.ts';
import { entriesForMessage, type ThreadBinding } from '../../../store/index.ts';
import type { DeliveryContext } from '../../post-answer.ts';
import { editNoticeText } from '../../views/update-messages.ts';
import type { ChangedReply } from './message-kinds.ts';
import { slackMessageId, targetOf } from './thread-reply.ts';

/** Original messages already answered (in memory: after a restart a further edit gets one more note). */
export function createNoticeMemory(capacity = 5000) {
  // has() does not count as a use, so the message noticed first is the first forgotten.
  const noticed = new LRUCache<string, true>({ max: capacity });
  return {
    /** True the first time for a message; false after. */
    firstTime(key: string): boolean {
      if (noticed.has(key)) return false;
      noticed.set(key, true);
      return true;
    },
  };
}
export type NoticeMemory = ReturnType<typeof createNoticeMemory>;

export async function handleChangedReply(
  ctx: DeliveryContext,
  change: ChangedReply,
  binding: ThreadBinding,
  memory: NoticeMemory,
): Promise<void> {
  const store = ctx.deps.store.snapshot();
  const messageId = slackMessageId(change.channel, change.ts);
  const entries = entriesForMessage(store, messageId);
  const undone = store.changeLog.some((e) => e.undoes === messageId);
  const stands = entries.length > 0 && !undone;

  if (!stands) {
    // Nothing of it is in the store. A deletion needs no word; an edit into (or of) update
    // syntax does, or an analyst fixing a typo would think the fix was saved.
    if (change.kind === 'deleted') return;
    if (!isUpdateMessage(change.after, binding.kind) && !isUpdateMessage(change.before, binding.kind)) return;
    if (!change.user) return;
    const check = await ctx.deps.analysts.check(change.user, ctx.client);
    if (!check.analyst) return; // non-analysts were told on the original message
  }
  if (!memory.firstTime(messageId)) return;

  const applied = stands ? summarize(store, entries, targetOf(binding)) : null;
  ctx.log.info(
    `${messageId} was ${change.kind}; the store is unchanged (${stands ? 'its update stands' : 'nothing was applied'})`,
  );
  await ctx.client.chat.postMessage({
    channel: change.channel,
    thread_ts: change.threadTs,
    text: editNoticeText(change.kind, applied),
    unfurl_links: false,
    unfurl_media: false,
  });
}
