// On a network that reaches Slack only through a proxy, HTTP(S)_PROXY must carry every
// connection the bot makes: each Web API call, the chart's upload URL and response_url replies.
// With NO_PROXY covering the host, none go through it. A forward proxy on loopback tells, call by
// call, which connection the fake Slack was reached on.
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { LogLevel } from '@slack/bolt';
import { socketModeConfig } from './helpers/socket-bot.ts';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createSlackApp } from '../src/slack/app.ts';
import { createLogger } from '../src/slack/logger.ts';
import { maskProxyUrl, slackProxyFromEnv } from '../src/slack/proxy.ts';
import { openStore } from '../src/store/index.ts';
import { startBotProcess } from './helpers/bot-process.ts';
import { type FakeSlack, type RecordedCall, startFakeSlack } from './helpers/fake-slack.ts';
import { type ForwardProxy, startForwardProxy } from './helpers/forward-proxy.ts';
import { type RunningBot, startBot } from './helpers/slack-app.ts';
import { FORM, sendToBot, slashCommandBody, TEST_SIGNING_SECRET } from './helpers/slack-requests.ts';
import { tempDir } from './helpers/seed.ts';
import { tinyCharts } from './helpers/slack-charts.ts';

let fake: FakeSlack;
let proxy: ForwardProxy;
let bot: RunningBot | undefined;

beforeAll(async () => {
  fake = await startFakeSlack();
});
afterAll(async () => {
  await fake?.stop();
});
afterEach(async () => {
  await bot?.stop();
  bot = undefined;
  await proxy?.stop();
});

/** Asks `text` in `channel`; resolves once the answer shows its chart (or the private reply arrived). */
async function askAndWait(text: string, channel: string, until: 'chart' | 'response'): Promise<void> {
  const responseUrl = fake.responseUrl();
  const reply = await sendToBot(
    bot!.url,
    slashCommandBody({ text, channel_id: channel, response_url: responseUrl }),
    FORM,
  );
  expect(reply.status).toBe(200);
  if (until === 'response') {
    await fake.waitFor((c) => c.method === 'response' && c.params.responseUrl === responseUrl);
    return;
  }
  await fake.waitFor(
    (c) =>
      c.method === 'chat.update' &&
      c.params.channel === channel &&
      (c.params.blocks as Array<{ type?: string }>).some((b) => b.type === 'image'),
  );
}

const viaProxy = (c: RecordedCall) => c.remotePort !== undefined && proxy.upstreamPorts.has(c.remotePort);

describe('HTTP_PROXY', () => {
  it('carries every Web API call, the chart upload and the response_url reply', async () => {
    proxy = await startForwardProxy();
    const from = fake.calls.length;
    bot = await startBot(fake, { proxy: slackProxyFromEnv({ HTTP_PROXY: proxy.url }) });
    await askAndWait('robbery', 'C0PROXIED', 'chart');
    await askAndWait('help', 'C0PROXIED', 'response');

    const calls = fake.calls.slice(from);
    const methods = new Set(calls.map((c) => c.method));
    for (const m of [
      'auth.test',
      'chat.postMessage',
      'files.getUploadURLExternal',
      'upload',
      'files.completeUploadExternal',
      'chat.update',
      'response',
    ])
      expect(methods).toContain(m);
    expect(calls.filter((c) => !viaProxy(c)).map((c) => c.method)).toEqual([]);
    expect(proxy.seen.length).toBeGreaterThan(0);
  });

  it('leaves hosts in NO_PROXY alone: the same answer, and nothing through the proxy', async () => {
    proxy = await startForwardProxy();
    const from = fake.calls.length;
    bot = await startBot(fake, {
      proxy: slackProxyFromEnv({ HTTP_PROXY: proxy.url, NO_PROXY: 'localhost,127.0.0.1' }),
    });
    await askAndWait('burglary', 'C0DIRECT', 'chart');
    await askAndWait('help', 'C0DIRECT', 'response');

    expect(fake.calls.slice(from).filter(viaProxy)).toEqual([]);
    expect(proxy.seen).toEqual([]);
  });

  it('is used only when a proxy variable is set', () => {
    expect(slackProxyFromEnv({})).toBeUndefined();
    expect(slackProxyFromEnv({ NO_PROXY: 'slack.com', HTTPS_PROXY: ' ' })).toBeUndefined();
    expect(slackProxyFromEnv({ https_proxy: 'http://proxy.example:3128' })?.description).toContain(
      'https via http://proxy.example:3128',
    );
  });
});

describe('a proxy URL in the log', () => {
  it('never shows the password', () => {
    expect(maskProxyUrl('http://ops:s3cr%40t@proxy.example:3128')).toBe('http://ops:***@proxy.example:3128');
    expect(maskProxyUrl('http://proxy.example:3128/')).toBe('http://proxy.example:3128');
    expect(maskProxyUrl('ops:s3cret@proxy:3128')).toBe('http://ops:***@proxy:3128');
    expect(slackProxyFromEnv({ HTTP_PROXY: 'proxy.example:3128' })?.description).toContain(
      'http via http://proxy.example:3128',
    );
    expect(() => slackProxyFromEnv({ HTTPS_PROXY: 'socks5://ops:s3cret@proxy:1080' })).toThrow(
      'HTTPS_PROXY must be an http:// or https:// proxy URL such as http://proxy.example:3128 (got socks5://ops:***@proxy:1080)',
    );
    const proxy = slackProxyFromEnv({ HTTPS_PROXY: 'http://ops:s3cret@proxy.example:3128', NO_PROXY: '.internal' });
    expect(proxy?.description).toBe(
      'Slack traffic goes through a proxy: https via http://ops:***@proxy.example:3128; not for NO_PROXY .internal',
    );
  });
});

