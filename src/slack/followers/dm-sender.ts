// Sending follower DMs: conversations.open (remembered per user), then chat.postMessage or
// chat.update, a few at a time. Through the background client (clients.ts): it waits out a 429's
// Retry-After on its own queue, so answers never wait behind DMs. A user Slack refuses
// (deactivated, a bot, DMs not allowed) is logged once and skipped from then on.
import type { webApi } from '@slack/bolt';
import { createSlots, type Slots } from '../after-ack.ts';
import { platformError, slackErrorReason } from '../slack-errors.ts';
import type { SlackMessage } from '../views/block-kit.ts';

/** Slack's answers that no retry can fix for this user. */
const REFUSED = new Set([
  'user_not_found',
  'users_not_found',
  'cannot_dm_bot',
  'account_inactive',
  'user_disabled',
  'user_is_restricted',
  'not_allowed',
  'not_allowed_token_type',
  'channel_not_found',
  'is_archived',
  'restricted_action',
  'messages_tab_disabled',
]);

/** chat.update's answers when the DM to edit cannot be edited any more. */
const GONE = new Set(['message_not_found', 'cant_update_message', 'edit_window_closed']);

/** Attempts at one call when the client's own 429 retries run out (each waits Retry-After first). */
const RATE_LIMIT_ATTEMPTS = 5;
export const DM_CONCURRENCY = 8;

export interface DmLog {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export type DmResult =
  { ok: true; edited: boolean; channel: string; ts: string } | { ok: false; reason: string; refused: boolean };

export interface DmSender {
  /** Posts a new DM, or edits `edit` (a DM sent earlier) when given. Never throws. */
  send(user: string, message: SlackMessage, edit?: { channel: string; ts: string }): Promise<DmResult>;
  /** DMs waiting for a slot or in flight. */
  pending(): number;
}

const isRateLimit = (err: unknown) =>
  (err as { code?: string })?.code === 'slack_webapi_rate_limited_error' ||
  /rate limit was exceeded/i.test(String((err as Error)?.message ?? ''));

export function createDmSender(client: webApi.WebClient, log: DmLog, concurrency = DM_CONCURRENCY): DmSender {
  const channels = new Map<string, string>();
  const refused = new Set<string>();
  const slots: Slots = createSlots(concurrency);
  let waiting = 0;

  async function call<T>(fn: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await fn();
      } catch (err) {
        // The client has already waited out Retry-After before giving up; try it again a few times.
        if (!isRateLimit(err) || attempt >= RATE_LIMIT_ATTEMPTS) throw err;
      }
    }
  }

  async function open(user: string): Promise<string> {
    const known = channels.get(user);
    if (known) return known;
    const res = await call(() => client.conversations.open({ users: user, return_im: false }));
    const id = (res.channel as { id?: string } | undefined)?.id;
    if (!id) throw new Error('conversations.open returned no channel');
    channels.set(user, id);
    return id;
  }

  async function deliver(
    user: string,
    message: SlackMessage,
    edit?: { channel: string; ts: string },
  ): Promise<DmResult> {
    if (refused.has(user)) return { ok: false, reason: 'refused earlier', refused: true };
    try {
      if (edit) {
        try {
          await call(() =>
            client.chat.update({ channel: edit.channel, ts: edit.ts, text: message.text, blocks: message.blocks }),
          );
          return { ok: true, edited: true, ...edit };
        } catch (err) {
          // The earlier DM is gone (deleted, or too old to edit): the news goes in a new one.
          if (!GONE.has(platformError(err) ?? '')) throw err;
          log.info(`follower DM to ${user}: the DM to edit is gone (${platformError(err)}); sending a new one`);
        }
      }
      const channel = await open(user);
      const res = await call(() =>
        client.chat.postMessage({
          channel,
          text: message.text,
          blocks: message.blocks,
          unfurl_links: false,
          unfurl_media: false,
        }),
      );
      if (!res.ts) throw new Error('chat.postMessage returned no ts');
      return { ok: true, edited: false, channel, ts: res.ts };
    } catch (err) {
      const code = platformError(err);
      if (code && REFUSED.has(code)) {
        refused.add(user);
        channels.delete(user);
        log.warn(`follower DM to ${user}: Slack refused (${code}); skipped, and not tried again for this user`);
        return { ok: false, reason: code, refused: true };
      }
      log.error(`follower DM to ${user} failed: ${slackErrorReason(err)}`);
      return { ok: false, reason: slackErrorReason(err), refused: false };
    }
  }

  return {
    async send(user, message, edit) {
      waiting += 1;
      const release = await slots.acquire();
      try {
        return await deliver(user, message, edit);
      } finally {
        release();
        waiting -= 1;
      }
    },
    pending: () => waiting,
  };
}
