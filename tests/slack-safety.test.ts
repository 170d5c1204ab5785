// Only signed, fresh requests reach the bot; nothing a user types or the store holds reaches
// Slack as a mention; a retried event is processed once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeSlack, startFakeSlack } from './helpers/fake-slack.ts';
import { type RunningBot, startBot } from './helpers/slack-app.ts';
import { eventCallbackBody, FORM, JSON_TYPE, sendToBot, slashCommandBody } from './helpers/slack-requests.ts';
import { findMeasure } from '../src/store/lookup.ts';
import { answerFor } from '../src/measures/answer.ts';
import { type PostedAnswer } from '../src/slack/views/answer-blocks.ts';
import { detailsMessage } from '../src/slack/views/details-blocks.ts';

let fake: FakeSlack;
let bot: RunningBot;
const EVIL = '<!channel> ping & <https://evil.example|click> <@U0VICTIM>';

beforeAll(async () => {
  fake = await startFakeSlack();
  bot = await startBot(fake, {
    prepareStore: (draft) => {
      const { measure: robbery, priority } = findMeasure(draft, 'robbery')!;
      robbery.comments.push({ text: EVIL, by: 'U0ANALYST', at: '2026-11-20T10:00:00Z' });
      // First, so that the channel message's three compact actions show it.
      priority.plannedActions.unshift({
        text: 'Tell <!here> about it',
        done: false,
        owner: '<!everyone>',
        due: null,
        addedBy: 'U0ANALYST',
        addedAt: '2026-11-20T10:00:00Z',
      });
    },
  });
});
afterAll(async () => {
  await bot?.stop();
  await fake?.stop();
});

const now = () => Math.floor(Date.now() / 1000);

