// Starts the real Slack app in Socket Mode against a fake Slack (Web API) and a fake Socket
// Mode server, both on loopback. Like slack-app.ts, but Slack's requests arrive over the WebSocket.
import path from 'node:path';
import { LogLevel } from '@slack/bolt';
import { createSlackApp, type SlackApp } from '../../src/slack/app.ts';
import { HEALTH_PATH } from '../../src/slack/health.ts';
import type { SlackConfig } from '../../src/slack/config.ts';
import { createLogger } from '../../src/slack/logger.ts';
import type { SocketModeTuning } from '../../src/slack/socket-mode.ts';
import { openStore, type MeasuresStore } from '../../src/store/index.ts';
import type { FakeSlack } from './fake-slack.ts';
import { freePort } from './free-port.ts';
import { tempDir } from './seed.ts';
import { tinyCharts } from './slack-charts.ts';

/** Short enough that a reconnect takes about a second, long enough that a busy machine doesn't miss a pong. */
export const TEST_SOCKET_TIMINGS: SocketModeTuning = { clientPingTimeout: 1000, reconnectBaseMs: 50 };

export interface SocketBot {
  slack: SlackApp;
  store: MeasuresStore;
  logs: string[];
  /** http://127.0.0.1:PORT/healthz */
  healthUrl: string;
  /** Resolves when start() does (after Slack's hello). */
  started: Promise<unknown>;
  health(): Promise<number | null>;
  stop(): Promise<void>;
}

/** The settings of a Socket Mode bot whose Web API is the fake Slack at `apiUrl`. */
export function socketModeConfig(apiUrl: string, storeFile: string, more: Partial<SlackConfig> = {}): SlackConfig {
  return {
    mode: 'socket',
    botToken: 'xoxb-test',
    signingSecret: undefined,
    appToken: 'xapp-test',
    port: 0,
    apiUrl,
    storeFile,
    logLevel: LogLevel.INFO,
    analysts: [],
    ...more,
  };
}

/** Starts the bot without waiting for it to connect (see `started`). */
export async function startSocketBot(
  fake: FakeSlack,
  options: { config?: Partial<SlackConfig>; socketMode?: SocketModeTuning; store?: string } = {},
): Promise<SocketBot> {
  const storeFile = options.store ?? path.join(tempDir('measures-socket-'), 'store.json');
  const store = await openStore(storeFile, { notice: () => undefined });
  const logs: string[] = [];
  const logger = createLogger({ level: LogLevel.INFO, write: (line) => logs.push(line) });
  const port = await freePort();
  const slack = await createSlackApp({
    config: socketModeConfig(fake.apiUrl, storeFile, { port, ...options.config }),
    store,
    charts: tinyCharts(),
    logger,
    prewarmCharts: false,
    bindingWrites: { quietMs: 20, maxDelayMs: 200 },
    socketMode: options.socketMode ?? TEST_SOCKET_TIMINGS,
  });
  const healthUrl = `http://127.0.0.1:${port}${HEALTH_PATH}`;
  const started = slack.start();
  started.catch(() => undefined); // a test that expects a failed start awaits it itself
  return {
    slack,
    store,
    logs,
    healthUrl,
    started,
    health: () =>
      fetch(healthUrl).then(
        (res) => res.status,
        () => null,
      ),
    async stop() {
      await slack.stop(5000);
      await store.close();
    },
  };
}
