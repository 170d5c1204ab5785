// Thread bindings: (channel, message ts) → the measure, priority or digest a bot message
// answers. A ts alone is not unique across channels. A reply in a bound thread is routed to
// that entity (listeners/messages/); a reply in any other thread is not the bot's business.
import { findThreadBinding, type MeasuresStore, type ThreadBinding } from '../store/index.ts';

export type NewBinding = Omit<ThreadBinding, 'createdAt'>;

export interface ThreadBinder {
  /** Resolves once the binding is durable in the store; rejects when the store refused it. */
  bind(binding: NewBinding): Promise<void>;
  /** The binding of (channel, ts), including ones queued but not written yet. */
  lookup(channel: string, ts: string): ThreadBinding | undefined;
  /** Writes everything queued now (shutdown). */
  flush(): Promise<void>;
}

export interface BinderOptions {
  now?: () => Date;
  /** Write once no new binding has arrived for this long… */
  quietMs?: number;
  /** …or once the oldest queued binding has waited this long. */
  maxDelayMs?: number;
  /**
   * After a failed write, the bindings are tried again after these pauses, then given up
   * (their bind() rejects). Default: three more tries within about ten seconds.
   */
  retryDelaysMs?: number[];
  /** Where retries and give-ups are logged. */
  log?: { warn(message: string): void; error(message: string): void };
}

export const BINDING_RETRY_DELAYS_MS = [1000, 3000, 6000];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Queued {
  binding: ThreadBinding;
  done: (err?: unknown) => void;
  /** Failed writes so far. */
  failures: number;
}

/**
 * Coalesces bindings into few store writes. A store write takes the cross-process lock and
 * validates the whole document (about 10–20 ms of event-loop time; the disk work is off the
 * loop), so a burst of answers is bound in one write once 250 ms pass without a new answer,
 * and never more than 2 s after the first. lookup() sees queued bindings and the batch being
 * written (whose write may wait seconds for the store lock), so a quick reply still finds its
 * thread, and SIGTERM flushes them; only a crash inside that window can lose a binding (that
 * thread then ignores updates, and /measures update still works).
 * A failed write (the lock held too long by a CLI run, a store briefly invalid) puts its
 * bindings back in the queue and is retried with backoff: losing a binding silences a thread.
 */
export function createThreadBinder(store: MeasuresStore, options: BinderOptions = {}): ThreadBinder {
  const now = options.now ?? (() => new Date());
  const quietMs = options.quietMs ?? 250;
  const maxDelayMs = options.maxDelayMs ?? 2000;
  const retryDelays = options.retryDelaysMs ?? BINDING_RETRY_DELAYS_MS;
  let pending: Queued[] = [];
  /**
   * The batch being written. Until its write resolves it is neither queued nor in the
   * snapshot, and that write can wait seconds for the store lock: lookup() must still see it,
   * or a reply under a brand-new answer would find no binding and be ignored.
   */
  let inFlight: Queued[] = [];
  let writing: Promise<void> | null = null;
  let timer: NodeJS.Timeout | null = null;
  let oldest = 0;
  /** No write before this time (ms since the epoch): the backoff after a failed write. */
  let notBefore = 0;

  /** Puts a failed batch back at the head of the queue, or gives up on what has had its tries. */
  const failed = (batch: Queued[], err: unknown) => {
    const reason = err instanceof Error ? err.message : String(err);
    const retry: Queued[] = [];
    for (const item of batch) {
      item.failures += 1;
      if (item.failures > retryDelays.length) item.done(err);
      else retry.push(item);
    }
    const gaveUp = batch.length - retry.length;
    if (gaveUp)
      options.log?.error(
        `${gaveUp} thread binding(s) not saved after ${retryDelays.length + 1} tries (${reason}); ` +
          'replies in those threads will be ignored',
      );
    if (!retry.length) return;
    const delay = retryDelays[Math.max(...retry.map((i) => i.failures)) - 1]!;
    options.log?.warn(`${retry.length} thread binding(s) not saved (${reason}); trying again in ${delay} ms`);
    notBefore = Date.now() + delay;
    if (!pending.length) oldest = Date.now();
    pending = [...retry, ...pending];
  };

  const writeBatch = async (): Promise<void> => {
    while (pending.length) {
      const batch = pending;
      pending = [];
      inFlight = batch;
      try {
        await store.mutate((draft) => {
          for (const { binding } of batch) {
            const existing = draft.threads.findIndex((t) => t.channel === binding.channel && t.ts === binding.ts);
            if (existing === -1) draft.threads.push(binding);
            else draft.threads[existing] = binding;
          }
        });
        notBefore = 0;
        inFlight = [];
        for (const item of batch) item.done();
      } catch (err) {
        // In the same turn: what is retried goes back to the queue as it leaves the batch.
        inFlight = [];
        failed(batch, err);
        return; // the next try waits for the backoff (schedule, or flush)
      }
    }
  };

  const writeNow = (): Promise<void> => {
    if (timer) clearTimeout(timer);
    timer = null;
    if (!writing) {
      writing = writeBatch().finally(() => {
        writing = null;
        if (pending.length) schedule();
      });
    }
    return writing;
  };

  const schedule = () => {
    if (timer) clearTimeout(timer);
    const soon = Math.min(quietMs, oldest + maxDelayMs - Date.now());
    const wait = Math.max(0, soon, notBefore - Date.now());
    timer = setTimeout(() => void writeNow(), wait);
    timer.unref?.();
  };

  return {
    bind(binding) {
      return new Promise<void>((resolve, reject) => {
        if (!pending.length) oldest = Date.now();
        pending.push({
          binding: { ...binding, createdAt: now().toISOString() },
          done: (err) => (err ? reject(err) : resolve()),
          failures: 0,
        });
        if (!writing) schedule();
      });
    },
    lookup(channel, ts) {
      const matches = (q: Queued) => q.binding.channel === channel && q.binding.ts === ts;
      // Newest first: a queued binding replaces the one being written, which replaces the stored one.
      const queued = pending.findLast(matches) ?? inFlight.findLast(matches);
      return queued?.binding ?? findThreadBinding(store.snapshot(), channel, ts);
    },
    async flush() {
      // Writes at once, but still honours a backoff: every retry is bounded, so this ends.
      while (writing || pending.length) {
        if (writing) {
          await writing;
          continue;
        }
        const wait = notBefore - Date.now();
        if (wait > 0) await sleep(wait);
        await writeNow();
      }
    },
  };
}