describe('request signing', () => {
  const body = (channel: string) =>
    slashCommandBody({ text: 'robbery', channel_id: channel, response_url: fake.responseUrl() });

  it('accepts a correctly signed request', async () => {
    const res = await sendToBot(bot.url, body('C0SIGNED'), FORM);
    expect(res.status).toBe(200);
    await fake.waitFor((c) => c.method === 'chat.postMessage' && c.params.channel === 'C0SIGNED');
  });

  it('refuses forged, stale, future and unsigned requests before Bolt sees them', async () => {
    const forged = await sendToBot(bot.url, body('C0FORGED'), FORM, { signature: `v0=${'0'.repeat(64)}` });
    const wrongSecret = await sendToBot(bot.url, body('C0FORGED'), FORM, { secret: 'not-the-secret' });
    const stale = await sendToBot(bot.url, body('C0STALE'), FORM, { timestamp: now() - 360 });
    const future = await sendToBot(bot.url, body('C0FUTURE'), FORM, { timestamp: now() + 360 });
    const farFuture = await sendToBot(
      bot.url,
      eventCallbackBody({
        event_id: 'Ev0FUTURE',
        event: { type: 'app_mention', text: 'hi', user: 'U1', channel: 'C0FUTURE', ts: '1.1' },
      }),
      JSON_TYPE,
      { timestamp: now() + 3600 },
    );
    const unsigned = await fetch(bot.url, {
      method: 'POST',
      headers: { 'content-type': FORM },
      body: body('C0UNSIGNED'),
    });
    expect([forged.status, wrongSecret.status, stale.status, future.status, farFuture.status, unsigned.status]).toEqual(
      [401, 401, 401, 401, 401, 401],
    );
    // A request within the window either way is fine (clock skew of a few minutes).
    const slightlyAhead = await sendToBot(bot.url, body('C0AHEAD'), FORM, { timestamp: now() + 120 });
    expect(slightlyAhead.status).toBe(200);
    await fake.waitFor((c) => c.method === 'chat.postMessage' && c.params.channel === 'C0AHEAD');
    const refusedChannels = ['C0FORGED', 'C0STALE', 'C0FUTURE', 'C0UNSIGNED'];
    expect(fake.calls.filter((c) => refusedChannels.includes(c.params.channel!))).toEqual([]);
    expect(bot.logs.join('\n')).toContain('timestamp more than 5 minutes in the future');
  });

  it('refuses a signed request sent a second time (a replay inside the five-minute window)', async () => {
    const replayed = body('C0REPLAY');
    const timestamp = now();
    const first = await sendToBot(bot.url, replayed, FORM, { timestamp });
    const again = await sendToBot(bot.url, replayed, FORM, { timestamp });
    expect([first.status, again.status]).toEqual([200, 401]);
    await fake.waitFor((c) => c.method === 'chat.postMessage' && c.params.channel === 'C0REPLAY');
    // The replay was refused before Bolt saw it; once the bot is idle, nothing more can come.
    expect(await bot.slack.deps.work.drain(10_000)).toBe(true);
    expect(
      fake.calls.filter(
        (c) => c.method === 'chat.postMessage' && c.params.channel === 'C0REPLAY' && !c.params.thread_ts,
      ),
    ).toHaveLength(1);
    expect(bot.logs.join('\n')).toContain('replayed request');
  });

  it('serves /healthz once the store is loaded', async () => {
    const res = await fetch(`${bot.base}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ok: true, store: 'loaded' });
  });
});

describe('escaping', () => {
  it('never lets a stored comment or action become a mention or link', async () => {
    await sendToBot(
      bot.url,
      slashCommandBody({ text: 'robbery', channel_id: 'C0ESCAPE', response_url: fake.responseUrl() }),
      FORM,
    );
    const post = await fake.waitFor((c) => c.method === 'chat.postMessage' && c.params.channel === 'C0ESCAPE');
    const ts = (post.reply as { ts: string }).ts;
    const update = await fake.waitFor(
      (c) => c.method === 'chat.update' && c.params.ts === ts && JSON.stringify(c.params.blocks).includes('slack_file'),
    );
    for (const call of [post, update]) {
      const sent = JSON.stringify({ text: call.params.text, blocks: call.params.blocks });
      expect(sent).not.toMatch(/<!(channel|here|everyone)>/);
      expect(sent).not.toContain('<https://evil');
      expect(sent).not.toContain('<@U0VICTIM>');
      expect(sent).toContain('Tell &lt;!here&gt; about it (owner: &lt;!everyone&gt;)');
    }
    // The comment is in the Details reply, escaped the same way.
    const details = JSON.stringify(
      detailsMessage(answerFor(bot.store.snapshot(), { kind: 'measure', id: 'robbery' }) as PostedAnswer),
    );
    expect(details).not.toMatch(/<!(channel|here|everyone)>/);
    expect(details).toContain('&lt;!channel&gt; ping &amp; &lt;https://evil.example|click&gt; &lt;@U0VICTIM&gt;');
  });

  it('escapes what the user typed when echoing it', async () => {
    const responseUrl = fake.responseUrl();
    await sendToBot(
      bot.url,
      slashCommandBody({ text: '<!channel> zzqx', channel_id: 'C0TYPED', response_url: responseUrl }),
      FORM,
    );
    const res = await fake.waitFor((c) => c.method === 'response' && c.params.responseUrl === responseUrl);
    const sent = JSON.stringify(res.params);
    expect(sent).not.toContain('<!channel>');
    expect(sent).toContain('&lt;!channel&gt; zzqx');
  });
});

describe('event retries', () => {
  it('processes a retried delivery of the same event once', async () => {
    const seen: string[] = [];
    bot.slack.app.event('app_mention', async ({ event }) => {
      seen.push(event.ts);
    });
    const body = eventCallbackBody({
      event_id: 'Ev0RETRY',
      event: {
        type: 'app_mention',
        text: '<@U0BOT> hi',
        user: 'U1',
        channel: 'C0EVENTS',
        ts: '1700000000.000777',
        event_ts: '1700000000.000777',
      },
    });
    const first = await sendToBot(bot.url, body, JSON_TYPE);
    const retry = await sendToBot(bot.url, body, JSON_TYPE, {
      headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' },
    });
    const retry2 = await sendToBot(bot.url, body, JSON_TYPE, {
      headers: { 'x-slack-retry-num': '2', 'x-slack-retry-reason': 'http_timeout' },
    });
    expect([first.status, retry.status, retry2.status]).toEqual([200, 200, 200]);
    await expect.poll(() => bot.logs.filter((l) => l.includes('Ev0RETRY already handled')).length).toBe(2);
    expect(seen).toEqual(['1700000000.000777']);
  });
});

describe('a signed event Slack never sends', () => {
  // Answering 5xx makes Slack retry, up to three times: a body no retry can fix gets a 200.
  it.each([
    ['"event": null', 'Ev0NULL', { event: null }],
    ['"event": a string', 'Ev0STRING', { event: 'message' }],
    ['"event": an array', 'Ev0ARRAY', { event: [] }],
    ['an event without a type', 'Ev0NOTYPE', { event: { channel: 'C0ODD', ts: '1.2' } }],
  ])('acks %s with 200, processes nothing and logs it', async (_what, eventId, fields) => {
    const body = JSON.stringify({ ...JSON.parse(eventCallbackBody({ event_id: eventId, event: {} })), ...fields });
    const callsBefore = fake.calls.length;
    const res = await sendToBot(bot.url, body, JSON_TYPE);
    expect(res.status).toBe(200);
    await expect
      .poll(() => bot.logs.some((l) => l.includes(`malformed event callback ${eventId}: "event" `)))
      .toBe(true);
    expect(fake.calls.slice(callsBefore)).toEqual([]);
  });
});
