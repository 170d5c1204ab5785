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
  if (!timestamp || !/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'missing or malformed x-slack-request-timestamp' };
  if (!signature || !signature.startsWith('v0=')) return { ok: false, reason: 'missing or unknown x-slack-signature' };
  const skew = Number(timestamp) - Math.floor(nowMs / 1000);
  if (skew < -MAX_CLOCK_SKEW_SECONDS) return { ok: false, reason: 'stale timestamp (more than 5 minutes old)' };
  if (skew > MAX_CLOCK_SKEW_SECONDS) return { ok: false, reason: 'timestamp more than 5 minutes in the future' };
  const expected = Buffer.from(signatureFor(secret, timestamp, rawBody));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'signature mismatch' };
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

/** Slack's ssl_check pings are unsigned; Bolt answers them and strips anything else from the body. */
function isSslCheck(req: IncomingMessage, body: Buffer): boolean {
  return header(req, 'content-type')?.startsWith('application/x-www-form-urlencoded') === true && parseQuery(body.toString()).ssl_check === '1';
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
}

export function guardRequests(next: RequestListener, options: GuardOptions): RequestListener {
  const now = options.now ?? Date.now;
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
      }
      (req as IncomingMessage & { rawBody?: Buffer }).rawBody = body;
      next(req, res);
    })().catch((err: unknown) => {
      options.onRejected?.(`could not read the request (${(err as Error).message})`, req);
      if (!res.headersSent) res.writeHead(400).end();
    });
  };
}