/**
 * Just enough of Slack for a Socket Mode connection: auth.test, apps.connections.open (whose URL
 * points back here) and a WebSocket that says hello, as Slack does once the socket is open.
 */
async function startSocketSlack(): Promise<{
  apiUrl: string;
  wsHost: string;
  calls: Array<{ method: string; remotePort: number | undefined }>;
  stop(): Promise<void>;
}> {
  const calls: Array<{ method: string; remotePort: number | undefined }> = [];
  let wsHost = '';
  const server = http.createServer((req, res) => {
    req.resume();
    const method = (req.url ?? '').replace('/api/', '');
    calls.push({ method, remotePort: req.socket.remotePort });
    const reply =
      method === 'auth.test'
        ? { ok: true, user_id: 'U0BOT', bot_id: 'B0BOT', team_id: 'T0FAKE' }
        : method === 'apps.connections.open'
          ? { ok: true, url: `ws://${wsHost}/link/?ticket=t` }
          : { ok: false, error: 'unknown_method' };
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(reply));
  });
  server.on('upgrade', (req, socket) => {
    calls.push({ method: 'websocket', remotePort: req.socket.remotePort });
    const accept = createHash('sha1')
      .update(`${String(req.headers['sec-websocket-key'])}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`)
      .digest('base64');
    const head = ['HTTP/1.1 101 Switching Protocols', 'Upgrade: websocket', 'Connection: Upgrade'];
    socket.write(`${[...head, `Sec-WebSocket-Accept: ${accept}`].join('\r\n')}\r\n\r\n`);
    const hello = Buffer.from(JSON.stringify({ type: 'hello', num_connections: 1, debug_info: { host: 'fake' } }));
    socket.write(Buffer.concat([Buffer.from([0x81, hello.length]), hello]));
    // A close frame from the bot (opcode 8) is answered with one, which ends the connection.
    socket.on('data', (frame: Buffer) => {
      if ((frame[0]! & 0x0f) === 8) socket.end(Buffer.from([0x88, 0]));
    });
    socket.on('error', () => socket.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  wsHost = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    apiUrl: `http://${wsHost}/api/`,
    wsHost,
    calls,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe('HTTP_PROXY in Socket Mode', () => {
  it('carries apps.connections.open and the WebSocket', async () => {
    proxy = await startForwardProxy();
    const slack = await startSocketSlack();
    const storeFile = path.join(tempDir('measures-socket-proxy-'), 'store.json');
    const store = await openStore(storeFile, { notice: () => undefined });
    const app = await createSlackApp({
      config: socketModeConfig(slack.apiUrl, storeFile, { logLevel: LogLevel.ERROR }),
      store,
      charts: tinyCharts(),
      logger: createLogger({ level: LogLevel.ERROR, write: () => undefined }),
      prewarmCharts: false,
      proxy: slackProxyFromEnv({ HTTP_PROXY: proxy.url }),
    });
    try {
      await app.start();
      expect(slack.calls.map((c) => c.method)).toEqual(['auth.test', 'apps.connections.open', 'websocket']);
      // Each call, the WebSocket's upgrade included, came in on a connection the proxy opened.
      expect(slack.calls.filter((c) => !proxy.upstreamPorts.has(c.remotePort!))).toEqual([]);
      expect(new Set(proxy.seen)).toEqual(new Set([slack.wsHost]));
    } finally {
      await app.stop(1000);
      await store.close();
      await slack.stop();
    }
  });
});

describe('npm start with HTTP_PROXY', () => {
  it('logs the proxy without its password and answers through it', async () => {
    proxy = await startForwardProxy();
    const withPassword = proxy.url.replace('http://', 'http://ops:s3cret@');
    const from = fake.calls.length;
    const bot = await startBotProcess({
      SLACK_BOT_TOKEN: 'xoxb-test',
      SLACK_SIGNING_SECRET: TEST_SIGNING_SECRET,
      SLACK_API_URL: fake.apiUrl,
      HTTP_PROXY: withPassword,
    });
    try {
      const base = bot.base;
      const body = slashCommandBody({ text: 'robbery', channel_id: 'C0STARTPROXY', response_url: fake.responseUrl() });
      expect((await sendToBot(`${base}/slack/events`, body, FORM)).status).toBe(200);
      await fake.waitFor((c) => c.method === 'chat.postMessage' && c.params.channel === 'C0STARTPROXY', 20_000);
      expect(await bot.stop()).toBe(0);
    } finally {
      bot.kill();
    }
    const log = bot.log();
    // The proxy's own mask (ops:***) and then the logger's scrubbing of any user:password@ both apply.
    expect(log).toContain(`http via ${proxy.url.replace('http://', 'http://[redacted]@')}`);
    expect(log).not.toContain('s3cret');
    expect(fake.calls.slice(from).filter((c) => !viaProxy(c))).toEqual([]);
    expect(proxy.authorizations[0]).toBe(`Basic ${Buffer.from('ops:s3cret').toString('base64')}`);
  }, 60_000);
});
