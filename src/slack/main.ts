// `npm start`: read settings, open the store (watched, so CLI updates show up), load charts,
// start Bolt; on SIGTERM/SIGINT stop taking requests and finish what is in flight.
import { openStore } from '../store/open-store.ts';
import { createSlackApp, SlackStartError } from './app.ts';
import { loadChartService } from './charts.ts';
import { readSlackConfig, SlackConfigError } from './config.ts';
import { createLogger } from './logger.ts';
import { StoreError } from '../store/errors.ts';
import { checkDigestSettings, DigestSettingsError } from '../digest/settings.ts';
import { startDigest } from './digest/runtime.ts';
import { watchEventLoop } from './loop-watch.ts';

export async function main(env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let config;
  let logger;
  try {
    config = readSlackConfig(env);
    logger = createLogger({ level: config.logLevel });
    checkDigestSettings(env);
  } catch (err) {
    if (err instanceof SlackConfigError || err instanceof DigestSettingsError) {
      process.stderr.write(`measures-bot: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
  let store;
  try {
    store = await openStore(config.storeFile, {
      watch: true,
      notice: (m) => logger.info(m),
      onReload: () => logger.info(`store reloaded from ${config.storeFile}`),
      onProblem: (e) => logger.error(`store problem (serving the last good copy, refusing writes): ${e.message}`),
    });
  } catch (err) {
    if (err instanceof StoreError) {
      process.stderr.write(`measures-bot: ${err.message}\n`);
      return 1;
    }
    throw err;
  }
  const charts = await loadChartService((m) => logger.warn(m));
  let slack;
  try {
    slack = await createSlackApp({ config, store, charts, logger });
    await slack.start();
  } catch (err) {
    await Promise.allSettled([store.close(), Promise.resolve(charts.close())]);
    if (err instanceof SlackStartError || (err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      process.stderr.write(`measures-bot: ${(err as Error).message}\n`);
      return 1;
    }
    throw err;
  }
  logger.info(`store ${config.storeFile} loaded; ready`);
  const stopWatching = watchEventLoop(logger);
  const digest = startDigest({ env, store, client: slack.app.client, log: logger });
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
      await store.close(); // waits for in-flight writes
      logger.info('stopped cleanly');
    })();
    return stopping;
  };
  await new Promise<void>((resolve) => {
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      process.once(signal, () => {
        void shutdown(signal).then(resolve, (err) => {
          logger.error(`shutdown failed: ${(err as Error).message}`);
          resolve();
        });
      });
    }
  });
  return 0;
}
