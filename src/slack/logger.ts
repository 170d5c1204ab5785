// The bot's logger, behind Bolt's Logger interface so that Bolt, web-api and our own code write
// through one logger: JSON lines (pino) for a log collector, readable lines on a terminal.
// Every line written while a request is handled carries its id as `req`, and no line carries
// a token, a signing secret or a password in a URL.
import { AsyncLocalStorage } from 'node:async_hooks';
import { LogLevel, type Logger } from '@slack/bolt';
import { pino } from 'pino';
import pinoPretty from 'pino-pretty';

/** The request being handled, for the log lines and the answer timings written while it is. */
export interface RequestContext {
  /** Changed once, when the request turns out to be an event with its own id (`evt Ev…`). */
  id: string;
  /** performance.now() when the request arrived. */
  readonly startedAt: number;
}

const requests = new AsyncLocalStorage<RequestContext>();

/** Runs `work` as part of the request `context`: every log line it writes carries the id. */
export function withRequest<T>(context: RequestContext, work: () => T): T {
  return requests.run(context, work);
}

export function currentRequest(): RequestContext | undefined {
  return requests.getStore();
}

// Token-shaped strings: bot, user, app-level, refresh and configuration tokens. Matched
// wherever they appear (an error that quotes a request body, a URL with ?token=), since a
// message is free text and pino's redact only sees fields.
const SLACK_TOKEN = /\b(xox[a-z]|xapp|xoxe\.xox[a-z])-[A-Za-z0-9-]+/g;
// user:password@ (or a lone user@) in any URL: proxy URLs carry passwords this way.
const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#]+@/gi;

/** Field paths pino removes from a logged object whatever their value (see `data` in log()). */
const REDACTED_FIELDS = [
  'data.token',
  'data.*.token',
  'data.authorization',
  'data.headers.authorization',
  'data.headers.Authorization',
  'data.signingSecret',
  'data.botToken',
  'data.appToken',
  'data.clientSecret',
  'data.password',
  'data.*.password',
];

/**
 * `text` without secrets: Slack tokens, credentials in URLs, and each of `known` (the configured
 * secrets themselves, so that even a signing secret, which has no telltale shape, never shows).
 */
export function scrubSecrets(text: string, known: readonly string[] = []): string {
  let out = text.replace(SLACK_TOKEN, '$1-[redacted]').replace(URL_CREDENTIALS, '$1[redacted]@');
  for (const secret of known) if (secret.length >= 6) out = out.split(secret).join('[redacted]');
  return out;
}

/**
 * The secrets in the environment that must never be logged, whatever their shape: the Slack
 * tokens and signing secret, and the passwords of proxy URLs.
 */
export function secretsIn(env: NodeJS.ProcessEnv): string[] {
  const names = ['SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET', 'SLACK_APP_TOKEN', 'SLACK_CLIENT_SECRET'];
  const secrets = names.map((n) => env[n]?.trim()).filter((v): v is string => Boolean(v));
  // MEASURES_STORE: a postgres:// URL may carry the database password.
  for (const name of [
    'HTTPS_PROXY',
    'HTTP_PROXY',
    'https_proxy',
    'http_proxy',
    'ALL_PROXY',
    'all_proxy',
    'MEASURES_STORE',
  ]) {
    const value = env[name];
    if (!value) continue;
    try {
      const url = new URL(value);
      if (url.password) secrets.push(url.password, decodeURIComponent(url.password));
    } catch {
      // not a URL: nothing to pick out (URL_CREDENTIALS still hides user:pass@ in a message)
    }
  }
  return secrets;
}

function scrubValue(value: unknown, known: readonly string[], depth = 0): unknown {
  if (typeof value === 'string') return scrubSecrets(value, known);
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => scrubValue(v, known, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, scrubValue(v, known, depth + 1)]));
}

const PINO_LEVEL: Record<LogLevel, pino.Level> = {
  [LogLevel.DEBUG]: 'debug',
  [LogLevel.INFO]: 'info',
  [LogLevel.WARN]: 'warn',
  [LogLevel.ERROR]: 'error',
};

export interface LoggerOptions {
  level?: LogLevel;
  /**
   * Receives each entry as one readable line (no newline), instead of stderr: tests read these.
   * Readable, not JSON, because it is what a person reads: the same format as on a terminal.
   */
  write?: (line: string) => void;
  /** JSON lines (true) or readable lines (false) on stderr. Default: readable when stderr is a terminal. */
  json?: boolean;
  /** Values to blank wherever they appear (see secretsIn). */
  secrets?: readonly string[];
}

/** A sink that turns pino's JSON line into a readable one, synchronously: no worker thread to stop at shutdown. */
function readable(write: (line: string) => void): pino.DestinationStream {
  const pretty = pinoPretty.prettyFactory({
    colorize: false,
    singleLine: true,
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: 'pid,hostname,req',
    // The request id leads the message, where an eye following one request looks for it.
    messageFormat: (log, key) => `${typeof log.req === 'string' ? `[req ${log.req}] ` : ''}${String(log[key])}`,
  });
  return { write: (json: string) => write(pretty(json).replace(/\n$/, '')) };
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const known = options.secrets ?? [];
  const json = options.write ? false : (options.json ?? !process.stderr.isTTY);
  const destination = options.write
    ? readable(options.write)
    : json
      ? pino.destination({ dest: 2, sync: true })
      : readable((line) => process.stderr.write(`${line}\n`));
  const log = pino(
    {
      name: 'measures-bot',
      level: PINO_LEVEL[options.level ?? LogLevel.INFO],
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      // Level names ("warn"), not pino's numbers, for a reader of the JSON; the readable form
      // needs the numbers to print its labels.
      ...(json ? { formatters: { level: (label: string) => ({ level: label }) } } : {}),
      mixin: () => {
        const request = currentRequest();
        return request ? { req: request.id } : {};
      },
      redact: { paths: REDACTED_FIELDS, censor: '[redacted]' },
    },
    destination,
  );
  let level = options.level ?? LogLevel.INFO;
  // Bolt's Logger takes any arguments: strings and errors (their stack) make the message, as
  // before; other objects go under `data`, where redact and the scrubber see them.
  const at = (l: LogLevel) => {
    const method = PINO_LEVEL[l];
    return (...args: unknown[]) => {
      if (!log.isLevelEnabled(method)) return;
      const parts: string[] = [];
      const data: unknown[] = [];
      for (const a of args) {
        if (typeof a === 'string') parts.push(a);
        else if (a instanceof Error) parts.push(a.stack ?? a.message);
        else data.push(a);
      }
      const msg = scrubSecrets(parts.join(' '), known);
      if (data.length === 0) log[method](msg);
      else log[method]({ data: scrubValue(data.length === 1 ? data[0] : data, known) }, msg);
    };
  };
  return {
    debug: at(LogLevel.DEBUG),
    info: at(LogLevel.INFO),
    warn: at(LogLevel.WARN),
    error: at(LogLevel.ERROR),
    setLevel: (l) => {
      level = l;
      log.level = PINO_LEVEL[l];
    },
    getLevel: () => level,
    // web-api renames the logger it is given after each client it builds ("web-api:WebClient:3"),
    // and every client shares this one: one name for the whole process says more.
    setName: () => undefined,
  };
}
