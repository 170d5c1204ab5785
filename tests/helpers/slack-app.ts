// Starts the real Slack app over HTTP on an ephemeral loopback port, against a fake Slack.
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { LogLevel, type webApi } from '@slack/bolt';
import { createSlackApp, EVENTS_PATH, type SlackApp } from '../../src/slack/app.ts';
import { type ChartRenderer } from '../../src/slack/chart-renderer.ts';
import type { SlackConfig } from '../../src/slack/config.ts';
import type { SlackProxy } from '../../src/slack/proxy.ts';
import { createLogger } from '../../src/slack/logger.ts';
import { openStore, type MeasuresStore, type Store } from '../../src/store/index.ts';
import { afterAll, beforeAll } from 'vitest';
import { type FakeSlack, startFakeSlack } from './fake-slack.ts';
import { TEST_SIGNING_SECRET } from './slack-requests.ts';
import { tempDir } from './seed.ts';
import { tinyCharts } from './slack-charts.ts';

export interface RunningBot {
  /** POST target for signed requests. */
  url: string;
  base: string;
  slack: SlackApp;
  store: MeasuresStore;
  /** The store's JSON file, for tests that damage it. */
  storeFile: string;
  logs: string[];
  stop(): Promise<void>;
}

export interface BotOptions {
  charts?: ChartRenderer;
  prepareStore?: (draft: Store) => void;
  /** Overrides the Web API retry policy; by default the app's own (INTERACTIVE_RETRY_POLICY), as in production. */
  retryConfig?: webApi.RetryOptions;
  storeFile?: string;
  /** Watch the store file, as main.ts does, so another process's writes show up. */
  watch?: boolean;
  /** Extra settings, e.g. who counts as an analyst (analysts / analystUsergroup). */
  config?: Partial<SlackConfig>;
  /** An outbound proxy, as main.ts builds it from HTTP(S)_PROXY. */
  proxy?: SlackProxy;
  /** Answers worked on at once (the app's default otherwise). */
  answersInFlight?: number;
  /** The bot's clock (answers, Home tab viewers); the real one by default. */
  now?: () => Date;
}

/**
 * One fake Slack and one bot shared by a whole test file: started before its tests, stopped after
 * them (the bot first, while the fake Slack can still take its last calls). `started` hands both
 * to the file's own variables.
 */
export function startBotForFile(
  options: BotOptions,
  started: (running: { fake: FakeSlack; bot: RunningBot }) => void,
): void {
  let fake: FakeSlack | undefined;
  let bot: RunningBot | undefined;
  beforeAll(async () => {
    fake = await startFakeSlack();
    bot = await startBot(fake, options);
    started({ fake, bot });
  });
  afterAll(async () => {
    await bot?.stop();
    await fake?.stop();
  });
}

export async function startBot(fake: FakeSlack, options: BotOptions = {}): Promise<RunningBot> {
  const storeFile = options.storeFile ?? path.join(tempDir('measures-slack-'), 'store.json');
  const store = await openStore(storeFile, { notice: () => undefined, ...(options.watch ? { watch: true } : {}) });
  if (options.prepareStore) await store.mutate(options.prepareStore);
  const logs: string[] = [];
  const logger = createLogger({ level: LogLevel.INFO, write: (line) => logs.push(line) });
  const slack = await createSlackApp({
    config: {
      mode: 'http',
      botToken: 'xoxb-test',
      signingSecret: TEST_SIGNING_SECRET,
      appToken: undefined,
      port: 0,
      apiUrl: fake.apiUrl,
      storeFile,
      logLevel: LogLevel.INFO,
      analysts: [],
      ...options.config,
    },
    store,
    charts: options.charts ?? tinyCharts(),
    logger,
    // Left unset, createSlackApp uses its production policy, which slack-failures.test.ts checks.
    ...(options.retryConfig ? { retryConfig: options.retryConfig } : {}),
    prewarmCharts: false,
    ...(options.proxy ? { proxy: options.proxy } : {}),
    ...(options.answersInFlight ? { answersInFlight: options.answersInFlight } : {}),
    ...(options.now ? { now: options.now } : {}),
    // Bindings are written within ~50 ms here, instead of after the default 250 ms lull (2 s at most).
    bindingWrites: { quietMs: 20, maxDelayMs: 200 },
    // Follower DMs look at the change log every 50 ms here instead of every second.
    followerNotices: { pollMs: 50 },
  });
  const server = await slack.start();
  const port = (server!.address() as AddressInfo).port;
  const base = `http://127.0.0.1:${port}`;
  return {
    url: `${base}${EVENTS_PATH}`,
    base,
    slack,
    store,
    storeFile,
    logs,
    async stop() {
      await slack.stop(5000);
      await store.close();
    },
  };
}
