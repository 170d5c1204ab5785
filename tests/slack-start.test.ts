// `npm start` as an admin runs it, from the build in dist/: settings errors are one line naming
// the setting; with a (fake) Slack it serves /healthz, answers with a chart and stops cleanly on SIGTERM.
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSlackConfig } from '../src/slack/config.ts';
import { BASE_ENV, runBotProcess, START, startBotProcess } from './helpers/bot-process.ts';
import { type FakeSlack, startFakeSlack } from './helpers/fake-slack.ts';
import { FORM, sendToBot, slashCommandBody, TEST_SIGNING_SECRET } from './helpers/slack-requests.ts';

describe('settings', () => {
  it('names the missing or malformed setting in one line', () => {
    expect(() => readSlackConfig({})).toThrow(/^SLACK_BOT_TOKEN is not set: /);
    expect(() => readSlackConfig({ SLACK_BOT_TOKEN: 'xoxb-1' })).toThrow(/^SLACK_SIGNING_SECRET is not set: /);
    expect(() => readSlackConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's', PORT: 'eighty' })).toThrow(
      /^PORT must be/,
    );
    expect(() =>
      readSlackConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's', SLACK_API_URL: 'ftp://x' }),
    ).toThrow(/^SLACK_API_URL must be/);
  });

  it('chooses Socket Mode when SLACK_APP_TOKEN is set, without a signing secret', () => {
    const socket = readSlackConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1' });
    expect(socket.mode).toBe('socket');
    const http = readSlackConfig({
      SLACK_BOT_TOKEN: 'xoxb-1',
      SLACK_SIGNING_SECRET: 's',
      SLACK_APP_TOKEN: ' ',
      SLACK_API_URL: 'http://127.0.0.1:9/api',
    });
    expect(http).toMatchObject({ mode: 'http', port: 3000, apiUrl: 'http://127.0.0.1:9/api/' });
  });

  it('npm start exits 2 with one line when a setting is missing', () => {
    const r = spawnSync(process.execPath, [START], { env: BASE_ENV, encoding: 'utf8', timeout: 30_000 });
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^measures-bot: SLACK_BOT_TOKEN is not set: /)]);
  }, 30_000); // a real start-up, which takes seconds beside another file's processes
});

describe('npm start against a fake Slack', () => {
  let fake: FakeSlack;
  beforeAll(async () => {
    fake = await startFakeSlack();
  });
  afterAll(async () => {
    await fake?.stop();
  });

  it('refuses a token Slack rejects, in one line', async () => {
    fake.fail('auth.test', { error: 'invalid_auth' });
    const { code, stderr } = await runBotProcess({
      SLACK_BOT_TOKEN: 'xoxb-bad',
      SLACK_SIGNING_SECRET: 's',
      SLACK_API_URL: fake.apiUrl,
      PORT: '0',
    });
    expect(code).toBe(1);
    expect(stderr).toContain('measures-bot: SLACK_BOT_TOKEN was not accepted by Slack (Slack said invalid_auth)');
  }, 30_000);

  it('serves /healthz, answers, and exits 0 on SIGTERM', async () => {
    const bot = await startBotProcess({
      SLACK_BOT_TOKEN: 'xoxb-test',
      SLACK_SIGNING_SECRET: TEST_SIGNING_SECRET,
      SLACK_API_URL: fake.apiUrl,
    });
    try {
      const base = bot.base;
      const reply = await sendToBot(
        `${base}/slack/events`,
        slashCommandBody({ text: 'robbery', channel_id: 'C0STARTED', response_url: fake.responseUrl() }),
        FORM,
      );
      expect(reply.status).toBe(200);
      await fake.waitFor((c) => c.method === 'chat.postMessage' && c.params.channel === 'C0STARTED', 20_000);
      // With its chart: the build's own chart worker drew it (one that cannot start leaves a
      // note that the chart could not be shared).
      const settled = /slack_file|No chart available|could not be shared/;
      const shown = await fake.waitFor(
        (c) =>
          c.method === 'chat.update' &&
          c.params.channel === 'C0STARTED' &&
          settled.test(JSON.stringify(c.params.blocks)),
        20_000,
      );
      expect(JSON.stringify(shown.params.blocks)).toContain('slack_file');
      expect(await bot.stop()).toBe(0);
      expect(bot.log()).toContain('SIGTERM: finishing answers and store writes in flight');
      expect(bot.log()).toContain('stopped cleanly');
    } finally {
      bot.kill();
    }
  }, 60_000);
});
