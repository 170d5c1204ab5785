// Builds the Bolt app: HTTP mode (signature guard in front of Bolt's HTTPReceiver, /healthz)
// or Socket Mode, the Web API client policy, global middleware and every listener, and the
// deps those listeners share (SlackDeps), including the chart renderer.
import type { Server } from 'node:http';
import type { LRUCache } from 'lru-cache';
import { App, HTTPModuleFunctions, HTTPReceiver, type CustomRoute, type Logger, webApi } from '@slack/bolt';
import type { ChartRequest, RenderedChart } from '../charts/render.ts';
import type { MeasuresStore, Store } from '../store/index.ts';
import { createWorkTracker, type WorkTracker } from './after-ack.ts';
import { type AnalystDirectory, createAnalystDirectory } from './analysts.ts';
import type { SlackConfig } from './config.ts';
import type { DigestRuntime } from './digest/runtime.ts';
import * as actions from './listeners/actions/index.ts';
import * as commands from './listeners/commands/index.ts';
import * as messages from './listeners/messages/index.ts';
import { createLogger } from './logger.ts';
import { dedupeEvents } from './middleware/dedupe-events.ts';
import { dropMalformedEvents, malformedEventCallback, malformedEventText } from './middleware/malformed-events.ts';
import { createMessageRedraws, type MessageRedraws, messageMemory } from './post-answer.ts';
import { guardRequests, markAccepted } from './request-guard.ts';
import { oversizedCommandMessage } from './views/ephemeral-blocks.ts';
import { slackErrorReason } from './slack-errors.ts';
import { type BinderOptions, createThreadBinder, type ThreadBinder } from './thread-bindings.ts';

export const EVENTS_PATH = '/slack/events';
export const HEALTH_PATH = '/healthz';

/**
 * Answers are interactive: a few quick retries, then give up and tell the user, rather than
 * web-api's default of ten retries over half an hour. 429s still wait out Retry-After.
 */
export const INTERACTIVE_RETRY_POLICY: webApi.RetryOptions = {
  retries: 2,
  factor: 2,
  minTimeout: 250,
  maxTimeout: 1000,
  maxRetryTime: 10_000,
  randomize: true,
};
/** An ack slower than this is logged as a warning (Slack shows an error to the user at 3 s). */
export const SLOW_ACK_MS = 1000;
/** No single Web API call may hang an answer. */
export const WEB_API_TIMEOUT_MS = 10_000;

export interface SlackAppOptions {
  config: SlackConfig;
  store: MeasuresStore;
  charts: ChartRenderer;
  logger?: Logger;
  now?: () => Date;
  retryConfig?: webApi.RetryOptions;
  /** When thread bindings are written (defaults in thread-bindings.ts; tests shorten them). */
  bindingWrites?: Omit<BinderOptions, 'now'>;
  /** Render every chart once after start so first answers hit the cache (default true). */
  prewarmCharts?: boolean;
}

export interface SlackApp {
  app: App;
  deps: SlackDeps;
  /** HTTP mode: the listening server (its address gives the port when PORT=0). */
  start(): Promise<Server | undefined>;
  /** Stops taking requests, then waits (up to `graceMs`) for answers and store writes in flight. */
  stop(graceMs?: number): Promise<void>;
}

/** The chart last shown in a bot message, so a refresh with an unchanged chart re-uses the file. */
export interface SharedChart {
  fileId: string;
  /** chartDigest of the PNG in that file. */
  digest: string;
}

/** What listeners need besides Bolt's own arguments. Built once, in createSlackApp. */
export interface SlackDeps {
  store: MeasuresStore;
  charts: ChartRenderer;
  bindings: ThreadBinder;
  logger: Logger;
  /** Keyed by `${channel}:${ts}`; in memory only (after a restart a refresh uploads again). */
  sharedCharts: LRUCache<string, SharedChart>;
  /** One queue of chat.update per bot message (the first chart, refreshes after updates). */
  redraws: MessageRedraws;
  /** Work after an ack; SIGTERM drains it. */
  work: WorkTracker;
  /** The clock for answers (stale-data notes) and updates; tests pin it. */
  now: () => Date;
  /** Who may update measures from Slack. With no ANALYSTS or group, nobody may. */
  analysts: AnalystDirectory;
  /**
   * The weekly digest, for `/measures digest`. main.ts sets it once the app has started (the
   * digest reuses the app's client); null until then, after shutdown began, and in tests without it.
   */
  digest: DigestRuntime | null;
}

/**
 * The chart service as the Slack app sees it (src/charts/service.ts is the real one). Kept as
 * an interface so the app never waits on rendering before an ack and tests can pass a fast one.
 */
