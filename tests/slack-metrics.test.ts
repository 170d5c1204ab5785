// GET /metrics on the running bot, over real HTTP, as Prometheus scrapes it: after a question and an
// analyst's update it shows what came in, how fast it was acked and answered, the chart and the store
// write; what Slack refused shows by method and error; two apps in one process count apart. In Socket
// Mode the ack is timed from the envelope's hand-over, and the socket client's reconnects are counted.
import path from 'node:path';
import { socketModeConfig } from './helpers/socket-bot.ts';
import { describe, expect, it } from 'vitest';
import { createSlackApp } from '../src/slack/app.ts';
import { createLogger } from '../src/slack/logger.ts';
import { openStore } from '../src/store/index.ts';
import { findMeasure } from '../src/store/lookup.ts';
import type { FakeSlack } from './helpers/fake-slack.ts';
import { type RunningBot, startBot, startBotForFile } from './helpers/slack-app.ts';
import { FORM, sendToBot, slashCommandBody } from './helpers/slack-requests.ts';
import { postAnswerIn, replyInThread, settle } from './helpers/slack-threads.ts';
import { tinyCharts } from './helpers/slack-charts.ts';
import { tempDir } from './helpers/seed.ts';

let fake: FakeSlack;
let bot: RunningBot;
startBotForFile({ config: { analysts: ['U0ANALYST'] } }, (started) => ({ fake, bot } = started));

async function scrape(base: string): Promise<string> {
  const res = await fetch(`${base}/metrics`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toContain('text/plain');
  return res.text();
}

/** The value of one sample, e.g. value(text, 'x_total', { kind: 'command' }); undefined when absent. */
function value(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = m[2] ? m[2].split(',') : [];
    if (wanted.every((w) => have.includes(w))) return Number(m[3]);
  }
  return undefined;
}

describe('GET /metrics', () => {
  it('counts a question and an analyst update, with ack, answer, chart and store-write timings', async () => {
    const before = await scrape(bot.base);
    expect(value(before, 'measures_bot_slack_requests_total', { kind: 'command' })).toBeUndefined();
    expect(value(before, 'measures_bot_ack_seconds_count')).toBe(0);

    const answer = await postAnswerIn(fake, bot, 'robbery', 'C0METRICS');
    await replyInThread(bot, 'C0METRICS', answer, 'trend: Moderate reduction');
    await settle(bot);
    await fake.waitFor((c) => c.method === 'chat.postMessage' && c.params.thread_ts === answer && !c.params.file);
    expect(findMeasure(bot.store.snapshot(), 'robbery')!.measure.trend.label).toBe('Moderate reduction');

    const text = await scrape(bot.base);
    expect(value(text, 'measures_bot_slack_requests_total', { kind: 'command' })).toBe(1);
    expect(value(text, 'measures_bot_slack_requests_total', { kind: 'message' })).toBe(1);
    expect(value(text, 'measures_bot_ack_seconds_count')).toBeGreaterThanOrEqual(2);
    expect(value(text, 'measures_bot_ack_seconds_bucket', { le: '3' })).toBeGreaterThanOrEqual(2);
    expect(value(text, 'measures_bot_answer_seconds_count', { stage: 'posted' })).toBe(1);
    expect(value(text, 'measures_bot_answer_seconds_count', { stage: 'chart' })).toBe(1);
    expect(value(text, 'measures_bot_chart_render_seconds_count', { outcome: 'rendered' })).toBeGreaterThanOrEqual(1);
    // The thread binding and the analyst's update are both store writes.
    expect(value(text, 'measures_bot_store_write_seconds_count', { outcome: 'ok' })).toBeGreaterThanOrEqual(2);
    expect(value(text, 'measures_bot_slack_api_errors_total')).toBeUndefined();
    // prom-client's process metrics, in the app's own registry.
    expect(value(text, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
  });

  it('counts what Slack refused, by method and error', async () => {
    fake.fail('chat.postMessage', { error: 'is_archived', when: (p) => p.channel === 'C0ARCHIVED' });
    const responseUrl = fake.responseUrl();
    await sendToBot(
      bot.url,
      slashCommandBody({ text: 'robbery', channel_id: 'C0ARCHIVED', response_url: responseUrl }),
      FORM,
    );
    // The asker is told privately; by then the refusal has been counted.
    await fake.waitFor((c) => c.method === 'response' && c.params.responseUrl === responseUrl);
    await settle(bot);
    const text = await scrape(bot.base);
    expect(
      value(text, 'measures_bot_slack_api_errors_total', { method: 'chat.postMessage', error: 'is_archived' }),
    ).toBe(1);
  });

  it('is served beside /healthz without a signature, and each app in a process counts its own', async () => {
    const other = await startBot(fake);
    try {
      const text = await scrape(other.base);
      expect(value(text, 'measures_bot_slack_requests_total', { kind: 'command' })).toBeUndefined();
      expect(value(await scrape(bot.base), 'measures_bot_slack_requests_total', { kind: 'command' })).toBe(2);
    } finally {
      await other.stop();
    }
  });
});

describe('Socket Mode', () => {
  it('times the ack from the envelope handed over, and counts reconnects of the socket client', async () => {
    const storeFile = path.join(tempDir('measures-socket-'), 'store.json');
    const store = await openStore(storeFile, { notice: () => undefined });
    const slack = await createSlackApp({
      config: socketModeConfig(fake.apiUrl, storeFile),
      store,
      charts: tinyCharts(),
      logger: createLogger({ write: () => undefined }),
      prewarmCharts: false,
    });
    try {
      // What SocketModeReceiver does with each envelope (not started: no WebSocket here).
      let acked = false;
      const body = Object.fromEntries(
        new URLSearchParams(slashCommandBody({ text: 'help', response_url: fake.responseUrl() })),
      );
      await slack.app.processEvent({ body, ack: async () => void (acked = true) });
      await slack.deps.work.drain(5000);
      expect(acked).toBe(true);
      const receiver = (slack.app as unknown as { receiver: { client: { emit(e: string): void } } }).receiver;
      receiver.client.emit('reconnecting');
      const text = await slack.deps.metrics.registry.metrics();
      expect(value(text, 'measures_bot_slack_requests_total', { kind: 'command' })).toBe(1);
      expect(value(text, 'measures_bot_ack_seconds_count')).toBe(1);
      expect(value(text, 'measures_bot_socket_reconnects_total')).toBe(1);
    } finally {
      await slack.deps.bindings.flush();
      await store.close();
    }
  });
});
