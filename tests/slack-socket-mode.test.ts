// The real app in Socket Mode against a fake Slack: apps.connections.open on the fake Web API
// hands out ws://127.0.0.1 URLs of a fake Socket Mode server, which greets with hello and then
// sends what Slack would (a slash command, an analyst's thread reply, disconnects).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findMeasure } from '../src/store/lookup.ts';
import { type FakeSlack, startFakeSlack } from './helpers/fake-slack.ts';
import {
  eventsApiEnvelope,
  type FakeSocketMode,
  slashCommandEnvelope,
  startFakeSocketMode,
} from './helpers/fake-socket-mode.ts';
import { type SocketBot, startSocketBot, TEST_SOCKET_TIMINGS } from './helpers/socket-bot.ts';

const ACK_DEADLINE_MS = 3000;

const blocksText = (params: Record<string, unknown>) => JSON.stringify(params.blocks ?? []);

/** Asks `/measures <query>` over the socket; resolves with the ack's delay and the answer's ts. */
async function ask(fake: FakeSlack, socket: FakeSocketMode, channel: string, query = 'robbery') {
  const sentAt = performance.now();
  const id = socket.send(slashCommandEnvelope({ text: query, channel_id: channel, response_url: fake.responseUrl() }));
  const ack = await socket.waitForAck(id, ACK_DEADLINE_MS);
  const post = await fake.waitFor(
    (c) => c.method === 'chat.postMessage' && c.params.channel === channel && !c.params.thread_ts && c.status === 200,
  );
  return { ack, ackMs: ack.at - sentAt, ts: (post.reply as { ts: string }).ts };
}

describe('Socket Mode, end to end', () => {
  let fake: FakeSlack;
  let socket: FakeSocketMode;
  let bot: SocketBot;

  beforeAll(async () => {
    fake = await startFakeSlack();
    socket = await startFakeSocketMode(fake);
  });
  afterAll(async () => {
    await bot?.stop();
    await socket?.stop();
    await fake?.stop();
  });

  it('is not ready until hello, then acks a slash command in time and answers it', async () => {
    socket.autoHello = false;
    bot = await startSocketBot(fake, { config: { analysts: ['U0ANALYST'] } });
    await expect.poll(() => bot.health(), { timeout: 10_000, interval: 50 }).toBe(503);
    const connection = await socket.waitForConnections(1);
    expect(await bot.health()).toBe(503);
    expect(fake.callsTo('apps.connections.open')[0]!.headers.authorization).toBe('Bearer xapp-test');

    // A request straight after hello: acked within Slack's 3 s, on this connection.
    socket.hello();
    socket.autoHello = true;
    const id = socket.send(
      slashCommandEnvelope({ text: 'robbery', channel_id: 'C0SOCK', response_url: fake.responseUrl() }),
    );
    const ack = await socket.waitForAck(id, ACK_DEADLINE_MS);
    const helloToAckMs = ack.at - connection.helloAt!;
    console.info(`hello → ack of a slash command sent with it: ${helloToAckMs.toFixed(1)} ms`);
    expect(helloToAckMs).toBeLessThan(ACK_DEADLINE_MS);
    expect(ack.connection).toBe(0);
    await bot.started;
    expect(await bot.health()).toBe(200);
    expect(bot.logs.some((l) => l.includes('INFO') && l.includes('connected to Slack in Socket Mode'))).toBe(true);

    const answer = await fake.waitFor((c) => c.method === 'chat.postMessage' && c.params.channel === 'C0SOCK');
    expect(blocksText(answer.params)).toContain('Robbery');
    const { ackMs } = await ask(fake, socket, 'C0SOCK2');
    console.info(`slash command → ack on a warm connection: ${ackMs.toFixed(1)} ms`);
  });

  it("applies an analyst's thread reply delivered as an events_api envelope", async () => {
    const { ts: parent } = await ask(fake, socket, 'C0THREAD');
    await fake.waitFor(
      (c) => c.method === 'chat.update' && c.params.ts === parent && blocksText(c.params).includes('slack_file'),
    );
    await bot.slack.deps.bindings.flush();
    const trend = () => findMeasure(bot.store.snapshot(), 'robbery')!.measure.trend.label;
    expect(trend()).not.toBe('Moderate reduction');

    const replyTs = '1800000001.000001';
    const id = socket.send(
      eventsApiEnvelope('Ev0SOCKREPLY', {
        type: 'message',
        channel: 'C0THREAD',
        channel_type: 'channel',
        user: 'U0ANALYST',
        text: 'trend: moderate reduction',
        ts: replyTs,
        thread_ts: parent,
        event_ts: replyTs,
      }),
    );
    await socket.waitForAck(id, ACK_DEADLINE_MS);
    const confirm = await fake.waitFor((c) => c.method === 'chat.postMessage' && c.params.thread_ts === parent);
    expect(confirm.params.text).toBe('Trend: Stable → Moderate reduction, by <@U0ANALYST>');
    expect(trend()).toBe('Moderate reduction');
  });

  it('after a refresh_requested disconnect, is unready until it has reconnected, then serves again', async () => {
    socket.disconnect('refresh_requested');
    await expect.poll(() => bot.health(), { timeout: 2000, interval: 20 }).toBe(503);
    await socket.waitForConnections(2);
    await expect.poll(() => bot.health(), { timeout: 5000, interval: 20 }).toBe(200);
    const { ack } = await ask(fake, socket, 'C0AGAIN');
    expect(ack.connection).toBe(1);
    expect(
      bot.logs.some((l) => /INFO .*Slack asked for a new Socket Mode connection \(refresh_requested\)/.test(l)),
    ).toBe(true);
    expect(bot.logs.some((l) => /INFO .*reconnected to Slack in Socket Mode/.test(l))).toBe(true);
  });

  it('survives apps.connections.open answering 503 three times during a reconnect', async () => {
    const before = fake.callsTo('apps.connections.open').length;
    fake.fail('apps.connections.open', { status: 503, times: 3 });
    socket.disconnect('refresh_requested');
    await socket.waitForConnections(3, 15_000);
    const opens = fake.callsTo('apps.connections.open').slice(before);
    expect(opens.map((c) => c.status)).toEqual([503, 503, 503, 200]);
    await expect.poll(() => bot.health(), { timeout: 5000, interval: 20 }).toBe(200);
    const { ack } = await ask(fake, socket, 'C0AFTER503');
    expect(ack.connection).toBe(2);
  }, 20_000);

  it('reconnects after the connection drops without a close frame, and says so at warn', async () => {
    socket.current!.destroy();
    await expect.poll(() => bot.health(), { timeout: 2000, interval: 20 }).toBe(503);
    await socket.waitForConnections(4);
    await expect.poll(() => bot.health(), { timeout: 5000, interval: 20 }).toBe(200);
    await ask(fake, socket, 'C0DROPPED');
    expect(bot.logs.some((l) => /WARN .*Socket Mode connection to Slack was lost/.test(l))).toBe(true);
  });

  it('stops on an app token Slack refuses while running, with one line naming SLACK_APP_TOKEN', async () => {
    fake.fail('apps.connections.open', { error: 'token_revoked', times: 10 });
    socket.disconnect('refresh_requested');
    const err = await Promise.race([
      bot.slack.refused,
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error('not refused within 5 s')), 5000)),
    ]);
    expect(err.message).toBe('SLACK_APP_TOKEN was not accepted by Slack (Slack said token_revoked)');
    expect(await bot.health()).toBe(503);
    // Refused once, not retried for ever.
    await new Promise((r) => setTimeout(r, 300));
    expect(
      fake
        .callsTo('apps.connections.open')
        .filter((c) => c.status === 200 && (c.reply as { ok?: boolean }).ok === false),
    ).toHaveLength(1);
  });
});

