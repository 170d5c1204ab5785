// Prometheus metrics for the running bot, served at /metrics beside /healthz in both modes: what
// Slack sends (by kind), how fast the bot acks and answers, how long charts and store writes
// take, what Slack refuses, Socket Mode reconnects and digests posted. One registry per app,
// not prom-client's global one, so that several apps in one process (tests) count separately.
import type { App, CustomRoute, ReceiverEvent, webApi } from '@slack/bolt';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';
import type { MeasuresStore } from '../store/index.ts';
import type { ChartRenderer } from './chart-renderer.ts';

export const METRICS_PATH = '/metrics';

export interface BotMetrics {
  readonly registry: Registry;
  /** Requests from Slack (HTTP requests that passed the signature check, or Socket Mode envelopes). */
  readonly requests: Counter<'kind'>;
  /** From a request's arrival to its ack (Slack gives up at 3 s). */
  readonly ackSeconds: Histogram;
  /** From a question's arrival to its answer posted (`posted`) and to its chart shown (`chart`). */
  readonly answerSeconds: Histogram<'stage'>;
  readonly chartRenderSeconds: Histogram<'outcome'>;
  readonly storeWriteSeconds: Histogram<'outcome'>;
  /** Web API calls Slack refused (ok:false), answered with an HTTP error, or that never got an answer. */
  readonly slackApiErrors: Counter<'method' | 'error'>;
  readonly socketReconnects: Counter;
  readonly digestsPosted: Counter;
}

export function createMetrics(): BotMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  return {
    registry,
    requests: new Counter({
      name: 'measures_bot_slack_requests_total',
      help: 'Requests from Slack, by kind: command, action, view, shortcut, options, message, event, other',
      labelNames: ['kind'],
      registers,
    }),
    ackSeconds: new Histogram({
      name: 'measures_bot_ack_seconds',
      help: 'Seconds from a request arriving to its ack being sent; Slack shows an error after 3',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5],
      registers,
    }),
    answerSeconds: new Histogram({
      name: 'measures_bot_answer_seconds',
      help: 'Seconds from a question arriving to its answer posted (stage=posted) and to its chart shown (stage=chart)',
      labelNames: ['stage'],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30],
      registers,
    }),
    chartRenderSeconds: new Histogram({
      name: 'measures_bot_chart_render_seconds',
      help: 'Seconds to render a chart (a cache hit included), by outcome: rendered, none (no series), failed',
      labelNames: ['outcome'],
      buckets: [0.005, 0.025, 0.1, 0.25, 0.5, 1, 2, 5, 10],
      registers,
    }),
    storeWriteSeconds: new Histogram({
      name: 'measures_bot_store_write_seconds',
      help: 'Seconds for one locked store write (lock, read, validate, save), by outcome: ok, failed',
      labelNames: ['outcome'],
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    }),
    slackApiErrors: new Counter({
      name: 'measures_bot_slack_api_errors_total',
      help: 'Slack Web API attempts that failed, by method and error (Slack code, http_<status>, timeout, network)',
      labelNames: ['method', 'error'],
      registers,
    }),
    socketReconnects: new Counter({
      name: 'measures_bot_socket_reconnects_total',
      help: 'Times the Socket Mode connection was lost and reconnecting began',
      registers,
    }),
    digestsPosted: new Counter({
      name: 'measures_bot_digests_posted_total',
      help: 'Weekly digests posted in a channel',
      registers,
    }),
  };
}

export function metricsRoute(metrics: BotMetrics): CustomRoute {
  return {
    path: METRICS_PATH,
    method: ['GET'],
    handler: (_req, res) => {
      metrics.registry.metrics().then(
        (text) => {
          res.writeHead(200, { 'content-type': metrics.registry.contentType });
          res.end(text);
        },
        () => {
          res.writeHead(500).end();
        },
      );
    },
  };
}

const seconds = (startedAt: number) => (performance.now() - startedAt) / 1000;

type Body = { command?: unknown; type?: unknown; event?: { type?: unknown }; event_id?: unknown };

/** What a request from Slack is, from its body (the same shapes over HTTP and Socket Mode). */
export function requestKind(body: Body): string {
  if (typeof body.command === 'string') return 'command';
  switch (body.type) {
    case 'block_actions':
    case 'interactive_message':
      return 'action';
    case 'view_submission':
    case 'view_closed':
      return 'view';
    case 'shortcut':
    case 'message_action':
      return 'shortcut';
    case 'block_suggestion':
      return 'options';
    case 'event_callback':
      return body.event?.type === 'message' ? 'message' : 'event';
    default:
      return 'other';
  }
}

/** An Events API callback's id, which Slack keeps across its retries. */
export function eventIdOf(body: Body): string | undefined {
  return typeof body.event_id === 'string' ? body.event_id : undefined;
}

