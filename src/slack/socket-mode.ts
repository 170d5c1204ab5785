// Socket Mode: the connection to Slack, kept up for as long as the bot runs, and the HTTP port
// beside it for the app's own routes (/healthz, which here is a readiness check: 200 only while
// connected). Bolt's SocketModeReceiver does the protocol; this file decides what is fatal, what
// is retried, and what is logged.
import http from 'node:http';
import { type App, type CustomRoute, type Logger, type Receiver, SocketModeReceiver, type webApi } from '@slack/bolt';
import { platformError, slackErrorReason } from './slack-errors.ts';
import type { Dispatcher } from 'undici';

/**
 * apps.connections.open during a (re)connect. Nobody is waiting on it as on an answer, and giving
 * up leaves the bot deaf: retry a brief outage quickly, then back off to 10 s between tries. If
 * the whole policy fails, the reconnect loop below starts it again, for as long as the bot runs.
 */
export const SOCKET_MODE_RETRY_POLICY: webApi.RetryOptions = {
  retries: 8,
  factor: 2,
  minTimeout: 100,
  maxTimeout: 10_000,
  randomize: true,
};
/** After a failed reconnect: wait this long, doubling per failure up to RECONNECT_MAX_MS. */
export const RECONNECT_BASE_MS = 1000;
export const RECONNECT_MAX_MS = 60_000;

/** Slack's answers to apps.connections.open that say the app token itself is refused: no retry can help. */
const REFUSED_TOKEN = new Set([
  'invalid_auth',
  'not_authed',
  'token_revoked',
  'token_expired',
  'account_inactive',
  'not_allowed_token_type',
  'missing_scope',
  'team_disabled',
  'user_removed_from_team',
]);

/** Disconnect reasons Slack sends routinely (a connection is recycled several times a day). */
const ROUTINE_DISCONNECTS = new Set(['refresh_requested', 'warning']);

/** Test-only timings; production uses the defaults. */
export interface SocketModeTuning {
  retryConfig?: webApi.RetryOptions;
  /** Bolt's wait for a pong, which is also its wait before each reconnect (default 5000 ms). */
  clientPingTimeout?: number;
  reconnectBaseMs?: number;
}

export interface SocketModeOptions {
  appToken: string;
  /** Where the routes are served; 0 picks a free port. */
  port: number;
  routes: CustomRoute[];
  logger: Logger;
  /** The app's Web API options; the retry policy is replaced with SOCKET_MODE_RETRY_POLICY. */
  clientOptions: webApi.WebClientOptions;
  /** Builds the app's one-line start-up error (the entry point prints these without a stack). */
  startError: (message: string) => Error;
  tuning?: SocketModeTuning;
  /** HTTP(S)_PROXY's agent (proxy.ts), for the WebSocket; apps.connections.open uses clientOptions.fetch. */
  dispatcher?: Dispatcher;
}

export interface SocketModeConnection {
  /** For `new App({ receiver })`. Its start() listens on the port, then connects; it resolves with the server. */
  receiver: Receiver & { client: SocketModeReceiver['client'] };
  /** From Slack's hello until the connection is lost or Slack asks for a new one. */
  readonly connected: boolean;
  /** Resolves (with a one-line error) if Slack refuses the app token after start, e.g. it was revoked. */
  readonly refused: Promise<Error>;
  /**
   * Closes the connection and keeps it closed until resume(): Slack then sends every event to
   * the app's other connections (replicas that can still do the work).
   */
  pause(): Promise<void>;
  resume(): Promise<void>;
  readonly paused: boolean;
}

/** The reason of a `disconnect` message, or undefined for any other frame. */
function disconnectReason(data: unknown): string | undefined {
  if (typeof data !== 'string' || !data.includes('disconnect')) return undefined;
  try {
    const message = JSON.parse(data) as { type?: unknown; reason?: unknown };
    return message.type === 'disconnect' ? String(message.reason ?? 'no reason given') : undefined;
  } catch {
    return undefined;
  }
}

function refusalMessage(err: unknown): string {
  const hint =
    platformError(err) === 'missing_scope'
      ? ': the app-level token needs the connections:write scope'
      : platformError(err) === 'not_allowed_token_type'
        ? ': it must be an app-level (xapp-) token'
        : '';
  return `SLACK_APP_TOKEN was not accepted by Slack (${slackErrorReason(err)})${hint}`;
}

/** Serves the app's custom routes by exact path; anything else is 404. */
function routeServer(routes: CustomRoute[], logger: Logger): http.Server {
  const server = http.createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const method = (req.method ?? 'GET').toUpperCase();
    const route = routes.find((r) => r.path === path && [r.method].flat().some((m) => m.toUpperCase() === method));
    if (!route) {
      res.writeHead(404).end();
      return;
    }
    try {
      route.handler(Object.assign(req, { params: {} }), res);
    } catch (err) {
      logger.error(`${method} ${path} failed: ${(err as Error).message}`);
      if (!res.headersSent) res.writeHead(500);
      res.end();
    }
  });
  // Health checks are short; an idle keep-alive must not hold a shutdown open.
  server.keepAliveTimeout = 1000;
  return server;
}

function listen(server: http.Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function closeServer(server: http.Server): Promise<void> {
  if (!server.listening) return Promise.resolve();
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
  });
}