export interface ChartRenderer {
  /** null: no chart for this entity (no series held). Rejects when rendering failed. */
  render(request: ChartRequest, store: Store): Promise<RenderedChart | null>;
  close(): Promise<void> | void;
}

/** A renderer that never has a chart: answers then say "no chart available". */
export const noCharts: ChartRenderer = {
  render: async () => null,
  close: () => undefined,
};

/**
 * The real chart service from src/charts/. Loaded lazily so a broken or missing renderer
 * (native canvas) degrades to text answers with a logged reason instead of a bot that won't start.
 */
export async function loadChartService(
  warn: (message: string) => void,
  options: { workers?: number } = {},
): Promise<ChartRenderer> {
  try {
    // Imported lazily: canvas is native, and a broken install must not stop the bot answering.
    // The renderer is loaded here as well as in the workers, so that such an install shows
    // at start, as this warning, rather than as a failed render per answer.
    await import('../charts/render.ts');
    const { createChartService } = await import('../charts/service.ts');
    const service: ChartRenderer = createChartService(options);
    return service;
  } catch (err) {
    warn(`charts are unavailable, answers will say so: ${(err as Error).message}`);
    return noCharts;
  }
}

/**
 * Renders every priority and measure chart once after start, one at a time, so the chart
 * service's cache (keyed by data version) answers the first questions without a render.
 * Sequential on purpose: it must not crowd out answers that arrive meanwhile.
 */
async function prewarmCharts(
  charts: ChartRenderer,
  store: Store,
  shouldStop: () => boolean,
): Promise<{ rendered: number; failed: number; ms: number }> {
  const started = performance.now();
  const requests: ChartRequest[] = store.priorities.flatMap((p) => [
    { kind: 'priority' as const, id: p.id },
    ...p.measures.map((m) => ({ kind: 'measure' as const, id: m.id })),
  ]);
  let rendered = 0;
  let failed = 0;
  for (const request of requests) {
    if (shouldStop()) break;
    try {
      if (await charts.render(request, store)) rendered += 1;
    } catch {
      failed += 1;
    }
  }
  return { rendered, failed, ms: Math.round(performance.now() - started) };
}

export class SlackStartError extends Error {
  override name = 'SlackStartError';
}

interface HealthState {
  ready: boolean;
  charts: 'cold' | 'warming' | 'warm';
}

function healthRoute(state: HealthState, store: MeasuresStore): CustomRoute {
  return {
    path: HEALTH_PATH,
    method: ['GET'],
    handler: (_req, res) => {
      const problem = store.problem();
      res.writeHead(state.ready ? 200 : 503, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          ok: state.ready,
          store: state.ready ? 'loaded' : 'not ready',
          problem: problem?.message ?? null,
          charts: state.charts,
        }),
      );
    },
  };
}

/** Checks the bot token once at start, so a bad token is one clear line, not a failure per request. */
async function whoAmI(
  config: SlackConfig,
  clientOptions: webApi.WebClientOptions,
): Promise<{ botId: string; botUserId: string }> {
  const client = new webApi.WebClient(config.botToken, clientOptions);
  try {
    const res = await client.auth.test();
    if (!res.user_id || !res.bot_id)
      throw new Error('auth.test returned no bot id: is SLACK_BOT_TOKEN a bot (xoxb-) token?');
    return { botId: res.bot_id, botUserId: res.user_id };
  } catch (err) {
    throw new SlackStartError(`SLACK_BOT_TOKEN was not accepted by Slack (${slackErrorReason(err)})`);
  }
}

