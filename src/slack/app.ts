// Builds the Bolt app: HTTP mode (signature guard in front of Bolt's HTTPReceiver, /healthz)
// or Socket Mode, the Web API client policy, global middleware and every listener, and the
// deps those listeners share (SlackDeps). The chart renderer is chart-renderer.ts; /healthz, health.ts.
import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { LRUCache } from 'lru-cache';
import { App, HTTPModuleFunctions, HTTPReceiver, type Logger, webApi } from '@slack/bolt';
import type { MeasuresStore } from '../store/index.ts';
import { type ChartRenderer, prewarmCharts } from './chart-renderer.ts';
import { HEALTH_PATH, type HealthState, healthRoute } from './health.ts';
import {
  ANSWERS_IN_FLIGHT,
  awaitingAck,
  createSlots,
  createWorkTracker,
  noteConnection,
  type Slots,
  type WorkTracker,
} from './after-ack.ts';
import { type AnalystDirectory, createAnalystDirectory } from './analysts.ts';
import { createBackgroundClient, createRedrawClient } from './clients.ts';
import { pauseSocketWhileStoreDown } from './socket-store-guard.ts';
import type { SlackConfig } from './config.ts';
import type { DigestRuntime } from './digest/runtime.ts';
import { createFollowerNotices, type FollowerNoticeOptions, type FollowerNotices } from './followers/notices.ts';
import * as actions from './listeners/actions/index.ts';
import * as commands from './listeners/commands/index.ts';
import * as home from './listeners/home/index.ts';
import { createHomePublisher } from './home/publisher.ts';
import * as messages from './listeners/messages/index.ts';
import { createLogger, currentRequest, withRequest } from './logger.ts';
import * as metering from './metrics.ts';
import { dedupeEvents } from './middleware/dedupe-events.ts';
import { dropMalformedEvents, malformedEventCallback, malformedEventText } from './middleware/malformed-events.ts';
import { createMessageRedraws, type MessageRedraws, messageMemory } from './message-redraws.ts';
import type { SlackProxy } from './proxy.ts';
import { guardRequests, markAccepted } from './request-guard.ts';
import { oversizedCommandMessage } from './views/ephemeral-blocks.ts';
import { slackErrorReason } from './slack-errors.ts';
import { createSocketMode, type SocketModeTuning } from './socket-mode.ts';
import { type BinderOptions, createThreadBinder, type ThreadBinder } from './thread-bindings.ts';

export const EVENTS_PATH = '/slack/events';

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
  /** Served at /metrics; a fresh registry per app by default. */
  metrics?: metering.BotMetrics;
  /** Socket Mode timings for tests (reconnect waits); production uses socket-mode.ts's defaults. */
  socketMode?: SocketModeTuning;
  /** HTTP(S)_PROXY from the environment (proxy.ts): every connection to Slack goes through it. */
  proxy?: SlackProxy;
  /** At most this many answers are worked on at once (default ANSWERS_IN_FLIGHT, after-ack.ts). */
  answersInFlight?: number;
  /** Follower DMs: tests and the bench poll faster or watch the queue (followers/notices.ts). */
  followerNotices?: Partial<Pick<FollowerNoticeOptions, 'pollMs' | 'concurrency' | 'zone' | 'onQueued'>>;
}

export interface SlackApp {
  app: App;
  deps: SlackDeps;
  /** The listening server: /slack/events in HTTP mode, /healthz in both (its address gives the port when PORT=0). */
  start(): Promise<Server>;
  /** Socket Mode: resolves with a one-line error if Slack stops accepting the app token. Never, over HTTP. */
  refused: Promise<Error>;
  /** Stops taking requests, then waits (up to `graceMs`) for answers and store writes in flight. */
  stop(graceMs?: number): Promise<void>;
  /** Follower DMs (followers/notices.ts): tests wait on idle(). */
  followers: FollowerNotices;
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
  /** Where the store is, as configured (a database URL keeps its password): for a child process to open it too. */
  storeLocation: string;
  charts: ChartRenderer;
  bindings: ThreadBinder;
  logger: Logger;
  /** Keyed by `${channel}:${ts}`; in memory only (after a restart a refresh uploads again). */
  sharedCharts: LRUCache<string, SharedChart>;
  /** One queue of chat.update per bot message (the first chart, refreshes after updates). */
  redraws: MessageRedraws;
  /** For chart uploads and chat.update of posted answers: a 429 here never delays an answer (clients.ts). */
  redrawClient: webApi.WebClient;
  /** For work nobody waits on (Home tabs after a change): a 429 comes back to its caller's queue (clients.ts). */
  backgroundClient: webApi.WebClient;
  /** For absolute Slack URLs (a chart's upload URL): through the proxy when one is set. */
  fetch: typeof fetch;
  /** Work after an ack; SIGTERM drains it. */
  work: WorkTracker;
  /** Bounds the work after acks in progress at once, so the event loop keeps time to ack. */
  answering: Slots;
  /** The clock for answers (stale-data notes) and updates; tests pin it. */
  now: () => Date;
  /** Who may update measures from Slack. With no ANALYSTS or group, nobody may. */
  analysts: AnalystDirectory;
  /** Counters and timings served at /metrics (metrics.ts). */
  metrics: metering.BotMetrics;
  /**
   * The weekly digest, for `/measures digest`. main.ts sets it once the app has started (the
   * digest reuses the app's client); null until then, after shutdown began, and in tests without it.
   */
  digest: DigestRuntime | null;
}

