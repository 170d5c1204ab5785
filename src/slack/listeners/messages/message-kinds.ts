// Sorting raw message events into the three kinds the thread handler cares about: a new
// reply, an edited reply and a deleted reply. Everything else (top-level messages, bots,
// joins, our own chat.update of an answer) is null and left alone.
//
// A reply is recognised by thread_ts !== ts, never by the message_replied subtype, which the
// Events API does not send (docs "Bug alert"; bolt-js#2587).

export interface Reply {
  kind: 'reply';
  channel: string;
  /** The reply's own ts: with the channel, the dedupe key for retries. */
  ts: string;
  /** The parent's ts: the bound answer. */
  threadTs: string;
  user: string;
  text: string;
}

export interface ChangedReply {
  kind: 'edited' | 'deleted';
  channel: string;
  ts: string;
  threadTs: string;
  user: string | undefined;
  before: string;
  /** The new text of an edit; '' for a delete. */
  after: string;
}

/** The loose shape of a message event or of the message inside message_changed. */
interface RawMessage {
  subtype?: string;
  channel?: string;
  ts?: string;
  thread_ts?: string;
  user?: string;
  bot_id?: string;
  text?: string;
  edited?: unknown;
  deleted_ts?: string;
  message?: RawMessage;
  previous_message?: RawMessage;
}

/** Subtypes that are a person writing something new (Bolt's "newly posted" set, minus bots). */
const NEW_MESSAGE_SUBTYPES = new Set([undefined, 'thread_broadcast', 'file_share']);

const isThreadReply = (m: RawMessage | undefined): m is RawMessage & { ts: string; thread_ts: string } =>
  !!m && typeof m.ts === 'string' && typeof m.thread_ts === 'string' && m.thread_ts !== m.ts;

const fromBot = (m: RawMessage | undefined) => !!m && (m.subtype === 'bot_message' || typeof m.bot_id === 'string');

export function classifyMessage(event: unknown): Reply | ChangedReply | null {
  const e = event as RawMessage;
  if (typeof e?.channel !== 'string') return null;
  const channel = e.channel;

  if (e.subtype === 'message_changed') {
    const now = e.message;
    const before = e.previous_message;
    if (!isThreadReply(now) || fromBot(now)) return null;
    // Slack also sends message_changed for unfurls and reply counts: only a text change is an edit.
    if (before ? before.text === now.text : !now.edited) return null;
    return {
      kind: 'edited',
      channel,
      ts: now.ts,
      threadTs: now.thread_ts,
      user: now.user,
      before: before?.text ?? '',
      after: now.text ?? '',
    };
  }

  if (e.subtype === 'message_deleted') {
    const before = e.previous_message;
    if (!isThreadReply(before) || fromBot(before)) return null;
    return {
      kind: 'deleted',
      channel,
      ts: e.deleted_ts ?? before.ts,
      threadTs: before.thread_ts,
      user: before.user,
      before: before.text ?? '',
      after: '',
    };
  }

  if (!NEW_MESSAGE_SUBTYPES.has(e.subtype) || fromBot(e)) return null;
  if (!isThreadReply(e) || typeof e.user !== 'string') return null;
  return { kind: 'reply', channel, ts: e.ts, threadTs: e.thread_ts, user: e.user, text: e.text ?? '' };
}

/** "@Measures trend: Stable" arrives as "<@UBOT> trend: Stable": addressing the bot is not part of the update. */
export function withoutLeadingMention(text: string, botUserId: string | undefined): string {
  if (!botUserId) return text;
  const lead = new RegExp(`^\\s*<@${botUserId}(?:\\|[^>]*)?>[\\s,:]*`);
  return text.replace(lead, '');
}