describe('Socket Mode reconnects beyond the Web API retry policy', () => {
  let fake: FakeSlack;
  let socket: FakeSocketMode;
  let bot: SocketBot;

  beforeAll(async () => {
    fake = await startFakeSlack();
    socket = await startFakeSocketMode(fake);
  });
  afterAll(async () => {
    await bot?.stop();
    await socket?.stop();
    await fake?.stop();
  });

  it('keeps trying, with a growing pause, when every retry of apps.connections.open failed', async () => {
    // No Web API retries at all: each 503 reaches the reconnect loop.
    bot = await startSocketBot(fake, { socketMode: { ...TEST_SOCKET_TIMINGS, retryConfig: { retries: 0 } } });
    await bot.started;
    fake.fail('apps.connections.open', { status: 503, times: 3 });
    socket.disconnect('refresh_requested');
    await socket.waitForConnections(2, 10_000);
    await expect.poll(() => bot.health(), { timeout: 5000, interval: 20 }).toBe(200);
    await ask(fake, socket, 'C0LOOP');
    const waits = bot.logs
      .filter((l) => /WARN .*could not reconnect to Slack \(Slack answered HTTP 503\)/.test(l))
      .map((l) => Number(/trying again in (\d+) ms/.exec(l)![1]));
    expect(waits).toEqual([50, 100, 200]);
  }, 20_000);
});

describe('an app token without connections:write', () => {
  it('stops the start with one line, instead of the client retrying it for ever', async () => {
    const fake = await startFakeSlack();
    const socket = await startFakeSocketMode(fake);
    fake.fail('apps.connections.open', { error: 'missing_scope', times: 100 });
    const bot = await startSocketBot(fake);
    try {
      await expect(bot.started).rejects.toThrow(
        /^SLACK_APP_TOKEN was not accepted by Slack \(Slack said missing_scope\): .*connections:write scope$/,
      );
      await new Promise((r) => setTimeout(r, 300));
      expect(fake.callsTo('apps.connections.open')).toHaveLength(1);
      expect(await bot.health()).toBeNull(); // the port was let go
    } finally {
      await bot.stop();
      await socket.stop();
      await fake.stop();
    }
  });
});
