// The thread binder: bindings are coalesced into few store writes, and a failed write is
// retried with backoff instead of dropping every binding it held (a lost binding silences
// that thread for analysts). Against a MeasuresStore whose writes can be made to fail.
import { describe, expect, it } from 'vitest';
import { StoreError, type MeasuresStore, type Store } from '../src/store/index.ts';
import { createThreadBinder } from '../src/slack/thread-bindings.ts';
import { seedStore } from './helpers/seed.ts';

/** An in-memory store whose next `failures` writes are refused, as a locked or invalid file would be. */
function flakyStore(failures: number): MeasuresStore & { writes: number; refused: number } {
  let current: Store = seedStore();
  let left = failures;
  const store = {
    writes: 0,
    refused: 0,
    describe: () => '/srv/measures/store.json',
    snapshot: () => current,
    problem: () => null,
    async mutate<T>(fn: (draft: Store) => T): Promise<T> {
      await new Promise((r) => setTimeout(r, 1));
      if (left > 0) {
        left -= 1;
        store.refused += 1;
        throw new StoreError('/srv/measures/store.json: could not take the store lock', '/srv/measures/store.json');
      }
      const draft = structuredClone(current);
      const result = fn(draft);
      current = draft;
      store.writes += 1;
      return result;
    },
    async sync() {},
    healthy: async () => true,
    async close() {},
  };
  return store;
}

function collect() {
  const lines: string[] = [];
  return {
    lines,
    log: { warn: (m: string) => lines.push(`WARN ${m}`), error: (m: string) => lines.push(`ERROR ${m}`) },
  };
}

const binding = (ts: string) => ({ channel: 'C0BIND', ts, kind: 'measure' as const, id: 'robbery' });
const bound = (store: MeasuresStore, ts: string) =>
  store.snapshot().threads.find((t) => t.channel === 'C0BIND' && t.ts === ts);

describe('thread bindings when a store write fails', () => {
  it('retries the failed batch after a pause, keeping it visible to lookup meanwhile, and logs it', async () => {
    const store = flakyStore(1);
    const { lines, log } = collect();
    const binder = createThreadBinder(store, { quietMs: 5, maxDelayMs: 50, retryDelaysMs: [100, 200, 400], log });
    const first = binder.bind(binding('1.000001'));
    const second = binder.bind(binding('1.000002'));
    // Checked while the batch waits out its 100 ms backoff, before the retry.
    await expect.poll(() => store.refused, { interval: 5 }).toBe(1);
    expect(bound(store, '1.000001')).toBeUndefined();
    expect(binder.lookup('C0BIND', '1.000001')).toMatchObject({ kind: 'measure', id: 'robbery' });
    await expect(Promise.all([first, second])).resolves.toEqual([undefined, undefined]);
    expect(bound(store, '1.000001')).toBeDefined();
    expect(bound(store, '1.000002')).toBeDefined();
    expect(store.writes).toBe(1);
    expect(lines).toEqual([
      expect.stringMatching(
        /^WARN 2 thread binding\(s\) not saved \(.*could not take the store lock\); trying again in 100 ms$/,
      ),
    ]);
  });

  it('gives up after the last retry: bind rejects and the loss is logged', async () => {
    const store = flakyStore(99);
    const { lines, log } = collect();
    const binder = createThreadBinder(store, { quietMs: 5, maxDelayMs: 50, retryDelaysMs: [20, 40, 80], log });
    await expect(binder.bind(binding('2.000001'))).rejects.toBeInstanceOf(StoreError);
    expect(store.refused).toBe(4);
    expect(lines.filter((l) => l.startsWith('WARN'))).toHaveLength(3);
    expect(lines.at(-1)).toMatch(/^ERROR 1 thread binding\(s\) not saved after 4 tries/);
    expect(binder.lookup('C0BIND', '2.000001')).toBeUndefined();
  });

  it('flush (shutdown) still writes a batch that is waiting out a backoff', async () => {
    const store = flakyStore(1);
    const binder = createThreadBinder(store, { quietMs: 5, maxDelayMs: 50, retryDelaysMs: [150] });
    const pending = binder.bind(binding('3.000001'));
    await expect.poll(() => store.refused, { interval: 5 }).toBe(1);
    await binder.flush();
    expect(bound(store, '3.000001')).toBeDefined();
    await expect(pending).resolves.toBeUndefined();
  });
});

describe('thread bindings while their write waits (the store lock held elsewhere)', () => {
  it('lookup still finds a binding whose batch is being written, and the stored one afterwards', async () => {
    const inner = flakyStore(0);
    let unblock!: () => void;
    const blocked = new Promise<void>((r) => (unblock = r));
    let writesStarted = 0;
    const store: MeasuresStore = {
      ...inner,
      snapshot: () => inner.snapshot(),
      async mutate(fn) {
        writesStarted += 1;
        await blocked;
        return inner.mutate(fn);
      },
    };
    const binder = createThreadBinder(store, { quietMs: 5, maxDelayMs: 20 });
    const done = binder.bind(binding('4.000001'));
    await expect.poll(() => writesStarted).toBe(1);
    expect(bound(inner, '4.000001')).toBeUndefined();
    expect(binder.lookup('C0BIND', '4.000001')).toMatchObject({ kind: 'measure', id: 'robbery' });
    unblock();
    await done;
    expect(bound(inner, '4.000001')).toBeDefined();
    expect(binder.lookup('C0BIND', '4.000001')).toMatchObject({ kind: 'measure', id: 'robbery' });
  });
});