export class SlackStartError extends Error {
  override name = 'SlackStartError';
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
  const { config } = options;
  const logger = options.logger ?? createLogger();
  const metrics = options.metrics ?? metering.createMetrics();
  const store = metering.timedStore(options.store, metrics);
  const charts = metering.timedCharts(options.charts, metrics);
  const clientOptions: webApi.WebClientOptions = {
    retryConfig: options.retryConfig ?? INTERACTIVE_RETRY_POLICY,
    timeout: WEB_API_TIMEOUT_MS,
    ...(config.apiUrl ? { slackApiUrl: config.apiUrl } : {}),
    ...(options.proxy ? { fetch: options.proxy.fetch } : {}),
  };
  // Every client Bolt builds from these options, and respond(), fetch through this.
  clientOptions.fetch = metering.countSlackApiErrors(
    clientOptions.fetch ?? globalThis.fetch,
    metrics,
    config.apiUrl ?? 'https://slack.com/api/',
  );
  const { botId, botUserId } = await whoAmI(config, clientOptions);
  // Not ready until start() has finished: a load balancer (or SIGTERM from a test) must not find
  // the bot half-started, with the follower DMs not yet reading the change log.
  const state: HealthState = { ready: false, charts: 'cold' };
  const routes = [healthRoute(state, store), metering.metricsRoute(metrics)];

