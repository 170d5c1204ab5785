// After the ack, nothing leaves the asker with nothing: channels the bot is not in, rate
// limits, failed uploads, failed renders, Slack errors, and a shutdown mid-answer.
import { describe, expect, it } from 'vitest';
import { INTERACTIVE_RETRY_POLICY } from '../src/slack/app.ts';
import type { FakeSlack, SlackParams } from './helpers/fake-slack.ts';
import { type RunningBot, startBot, startBotForFile } from './helpers/slack-app.ts';
import { failingCharts } from './helpers/slack-charts.ts';
import { FORM, sendToBot, slashCommandBody } from './helpers/slack-requests.ts';

let fake: FakeSlack;
let bot: RunningBot;
startBotForFile({}, (started) => ({ fake, bot } = started));

async function ask(target: RunningBot, text: string, channel: string) {
  const responseUrl = fake.responseUrl();
  const reply = await sendToBot(
    target.url,
    slashCommandBody({ text, channel_id: channel, response_url: responseUrl }),
    FORM,
  );
  expect(reply.status).toBe(200);
  return responseUrl;
}

const inChannel = (channel: string) => (p: SlackParams) => p.channel === channel || p.channel_id === channel;
const hasImage = (blocks: unknown) => JSON.stringify(blocks).includes('slack_file');

describe('where the bot cannot post', () => {
  it('answers privately, glanceable with its buttons, and an invite hint when it is not in the channel', async () => {
    fake.notMember.add('C0NOTMEMBER');
    const responseUrl = await ask(bot, 'robbery', 'C0NOTMEMBER');
    const res = await fake.waitFor((c) => c.method === 'response' && c.params.responseUrl === responseUrl);
    expect(res.params.response_type).toBe('ephemeral');
    expect(res.params.text).toContain('/invite @Measures');
    expect(res.params.text).toContain(
      'Police recorded robbery offences\nStable · 8th of 8 in MSG (highest rate) · Dec 21: 125 crimes, −1% on Nov 21',
    );
    const blocks = JSON.stringify(res.params.blocks);
    for (const part of ['Police recorded robbery offences', 'Planned actions', 'Data to Dec 2021', '"Details"'])
      expect(blocks).toContain(part);
    const failed = fake.callsTo('chat.postMessage').filter((c) => c.params.channel === 'C0NOTMEMBER');
    expect(failed.map((c) => (c.reply as { error?: string }).error)).toEqual(['not_in_channel']);
    expect(
      fake.calls.filter((c) => c.method === 'files.completeUploadExternal' && c.params.channel_id === 'C0NOTMEMBER'),
    ).toEqual([]);
    expect(bot.store.snapshot().threads.filter((t) => t.channel === 'C0NOTMEMBER')).toEqual([]);
  });

  it('answers privately in a DM or private channel it cannot see', async () => {
    fake.notFound.add('D0DIRECT');
    const responseUrl = await ask(bot, 'burglary', 'D0DIRECT');
    const res = await fake.waitFor((c) => c.method === 'response' && c.params.responseUrl === responseUrl);
    expect(res.params.response_type).toBe('ephemeral');
    expect(res.params.text).toContain('private channel or a DM');
    expect(res.params.text).toContain('Police recorded burglary offences');
  });
});

