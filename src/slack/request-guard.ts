// Verifies Slack's request signature in front of Bolt. Bolt checks the signature and rejects
// old timestamps, but accepts timestamps from the future (verify-request.js only tests
// "older than five minutes"), so a captured request signed with a future clock could be
// replayed for as long as that clock is ahead. This guard refuses both directions.
//
// The raw body is buffered here and left on the request as `rawBody`; Bolt's HTTPReceiver
// reuses an already-buffered body instead of reading the stream again.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, RequestListener, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { parse as parseQuery } from 'node:querystring';
import { LRUCache } from 'lru-cache';

export const MAX_CLOCK_SKEW_SECONDS = 5 * 60;
/** Bolt's own default body limit. */
export const MAX_BODY_BYTES = 4 * 1024 * 1024;

const ACCEPTED_AT = Symbol('acceptedAt');

/**
 * Notes when each connection was accepted, so the ack time can include the wait before Node
 * parsed the request (time the event loop was busy elsewhere), not only the time after.
 */
export function markAccepted(server: Server): void {
  server.on('connection', (socket: Socket & { [ACCEPTED_AT]?: number }) => {
    socket[ACCEPTED_AT] = performance.now();
  });
}

export type SignatureVerdict = { ok: true } | { ok: false; reason: string };

export function signatureFor(secret: string, timestamp: string, body: string | Buffer): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:`).update(body).digest('hex')}`;
}

/** Pure check of one request: signature over the raw body, timestamp within five minutes either way. */
export function verifySignature(
  secret: string,
  headers: { timestamp: string | undefined; signature: string | undefined },
  rawBody: Buffer,
  nowMs: number = Date.now(),
): SignatureVerdict {
  const { timestamp, signature } = headers;
  if (!timestamp || !/^\d{1,12}$/.test(timestamp))
    return { ok: false, reason: 'missing or malformed x-slack-request-timestamp' };
  if (!signature || !signature.startsWith('v0=')) return { ok: false, reason: 'missing or unknown x-slack-signature' };
  const skew = Number(timestamp) - Math.floor(nowMs / 1000);
  if (skew < -MAX_CLOCK_SKEW_SECONDS) return { ok: false, reason: 'stale timestamp (more than 5 minutes old)' };
  if (skew > MAX_CLOCK_SKEW_SECONDS) return { ok: false, reason: 'timestamp more than 5 minutes in the future' };
  const expected = Buffer.from(signatureFor(secret, timestamp, rawBody));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return { ok: false, reason: 'signature mismatch' };
  return { ok: true };
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return typeof v === 'string' ? v : undefined;
}

async function readBody(req: IncomingMessage, limit: number): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) return null;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

const isForm = (req: IncomingMessage) =>
  header(req, 'content-type')?.startsWith('application/x-www-form-urlencoded') === true;

/**
 * Slack's ssl_check pings are unsigned; Bolt answers them and strips anything else from the body.
 * A ping is a few dozen bytes: a large body is not parsed here (that alone can take 100 ms a MB).
 */
function isSslCheck(req: IncomingMessage, body: Buffer): boolean {
  return isForm(req) && body.length <= 1024 && parseQuery(body.toString()).ssl_check === '1';
}

/**
 * Form bodies (slash commands, button clicks) above this are not handed to Bolt, whose parsing
 * of a form body blocks the event loop for about 60 ms per MB. A question is read up to 500
 * characters, at most 12 bytes each URL-encoded, and Slack's other fields are well under 2 KB,
 * so a real /measures is far below this; so is a click on one of the bot's buttons.
 */
export const MAX_FORM_BODY_BYTES = 256 * 1024;

/** A slash command's form body: `command` is a top-level field (in a click's payload it would be encoded). */
function isSlashCommand(body: Buffer): boolean {
  return body.subarray(0, 8).toString() === 'command=' || body.includes('&command=');
}

/**
 * Signatures seen within the window a timestamp is accepted for. A signed request captured
 * and sent again inside those ten minutes has the same signature; Slack itself never sends
 * one twice (its event retries are signed afresh), so a repeat is a replay and is refused.
 */
export class ReplayGuard {
  private readonly seen: LRUCache<string, true>;

