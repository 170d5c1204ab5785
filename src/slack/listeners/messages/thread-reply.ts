// A reply in a thread the bot owns: help, an update from an analyst, or conversation.
// Conversation (no keyword on the first line) gets no answer at all.
import type { webApi } from '@slack/bolt';
import { applyUpdate, isUpdateMessage, type UpdateTarget } from '../../../measures/update/index.ts';
import { findPriority, type Store, type ThreadBinding } from '../../../store/index.ts';
import type { DeliveryContext } from '../../post-answer.ts';
import { slackErrorReason } from '../../slack-errors.ts';
import {
  STORE_UNAVAILABLE_TEXT,
  confirmationText,
  notAnalystText,
  refusalText,
  updateHelpText,
} from '../../views/update-messages.ts';
import type { Reply } from './message-kinds.ts';
import { refreshAfterUpdate } from './refresh-after-update.ts';

/** Only a message that is just "help" (conversation that merely starts with it is left alone). */
const HELP = /^\s*(?:update\s+)?help\s*[?!.]?\s*$/i;

export const slackMessageId = (channel: string, ts: string) => `slack:${channel}:${ts}`;

export function targetOf(binding: ThreadBinding): UpdateTarget {
  return binding.kind === 'digest' ? { kind: 'digest' } : { kind: binding.kind, id: binding.id };
}

type WebClient = webApi.WebClient;

/** The names of a priority's measures as a line may start ("vehicle crime trend: …"): their ids in words. */
function shortNames(store: Store, binding: ThreadBinding): string[] {
  if (binding.kind !== 'priority') return [];
  return findPriority(store, binding.id)?.measures.map((m) => m.id.replace(/-/g, ' ')) ?? [];
}

/**
 * Says `text` in the thread; when Slack refuses that (an error, an archived channel, a
 * restricted thread), says it to the author alone instead, so an analyst is never left
 * wondering whether the update was saved. Never throws: a second failure is logged.
 */
async function inThread(ctx: DeliveryContext, reply: Reply, text: string, what: string): Promise<void> {
  try {
    await ctx.client.chat.postMessage({
      channel: reply.channel,
      thread_ts: reply.threadTs,
      text,
      unfurl_links: false,
      unfurl_media: false,
    });
    return;
  } catch (err) {
    ctx.log.error(
      `${what} in ${reply.channel}:${reply.threadTs} could not be posted in the thread (${slackErrorReason(err)}); ` +
        `telling ${reply.user} privately`,
      err,
    );
  }
  try {
    await toAuthor(ctx.client, reply, text);
  } catch (err) {
    ctx.log.error(`${what} for ${reply.user} could not be sent privately either; they got no answer`, err);
  }
}

async function toAuthor(client: WebClient, reply: Reply, text: string): Promise<void> {
  await client.chat.postEphemeral({ channel: reply.channel, user: reply.user, thread_ts: reply.threadTs, text });
}

export async function handleReply(ctx: DeliveryContext, reply: Reply, binding: ThreadBinding): Promise<void> {
  const { deps, log, client } = ctx;
  const where = `${reply.channel}:${reply.ts} (thread of ${binding.kind} ${binding.id})`;

  if (HELP.test(reply.text)) {
    // Only the asker needs the syntax; the thread stays readable for everyone else.
    await toAuthor(client, reply, updateHelpText(binding.kind, shortNames(deps.store.snapshot(), binding)));
    log.info(`help for ${reply.user} in ${where}`);
    return;
  }
  if (!isUpdateMessage(reply.text, binding.kind)) return;

  const check = await deps.analysts.check(reply.user, client);
  if (!check.analyst) {
    log.info(`update from ${reply.user} in ${where} refused: ${check.reason}`);
    await toAuthor(client, reply, notAnalystText(check));
    return;
  }

  const at = deps.now();
  let result;
  try {
    result = await applyUpdate(deps.store, {
      target: targetOf(binding),
      text: reply.text,
      author: reply.user,
      // ts is the thread's parent: the digest links a change to the thread it came from.
      source: { kind: 'thread', channel: reply.channel, ts: reply.threadTs },
      messageId: slackMessageId(reply.channel, reply.ts),
      now: at,
    });
  } catch (err) {
    // The store refused the write (e.g. the file became invalid): nothing was saved. Say so.
    log.error(`update in ${where} could not be saved`, err);
    await inThread(ctx, reply, STORE_UNAVAILABLE_TEXT, 'the store-unavailable note');
    return;
  }

  switch (result.status) {
    case 'duplicate':
      // A retry or second delivery of a message already applied and confirmed: say nothing.
      log.info(`update ${result.messageId} already applied; not applying or confirming again`);
      return;
    case 'refused':
      log.info(`update in ${where} refused: ${result.message}`);
      await inThread(ctx, reply, refusalText(result), 'the refusal');
      return;
    case 'applied':
      log.info(`update in ${where} by ${reply.user} applied: ${result.summary.join('; ')}`);
      await inThread(ctx, reply, confirmationText(result, reply.user), 'the confirmation');
      await refreshAfterUpdate(ctx, {
        channel: reply.channel,
        parent: binding,
        entries: result.entries,
        author: reply.user,
        at,
      });
  }
}
