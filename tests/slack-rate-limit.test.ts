// A 429 pauses a Web API client for Retry-After. When Slack rate-limits the redraw of an answer
// already in the channel (its chart's chat.update), the next officer's answer must still be
// posted at once, not after the pause; the redraw finishes once the pause is over.
import { describe, expect, it } from 'vitest';
import type { FakeSlack } from './helpers/fake-slack.ts';
import { type RunningBot, startBotForFile } from './helpers/slack-app.ts';
import { FORM, sendToBot, slashCommandBody } from './helpers/slack-requests.ts';

const RETRY_AFTER_S = 5;

let fake: FakeSlack;
let bot: RunningBot;
startBotForFile({}, (started) => ({ fake, bot } = started));

async function ask(text: string, channel: string): Promise<void> {
  const body = slashCommandBody({ text, channel_id: channel, response_url: fake.responseUrl() });
  expect((await sendToBot(bot.url, body, FORM)).status).toBe(200);
}

const showsChart = (blocks: unknown) => (blocks as Array<{ type?: string }>).some((b) => b.type === 'image');

describe('a rate-limited redraw', () => {
  it('does not hold back the next answer', async () => {
    fake.fail('chat.update', { status: 429, retryAfter: RETRY_AFTER_S, when: (p) => p.channel === 'C0LIMITED' });
    await ask('robbery', 'C0LIMITED');
    const limited = await fake.waitFor((c) => c.method === 'chat.update' && c.status === 429);

    const asked = performance.now();
    await ask('burglary', 'C0WAITING');
    const posted = await fake.waitFor((c) => c.method === 'chat.postMessage' && c.params.channel === 'C0WAITING');
    const waitedMs = posted.at - asked;
    // Posted well within the pause (a shared client would have held it ~5 s).
    expect(waitedMs).toBeLessThan(2500);
    const charted = await fake.waitFor(
      (c) => c.method === 'chat.update' && c.params.channel === 'C0WAITING' && showsChart(c.params.blocks),
      (RETRY_AFTER_S + 5) * 1000,
    );
    // Its chart (a redraw too) waits its turn behind the pause: the text never does.
    expect(charted.at - limited.at).toBeGreaterThan(RETRY_AFTER_S * 1000 - 500);

    // The rate-limited redraw itself goes through once the pause is over.
    const retried = await fake.waitFor(
      (c) => c.method === 'chat.update' && c.params.channel === 'C0LIMITED' && c.status === 200,
      (RETRY_AFTER_S + 5) * 1000,
    );
    expect(retried.at - limited.at).toBeGreaterThanOrEqual(RETRY_AFTER_S * 1000 - 500);
    expect(showsChart(retried.params.blocks)).toBe(true);
  }, 30_000);
});