  /** `now` is the clock timestamps are checked against; a signature is remembered for `windowMs` of it. */
  constructor(now: () => number = Date.now, windowMs = 2 * MAX_CLOCK_SKEW_SECONDS * 1000, maxEntries = 50_000) {
    // Full of live entries (a flood), the oldest is forgotten rather than grow without bound.
    // ttlResolution 0: every check reads the clock, which lru-cache would otherwise reuse for 1 ms.
    this.seen = new LRUCache({ max: maxEntries, ttl: windowMs, ttlResolution: 0, perf: { now } });
  }

  /** True the first time a signature is offered within the window, false for a repeat. */
  firstSighting(signature: string): boolean {
    if (this.seen.has(signature)) return false;
    this.seen.set(signature, true);
    return true;
  }
}

export interface GuardOptions {
  signingSecret: string;
  /** Paths that carry Slack requests; everything else (e.g. /healthz) passes straight through. */
  endpoints: string[];
  onRejected?: (reason: string, req: IncomingMessage) => void;
  /**
   * Called when the response (the ack) has been handed to the socket: ms since the request
   * arrived, and for the first request on a connection ms since it was accepted (see markAccepted).
   */
  onAnswered?: (ms: number, status: number, sinceAcceptMs?: number) => void;
  now?: () => number;
  replays?: ReplayGuard;
  /**
   * The ack body for a signed slash command larger than MAX_FORM_BODY_BYTES (an ephemeral
   * message telling the user it was too long), so they get an answer without it being parsed.
   * Without it such a command gets 413, like any other oversized form body.
   */
  oversizedCommand?: (bytes: number) => Record<string, unknown>;
}

export function guardRequests(next: RequestListener, options: GuardOptions): RequestListener {
  const now = options.now ?? Date.now;
  const replays = options.replays ?? new ReplayGuard(now);
  return (req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (req.method !== 'POST' || !options.endpoints.includes(path)) {
      next(req, res);
      return;
    }
    const arrived = performance.now();
    const socket = req.socket as Socket & { [ACCEPTED_AT]?: number };
    const acceptedAt = socket[ACCEPTED_AT];
    socket[ACCEPTED_AT] = undefined; // later requests on a kept-alive connection did not wait for it
    if (options.onAnswered) {
      res.once('finish', () => {
        const done = performance.now();
        options.onAnswered?.(done - arrived, res.statusCode, acceptedAt === undefined ? undefined : done - acceptedAt);
      });
    }
    void (async () => {
      const body = await readBody(req, MAX_BODY_BYTES);
      if (body === null) {
        res.writeHead(413).end();
        return;
      }
      if (!isSslCheck(req, body)) {
        const verdict = verifySignature(
          options.signingSecret,
          { timestamp: header(req, 'x-slack-request-timestamp'), signature: header(req, 'x-slack-signature') },
          body,
          now(),
        );
        if (!verdict.ok) {
          options.onRejected?.(verdict.reason, req);
          res.writeHead(401).end();
          return;
        }
        // An Events API retry is deduplicated by event id further in, whatever its signature.
        const eventRetry =
          header(req, 'x-slack-retry-num') !== undefined &&
          header(req, 'content-type')?.startsWith('application/json') === true;
        if (!eventRetry && !replays.firstSighting(header(req, 'x-slack-signature')!)) {
          options.onRejected?.('replayed request (this signature was already used)', req);
          res.writeHead(401).end();
          return;
        }
      }
      if (isForm(req) && body.length > MAX_FORM_BODY_BYTES) {
        if (options.oversizedCommand && isSlashCommand(body)) {
          // Slack shows a slash command's immediate response body to the user who typed it.
          res
            .writeHead(200, { 'content-type': 'application/json' })
            .end(JSON.stringify(options.oversizedCommand(body.length)));
        } else {
          options.onRejected?.(`form body of ${body.length} bytes (at most ${MAX_FORM_BODY_BYTES} are parsed)`, req);
          res.writeHead(413).end();
        }
        return;
      }
      (req as IncomingMessage & { rawBody?: Buffer }).rawBody = body;
      next(req, res);
    })().catch((err: unknown) => {
      options.onRejected?.(`could not read the request (${(err as Error).message})`, req);
      if (!res.headersSent) res.writeHead(400).end();
    });
  };
}
