// A signed /measures carrying megabytes of text must not stall the bot: every other officer's
// command shares its one event loop and Slack gives each only 3 s. The real app over HTTP,
// in this process, so the loop delay measured here is the bot's.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import type { FakeSlack } from './helpers/fake-slack.ts';
import { type RunningBot, startBotForFile } from './helpers/slack-app.ts';
import {
  FORM,
  sendToBot,
  signSlackRequest,
  slashCommandBody,
  type SlackReply,
  TEST_SIGNING_SECRET,
} from './helpers/slack-requests.ts';

let fake: FakeSlack;
let bot: RunningBot;
startBotForFile(
  { config: { analysts: ['U0ANALYST'], analystUsergroup: undefined } },
  (started) => ({ fake, bot } = started),
);

/** Just under the bot's body limit (4 MB, Bolt's default). */
const HUGE = 3_500_000;

/**
 * Sends the request, waits for its answer, and measures the longest stall of the event loop
 * meanwhile: Node's delay histogram, and the longest gap between ticks of a 5 ms timer
 * (counting the gap still open at the end, so a stall just before the answer is not missed).
 */
async function longestStall(text: string, answered: (res: SlackReply) => Promise<unknown>) {
  // Encoded and signed before measuring: that work is the test's (Slack's), not the bot's.
  const body = Buffer.from(text);
  const headers = { 'content-type': FORM, ...signSlackRequest(TEST_SIGNING_SECRET, text) };
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  // Let the monitor's first tick pass, so its reading is of this request alone.
  await new Promise((r) => setTimeout(r, 30));
  histogram.enable();
  let last = performance.now();
  let longestGap = 0;
  const ticks = setInterval(() => {
    const now = performance.now();
    longestGap = Math.max(longestGap, now - last);
    last = now;
  }, 5);
  try {
    const started = performance.now();
    const reply = await fetch(bot.url, { method: 'POST', headers, body });
    const res: SlackReply = { status: reply.status, body: await reply.text(), ms: performance.now() - started };
    const answer = await answered(res);
    return { res, answer, maxMs: Math.max(histogram.max / 1e6, longestGap, performance.now() - last) };
  } finally {
    clearInterval(ticks);
    histogram.disable();
  }
}

const viaResponseUrl = (responseUrl: string) => () =>
  fake.waitFor((c) => c.method === 'response' && c.params.responseUrl === responseUrl, 10_000).then((c) => c.params);
/** A slash command's immediate response: Slack shows its body to the user who typed the command. */
const inTheAck = async (res: SlackReply): Promise<unknown> => JSON.parse(res.body);

// Before the caps these requests stalled the loop for 11–26 s. The 100 ms goal itself is a
// benchmark figure (each test prints its stall): under a loaded test run the scheduler alone can
// delay the loop past 100 ms, so the bound here is the one that still tells the two apart.
const STALL_BOUND_MS = 1000;

describe('a question of several megabytes', () => {
  it('is answered "too long" in the ack, without blocking the event loop (the stall is printed)', async () => {
    const text = 'robbery burglary '.repeat(Math.ceil(HUGE / 17)).slice(0, HUGE);
    const body = slashCommandBody({ text, response_url: fake.responseUrl(), channel_id: 'C0HUGE' });
    const { res, answer, maxMs } = await longestStall(body, inTheAck);
    console.info(`3.5 MB question: longest event-loop stall ${maxMs.toFixed(1)} ms`);
    expect(res.status).toBe(200);
    expect(answer).toMatchObject({
      response_type: 'ephemeral',
      text: expect.stringMatching(
        /^That was too long for `\/measures` \(3\.5 MB\), so it was not read\. Questions are read up to 500 characters\./,
      ),
    });
    expect(res.body.length).toBeLessThan(2000);
    expect(maxMs).toBeLessThan(STALL_BOUND_MS);
    expect(bot.logs.join('\n')).toMatch(/slash command of \d+ bytes was answered "too long"/);
    // Nothing is posted in the channel, and nothing more is said later.
    await new Promise((r) => setTimeout(r, 100));
    expect(fake.calls.filter((c) => c.params.channel === 'C0HUGE' || c.method === 'response')).toEqual([]);
  }, 20_000);

  it("one enormous word, and an analyst's enormous /measures update, are answered the same way", async () => {
    for (const [text, user] of [
      ['r'.repeat(HUGE), 'U0ASKER'],
      [`update robbery ${'trend: Stable '.repeat(HUGE / 14)}`, 'U0ANALYST'],
    ] as const) {
      const { res, answer, maxMs } = await longestStall(
        slashCommandBody({ text, user_id: user, response_url: fake.responseUrl() }),
        inTheAck,
      );
      console.info(
        `3.5 MB ${user === 'U0ANALYST' ? 'update' : 'word'}: longest event-loop stall ${maxMs.toFixed(1)} ms`,
      );
      expect(res.status).toBe(200);
      expect(answer).toMatchObject({ text: expect.stringMatching(/^That was too long for `\/measures`/) });
      expect(maxMs).toBeLessThan(STALL_BOUND_MS);
    }
  }, 20_000);

  it('a click or other form body that large is refused (413) before Bolt parses it', async () => {
    const res = await sendToBot(bot.url, `payload=${'x'.repeat(HUGE)}`, FORM);
    expect(res.status).toBe(413);
  });
});

describe('a question longer than 500 characters but small enough to read', () => {
  it('is answered privately that it is too long, with its length, and never echoed back whole', async () => {
    const responseUrl = fake.responseUrl();
    const text = `how is robbery${' and burglary'.repeat(15_384)}`;
    expect(text).toHaveLength(200_006);
    const { res, answer, maxMs } = await longestStall(
      slashCommandBody({ text, response_url: responseUrl, channel_id: 'C0LONG' }),
      viaResponseUrl(responseUrl),
    );
    console.info(`200 KB question: longest event-loop stall ${maxMs.toFixed(1)} ms`);
    expect(res.status).toBe(200);
    expect(answer).toMatchObject({
      response_type: 'ephemeral',
      text: expect.stringMatching(
        /^That question is too long \(200,006 characters\); questions are read up to 500\. Ask in a few words/,
      ),
    });
    expect(JSON.stringify(answer).length).toBeLessThan(2000);
    expect(fake.calls.filter((c) => c.params.channel === 'C0LONG')).toEqual([]);
    expect(maxMs).toBeLessThan(STALL_BOUND_MS);
  }, 20_000);

  it('a question of 500 characters is still read and answered', async () => {
    const responseUrl = fake.responseUrl();
    const text = `robbery${' '.repeat(487)}please`;
    expect(text).toHaveLength(500);
    await sendToBot(bot.url, slashCommandBody({ text, response_url: responseUrl, channel_id: 'C0EDGE' }), FORM);
    const post = await fake.waitFor((c) => c.method === 'chat.postMessage' && c.params.channel === 'C0EDGE');
    expect(JSON.stringify(post.params.blocks)).toContain('robbery');
  });
});
