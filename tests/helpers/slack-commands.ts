// A /measures slash command as Slack sends it, and the bot's private reply to it: many Slack
// tests ask a command and then read what only its author saw.
import { expect } from 'vitest';
import type { FakeSlack, RecordedCall } from './fake-slack.ts';
import type { RunningBot } from './slack-app.ts';
import { FORM, sendToBot, slashCommandBody } from './slack-requests.ts';

export interface CommandFrom {
  user: string;
  channel: string;
}

/**
 * Sends `/measures <text>` from `user` in `channel` and checks Slack got its 200 ack. Resolves
 * with the command's response_url, where the bot's replies to it go.
 */
export async function sendSlashCommand(
  fake: FakeSlack,
  bot: RunningBot,
  text: string,
  { user, channel }: CommandFrom,
): Promise<string> {
  const responseUrl = fake.responseUrl();
  const reply = await sendToBot(
    bot.url,
    slashCommandBody({ text, user_id: user, channel_id: channel, response_url: responseUrl }),
    FORM,
  );
  expect(reply.status).toBe(200);
  return responseUrl;
}

/** Sends `/measures <text>` and resolves with the bot's reply, checked to be for its author only. */
export async function ephemeralReplyTo(
  fake: FakeSlack,
  bot: RunningBot,
  text: string,
  from: CommandFrom,
): Promise<RecordedCall> {
  const responseUrl = await sendSlashCommand(fake, bot, text, from);
  const res = await fake.waitFor((c) => c.method === 'response' && c.params.responseUrl === responseUrl);
  expect(res.params.response_type).toBe('ephemeral');
  return res;
}