export async function createSlackApp(options: SlackAppOptions): Promise<SlackApp> {
  const { config, store, charts } = options;
  const logger = options.logger ?? createLogger();
  const clientOptions: webApi.WebClientOptions = {
    retryConfig: options.retryConfig ?? INTERACTIVE_RETRY_POLICY,
    timeout: WEB_API_TIMEOUT_MS,
    ...(config.apiUrl ? { slackApiUrl: config.apiUrl } : {}),
  };
  const { botId, botUserId } = await whoAmI(config, clientOptions);
  const state: HealthState = { ready: true, charts: 'cold' };
  const routes = [healthRoute(state, store)];

  let app: App;
  if (config.mode === 'socket') {
    app = new App({
      token: config.botToken,
      botId,
      botUserId,
      appToken: config.appToken,
      socketMode: true,
      logger,
      logLevel: logger.getLevel(),
      clientOptions,
      customRoutes: routes,
      installerOptions: { port: config.port },
    });
  } else {
    const receiver = new HTTPReceiver({
      signingSecret: config.signingSecret!,
      endpoints: [EVENTS_PATH],
      port: config.port,
      customRoutes: routes,
      logger,
      logLevel: logger.getLevel(),
      processEventErrorHandler: async (args) => {
        const malformed = malformedEventCallback((args.request as { rawBody?: Buffer }).rawBody);
        if (!malformed || args.response.headersSent) return HTTPModuleFunctions.defaultProcessEventErrorHandler(args);
        logger.warn(malformedEventText(malformed));
        args.response.writeHead(200).end();
        return true;
      },
    });
    receiver.requestListener = guardRequests(receiver.requestListener, {
      signingSecret: config.signingSecret!,
      endpoints: [EVENTS_PATH],
      onRejected: (reason, req) => logger.warn(`refused ${req.method} ${req.url}: ${reason}`),
      oversizedCommand: (bytes) => {
        logger.warn(`a signed slash command of ${bytes} bytes was answered "too long" without being read`);
        return { response_type: 'ephemeral', ...oversizedCommandMessage(bytes) };
      },
      // Slack gives up after 3 s; a slow ack is worth a warning long before that.
      // An access log line per request (people type commands; this is not high volume).
      onAnswered: (ms, status, sinceAccept) =>
        (Math.max(ms, sinceAccept ?? 0) > SLOW_ACK_MS ? logger.warn : logger.info)(
          `request acked in ${ms.toFixed(1)} ms` +
            (sinceAccept === undefined ? '' : ` (${sinceAccept.toFixed(1)} ms since the connection was accepted)`) +
            ` (HTTP ${status})`,
        ),
    });
    app = new App({
      token: config.botToken,
      botId,
      botUserId,
      receiver,
      logger,
      logLevel: logger.getLevel(),
      clientOptions,
    });
  }

  const deps: SlackDeps = {
    store,
    charts,
    bindings: createThreadBinder(store, { now: options.now, log: logger, ...options.bindingWrites }),
    logger,
    // The chart last shown per answer, so an unchanged chart is not uploaded again; bounded
    // like the footers, since a long-running bot answers without end.
    sharedCharts: messageMemory(),
    redraws: createMessageRedraws(),
    work: createWorkTracker(),
    now: options.now ?? (() => new Date()),
    // Who may update measures from Slack.
    analysts: createAnalystDirectory({ ids: config.analysts, usergroup: config.analystUsergroup, logger }),
    digest: null,
  };
  if (!deps.analysts.configured)
    logger.warn('ANALYSTS and ANALYST_USERGROUP are not set: every measure update from Slack will be refused');
  // Bolt acks an Events API request before global middleware and listeners run, so a listener
  // may not have tracked its work yet when Slack (or a test) sees the ack. Tracking the whole
  // dispatch from the receiver's call closes that gap: a shutdown, or a test waiting for the
  // bot to go quiet, also waits for events that were acked but are still being routed.
  const dispatch = app.processEvent.bind(app);
  app.processEvent = (event) => deps.work.track(dispatch(event));
  app.use(dropMalformedEvents());
  app.use(dedupeEvents());
  // One folder per kind of listener, each registering its own (bolt-ts-starter-template layout).
  commands.register(app, deps);
  actions.register(app, deps);
  messages.register(app, deps);
  app.error(async (error) => {
    logger.error(`unhandled listener error: ${error.message}`);
  });

  return {
    app,
    deps,
    async start() {
      const started = await app.start(config.port);
      if (config.mode === 'http') markAccepted(started as Server);
      logger.info(
        config.mode === 'socket' ? 'connected in Socket Mode' : `listening on port ${config.port} at ${EVENTS_PATH}`,
      );
      if (options.prewarmCharts !== false) {
        state.charts = 'warming';
        void prewarmCharts(charts, store.snapshot(), () => !state.ready).then((r) => {
          state.charts = 'warm';
          logger.info(`charts prewarmed: ${r.rendered} rendered, ${r.failed} failed, in ${r.ms} ms`);
        });
      }
      return config.mode === 'http' ? (started as Server) : undefined;
    },
    async stop(graceMs = 15_000) {
      state.ready = false;
      await app.stop().catch((err: Error) => logger.warn(`stopping the receiver: ${err.message}`));
      const drained = await deps.work.drain(graceMs);
      if (!drained) logger.warn(`${deps.work.size} answer(s) still in flight after ${graceMs} ms; stopping anyway`);
      await deps.bindings.flush().catch((err: Error) => logger.error(`thread bindings not saved: ${err.message}`));
    },
  };
}
