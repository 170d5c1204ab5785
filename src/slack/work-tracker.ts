// Work still running after an ack (posting, uploading, store writes). SIGTERM waits for it,
// so a shutdown never cuts an answer or a store write in half.
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
