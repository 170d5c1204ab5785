// "undo" replied in the thread an import was applied from reverts that whole import. Under a
// bound answer "undo" also means the analyst's own last update there: the newer of the two is
// undone, so an analyst who imported and then corrected a figure undoes the correction first.
import type { PendingImport, Store } from '../../store/index.ts';
import { ImportUndoRefused, undoImport } from '../../import/undo.ts';
import type { DeliveryContext } from '../post-answer.ts';
import { escapeMrkdwn, mention } from '../views/block-kit.ts';
import { say } from './preview-post.ts';
import { notAnalystImportText } from './uploads.ts';

const UNDO = /^\s*undo\s*[.!]?\s*$/i;

/** A reply in a thread, as the message listener classifies it. */
interface ThreadReply {
  channel: string;
  threadTs: string;
  user: string;
  text: string;
}

/** The applied import this "undo" reply means, or null (not "undo", or the update path's to handle). */
export function importToUndo(store: Store, reply: ThreadReply): PendingImport | null {
  if (!UNDO.test(reply.text)) return null;
  const undone = new Set(store.changeLog.flatMap((e) => (e.undoes ? [e.undoes] : [])));
  const applied = (store.pendingImports ?? [])
    .filter(
      (p) =>
        p.channel === reply.channel &&
        p.threadTs === reply.threadTs &&
        p.status === 'applied' &&
        p.messageId !== undefined &&
        !undone.has(p.messageId),
    )
    .sort((a, b) => (a.appliedAt ?? '').localeCompare(b.appliedAt ?? ''))
    .at(-1);
  if (!applied) return null;
  const log = store.changeLog;
  const importAt = log.findLastIndex((e) => e.messageId === applied.messageId);
  const ownUpdateAt = log.findLastIndex(
    (e) =>
      e.author === reply.user &&
      e.source.kind === 'thread' &&
      e.source.channel === reply.channel &&
      e.source.ts === reply.threadTs &&
      !e.undoes &&
      !undone.has(e.messageId),
  );
  return ownUpdateAt > importAt ? null : applied;
}

export async function handleImportUndo(
  ctx: DeliveryContext,
  reply: ThreadReply,
  pending: PendingImport,
): Promise<void> {
  const { deps, client, log } = ctx;
  const check = await deps.analysts.check(reply.user, client);
  if (!check.analyst) {
    await client.chat.postEphemeral({
      channel: reply.channel,
      user: reply.user,
      thread_ts: reply.threadTs,
      text: notAnalystImportText(),
    });
    return;
  }
  try {
    const done = await undoImport(deps.store, pending.messageId!, {
      author: reply.user,
      source: { kind: 'thread', channel: reply.channel, ts: reply.threadTs },
      now: deps.now(),
    });
    log.info(`${reply.user} undid the import ${done.undoes} (${pending.fileName}): ${done.changes} changes reverted`);
    await say(
      ctx,
      pending,
      `Undone by ${mention(reply.user)}: the import of ${escapeMrkdwn(pending.fileName)}, ` +
        `${done.changes} ${done.changes === 1 ? 'change' : 'changes'} reverted.`,
    );
  } catch (err) {
    if (!(err instanceof ImportUndoRefused)) throw err;
    log.info(`undo of the import ${pending.messageId} refused: ${err.message}`);
    await say(
      ctx,
      pending,
      `Cannot undo the import of ${escapeMrkdwn(pending.fileName)}: ${escapeMrkdwn(err.message)}.`,
    );
  }
}
