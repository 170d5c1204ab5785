// Shared by the digest tests: an in-memory MeasuresStore and analyst updates at chosen times.
import type { MeasuresStore, Store } from '../../src/store/index.ts';
import { applyUpdate } from '../../src/measures/update/index.ts';
import type { UpdateTarget } from '../../src/measures/update/types.ts';
import { seedStore } from './seed.ts';

export class MemoryStore implements MeasuresStore {
  writes = 0;
  constructor(private current: Store = seedStore()) {}
  describe(): string {
    return 'memory';
  }
  snapshot(): Store {
    return this.current;
  }
  async mutate<T>(fn: (draft: Store) => T): Promise<T> {
    const draft = structuredClone(this.current);
    const result = fn(draft);
    this.current = draft;
    this.writes++;
    return result;
  }
  problem(): null {
    return null;
  }
  async sync(): Promise<void> {}
  async healthy(): Promise<boolean> {
    return true;
  }
  async close(): Promise<void> {}
}

let counter = 0;

/** Applies an update as an analyst would, at a given time; throws if it was refused. */
export async function update(
  store: MeasuresStore,
  target: string | UpdateTarget,
  text: string,
  at: string,
  author = 'U0ANALYST',
): Promise<void> {
  const t: UpdateTarget = typeof target === 'string' ? { kind: 'measure', id: target } : target;
  const result = await applyUpdate(store, {
    target: t,
    text,
    author,
    source: { kind: 'cli' },
    messageId: `test-${++counter}`,
    now: new Date(at),
  });
  if (!result.ok) throw new Error(`update refused: ${result.message}`);
}

/**
 * A hand-driven clock with timers: the scheduler's setTimeout and the delivery's sleep run on
 * it, so a test covers days of schedule (and seconds of pacing) in milliseconds.
 */
export class ManualClock {
  private timers: Array<{ id: number; at: number; fn: () => void }> = [];
  private seq = 0;
  /** Every sleep asked for, in ms (pacing and backoff assertions). */
  readonly sleeps: number[] = [];
  constructor(public ms: number) {}

  static at(iso: string): ManualClock {
    return new ManualClock(Date.parse(iso));
  }

  now = (): Date => new Date(this.ms);

  readonly timerApi = {
    setTimeout: (fn: () => void, ms: number): unknown => {
      const id = ++this.seq;
      this.timers.push({ id, at: this.ms + ms, fn });
      return id;
    },
    clearTimeout: (handle: unknown): void => {
      this.timers = this.timers.filter((t) => t.id !== handle);
    },
  };

  /** Sleeping moves the clock; nothing waits for real. */
  sleep = async (ms: number): Promise<void> => {
    this.sleeps.push(ms);
    this.ms += ms;
  };

  pending(): number {
    return this.timers.length;
  }

  /** Fires due timers in order up to `iso`, letting each one's work settle via `settle`. */
  async advanceTo(iso: string, settle: () => Promise<void>): Promise<void> {
    const target = Date.parse(iso);
    for (;;) {
      const next = [...this.timers].sort((a, b) => a.at - b.at)[0];
      if (!next || next.at > target) break;
      this.timers = this.timers.filter((t) => t !== next);
      this.ms = Math.max(this.ms, next.at);
      next.fn();
      await settle();
    }
    this.ms = Math.max(this.ms, target);
    await settle();
  }
}

/** Log lines of a digest runtime, for assertions. */
export function collectingLog(): {
  lines: string[];
  info(m: string): void;
  warn(m: string): void;
  error(m: string): void;
} {
  const lines: string[] = [];
  return {
    lines,
    info: (m) => lines.push(`INFO ${m}`),
    warn: (m) => lines.push(`WARN ${m}`),
    error: (m) => lines.push(`ERROR ${m}`),
  };
}
