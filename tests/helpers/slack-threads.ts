// Helpers for tests of thread updates: post a real answer through /measures, then reply in its thread with
// signed message events as Slack sends them (thread_ts = the parent's ts).
import type { FakeSlack, RecordedCall } from './fake-slack.ts';
import type { RunningBot } from './slack-app.ts';
import { eventCallbackBody, FORM, JSON_TYPE, sendToBot, slashCommandBody, type SlackReply } from './slack-requests.ts';

const blocksText = (call: RecordedCall) => JSON.stringify(call.params.blocks ?? []);

/**
 * Asks `/measures <query>` in `channel` and resolves with the answer's ts once its chart is
 * shown and its thread bound.
 */
export async function postAnswerIn(fake: FakeSlack, bot: RunningBot, query: string, channel: string): Promise<string> {
  await sendToBot(
    bot.url,
    slashCommandBody({ text: query, channel_id: channel, response_url: fake.responseUrl() }),
    FORM,
  );
  const post = await fake.waitFor(
    (c) => c.method === 'chat.postMessage' && c.params.channel === channel && !c.params.thread_ts && c.status === 200,
  );
  const ts = (post.reply as { ts: string }).ts;
  await fake.waitFor((c) => c.method === 'chat.update' && c.params.ts === ts && blocksText(c).includes('slack_file'));
  await bot.slack.deps.bindings.flush();
  return ts;
}

let seq = 0;
/** A fresh, increasing message ts. */
export function nextTs(): string {
  seq += 1;
  return `${1_800_000_000 + seq}.${String(seq).padStart(6, '0')}`;
}

export interface ReplyOptions {
  user?: string;
  ts?: string;
  eventId?: string;
  /** e.g. X-Slack-Retry-Num for a retry. */
  headers?: Record<string, string>;
  extra?: Record<string, unknown>;
}

/**
 * A reply in the thread of `threadTs`, as a signed message event. Resolves with its ts, event
 * id and Slack's HTTP reply.
 */
export async function replyInThread(
  bot: RunningBot,
  channel: string,
  threadTs: string,
  text: string,
  options: ReplyOptions = {},
) {
  const ts = options.ts ?? nextTs();
  const eventId = options.eventId ?? `Ev${ts.replace('.', '')}`;
  const event = {
    type: 'message',
    channel,
    channel_type: 'channel',
    user: options.user ?? 'U0ANALYST',
    text,
    ts,
    thread_ts: threadTs,
    event_ts: ts,
    ...options.extra,
  };
  const http: SlackReply = await sendToBot(bot.url, eventCallbackBody({ event_id: eventId, event }), JSON_TYPE, {
    headers: options.headers,
  });
  return { ts, eventId, http, body: eventCallbackBody({ event_id: eventId, event }) };
}

/** Sends any message event (edits, deletes, bot messages). */
export async function sendMessageEvent(
  bot: RunningBot,
  event: Record<string, unknown>,
  options: { eventId?: string; headers?: Record<string, string> } = {},
) {
  const eventId = options.eventId ?? `Ev${nextTs().replace('.', '')}`;
  return sendToBot(
    bot.url,
    eventCallbackBody({ event_id: eventId, event: { type: 'message', channel_type: 'channel', ...event } }),
    JSON_TYPE,
    { headers: options.headers },
  );
}

/**
 * Lets the bot finish what the last events started. The listener runs after the ack, but the
 * app tracks each event's whole dispatch from the moment the receiver hands it over (before
 * the ack), so draining the work tracker covers it.
 */
export async function settle(bot: RunningBot): Promise<void> {
  if (!(await bot.slack.deps.work.drain(10_000))) throw new Error('the bot was still busy 10 s after the last event');
}

/** Bot posts in a thread (confirmations, refusals, notes), excluding the chart file share. */
export function threadPosts(fake: FakeSlack, channel: string, threadTs: string): RecordedCall[] {
  return fake
    .callsTo('chat.postMessage')
    .filter((c) => c.params.channel === channel && c.params.thread_ts === threadTs);
}

export function ephemerals(fake: FakeSlack, channel: string, user?: string): RecordedCall[] {
  return fake
    .callsTo('chat.postEphemeral')
    .filter((c) => c.params.channel === channel && (!user || c.params.user === user));
}

export { blocksText };
