// What happens after a listener has acked: the work runs on a fair turn, is tracked so a
// shutdown waits for it, logs under one request id, and a failure still reaches the user.
import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { Logger } from '@slack/bolt';
import { currentRequest, type RequestContext, withRequest } from './logger.ts';

/** Log lines that carry the request id, so one slash command can be followed through the log. */
export interface RequestLog {
  readonly id: string;
  /** performance.now() when the request arrived (or when this log was made, outside a request). */
  readonly startedAt: number;
  info(message: string): void;
  warn(message: string): void;
  error(message: string, err?: unknown): void;
}

/** The id the request was given when it arrived (app.ts), else a fresh one. */
export function newRequestId(): string {
  return currentRequest()?.id ?? randomBytes(4).toString('hex');
}

/** Every line it writes carries `id` as the log's `req` field (see logger.ts). */
export function requestLog(logger: Logger, id: string = newRequestId()): RequestLog {
  const context: RequestContext = { id, startedAt: currentRequest()?.startedAt ?? performance.now() };
  return {
    id,
    startedAt: context.startedAt,
    info: (m) => withRequest(context, () => logger.info(m)),
    warn: (m) => withRequest(context, () => logger.warn(m)),
    error: (m, err) =>
      withRequest(context, () => logger.error(`${m}${err ? `: ${(err as Error)?.stack ?? String(err)}` : ''}`)),
  };
}

// Fair turns for CPU work after an ack. Building an answer is a few milliseconds of
// synchronous work; forty of them back to back would hold the event loop for hundreds of
// milliseconds while other slash commands wait, unacknowledged, in the socket buffers.
// Granting one turn per event-loop iteration (setImmediate) lets Node read and ack the
// waiting requests between answers.
//
// Acks first: while its loop is busy, Node accepts one new connection per event-loop iteration
// (libuv), so a burst of forty slash commands takes forty iterations just to be accepted, and
// an answer's turn in each would put its milliseconds in front of every later ack. So no turn
// is granted in an iteration that accepted a connection or while a request awaits its ack;
// for at most ACKS_FIRST_MAX_MS at a time, so that a stream of requests cannot starve answers.
const ACKS_FIRST_MAX_MS = 250;
const waiting: Array<() => void> = [];
let scheduled = false;
let accepted = 0;
let acksPending = 0;
let holdingSince: number | null = null;

/** HTTP mode: a connection was accepted (more may be waiting in the kernel's queue). */
export function noteConnection(): void {
  accepted += 1;
}

/** HTTP mode: a request arrived; answers hold their turns until its response is sent. */
export function awaitingAck(res: ServerResponse): void {
  acksPending += 1;
  let settled = false;
  const settle = () => {
    if (settled) return;
    settled = true;
    acksPending -= 1;
  };
  res.once('finish', settle);
  res.once('close', settle);
}

function grant(): void {
  scheduled = false;
  if (!waiting.length) return;
  const acking = accepted > 0 || acksPending > 0;
  accepted = 0;
  if (acking) {
    holdingSince ??= performance.now();
    if (performance.now() - holdingSince < ACKS_FIRST_MAX_MS) return schedule();
  }
  holdingSince = null;
  const next = waiting.shift();
  if (waiting.length) schedule();
  next?.();
}

function schedule(): void {
  if (scheduled) return;
  scheduled = true;
  setImmediate(grant);
}

/** Resolves on a later event-loop iteration, one caller per iteration, in order. */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => {
    waiting.push(resolve);
    schedule();
  });
}

/**
 * Answers worked on at once. Each answer is CPU in this process between its Web API calls
 * (building blocks, requests, parsing replies); forty at once keep the event loop so busy that
 * the next slash commands wait in the kernel's queue before they are even read, let alone
 * acked. A few at a time still overlap one answer's network waits with another's CPU, and
 * the rest wait here, already acked, in order of arrival.
 */
export const ANSWERS_IN_FLIGHT = 16;

/** A bounded queue: at most `max` holders at a time, the others served first come, first served. */
export interface Slots {
  /** Resolves with the function that gives the slot back (call it exactly once). */
  acquire(): Promise<() => void>;
  readonly busy: number;
  readonly waiting: number;
}

export function createSlots(max: number): Slots {
  const limit = Math.max(1, Math.floor(max));
  const queue: Array<() => void> = [];
  let busy = 0;
  const release = () => {
    const next = queue.shift();
    if (next)
      next(); // the slot passes straight on
    else busy -= 1;
  };
  const once = () => {
    let given = false;
    return () => {
      if (given) return;
      given = true;
      release();
    };
  };
  return {
    acquire() {
      if (busy < limit) {
        busy += 1;
        return Promise.resolve(once());
      }
      return new Promise((resolve) => queue.push(() => resolve(once())));
    },
    get busy() {
      return busy;
    },
    get waiting() {
      return queue.length;
    },
  };
}

/**
 * Work still running after an ack (posting, uploading, store writes). SIGTERM waits for it,
 * so a shutdown never cuts an answer or a store write in half.
 */
export interface WorkTracker {
  track<T>(work: Promise<T>): Promise<T>;
  readonly size: number;
  /** Resolves true when all tracked work settled, false when the timeout came first. */
  drain(timeoutMs: number): Promise<boolean>;
}

export function createWorkTracker(): WorkTracker {
  const running = new Set<Promise<unknown>>();
  return {
    track(work) {
      const settled = work.then(
        () => undefined,
        () => undefined,
      );
      running.add(settled);
      void settled.then(() => running.delete(settled));
      return work;
    },
    get size() {
      return running.size;
    },
    async drain(timeoutMs) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<false>((resolve) => {
        timer = setTimeout(() => resolve(false), timeoutMs);
      });
      const all = (async () => {
        while (running.size) await Promise.all([...running]);
        return true as const;
      })();
      const result = await Promise.race([all, timeout]);
      clearTimeout(timer);
      return result;
    },
  };
}

/**
 * Runs a listener's work once it has acked: once one of `deps.answering`'s slots is free, on
 * its own turn, tracked by `deps.work`, logging under request id `id` (a fresh one when
 * undefined). Whatever `work` throws goes to `onError` (log it, apologise to the user) and
 * never further: Bolt has already answered Slack.
 */
export async function afterAck(
  deps: { logger: Logger; work: WorkTracker; answering: Slots; store?: { sync(): Promise<void> } },
  id: string | undefined,
  work: (log: RequestLog) => Promise<void>,
  onError: (err: unknown, log: RequestLog) => Promise<unknown> | void,
): Promise<void> {
  const log = requestLog(deps.logger, id);
  // Run as the request, so that Bolt's and web-api's lines during the work carry its id too.
  const context: RequestContext = { id: log.id, startedAt: log.startedAt };
  await deps.work.track(
    withRequest(context, async () => {
      const release = await deps.answering.acquire();
      try {
        await nextTurn();
        // Never answer from data older than the last change committed by any process or replica.
        await deps.store?.sync();
        await work(log);
      } catch (err) {
        await onError(err, log);
      } finally {
        release();
      }
    }),
  );
}
