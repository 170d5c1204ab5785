// Thread bindings: (channel, message ts) → the measure, priority or digest a bot message
// answers. A ts alone is not unique across channels. Issue 6 reads these to route replies.
import type { MeasuresStore } from '../store/index.ts';
import type { Store, ThreadBinding } from '../store/schema.ts';

export type NewBinding = Omit<ThreadBinding, 'createdAt'>;

/** The binding of a bot message, or undefined when the message is not one of ours. */
export function findBinding(store: Store, channel: string, ts: string): ThreadBinding | undefined {
  return store.threads.find((t) => t.channel === channel && t.ts === ts);
}

export interface ThreadBinder {
  /** Resolves once the binding is durable in the store. */
  bind(binding: NewBinding): Promise<void>;
  /** Waits for bindings queued so far. */
  flush(): Promise<void>;
}

/**
 * Coalesces bindings into as few store writes as possible: each write takes the store's
 * cross-process lock and fsyncs, so 40 answers at once become a handful of writes, not 40.
 */
export function createThreadBinder(store: MeasuresStore, now: () => Date = () => new Date()): ThreadBinder {
  let pending: Array<{ binding: ThreadBinding; done: (err?: unknown) => void }> = [];
  let writing: Promise<void> | null = null;

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

  const kick = () => {
    if (writing) return;
    writing = writeBatch().finally(() => {
      writing = null;
      if (pending.length) kick();
    });
  };

  return {
    bind(binding) {
      return new Promise<void>((resolve, reject) => {
        pending.push({ binding: { ...binding, createdAt: now().toISOString() }, done: (err) => (err ? reject(err) : resolve()) });
        // Let bindings from the same tick join one write.
        setImmediate(kick);
      });
    },
    async flush() {
      while (writing || pending.length) {
        if (!writing) kick();
        await writing;
      }
    },
  };
}
