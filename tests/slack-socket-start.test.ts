// `npm start` as an admin runs it, for what goes wrong at start in Socket Mode (and a taken
// port in both modes): each stops the bot with one line naming the setting and a non-zero exit.
import { spawnSync } from 'node:child_process';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSlackConfig } from '../src/slack/config.ts';
import { BASE_ENV, runBotProcess, START, startBotProcess } from './helpers/bot-process.ts';
import { type FakeSlack, startFakeSlack } from './helpers/fake-slack.ts';
import { slashCommandEnvelope, startFakeSocketMode } from './helpers/fake-socket-mode.ts';
/** A line of a stack trace, which an admin should never see for these. */
const STACK_LINE = /^\s+at .+[:(]\d+/m;

describe('SLACK_APP_TOKEN', () => {
  it('must be an app-level (xapp-) token', () => {
    expect(readSlackConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1-A0-1-abc' }).mode).toBe('socket');
    expect(() => readSlackConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xoxb-1-2-abc' })).toThrow(
      /^SLACK_APP_TOKEN must be an app-level token starting xapp- .*, not a xoxb- token$/,
    );
    expect(() => readSlackConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'secret' })).toThrow(
      /^SLACK_APP_TOKEN must be .*, not this value$/,
    );
  });

  it('npm start refuses a bot token in SLACK_APP_TOKEN in one line, before connecting', () => {
    const r = spawnSync(process.execPath, [START], {
      env: { ...BASE_ENV, SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xoxb-pasted-here' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^measures-bot: SLACK_APP_TOKEN must be an app-level token starting xapp- /),
    ]);
    expect(r.stderr).not.toContain('pasted-here');
  }, 30_000);
});

describe('npm start against a fake Slack', () => {
  let fake: FakeSlack;
  let taken: net.Server;
  let takenPort: number;
  beforeAll(async () => {
    fake = await startFakeSlack();
    taken = net.createServer();
    await new Promise<void>((resolve) => taken.listen(0, resolve));
    takenPort = (taken.address() as net.AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise((resolve) => taken?.close(resolve));
    await fake?.stop();
  });

  it('stops with one line naming SLACK_APP_TOKEN when Slack refuses it (invalid_auth)', async () => {
    fake.fail('apps.connections.open', { error: 'invalid_auth' });
    const { code, stderr } = await runBotProcess({
      SLACK_BOT_TOKEN: 'xoxb-test',
      SLACK_APP_TOKEN: 'xapp-revoked',
      SLACK_API_URL: fake.apiUrl,
      PORT: '0',
    });
    expect(code).toBe(1);
    expect(stderr).toContain('measures-bot: SLACK_APP_TOKEN was not accepted by Slack (Slack said invalid_auth)\n');
    expect(stderr).not.toMatch(STACK_LINE);
    expect(fake.callsTo('apps.connections.open').at(-1)!.headers.authorization).toBe('Bearer xapp-revoked');
  }, 60_000);

  it('in Socket Mode, is ready only once connected, answers, and exits 0 on SIGTERM', async () => {
    const socket = await startFakeSocketMode(fake);
    socket.autoHello = false;
    const bot = await startBotProcess(
      { SLACK_BOT_TOKEN: 'xoxb-test', SLACK_APP_TOKEN: 'xapp-test', SLACK_API_URL: fake.apiUrl },
      { ready: false },
    );
    try {
      const health = bot.health;
      await expect.poll(health, { timeout: 30_000, interval: 100 }).toBe(503);
      await socket.waitForConnections(1, 30_000);
      socket.hello();
      await expect.poll(health, { timeout: 10_000, interval: 50 }).toBe(200);
      const id = socket.send(
        slashCommandEnvelope({ text: 'robbery', channel_id: 'C0NPMSOCK', response_url: fake.responseUrl() }),
      );
      await socket.waitForAck(id, 3000);
      await fake.waitFor((c) => c.method === 'chat.postMessage' && c.params.channel === 'C0NPMSOCK', 20_000);
      expect(await bot.stop()).toBe(0);
      expect(bot.log()).toContain('connected to Slack in Socket Mode');
      expect(bot.log()).toContain('stopped cleanly');
    } finally {
      bot.kill();
      await socket.stop();
    }
  }, 60_000);

  it.each([
    ['HTTP mode', { SLACK_SIGNING_SECRET: 's' }],
    ['Socket Mode', { SLACK_APP_TOKEN: 'xapp-test' }],
  ])(
    'stops with one line naming PORT when the port is taken (%s)',
    async (_mode, settings) => {
      const opensBefore = fake.callsTo('apps.connections.open').length;
      const { code, stderr } = await runBotProcess({
        SLACK_BOT_TOKEN: 'xoxb-test',
        SLACK_API_URL: fake.apiUrl,
        PORT: String(takenPort),
        ...settings,
      });
      expect(code).toBe(1);
      expect(stderr).toContain(`measures-bot: PORT ${takenPort} is already in use by another process\n`);
      expect(stderr).not.toMatch(STACK_LINE);
      // Socket Mode listens first: no connection is opened that Slack would send requests to.
      expect(fake.callsTo('apps.connections.open').length).toBe(opensBefore);
    },
    60_000,
  );
});