  let app: App;
  if (config.mode === 'socket') {
    state.socket = createSocketMode({
      appToken: config.appToken!,
      port: config.port,
      routes,
      logger,
      clientOptions,
      startError: (message) => new SlackStartError(message),
      tuning: options.socketMode,
      // Bolt has no way to give the WebSocket a proxy, so the receiver is built with one here.
      dispatcher: options.proxy?.dispatcher,
    });
    app = new App({
      token: config.botToken,
      botId,
      botUserId,
      receiver: state.socket.receiver,
      logger,
      logLevel: logger.getLevel(),
      clientOptions,
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
    const guarded = guardRequests(receiver.requestListener, {
      signingSecret: config.signingSecret!,
      endpoints: [EVENTS_PATH],
      onRejected: (reason, req) => logger.warn(`refused ${req.method} ${req.url}: ${reason}`),
      oversizedCommand: (bytes) => {
        logger.warn(`a signed slash command of ${bytes} bytes was answered "too long" without being read`);
        return { response_type: 'ephemeral', ...oversizedCommandMessage(bytes) };
      },
      // Slack gives up after 3 s; a slow ack is worth a warning long before that.
      // An access log line per request (people type commands; this is not high volume).
      onAnswered: (ms, status, sinceAccept) => {
        const waited = Math.max(ms, sinceAccept ?? 0);
        if (status < 300) metrics.ackSeconds.observe(waited / 1000);
        const accepted =
          sinceAccept === undefined ? '' : ` (${sinceAccept.toFixed(1)} ms since the connection was accepted)`;
        (waited > SLOW_ACK_MS ? logger.warn : logger.info)(
          `request acked in ${ms.toFixed(1)} ms${accepted} (HTTP ${status})`,
        );
      },
    });
    // Each request gets its id on arrival, so the guard's lines, the ack line and the answer share it.
    receiver.requestListener = (req, res) => {
      awaitingAck(res); // answers wait their turn meanwhile (after-ack.ts)
      return withRequest({ id: randomBytes(4).toString('hex'), startedAt: performance.now() }, () => guarded(req, res));
    };
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
    storeLocation: config.storeFile,
    charts,
    bindings: createThreadBinder(store, { now: options.now, log: logger, ...options.bindingWrites }),
    logger,
    // The chart last shown per answer, so an unchanged chart is not uploaded again; bounded
    // like the footers, since a long-running bot answers without end.
    sharedCharts: messageMemory(),
    redraws: createMessageRedraws(),
    redrawClient: createRedrawClient(config.botToken, clientOptions),
    backgroundClient: createBackgroundClient(config.botToken, clientOptions),
    fetch: options.proxy?.fetch ?? fetch,
    work: createWorkTracker(),
    answering: createSlots(options.answersInFlight ?? ANSWERS_IN_FLIGHT),
    now: options.now ?? (() => new Date()),
    // Who may update measures from Slack.
    analysts: createAnalystDirectory({ ids: config.analysts, usergroup: config.analystUsergroup, logger }),
    metrics,
    digest: null,
  };
  const followers = createFollowerNotices({
    store,
    client: createRedrawClient(config.botToken, clientOptions),
    log: logger,
    now: deps.now,
    zone: options.followerNotices?.zone ?? 'Europe/London',
    ...options.followerNotices,
  });
  if (!deps.analysts.configured)
    logger.warn('ANALYSTS and ANALYST_USERGROUP are not set: every measure update from Slack will be refused');
  // Bolt acks an Events API request before global middleware and listeners run, so a listener
  // may not have tracked its work yet when Slack (or a test) sees the ack. Tracking the whole
  // dispatch from the receiver's call closes that gap: a shutdown, or a test waiting for the
  // bot to go quiet, also waits for events that were acked but are still being routed.
  const dispatch = app.processEvent.bind(app);
  app.processEvent = (event) => {
    metering.observeEvent(event, metrics, { timeAck: config.mode === 'socket' });
    // An event is known by its own id (Slack keeps it across retries); a Socket Mode envelope
    // has no request from app.ts around it yet.
    const eventId = metering.eventIdOf(event.body);
    const request = currentRequest() ?? { id: randomBytes(4).toString('hex'), startedAt: performance.now() };
    if (eventId) request.id = `evt ${eventId}`;
    return deps.work.track(withRequest(request, () => dispatch(event)));
  };
  if (config.mode === 'socket') metering.countSocketReconnects(app, metrics);
  app.use(dropMalformedEvents());
  app.use(dedupeEvents(undefined, store));
  // One folder per kind of listener, each registering its own (bolt-ts-starter-template layout).
  commands.register(app, deps);
  actions.register(app, deps);
  messages.register(app, deps);
  const homeTabs = createHomePublisher({ client: deps.backgroundClient, store, now: deps.now, log: logger });
  home.register(app, deps, homeTabs);
  app.error(async (error) => {
    logger.error(`unhandled listener error: ${error.message}`);
  });

  let stopStoreGuard = () => {};
  return {
    app,
    deps,
    followers,
    refused: state.socket?.refused ?? new Promise<never>(() => undefined),
    async start() {
      const started = (await app.start(config.port)) as Server;
      if (config.mode === 'http') {
        markAccepted(started);
        started.on('connection', noteConnection);
      }
      if (state.socket) stopStoreGuard = pauseSocketWhileStoreDown(state.socket, store, logger);
      logger.info(`listening on port ${config.port} at ${config.mode === 'socket' ? HEALTH_PATH : EVENTS_PATH}`);
      await followers.start();
      state.ready = true;
      if (options.prewarmCharts !== false) {
        state.charts = 'warming';
        // The untimed renderer: a prewarm render's time includes its wait behind the others,
        // which says nothing about how fast answers get their charts.
        void prewarmCharts(options.charts, store.snapshot(), () => !state.ready).then((r) => {
          state.charts = 'warm';
          logger.info(`charts prewarmed: ${r.rendered} rendered, ${r.failed} failed, in ${r.ms} ms`);
        });
      }
      return started;
    },
    async stop(graceMs = 15_000) {
      state.ready = false;
      await followers.stop();
      stopStoreGuard();
      await app.stop().catch((err: Error) => logger.warn(`stopping the receiver: ${err.message}`));
      await homeTabs.stop();
      const drained = await deps.work.drain(graceMs);
      if (!drained) logger.warn(`${deps.work.size} answer(s) still in flight after ${graceMs} ms; stopping anyway`);
      await deps.bindings.flush().catch((err: Error) => logger.error(`thread bindings not saved: ${err.message}`));
    },
  };
}
