// Asking the bot in its Messages tab: a DM is read as `/measures <text>`, answered in the DM,
// over signed HTTP against the fake Slack.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeSlack, startFakeSlack } from './helpers/fake-slack.ts';
import { type RunningBot, startBot } from './helpers/slack-app.ts';
import { blocksText, nextTs, sendMessageEvent, settle } from './helpers/slack-threads.ts';

let fake: FakeSlack;
let bot: RunningBot;

beforeAll(async () => {
  fake = await startFakeSlack();
  bot = await startBot(fake, { config: { analysts: ['U0ANALYST'] } });
});
afterAll(async () => {
  await bot?.stop();
  await fake?.stop();
});

async function dm(text: string, extra: Record<string, unknown> = {}) {
  const before = fake.calls.length;
  const ts = nextTs();
  const reply = await sendMessageEvent(bot, {
    channel_type: 'im',
    channel: 'D0OFFICER',
    user: 'U0OFFICER',
    text,
    ts,
    ...extra,
  });
  expect(reply.status).toBe(200);
  await settle(bot);
  return fake.calls.slice(before).filter((c) => c.method === 'chat.postMessage' && c.params.channel === 'D0OFFICER');
}

describe('a question sent to the bot in a DM', () => {
  it('is answered in the DM with the measure, as /measures would in a channel', async () => {
    const posts = await dm('robbery');
    expect(posts).toHaveLength(1);
    const text = blocksText(posts[0]!);
    expect(text).toContain('Robbery');
    expect(text).toContain(
      bot.store
        .snapshot()
        .priorities.flatMap((p) => p.measures)
        .find((m) => m.id === 'robbery')!.trend.label,
    );
  });

  it('gets the same help and verbs as the slash command (following), without the slash', async () => {
    const posts = await dm('following');
    expect(posts).toHaveLength(1);
    expect(String(posts[0]!.params.text) + blocksText(posts[0]!)).toMatch(/follow/i);
  });

  it('answers help in the DM, saying that a DM needs no /measures', async () => {
    const posts = await dm('help');
    expect(posts).toHaveLength(1);
    expect(String(posts[0]!.params.text)).toContain('In a direct message to the bot, type the same words without');
  });

  it('leaves alone the bot’s own messages, edits, and replies in a thread of the DM', async () => {
    expect(await dm('robbery', { bot_id: 'B0BOT', user: 'U0BOT' })).toHaveLength(0);
    expect(await dm('robbery', { subtype: 'message_changed' })).toHaveLength(0);
    expect(await dm('robbery', { thread_ts: '1700000000.000100' })).toHaveLength(0);
  });

  it('is not read as a question in a channel', async () => {
    const before = fake.calls.length;
    await sendMessageEvent(bot, { channel: 'C0CHAN', user: 'U0OFFICER', text: 'robbery', ts: nextTs() });
    await settle(bot);
    expect(fake.calls.slice(before).filter((c) => c.method === 'chat.postMessage')).toHaveLength(0);
  });
});
