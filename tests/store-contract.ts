// What every MeasuresStore must do, whatever holds the data: one suite, run against the file
// store (store-contract-file.test.ts) and PostgreSQL (store-contract-pg.test.ts). Two stores
// opened on one location stand for two processes or two replicas.
import { describe, expect, it } from 'vitest';
import { applyUpdate } from '../src/measures/update/index.ts';
import { hasMessage, openStore, StoreError, type MeasuresStore, type Store } from '../src/store/index.ts';

export interface StoreKind {
  /** A location no store has used yet: opening it creates the store from the bundled report. */
  fresh(): Promise<string>;
  /** Makes the stored data invalid behind the store's back (a hand edit gone wrong). */
  corrupt(location: string): Promise<void>;
  /** Puts a valid document back behind the store's back. */
  repair(location: string, store: Store): Promise<void>;
}

const quiet = { notice: () => undefined };

function commentsOn(store: Store, measure = 'robbery'): string[] {
  const m = store.priorities.flatMap((p) => p.measures).find((x) => x.id === measure)!;
  return m.comments.map((c) => c.text);
}

function addComment(text: string) {
  return (draft: Store) => {
    const m = draft.priorities.flatMap((p) => p.measures).find((x) => x.id === 'robbery')!;
    m.comments.push({ text, by: 'U0TEST', at: '2026-11-20T10:00:00.000Z' });
    return text;
  };
}

async function both(kind: StoreKind): Promise<[MeasuresStore, MeasuresStore, string]> {
  const location = await kind.fresh();
  const a = await openStore(location, quiet);
  const b = await openStore(location, quiet);
  return [a, b, location];
}

async function closeAll(...stores: MeasuresStore[]) {
  await Promise.all(stores.map((s) => s.close()));
}

export function storeContract(name: string, kind: StoreKind): void {
  describe(`the ${name} store keeps the MeasuresStore contract`, () => {
    it('starts from the bundled report and serves the same snapshot without I/O until something changes', async () => {
      const [a, b] = await both(kind);
      try {
        expect(a.snapshot().priorities).toHaveLength(7);
        expect(a.snapshot()).toBe(a.snapshot());
        expect(a.problem()).toBeNull();
        expect(await a.healthy()).toBe(true);
        await a.sync();
        expect(a.snapshot().changeLog).toEqual([]);
      } finally {
        await closeAll(a, b);
      }
    });

    it('a write made through one store is served by the other after sync(), with no wait', async () => {
      const [a, b, location] = await both(kind);
      try {
        expect(await a.mutate(addComment('seen everywhere'))).toBe('seen everywhere');
        expect(commentsOn(a.snapshot())).toContain('seen everywhere');
        await b.sync();
        expect(commentsOn(b.snapshot())).toContain('seen everywhere');
        // …and by a store opened afterwards (the write is durable).
        const c = await openStore(location, quiet);
        expect(commentsOn(c.snapshot())).toContain('seen everywhere');
        await c.close();
      } finally {
        await closeAll(a, b);
      }
    });

    it('saves nothing when the mutator throws, and passes its error on unchanged', async () => {
      const [a, b] = await both(kind);
      try {
        const boom = new Error('refused by the mutator');
        await expect(
          a.mutate((draft) => {
            addComment('half a change')(draft);
            throw boom;
          }),
        ).rejects.toBe(boom);
        expect(commentsOn(a.snapshot())).not.toContain('half a change');
        await b.sync();
        expect(commentsOn(b.snapshot())).not.toContain('half a change');
        // The store still takes the next write.
        await a.mutate(addComment('after the failure'));
        await b.sync();
        expect(commentsOn(b.snapshot())).toContain('after the failure');
      } finally {
        await closeAll(a, b);
      }
    });

    it('refuses a result that would not validate, naming the field, and saves nothing', async () => {
      const [a, b] = await both(kind);
      try {
        const err = await a
          .mutate((draft) => {
            addComment('with a bad trend')(draft);
            draft.priorities[0]!.measures[0]!.trend.asOf = '2021-02-30';
          })
          .catch((e: unknown) => e);
        expect(err).toBeInstanceOf(StoreError);
        expect((err as StoreError).message).toMatch(/trend\.asOf/);
        await b.sync();
        expect(commentsOn(b.snapshot())).not.toContain('with a bad trend');
        expect(b.snapshot().priorities[0]!.measures[0]!.trend.asOf).not.toBe('2021-02-30');
      } finally {
        await closeAll(a, b);
      }
    });

    it('loses no write when two stores on one location write at the same time', async () => {
      const [a, b] = await both(kind);
      try {
        const texts = Array.from({ length: 24 }, (_, i) => `concurrent ${i}`);
        await Promise.all(texts.map((t, i) => (i % 2 ? a : b).mutate(addComment(t))));
        await Promise.all([a.sync(), b.sync()]);
        for (const s of [a, b]) expect(commentsOn(s.snapshot())).toEqual(expect.arrayContaining(texts));
        expect(commentsOn(a.snapshot())).toEqual(commentsOn(b.snapshot()));
      } finally {
        await closeAll(a, b);
      }
    });

    it('applies one analyst message once, whichever store gets it first', async () => {
      const [a, b] = await both(kind);
      try {
        const request = {
          target: { kind: 'measure' as const, id: 'robbery' },
          text: 'comment: sent twice by Slack',
          author: 'U0ANALYST',
          source: { kind: 'thread' as const },
          messageId: 'C0DEDUPE:1700000000.000100',
        };
        const results = await Promise.all([applyUpdate(a, request), applyUpdate(b, request)]);
        expect(results.map((r) => r.ok && r.status).sort()).toEqual(['applied', 'duplicate']);
        await b.sync();
        expect(commentsOn(b.snapshot()).filter((t) => t === 'sent twice by Slack')).toHaveLength(1);
        expect(hasMessage(b.snapshot(), request.messageId)).toBe(true);
      } finally {
        await closeAll(a, b);
      }
    });

    it('reports bad stored data through problem(), serves the last good copy and refuses writes', async () => {
      const [a, b, location] = await both(kind);
      try {
        await a.mutate(addComment('last good'));
        const good = a.snapshot();
        await b.sync();
        await kind.corrupt(location);
        await b.sync();
        expect(b.problem()).toBeInstanceOf(StoreError);
        expect(commentsOn(b.snapshot())).toContain('last good');
        await expect(b.mutate(addComment('on top of bad data'))).rejects.toBeInstanceOf(StoreError);
        await kind.repair(location, good);
        await b.sync();
        await b.mutate(addComment('after the repair'));
        expect(b.problem()).toBeNull();
        expect(commentsOn(b.snapshot())).toEqual(expect.arrayContaining(['last good', 'after the repair']));
      } finally {
        await closeAll(a, b);
      }
    });

    it('close() waits for the write in flight, then refuses new ones', async () => {
      const [a, b] = await both(kind);
      try {
        const writing = a.mutate(addComment('in flight at close'));
        await a.close();
        await expect(writing).resolves.toBe('in flight at close');
        await expect(a.mutate(addComment('after close'))).rejects.toBeInstanceOf(StoreError);
        await b.sync();
        expect(commentsOn(b.snapshot())).toContain('in flight at close');
      } finally {
        await closeAll(a, b);
      }
    });
  });
}
