// The digest's Web API calls: finding a posted digest by its message metadata, permalinks
// for change links, and the delivery health check. Thin; decisions live in delivery.ts.
import type { webApi } from '@slack/bolt';
import { platformError, slackErrorReason } from '../slack-errors.ts';
import type { Digest, ThreadRef } from '../../digest/build.ts';

type WebClient = webApi.WebClient;

/**
 * Set on every digest message (chat.postMessage metadata). A key left pending by a crash is
 * resolved by finding a message with this event type and the key's week in the channel.
 */
export const DIGEST_EVENT_TYPE = 'measures_weekly_digest';

export interface DigestMetadata {
  event_type: typeof DIGEST_EVENT_TYPE;
  event_payload: { channel: string; week: string; since: string; until: string; late: boolean };
}

export function digestMetadata(
  channel: string,
  week: string,
  window: { since: string; until: string },
  late: boolean,
): DigestMetadata {
  return {
    event_type: DIGEST_EVENT_TYPE,
    event_payload: { channel, week, since: window.since, until: window.until, late },
  };
}

/** Pages of history read at most while looking for a digest: the search starts near the key's creation. */
const MAX_HISTORY_PAGES = 5;

/**
 * The ts of the digest for (channel, week) posted at or after `oldest`, or null. Throws when
 * Slack cannot be asked: "not found" must never be guessed, because it leads to a post.
 */
export async function findPostedDigest(
  client: WebClient,
  channel: string,
  week: string,
  oldest: Date,
): Promise<string | null> {
  let cursor: string | undefined;
  for (let page = 0; page < MAX_HISTORY_PAGES; page++) {
    const res = await client.conversations.history({
      channel,
      // Ten minutes of slack for clock skew between this machine and Slack's ts.
      oldest: (Math.floor(oldest.getTime() / 1000) - 600).toString(),
      include_all_metadata: true,
      limit: 200,
      ...(cursor ? { cursor } : {}),
    });
    for (const message of res.messages ?? []) {
      const metadata = message.metadata as { event_type?: string; event_payload?: { week?: unknown } } | undefined;
      if (metadata?.event_type === DIGEST_EVENT_TYPE && metadata.event_payload?.week === week && message.ts)
        return message.ts;
    }
    cursor = res.response_metadata?.next_cursor || undefined;
    if (!cursor || !res.has_more) return null;
  }
  return null;
}

const PERMALINK_CONCURRENCY = 4;

/** Links every change to its thread; a link that cannot be made is left out, never guessed. */
export async function resolveLinks(
  client: WebClient,
  digest: Digest,
  warn: (message: string) => void,
  maxLookups = 100,
): Promise<Digest> {
  const refs = new Map<string, ThreadRef>();
  for (const c of digest.changes) if (c.thread) refs.set(`${c.thread.channel}:${c.thread.ts}`, c.thread);
  const links = new Map<string, string>();
  let failures = 0;
  let lastFailure = '';
  const queue = [...refs].slice(0, maxLookups);
  // A few at a time: quick for a preview, gentle on the rate limit.
  const worker = async () => {
    for (let next = queue.shift(); next; next = queue.shift()) {
      const [key, ref] = next;
      try {
        const res = await client.chat.getPermalink({ channel: ref.channel, message_ts: ref.ts });
        if (res.permalink) links.set(key, res.permalink);
      } catch (err) {
        failures++;
        lastFailure = slackErrorReason(err);
      }
    }
  };
  await Promise.all(Array.from({ length: PERMALINK_CONCURRENCY }, worker));
  if (failures > 0)
    warn(
      `digest: ${failures} thread link(s) could not be made (${lastFailure}); those changes are listed without a link`,
    );
  return {
    ...digest,
    changes: digest.changes.map((c) => ({
      ...c,
      link: c.thread ? (links.get(`${c.thread.channel}:${c.thread.ts}`) ?? null) : null,
    })),
  };
}

export type DeliveryHealth = { ok: true } | { ok: false; reason: string; hint: string };

/**
 * Can the bot post to the digest channel? Reading its history needs membership, as do posting
 * (without chat:write.public) and seeing replies; the token's scopes must include chat:write.
 */
export async function checkDelivery(client: WebClient, channel: string): Promise<DeliveryHealth> {
  try {
    const res = await client.conversations.history({ channel, limit: 1 });
    const scopes = res.response_metadata?.scopes;
    if (scopes && !scopes.includes('chat:write')) {
      return {
        ok: false,
        reason: 'the bot token lacks the chat:write scope',
        hint: 'add chat:write to the app (manifest.yml) and reinstall it',
      };
    }
    return { ok: true };
  } catch (err) {
    const code = platformError(err);
    // @Measures: the bot's display name in manifest.yml, which is what /invite completes.
    if (code === 'not_in_channel')
      return {
        ok: false,
        reason: 'the bot is not a member of the channel',
        hint: 'invite it: /invite @Measures in that channel',
      };
    if (code === 'channel_not_found')
      return {
        ok: false,
        reason: 'the channel does not exist or the bot cannot see it',
        hint: 'check DIGEST_CHANNEL is a channel ID (C…), and invite the bot if it is private',
      };
    if (code === 'missing_scope')
      return {
        ok: false,
        reason: 'the bot token lacks channels:history / groups:history',
        hint: 'add the scopes in manifest.yml and reinstall the app',
      };
    return { ok: false, reason: slackErrorReason(err), hint: 'the digest will be attempted at its time anyway' };
  }
}