/**
 * Counts `event` by kind. `timeAck`: observe the ack latency here, from the receiver handing
 * the event over to the ack sent back. In Socket Mode that is from the envelope's receipt (the
 * receiver hands it over as soon as it is parsed); over HTTP the request guard measures more
 * (reading and checking the body as well), so app.ts does it there instead.
 */
export function observeEvent(event: ReceiverEvent, metrics: BotMetrics, { timeAck }: { timeAck: boolean }): void {
  metrics.requests.inc({ kind: requestKind(event.body as Body) });
  if (!timeAck) return;
  const received = performance.now();
  const ack = event.ack.bind(event);
  let acked = false;
  event.ack = async (response) => {
    await ack(response);
    if (acked) return;
    acked = true;
    metrics.ackSeconds.observe(seconds(received));
  };
}

type Fetch = webApi.FetchFunction;

/** The Web API method a URL calls ("chat.postMessage"); uploads and response_url posts by what they are. */
function methodOf(url: string, apiUrl: string): string {
  if (url.startsWith(apiUrl)) return url.slice(apiUrl.length).split(/[/?#]/)[0] || 'unknown';
  // The only other URLs the clients post to: files.slack.com/upload/… and response_url hooks.
  return url.includes('/upload/') ? 'file_upload' : 'response_url';
}

/** A label value from a reply: Slack's codes are short snake_case words; anything else is cut down. */
const labelValue = (text: string) => text.replace(/[^A-Za-z0-9_.]/g, '_').slice(0, 64);

// web-api types the reply narrowly; Node's fetch and undici's both answer with a full Response.
const isCloneable = (res: object): res is Response => typeof (res as { clone?: unknown }).clone === 'function';

/**
 * Wraps the fetch every Web API client of the app uses (and Bolt's respond()), counting the
 * attempts Slack refused. Each attempt counts: a call that hit a rate limit and then went
 * through shows one http_429. Reading the reply's copy never delays the client.
 */
export function countSlackApiErrors(fetchFn: Fetch, metrics: BotMetrics, apiUrl: string): Fetch {
  const failed = (method: string, error: string) =>
    metrics.slackApiErrors.inc({ method: labelValue(method), error: labelValue(error) });
  return async (input, init) => {
    const method = methodOf(String(input), apiUrl);
    let res: Awaited<ReturnType<Fetch>>;
    try {
      res = await fetchFn(input, init);
    } catch (err) {
      const name = (err as Error)?.name;
      failed(method, name === 'TimeoutError' || name === 'AbortError' ? 'timeout' : 'network');
      throw err;
    }
    if (res.status !== 200) failed(method, `http_${res.status}`);
    else if (res.headers.get('content-type')?.includes('json') && isCloneable(res)) {
      void res
        .clone()
        .json()
        .then(
          (body) => {
            const reply = body as { ok?: unknown; error?: unknown } | null;
            if (reply?.ok === false) failed(method, typeof reply.error === 'string' ? reply.error : 'unknown');
          },
          () => undefined, // not JSON after all: the client reports that itself
        );
    }
    return res;
  };
}

/** The chart renderer, timed. */
export function timedCharts(charts: ChartRenderer, metrics: BotMetrics): ChartRenderer {
  return {
    async render(request, store) {
      const started = performance.now();
      try {
        const chart = await charts.render(request, store);
        metrics.chartRenderSeconds.observe({ outcome: chart ? 'rendered' : 'none' }, seconds(started));
        return chart;
      } catch (err) {
        metrics.chartRenderSeconds.observe({ outcome: 'failed' }, seconds(started));
        throw err;
      }
    },
    close: () => charts.close(),
  };
}

/** The store, with each write timed (src/store stays free of metrics). */
export function timedStore(store: MeasuresStore, metrics: BotMetrics): MeasuresStore {
  return {
    describe: () => store.describe(),
    snapshot: () => store.snapshot(),
    problem: () => store.problem(),
    sync: () => store.sync(),
    ...(store.claimOnce ? { claimOnce: (key: string) => store.claimOnce!(key) } : {}),
    healthy: () => store.healthy(),
    close: () => store.close(),
    async mutate(fn, options) {
      const started = performance.now();
      try {
        const result = await store.mutate(fn, options);
        metrics.storeWriteSeconds.observe({ outcome: 'ok' }, seconds(started));
        return result;
      } catch (err) {
        metrics.storeWriteSeconds.observe({ outcome: 'failed' }, seconds(started));
        throw err;
      }
    },
  };
}

/**
 * Counts reconnects of Bolt's Socket Mode client. The client is the receiver's, which App keeps
 * private; without one (another receiver), nothing is counted here and whoever owns the
 * connection calls metrics.socketReconnects.inc() itself.
 */
export function countSocketReconnects(app: App, metrics: BotMetrics): void {
  const receiver = (app as unknown as { receiver?: { client?: { on?: unknown } } }).receiver;
  const client = receiver?.client as { on(event: string, listener: () => void): unknown } | undefined;
  if (typeof client?.on === 'function') client.on('reconnecting', () => metrics.socketReconnects.inc());
}
