// `npm start`: read settings, open the store (watched, so CLI updates show up), load charts,
// start Bolt; on SIGTERM/SIGINT stop taking requests and finish what is in flight.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { Logger } from '@slack/bolt';
import { openStore, StoreError, type MeasuresStore } from '../store/index.ts';
import { createSlackApp, SlackStartError } from './app.ts';
import { loadChartService } from './chart-renderer.ts';
import { readSlackConfig, SlackConfigError } from './config.ts';
import { createLogger, scrubSecrets, secretsIn } from './logger.ts';
import { slackProxyFromEnv } from './proxy.ts';
import { checkDigestSettings, DigestSettingsError } from '../digest/settings.ts';
import { startDigest } from './digest/runtime.ts';

const LOOP_SAMPLE_MS = 20;

/**
 * Logs when the event loop was blocked long enough to delay Slack's acks, so a slow ack in the
 * field can be tied to what the bot was doing: once a second, the worst block in it.
 */
function watchEventLoop(logger: Logger, thresholdMs = 100): () => void {
  const delay = monitorEventLoopDelay({ resolution: LOOP_SAMPLE_MS });
  delay.enable();
  const timer = setInterval(() => {
    // A sample is the time between two ticks of a LOOP_SAMPLE_MS timer: beyond that, the loop was blocked.
    const blockedMs = delay.max / 1e6 - LOOP_SAMPLE_MS;
    if (blockedMs <= thresholdMs) return;
    logger.warn(`event loop blocked for ${Math.round(blockedMs)} ms; acks waited as long`);
    // Only after a warning: reset() also drops the next sample, and until a block passes the
    // threshold the all-time max is the max of the last second anyway.
    delay.reset();
  }, 1000);
  timer.unref();
  return () => {
    clearInterval(timer);
    delay.disable();
  };
}

export async function main(env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let config;
  let logger;
  // A setting's value can end up in a message ("SLACK_API_URL must be … (got …)"): never a secret.
  const secrets = secretsIn(env);
  const fail = (err: unknown) =>
    process.stderr.write(`measures-bot: ${scrubSecrets((err as Error).message, secrets)}\n`);
  let proxy;
  try {
    config = readSlackConfig(env);
    logger = createLogger({ level: config.logLevel, secrets });
    checkDigestSettings(env);
    proxy = slackProxyFromEnv(env);
  } catch (err) {
    if (err instanceof SlackConfigError || err instanceof DigestSettingsError) {
      fail(err);
      return 2;
    }
    throw err;
  }
  // The chart workers start first: their start-up (a process each, loading canvas) then
  // overlaps with reading and checking the store, instead of following it.
  const chartsLoading = loadChartService((m) => logger.warn(m));
  let store: MeasuresStore | undefined;
  try {
    store = await openStore(config.storeFile, {
      watch: true,
      notice: (m) => logger.info(m),
      onReload: () => logger.info(`store reloaded from ${store?.describe() ?? 'the store'}`),
      onProblem: (e) => logger.error(`store problem (serving the last good copy, refusing writes): ${e.message}`),
      onHealth: (up) => (up ? logger.info('store reachable') : logger.error('store unreachable; /healthz says 503')),
    });
  } catch (err) {
    await Promise.resolve((await chartsLoading).close()).catch(() => undefined);
    if (err instanceof StoreError) {
      fail(err);
      return 1;
    }
    throw err;
  }
  const charts = await chartsLoading;
  if (proxy) logger.info(proxy.description);
  let slack;
  try {
    slack = await createSlackApp({ config, store, charts, logger, proxy });
    await slack.start();
  } catch (err) {
    await Promise.allSettled([store.close(), Promise.resolve(charts.close())]);
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      process.stderr.write(`measures-bot: PORT ${config.port} is already in use by another process\n`);
      return 1;
    }
    if (err instanceof SlackStartError) {
      fail(err);
      return 1;
    }
    throw err;
  }
  logger.info(`store ${store.describe()} loaded; ready`);
  const stopWatching = watchEventLoop(logger);
  // The app's store: its writes are timed for /metrics.
  const digest = startDigest({
    env,
    store: slack.deps.store,
    client: slack.app.client,
    log: logger,
    metrics: slack.deps.metrics,
    fetch: proxy?.fetch,
  });
  slack.deps.digest = digest;

  let stopping: Promise<void> | null = null;
  const shutdown = (signal: string) => {
    if (stopping) return stopping;
    logger.info(`${signal}: finishing answers and store writes in flight`);
    stopping = (async () => {
      stopWatching();
      // From here `/measures digest now` says the digest is off instead of racing the scheduler's stop.
      slack.deps.digest = null;
      await digest.stop();
      await slack.stop();
      await Promise.resolve(charts.close());
      await proxy?.close();
      await store.close(); // waits for in-flight writes
      logger.info('stopped cleanly');
    })();
    return stopping;
  };
  return new Promise<number>((resolve) => {
    const stopThenExit = (reason: string, code: number) =>
      void shutdown(reason).then(
        () => resolve(code),
        (err) => {
          logger.error(`shutdown failed: ${(err as Error).message}`);
          resolve(code);
        },
      );
    for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => stopThenExit(signal, 0));
    // Socket Mode: an app token revoked while running. Exiting lets a supervisor show (and retry) it.
    void slack.refused.then((err) => {
      fail(err);
      stopThenExit('SLACK_APP_TOKEN refused', 1);
    });
  });
}
