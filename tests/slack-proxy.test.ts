// On a network that reaches Slack only through a proxy, HTTP(S)_PROXY must carry every
// connection the bot makes: each Web API call, the chart's upload URL and response_url replies.
// With NO_PROXY covering the host, none go through it. A forward proxy on loopback tells, call by
// call, which connection the fake Slack was reached on.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { maskProxyUrl, slackProxyFromEnv } from '../src/slack/proxy.ts';
import { type FakeSlack, type RecordedCall, startFakeSlack } from './helpers/fake-slack.ts';
import { type ForwardProxy, startForwardProxy } from './helpers/forward-proxy.ts';
import { type RunningBot, startBot } from './helpers/slack-app.ts';
import { FORM, sendToBot, slashCommandBody } from './helpers/slack-requests.ts';

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
