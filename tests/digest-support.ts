// Shared by the digest tests: an in-memory MeasuresStore and analyst updates at chosen times.
import type { MeasuresStore } from '../src/store/index.ts';
import type { Store } from '../src/store/schema.ts';
import { applyUpdate } from '../src/measures/update/index.ts';
import type { UpdateTarget } from '../src/measures/update/types.ts';
import { seedStore } from './helpers/seed.ts';

export class MemoryStore implements MeasuresStore {
  readonly file = ':memory:';
  writes = 0;
  constructor(private current: Store = seedStore()) {}
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
  async close(): Promise<void> {}
}

let counter = 0;

/** Applies an update as an analyst would, at a given time; throws if it was refused. */
export async function update(store: MeasuresStore, target: string | UpdateTarget, text: string, at: string, author = 'U0ANALYST'): Promise<void> {
  const t: UpdateTarget = typeof target === 'string' ? { kind: 'measure', id: target } : target;
  const result = await applyUpdate(store, { target: t, text, author, source: { kind: 'cli' }, messageId: `test-${++counter}`, now: new Date(at) });
  if (!result.ok) throw new Error(`update refused: ${result.message}`);
}