describe('Slack errors after the ack', () => {
  it('retries a 429 after Retry-After and still posts the answer', async () => {
    fake.fail('chat.postMessage', { status: 429, retryAfter: 1, when: inChannel('C0RATELIMIT') });
    const started = performance.now();
    await ask(bot, 'robbery', 'C0RATELIMIT');
    const ok = await fake.waitFor(
      (c) => c.method === 'chat.postMessage' && c.params.channel === 'C0RATELIMIT' && c.status === 200,
    );
    const attempts = fake.callsTo('chat.postMessage').filter((c) => c.params.channel === 'C0RATELIMIT');
    expect(attempts.map((c) => c.status)).toEqual([429, 200]);
    expect(ok.at - attempts[0]!.at).toBeGreaterThanOrEqual(950);
    expect(performance.now() - started).toBeLessThan(4000);
    await fake.waitFor(
      (c) => c.method === 'chat.update' && c.params.channel === 'C0RATELIMIT' && hasImage(c.params.blocks),
    );
  });

  it('keeps the text when the chart upload fails, and says the chart is missing', async () => {
    fake.fail('upload', { status: 500, times: 2 });
    await ask(bot, 'vehicle crime', 'C0UPLOADFAIL');
    const post = await fake.waitFor((c) => c.method === 'chat.postMessage' && c.params.channel === 'C0UPLOADFAIL');
    expect(JSON.stringify(post.params.blocks)).toContain('Stable · 6th of 8 in MSG');
    const update = await fake.waitFor((c) => c.method === 'chat.update' && c.params.channel === 'C0UPLOADFAIL');
    const text = JSON.stringify(update.params.blocks);
    expect(text).toContain('The chart could not be shared');
    expect(text).toContain('Stable · 6th of 8 in MSG');
    expect(hasImage(update.params.blocks)).toBe(false);
    expect(bot.logs.some((l) => /\[req [0-9a-f]{8}\] chart upload for C0UPLOADFAIL/.test(l))).toBe(true);
  });

  it('keeps the text when sharing the uploaded file fails', async () => {
    fake.fail('files.completeUploadExternal', { error: 'internal_error', when: inChannel('C0SHAREFAIL') });
    await ask(bot, 'theft from the person', 'C0SHAREFAIL');
    const update = await fake.waitFor((c) => c.method === 'chat.update' && c.params.channel === 'C0SHAREFAIL');
    expect(JSON.stringify(update.params.blocks)).toContain('Slack said internal_error');
  });

  it('retries showing the image while Slack is still processing the file', async () => {
    fake.fileReadyAfterMs = 400;
    try {
      await ask(bot, 'homicide', 'C0SLOWFILE');
      // Slack refuses with HTTP 200 and ok: false, so only an ok reply means the image is shown.
      const shown = await fake.waitFor(
        (c) =>
          c.method === 'chat.update' &&
          c.params.channel === 'C0SLOWFILE' &&
          c.status === 200 &&
          (c.reply as { ok?: boolean }).ok === true &&
          hasImage(c.params.blocks),
      );
      const refused = fake
        .callsTo('chat.update')
        .filter((c) => c.params.channel === 'C0SLOWFILE' && (c.reply as { error?: string }).error === 'invalid_blocks');
      expect(refused.length).toBeGreaterThan(0);
      // The image went in once Slack had processed the file, after every refused attempt.
      expect(shown.at).toBeGreaterThan(refused.at(-1)!.at);
    } finally {
      fake.fileReadyAfterMs = 0;
    }
  });

  it('apologises privately, with the answer, when posting fails for another reason', async () => {
    fake.fail('chat.postMessage', { status: 500, times: 3, when: inChannel('C0DOWN') });
    const responseUrl = await ask(bot, 'robbery', 'C0DOWN');
    const res = await fake.waitFor((c) => c.method === 'response' && c.params.responseUrl === responseUrl);
    expect(res.params.response_type).toBe('ephemeral');
    expect(res.params.text).toContain('Sorry, I couldn’t post the answer in the channel (Slack answered HTTP 500)');
    expect(res.params.text).toContain('Police recorded robbery offences');
    // The production policy (startBot leaves INTERACTIVE_RETRY_POLICY in place): three
    // attempts, not ten over half an hour, at least minTimeout apart.
    const attempts = fake.callsTo('chat.postMessage').filter((c) => c.params.channel === 'C0DOWN');
    expect(attempts).toHaveLength(3);
    expect(INTERACTIVE_RETRY_POLICY).toMatchObject({ retries: 2, minTimeout: 250 });
    expect(attempts[1]!.at - attempts[0]!.at).toBeGreaterThanOrEqual(240);
    expect(attempts[2]!.at - attempts[1]!.at).toBeGreaterThanOrEqual(240);
  });
});

describe('chart rendering fails', () => {
  it('posts the text and says the chart could not be drawn', async () => {
    const broken = await startBot(fake, { charts: failingCharts });
    try {
      await ask(broken, 'robbery', 'C0NOCHART');
      const update = await fake.waitFor((c) => c.method === 'chat.update' && c.params.channel === 'C0NOCHART');
      expect(JSON.stringify(update.params.blocks)).toContain('The chart could not be shared (it could not be drawn)');
      expect(JSON.stringify(update.params.blocks)).toContain('Stable · 8th of 8 in MSG (highest rate)');
      expect(broken.logs.some((l) => l.includes('renderer exploded'))).toBe(true);
    } finally {
      await broken.stop();
    }
  });
});

describe('shutdown', () => {
  it('finishes an answer in flight, and its binding, before stopping', async () => {
    const stopping = await startBot(fake);
    fake.latencyMs = 150;
    try {
      await ask(stopping, 'burglary', 'C0SHUTDOWN');
      await stopping.slack.stop(10_000);
      const post = fake.callsTo('chat.postMessage').find((c) => c.params.channel === 'C0SHUTDOWN')!;
      const ts = (post.reply as { ts: string }).ts;
      expect(fake.callsTo('chat.update').some((c) => c.params.ts === ts && hasImage(c.params.blocks))).toBe(true);
      expect(stopping.store.snapshot().threads.find((t) => t.ts === ts)).toMatchObject({
        channel: 'C0SHUTDOWN',
        kind: 'measure',
        id: 'burglary',
      });
      const health = await fetch(`${stopping.base}/healthz`).catch(() => null);
      expect(health).toBeNull(); // no longer listening
    } finally {
      fake.latencyMs = 0;
      await stopping.store.close();
    }
  });
});
