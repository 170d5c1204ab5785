// The digest inside the running bot: settings, the Web API client it posts with, the
// scheduler, and what `/measures digest` needs. main.ts calls startDigest once, after the app
// has started (it reuses the app client's token and API URL), and hands the runtime to the
// app's listeners as deps.digest.
import { webApi } from '@slack/bolt';
import { renderDigestChart, type DigestChartRenderer } from '../../digest/chart.ts';
import {
  realTimers,
  startScheduler,
  type DigestLog,
  type DigestScheduler,
  type Timers,
} from '../../digest/scheduler.ts';
import { checkDigestSettings, type DigestSettings } from '../../digest/settings.ts';
import type { MeasuresStore } from '../../store/index.ts';
import { personalDigestDeliver, PERSONAL_DIGEST_SLOT } from '../followers/personal-digest.ts';
import { deliverDigest, type DeliveryDeps } from './delivery.ts';
import { checkDelivery } from './slack-io.ts';

type WebClient = webApi.WebClient;

export interface DigestRuntime {
  settings: DigestSettings;
  delivery: Omit<DeliveryDeps, 'store'>;
  scheduler: DigestScheduler | null;
  /** Followers' weekly DMs, on the same schedule; on whether or not DIGEST_CHANNEL is set. */
  personal: DigestScheduler;
  stop(): Promise<void>;
}

export interface StartDigestOptions {
  env: NodeJS.ProcessEnv;
  store: MeasuresStore;
  /** The app's client: its token and API URL are reused by a client that does not auto-retry. */
  client: WebClient;
  /** The proxy's fetch when HTTP(S)_PROXY is set (src/slack/proxy.ts); Node's otherwise. */
  fetch?: typeof fetch;
  log: DigestLog;
  now?: () => Date;
  timers?: Timers;
  sleep?: (ms: number) => Promise<void>;
  renderChart?: DigestChartRenderer | null;
  retryDelaysMs?: number[];
  paceMs?: number;
  metrics?: DeliveryDeps['metrics'];
}

/**
 * Posting must not be retried blindly: a timed-out post may have been delivered. So no
 * automatic retries (delivery.ts retries, searching the channel first) and rate limits are
 * handed back to the caller instead of waited out inside the client.
 */
export function digestClient(from: WebClient, fetch?: typeof globalThis.fetch): WebClient {
  return new webApi.WebClient(from.token, {
    slackApiUrl: from.slackApiUrl,
    ...(fetch ? { fetch } : {}),
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: 15_000,
  });
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function startDigest(options: StartDigestOptions): DigestRuntime {
  const settings = checkDigestSettings(options.env);
  const delivery: Omit<DeliveryDeps, 'store'> = {
    client: digestClient(options.client, options.fetch),
    log: options.log,
    zone: settings.zone,
    now: options.now ?? (() => new Date()),
    sleep: options.sleep ?? realSleep,
    renderChart: options.renderChart === undefined ? renderDigestChart : options.renderChart,
    retryDelaysMs: options.retryDelaysMs,
    paceMs: options.paceMs,
    metrics: options.metrics,
  };
  let scheduler: DigestScheduler | null = null;
  if (!settings.channel) {
    options.log.info('digest: off (DIGEST_CHANNEL is not set)');
  } else {
    const channel = settings.channel;
    void checkDelivery(delivery.client, channel).then((health) => {
      if (health.ok) options.log.info(`digest: the bot can post to ${channel}`);
      else
        options.log.error(`digest: the bot cannot post to DIGEST_CHANNEL ${channel}: ${health.reason}; ${health.hint}`);
    });
    scheduler = startScheduler({
      store: options.store,
      channel,
      schedule: settings.schedule,
      zone: settings.zone,
      now: delivery.now,
      timers: options.timers ?? realTimers,
      log: options.log,
      deliver: (request) => deliverDigest({ ...delivery, store: options.store }, request),
    });
  }
  const personal = startScheduler({
    store: options.store,
    channel: PERSONAL_DIGEST_SLOT,
    schedule: settings.schedule,
    zone: settings.zone,
    now: delivery.now,
    timers: options.timers ?? realTimers,
    log: options.log,
    deliver: personalDigestDeliver({ ...delivery, store: options.store }),
  });
  return {
    settings,
    delivery,
    scheduler,
    personal,
    async stop() {
      await Promise.all([scheduler?.stop(), personal.stop()]);
    },
  };
}
