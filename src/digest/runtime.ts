// The digest inside the running bot: settings, the Web API client it posts with, the
// scheduler, and what `/measures digest` needs. main.ts calls startDigest once; the slash
// command finds the runtime by the store it serves (several apps can share a test process).
import { webApi } from '@slack/bolt';
import type { MeasuresStore } from '../store/index.ts';
import type { DeliveryDeps, DigestLog } from './delivery.ts';
import { renderDigestChart, type DigestChartRenderer } from './chart.ts';
import { realTimers, startScheduler, type DigestScheduler, type Timers } from './scheduler.ts';
import { readDigestSettings, type DigestSettings } from './settings.ts';
import { checkDelivery } from './slack-io.ts';

type WebClient = webApi.WebClient;

export interface DigestRuntime {
  settings: DigestSettings;
  delivery: Omit<DeliveryDeps, 'store'>;
  scheduler: DigestScheduler | null;
  stop(): Promise<void>;
}

export interface StartDigestOptions {
  env: NodeJS.ProcessEnv;
  store: MeasuresStore;
  /** The app's client: its token and API URL are reused by a client that does not auto-retry. */
  client: WebClient;
  log: DigestLog;
  now?: () => Date;
  timers?: Timers;
  sleep?: (ms: number) => Promise<void>;
  renderChart?: DigestChartRenderer | null;
  retryDelaysMs?: number[];
  paceMs?: number;
}

const runtimes = new WeakMap<MeasuresStore, DigestRuntime>();

export function digestRuntimeFor(store: MeasuresStore): DigestRuntime | undefined {
  return runtimes.get(store);
}

/**
 * Posting must not be retried blindly: a timed-out post may have been delivered. So no
 * automatic retries (delivery.ts retries, searching the channel first) and rate limits are
 * handed back to the caller instead of waited out inside the client.
 */
export function digestClient(from: WebClient): WebClient {
  return new webApi.WebClient(from.token, {
    slackApiUrl: from.slackApiUrl,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: 15_000,
  });
}

export class DigestSettingsError extends Error {
  override name = 'DigestSettingsError';
}

/** Checks the settings without starting anything: main calls this before the app starts. */
export function checkDigestSettings(env: NodeJS.ProcessEnv): DigestSettings {
  const read = readDigestSettings(env);
  if (!read.ok) throw new DigestSettingsError(read.error);
  return read.settings;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function startDigest(options: StartDigestOptions): DigestRuntime {
  const settings = checkDigestSettings(options.env);
  const delivery: Omit<DeliveryDeps, 'store'> = {
    client: digestClient(options.client),
    log: options.log,
    zone: settings.zone,
    now: options.now ?? (() => new Date()),
    sleep: options.sleep ?? realSleep,
    renderChart: options.renderChart === undefined ? renderDigestChart : options.renderChart,
    retryDelaysMs: options.retryDelaysMs,
    paceMs: options.paceMs,
  };
  let scheduler: DigestScheduler | null = null;
  if (!settings.channel) {
    options.log.info('digest: off (DIGEST_CHANNEL is not set)');
  } else {
    const channel = settings.channel;
    void checkDelivery(delivery.client, channel).then((health) => {
      if (health.ok) options.log.info(`digest: the bot can post to ${channel}`);
      else options.log.error(`digest: the bot cannot post to DIGEST_CHANNEL ${channel}: ${health.reason}; ${health.hint}`);
    });
    scheduler = startScheduler({ ...delivery, store: options.store, channel, schedule: settings.schedule, timers: options.timers ?? realTimers });
  }
  const runtime: DigestRuntime = {
    settings,
    delivery,
    scheduler,
    async stop() {
      runtimes.delete(options.store);
      await scheduler?.stop();
    },
  };
  runtimes.set(options.store, runtime);
  return runtime;
}
