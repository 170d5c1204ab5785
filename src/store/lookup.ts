// Finding things in a store document by id. Every room reads the store the same way.
import type { Force, Measure, Priority, Store, ThreadBinding } from './schema.ts';

type WithPriorities = Pick<Store, 'priorities'>;

export function allMeasures(store: WithPriorities): Measure[] {
  return store.priorities.flatMap((p) => p.measures);
}

export function findMeasure(store: WithPriorities, id: string): { measure: Measure; priority: Priority } | null {
  for (const priority of store.priorities) {
    const measure = priority.measures.find((m) => m.id === id);
    if (measure) return { measure, priority };
  }
  return null;
}

export function findPriority(store: WithPriorities, id: string): Priority | null {
  return store.priorities.find((p) => p.id === id) ?? null;
}

/** The store's own force as a member of its most similar group (where its population and ONS code are). */
export function homeForce(store: Pick<Store, 'force' | 'msg'>): Force | null {
  return store.msg.forces.find((f) => f.slug === store.force.slug) ?? null;
}

/**
 * The binding of a bot message (channel, ts), or undefined when it is not one of ours. A ts
 * alone is not unique across channels.
 */
export function findThreadBinding(
  store: Pick<Store, 'threads'>,
  channel: string,
  ts: string,
): ThreadBinding | undefined {
  return store.threads.find((t) => t.channel === channel && t.ts === ts);
}
