// Thread bindings: (channel, message ts) → the measure, priority or digest a bot message
// answers. A ts alone is not unique across channels. Issue 6 reads these to route replies.
import type { MeasuresStore } from '../store/index.ts';
import type { Store, ThreadBinding } from '../store/schema.ts';

export type NewBinding = Omit<ThreadBinding, 'createdAt'>;

/** The binding of a bot message in a snapshot, or undefined when the message is not one of ours. */
export function findBinding(store: Store, channel: string, ts: string): ThreadBinding | undefined {
  return store.threads.find((t) => t.channel === channel && t.ts === ts);
}

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
}

/**
 * Coalesces bindings into few store writes. A store write takes the cross-process lock and
 * validates the whole document (about 10–20 ms of event-loop time; the disk work is off the
 * loop), so a burst of answers is bound in one write once 250 ms pass without a new answer,
 * and never more than 2 s after the first. Nobody replies in a thread that fast, lookup()
 * sees queued bindings, and SIGTERM flushes them; only a crash inside that window can lose a
 * binding (that thread then ignores updates, and /measures update still works).
 */
export function createThreadBinder(store: MeasuresStore, options: BinderOptions = {}): ThreadBinder {
  const now = options.now ?? (() => new Date());
  const quietMs = options.quietMs ?? 250;
  const maxDelayMs = options.maxDelayMs ?? 2000;
  let pending: Array<{ binding: ThreadBinding; done: (err?: unknown) => void }> = [];
  let writing: Promise<void> | null = null;
  let timer: NodeJS.Timeout | null = null;
  let oldest = 0;

  const writeBatch = async (): Promise<void> => {
    while (pending.length) {
      const batch = pending;
      pending = [];
      try {
        await store.mutate((draft) => {
          for (const { binding } of batch) {
            const existing = draft.threads.findIndex((t) => t.channel === binding.channel && t.ts === binding.ts);
            if (existing === -1) draft.threads.push(binding);
            else draft.threads[existing] = binding;
          }
        });
        for (const item of batch) item.done();
      } catch (err) {
        for (const item of batch) item.done(err);
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
    const wait = Math.max(0, Math.min(quietMs, oldest + maxDelayMs - Date.now()));
    timer = setTimeout(() => void writeNow(), wait);
    timer.unref?.();
  };

  return {
    bind(binding) {
      return new Promise<void>((resolve, reject) => {
        if (!pending.length) oldest = Date.now();
        pending.push({ binding: { ...binding, createdAt: now().toISOString() }, done: (err) => (err ? reject(err) : resolve()) });
        if (!writing) schedule();
      });
    },
    lookup(channel, ts) {
      const queued = pending.findLast((p) => p.binding.channel === channel && p.binding.ts === ts);
      return queued?.binding ?? findBinding(store.snapshot(), channel, ts);
    },
    async flush() {
      while (writing || pending.length) await (pending.length ? writeNow() : writing);
    },
  };
}
