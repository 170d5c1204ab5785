// What happens after a listener has acked: the work runs on a fair turn, is tracked so a
// shutdown waits for it, logs under one request id, and a failure still reaches the user.
import { randomBytes } from 'node:crypto';
import type { Logger } from '@slack/bolt';

/** Log lines that carry the request id, so one slash command can be followed through the log. */
export interface RequestLog {
  readonly id: string;
  info(message: string): void;
  warn(message: string): void;
  error(message: string, err?: unknown): void;
}

export function newRequestId(): string {
  return randomBytes(4).toString('hex');
}

export function requestLog(logger: Logger, id: string = newRequestId()): RequestLog {
  const tag = `[req ${id}]`;
  return {
    id,
    info: (m) => logger.info(`${tag} ${m}`),
    warn: (m) => logger.warn(`${tag} ${m}`),
    error: (m, err) => logger.error(`${tag} ${m}${err ? `: ${(err as Error)?.stack ?? String(err)}` : ''}`),
  };
}

// Fair turns for CPU work after an ack. Building an answer is a few milliseconds of
// synchronous work; forty of them back to back would hold the event loop for hundreds of
// milliseconds while other slash commands wait, unacknowledged, in the socket buffers.
// Granting one turn per event-loop iteration (setImmediate) lets Node read and ack the
// waiting requests between answers.
const waiting: Array<() => void> = [];
let scheduled = false;

function grant(): void {
  scheduled = false;
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
 * Runs a listener's work once it has acked: on its own turn, tracked by `deps.work`, logging
 * under request id `id` (a fresh one when undefined). Whatever `work` throws goes to
 * `onError` (log it, apologise to the user) and never further: Bolt has already answered Slack.
 */
export async function afterAck(
  deps: { logger: Logger; work: WorkTracker },
  id: string | undefined,
  work: (log: RequestLog) => Promise<void>,
  onError: (err: unknown, log: RequestLog) => Promise<unknown> | void,
): Promise<void> {
  const log = requestLog(deps.logger, id);
  await deps.work.track(
    (async () => {
      try {
        await nextTurn();
        await work(log);
      } catch (err) {
        await onError(err, log);
      }
    })(),
  );
}
