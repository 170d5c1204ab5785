// Message listeners: data files and questions sent to the bot, and replies in the threads of
// the bot's answers and digests. A thread is
// ours only when (channel, parent ts) is bound in the store (thread-bindings.ts), so the
// bot never speaks in other threads. Bindings live in the store: threads keep working after
// a restart. Retries with the same event_id never reach here (middleware/dedupe-events.ts);
// a message delivered twice under different ids is caught by applyUpdate's dedupe on
// slack:<channel>:<ts>, which answers "duplicate" and posts nothing.
import type { App } from '@slack/bolt';
import type { SlackDeps } from '../../app.ts';
import { afterAck } from '../../after-ack.ts';
import { createNoticeMemory, handleChangedReply } from './edited-reply.ts';
import { classifyMessage, withoutLeadingMention } from './message-kinds.ts';
import { handleReply } from './thread-reply.ts';
import { classifyUpload, importKindOf } from '../../imports/upload-kinds.ts';
import { handleUpload } from '../../imports/uploads.ts';
import { handleImportUndo, importToUndo } from '../../imports/thread-undo.ts';
import { answerDmQuestion, dmQuestionOf } from './dm-question.ts';

export function register(app: App, deps: SlackDeps): void {
  const notices = createNoticeMemory();
  app.event('message', async ({ event, client, body, context }) => {
    const eventId = (body as { event_id?: string }).event_id;
    const requestId = eventId ? `evt ${eventId}` : undefined;
    // A data file shared in a bound thread or a DM is an import to preview (src/slack/imports);
    // in a DM, any other file gets a note. Other files (a screenshot) are replies as before.
    const upload = classifyUpload(event);
    const uploadBinding = upload?.threadTs ? deps.bindings.lookup(upload.channel, upload.threadTs) : null;
    if (
      upload &&
      upload.user !== context.botUserId &&
      (upload.isDm || (uploadBinding && importKindOf(upload.files[0]!.name)))
    ) {
      await afterAck(
        deps,
        requestId,
        (log) => handleUpload({ client, deps, log }, upload, uploadBinding ?? null),
        (err, log) => log.error(`handling the upload ${upload.channel}:${upload.ts} failed`, err),
      );
      return;
    }
    const question = dmQuestionOf(event, context.botUserId);
    if (question) {
      await afterAck(
        deps,
        requestId,
        (log) => answerDmQuestion(deps, client, question, log),
        (err, log) => log.error(`answering the DM ${question.channel}:${question.ts} failed`, err),
      );
      return;
    }
    const message = classifyMessage(event);
    if (!message) return;
    const importUndo = message.kind === 'reply' ? importToUndo(deps.store.snapshot(), message) : null;
    if (importUndo && message.kind === 'reply') {
      await afterAck(
        deps,
        requestId,
        (log) => handleImportUndo({ client, deps, log }, message, importUndo),
        (err, log) => log.error(`undoing the import in ${message.channel}:${message.threadTs} failed`, err),
      );
      return;
    }
    const binding = deps.bindings.lookup(message.channel, message.threadTs);
    if (!binding) {
      // Someone else's thread, as a rule; at debug level, so that a reply ignored for want of
      // a binding can still be traced.
      deps.logger.debug(
        `${message.kind} ${message.channel}:${message.ts} is in thread ${message.threadTs}, ` +
          'which is not bound to an answer; ignored',
      );
      return;
    }
    await afterAck(
      deps,
      requestId,
      async (log) => {
        const ctx = { client, deps, log };
        if (message.kind === 'reply')
          await handleReply(ctx, { ...message, text: withoutLeadingMention(message.text, context.botUserId) }, binding);
        else await handleChangedReply(ctx, message, binding, notices);
      },
      (err, log) => log.error(`handling the ${message.kind} ${message.channel}:${message.ts} failed`, err),
    );
  });
}
