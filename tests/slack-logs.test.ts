// The log of `npm start` as a log collector reads it (stderr is not a terminal): one JSON object a
// line, the lines of one request sharing its `req` id, and never a secret from the environment,
// even at debug level, when a request fails, or when a user pastes a token into a question.
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { START, startBotProcess } from './helpers/bot-process.ts';
import { type FakeSlack, startFakeSlack } from './helpers/fake-slack.ts';
import { blockActionBody, FORM, sendToBot, slashCommandBody, TEST_SIGNING_SECRET } from './helpers/slack-requests.ts';
const BOT_TOKEN = 'xoxb-1111111111-2222222222-SeCrEtBoTtOkEnVaLuE';
const PROXY_PASSWORD = 'Pr0xyPa55w0rdValue';
const SECRETS = [BOT_TOKEN, 'SeCrEtBoTtOkEnVaLuE', TEST_SIGNING_SECRET, PROXY_PASSWORD];

let fake: FakeSlack;
beforeAll(async () => {
  fake = await startFakeSlack();
});
afterAll(async () => {
  await fake?.stop();
});

describe('the log of npm start', () => {
  it('is JSON lines, one request id across a request, and never shows a secret', async () => {
    const bot = await startBotProcess({
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: TEST_SIGNING_SECRET,
      SLACK_API_URL: fake.apiUrl,
      // A proxy with a password, as in production; the fake Slack is on loopback and not proxied.
      HTTPS_PROXY: `http://proxyuser:${PROXY_PASSWORD}@127.0.0.1:9`,
      NO_PROXY: '127.0.0.1,localhost',
      LOG_LEVEL: 'debug',
      ANALYSTS: 'U0ASKER',
    });
    try {
      const base = bot.base;
      const ask = (text: string, channel: string) =>
        sendToBot(
          `${base}/slack/events`,
          slashCommandBody({ text, channel_id: channel, response_url: fake.responseUrl() }),
          FORM,
        );
      expect((await ask('robbery', 'C0LOGS')).status).toBe(200);
      const answer = await fake.waitFor(
        (c) => c.method === 'chat.postMessage' && c.params.channel === 'C0LOGS',
        20_000,
      );
      // Details in the answer's thread: the redraw after the update below edits it, comments included.
      const answerTs = (answer.reply as { ts: string }).ts;
      await sendToBot(
        `${base}/slack/events`,
        blockActionBody({
          action_id: 'answer_details',
          value: JSON.stringify({ kind: 'measure', id: 'robbery' }),
          channel_id: 'C0LOGS',
          response_url: fake.responseUrl(),
          message_ts: answerTs,
          is_ephemeral: false,
        }),
        FORM,
      );
      await fake.waitFor((c) => c.method === 'chat.postMessage' && c.params.thread_ts === answerTs, 20_000);
      // A failing post: Slack's error (and web-api's) is logged with its details.
      fake.fail('chat.postMessage', { status: 500, times: 10, when: (p) => p.channel === 'C0BROKEN' });
      const failingUrl = fake.responseUrl();
      await sendToBot(
        `${base}/slack/events`,
        slashCommandBody({ text: 'burglary', channel_id: 'C0BROKEN', response_url: failingUrl }),
        FORM,
      );
      await fake.waitFor((c) => c.method === 'response' && c.params.responseUrl === failingUrl, 20_000);
      // A token pasted into a comment: at debug level web-api logs what the bot sends, and the
      // answer's Details, redrawn in C0LOGS, shows the comment.
      expect((await ask(`update robbery comment: rotate ${BOT_TOKEN} now`, 'C0LOGS')).status).toBe(200);
      await fake.waitFor((c) => c.method === 'chat.update' && JSON.stringify(c.params).includes('rotate'), 20_000);
      // A forged request, refused.
      const forged = await sendToBot(`${base}/slack/events`, 'command=%2Fmeasures', FORM, { secret: 'wrong' });
      expect(forged.status).toBe(401);
      expect(await bot.stop()).toBe(0);
    } finally {
      bot.kill();
    }
    const out = bot.out();
    const err = bot.log();

    for (const secret of SECRETS) {
      // Not toContain: its failure would print the whole log.
      expect(out.includes(secret), `stdout shows ${secret}`).toBe(false);
      expect(err.includes(secret), `stderr shows ${secret}`).toBe(false);
    }
    const lines = err.split('\n').filter(Boolean);
    const entries = lines.map((line) => JSON.parse(line) as { level: string; msg: string; req?: string });
    expect(entries.find((e) => e.msg === 'stopped cleanly')).toMatchObject({ level: 'info' });
    expect(entries.some((e) => e.level === 'debug')).toBe(true);

    // One question, followed through the log by its id: arrival to ack, the answer, the chart.
    const asked = entries.find((e) => /asked → measure/.test(e.msg) && e.msg.includes('C0LOGS'));
    expect(asked?.req).toMatch(/^[0-9a-f]{8}$/);
    const ofRequest = entries.filter((e) => e.req === asked!.req).map((e) => e.msg);
    expect(ofRequest).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^request acked in /),
        expect.stringMatching(/asked → measure/),
        expect.stringMatching(/^answered in C0LOGS at .* \(chart: /),
      ]),
    );
    const failed = entries.find((e) => e.msg.startsWith('posting the answer in C0BROKEN failed'));
    expect(failed).toMatchObject({ level: 'error', req: expect.stringMatching(/^[0-9a-f]{8}$/) });
    expect(failed!.req).not.toBe(asked!.req);
    expect(entries.some((e) => e.msg.includes('xoxb-[redacted]'))).toBe(true);
  }, 60_000);

  it('never echoes a password in a setting it refuses', () => {
    const r = spawnSync(process.execPath, [START], {
      env: {
        PATH: process.env.PATH ?? '',
        SLACK_BOT_TOKEN: BOT_TOKEN,
        SLACK_SIGNING_SECRET: TEST_SIGNING_SECRET,
        SLACK_API_URL: `ftp://bot:${PROXY_PASSWORD}@slack.example/api/`,
      },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(
      /^measures-bot: SLACK_API_URL must be an http\(s\) URL .*\(got "ftp:\/\/\[redacted\]@slack/,
    );
    expect(r.stderr).not.toContain(PROXY_PASSWORD);
  }, 30_000);
});
