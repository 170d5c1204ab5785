// A message to the bot in its Messages tab is read as `/measures <text>` typed there, so an
// officer can ask "robbery" or "following" without the slash. What a command says privately
// is simply posted in the DM, which nobody else can see.
import type { RespondArguments, RespondFn, SlashCommand, webApi } from '@slack/bolt';
import type { SlackDeps } from '../../app.ts';
import type { RequestLog } from '../../after-ack.ts';
import { replyPrivately } from '../../post-answer.ts';
import { failureMessage, MEASURES_COMMAND, route } from '../commands/index.ts';

export interface DmQuestion {
  channel: string;
  ts: string;
  user: string;
  team: string;
  text: string;
}

interface RawDm {
  channel_type?: string;
  channel?: string;
  ts?: string;
  thread_ts?: string;
  subtype?: string;
  bot_id?: string;
  user?: string;
  team?: string;
  text?: string;
}

/** A person's new top-level text message in a DM with the bot; null for anything else. */
export function dmQuestionOf(event: unknown, botUserId: string | undefined): DmQuestion | null {
  const e = event as RawDm;
  if (e?.channel_type !== 'im' || typeof e.channel !== 'string' || typeof e.ts !== 'string') return null;
  if (e.subtype !== undefined || e.bot_id !== undefined || typeof e.user !== 'string' || e.user === botUserId)
    return null;
  // A reply in a thread of the DM is an update or an undo under an answer: the thread handler's.
  if (e.thread_ts !== undefined && e.thread_ts !== e.ts) return null;
  const text = (e.text ?? '').trim();
  if (!text) return null;
  return { channel: e.channel, ts: e.ts, user: e.user, team: e.team ?? '', text };
}

/** Answers the DM as the slash command would, with the DM standing in for response_url. */
export async function answerDmQuestion(
  deps: SlackDeps,
  client: webApi.WebClient,
  question: DmQuestion,
  log: RequestLog,
): Promise<void> {
  const respond = (async (message: string | RespondArguments) => {
    const m = (typeof message === 'string' ? { text: message } : message) as {
      text?: string;
      blocks?: webApi.KnownBlock[];
      delete_original?: boolean;
    };
    if (!m.delete_original)
      await client.chat.postMessage({ channel: question.channel, text: m.text ?? '', blocks: m.blocks });
    return new Response(null);
  }) as RespondFn;
  // Only what the handlers read: who asked, where, and a per-message id for dedupe.
  const command = {
    command: MEASURES_COMMAND,
    text: question.text,
    user_id: question.user,
    channel_id: question.channel,
    team_id: question.team,
    trigger_id: `dm-${question.ts}`,
    response_url: '',
  } as unknown as SlashCommand;
  const { handler, args } = route(question.text);
  try {
    await handler({ command, args, client, respond, deps, log });
  } catch (err) {
    log.error(`the DM "${question.text.slice(0, 100)}" failed`, err);
    await replyPrivately({ log }, respond, failureMessage(err, handler, question.text));
  }
}