export function createSocketMode(options: SocketModeOptions): SocketModeConnection {
  const { logger } = options;
  const tuning = options.tuning ?? {};
  const reconnectBaseMs = tuning.reconnectBaseMs ?? RECONNECT_BASE_MS;
  const inner = new SocketModeReceiver({
    appToken: options.appToken,
    logger,
    logLevel: logger.getLevel(),
    ...(tuning.clientPingTimeout ? { clientPingTimeout: tuning.clientPingTimeout } : {}),
    dispatcher: options.dispatcher,
    // Not the answers' quick-give-up policy: see SOCKET_MODE_RETRY_POLICY.
    installerOptions: {
      clientOptions: { ...options.clientOptions, retryConfig: tuning.retryConfig ?? SOCKET_MODE_RETRY_POLICY },
    },
  });
  const client = inner.client;
  const server = routeServer(options.routes, logger);
  server.on('error', (err) =>
    logger.error(`the HTTP port for ${options.routes.map((r) => r.path).join(', ')}: ${err.message}`),
  );

  let connected = false;
  let everConnected = false;
  let lostAt: number | null = null;
  let stopping = false;
  let paused = false;
  let refusedWith: Error | null = null;
  let failedReconnects = 0;
  let retryTimer: NodeJS.Timeout | undefined;
  let announceRefusal: (err: Error) => void = () => undefined;
  const refused = new Promise<Error>((resolve) => (announceRefusal = resolve));

  const markLost = () => {
    if (connected || lostAt === null) lostAt = performance.now();
    connected = false;
  };

  // Slack refusing the app token is final. The client itself gives up on invalid_auth but retries
  // some refusals (not_allowed_token_type, missing_scope) for ever, so it is stopped here.
  const refuse = (err: unknown) => {
    if (refusedWith) return;
    refusedWith = options.startError(refusalMessage(err));
    connected = false;
    stopping = true;
    announceRefusal(refusedWith);
    void client.disconnect();
  };
  // The client's Web API client is private; wrapping its one call is the only way to see the answer.
  const web = (client as unknown as { webClient?: webApi.WebClient }).webClient;
  const open = web?.apps.connections.open.bind(web.apps.connections);
  if (web && open) {
    web.apps.connections.open = async (args) => {
      try {
        return await open(args);
      } catch (err) {
        const code = platformError(err);
        if (code && REFUSED_TOKEN.has(code)) refuse(err);
        else logger.warn(`apps.connections.open failed (${slackErrorReason(err)})`);
        throw err;
      }
    };
  }

  // The client reconnects by calling its own start(), and nothing handles that promise: a failure
  // there (an outage longer than the retry policy) would be an unhandled rejection that ends the
  // process. This start() never rejects; it tries again after a growing pause.
  const connect = client.start.bind(client);
  client.start = async function reconnect(): Promise<webApi.AppsConnectionsOpenResponse> {
    try {
      return await connect();
    } catch (err) {
      if (stopping) return { ok: false };
      failedReconnects += 1;
      const delay = Math.min(reconnectBaseMs * 2 ** (failedReconnects - 1), RECONNECT_MAX_MS);
      logger.warn(`could not reconnect to Slack (${slackErrorReason(err)}); trying again in ${delay} ms`);
      await new Promise<void>((resolve) => (retryTimer = setTimeout(resolve, delay)));
      return stopping ? { ok: false } : reconnect();
    }
  };

  client.on('connected', () => {
    connected = true;
    failedReconnects = 0;
    const downMs = Math.round(performance.now() - (lostAt ?? 0));
    if (!everConnected) logger.info('connected to Slack in Socket Mode');
    else logger.info(`reconnected to Slack in Socket Mode, ${downMs} ms after the last connection ended`);
    everConnected = true;
    lostAt = null;
  });
  client.on('ws_message', (data: unknown) => {
    const reason = disconnectReason(data);
    if (reason === undefined) return;
    markLost();
    (ROUTINE_DISCONNECTS.has(reason) ? logger.info : logger.warn)(
      `Slack asked for a new Socket Mode connection (${reason}); reconnecting`,
    );
  });
  client.on('close', () => {
    if (stopping || paused) {
      connected = false;
      return;
    }
    if (connected) logger.warn('the Socket Mode connection to Slack was lost; reconnecting');
    markLost();
  });
  client.on('reconnecting', () => logger.info('reconnecting to Slack in Socket Mode'));

  const receiver: Receiver & { client: typeof client } = {
    // As on Bolt's own SocketModeReceiver, so code that listens to the client's lifecycle events
    // through app.receiver.client (e.g. counting reconnects) finds it here too.
    client,
    init: (app: App) => inner.init(app),
    async start() {
      // The port first: if it is taken, fail before opening a connection Slack would send requests to.
      await listen(server, options.port);
      try {
        await Promise.race([
          connect(),
          refused.then((err) => {
            throw err;
          }),
        ]);
      } catch (err) {
        stopping = true;
        void client.disconnect();
        await closeServer(server);
        throw refusedWith ?? options.startError(`could not connect to Slack in Socket Mode (${slackErrorReason(err)})`);
      }
      return server;
    },
    async stop() {
      stopping = true;
      connected = false;
      clearTimeout(retryTimer);
      await inner.stop();
      await closeServer(server);
    },
  };

  return {
    receiver,
    get connected() {
      return connected;
    },
    refused,
    get paused() {
      return paused;
    },
    async pause() {
      if (paused || stopping) return;
      paused = true;
      connected = false;
      await client.disconnect();
    },
    async resume() {
      if (!paused || stopping) return;
      paused = false;
      await client.start(); // the reconnect loop above: retries until connected or stopped
    },
  };
}
