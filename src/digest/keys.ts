// The exactly-once keys: one per (channel, ISO week), in the store. Pure mutators for
// store.mutate, so every decision is taken under the store's cross-process lock on a
// freshly read document.
//
// A key is written "pending" before posting and "sent" (with the message ts) after. A
// pending key's createdAt is a lease: while it is younger than LEASE_MS another process (or
// this one) may be posting right now, so nobody else posts. An older pending key was left by
// a crash; it is resolved by looking for the digest in the channel (message metadata) before
// anyone takes it over and posts.
import { findThreadBinding, type DigestKey, type Store } from '../store/index.ts';
import { defaultSinceIso } from './window.ts';

/** Longer than a whole delivery with all its retries (about 2 minutes at worst). */
export const LEASE_MS = 10 * 60_000;

export type Claim =
  | { state: 'claimed'; key: DigestKey }
  | { state: 'sent'; key: DigestKey }
  | { state: 'in-flight'; key: DigestKey; leaseEnds: Date }
  | { state: 'stale-pending'; key: DigestKey };

export interface DigestWindowIso {
  since: string;
  until: string;
}

export function findKey(store: Store, channel: string, week: string): DigestKey | undefined {
  return store.digest.keys.find((k) => k.channel === channel && k.week === week);
}

/** Since the last sent digest (its until), else the last 7 days (window.ts). */
export function windowFor(store: Store, now: Date): DigestWindowIso {
  return { since: defaultSinceIso(store, now), until: now.toISOString() };
}

function classify(key: DigestKey, now: Date): Claim {
  if (key.status === 'sent') return { state: 'sent', key };
  const leaseEnds = new Date(Date.parse(key.createdAt) + LEASE_MS);
  return leaseEnds > now ? { state: 'in-flight', key, leaseEnds } : { state: 'stale-pending', key };
}

/** Creates the pending key, or reports the key that is already there. */
export function claimKey(draft: Store, channel: string, week: string, now: Date): Claim {
  const existing = findKey(draft, channel, week);
  if (existing) return classify(existing, now);
  const key: DigestKey = { channel, week, status: 'pending', createdAt: now.toISOString(), ...windowFor(draft, now) };
  draft.digest.keys.push(key);
  return { state: 'claimed', key: { ...key } };
}

/**
 * Takes over a stale pending key after its digest was not found in the channel. Only the
 * key exactly as it was seen is taken: if another process renewed or sent it meanwhile,
 * that state is reported instead.
 */
export function takeOverKey(draft: Store, seen: DigestKey, now: Date): Claim {
  const key = findKey(draft, seen.channel, seen.week);
  if (!key) return claimKey(draft, seen.channel, seen.week, now);
  if (key.status !== 'pending' || key.createdAt !== seen.createdAt) return classify(key, now);
  Object.assign(key, { createdAt: now.toISOString(), ...windowFor(draft, now) });
  return { state: 'claimed', key: { ...key } };
}

export function markSent(
  draft: Store,
  channel: string,
  week: string,
  sent: { ts: string; at: Date; until?: string },
): void {
  let key = findKey(draft, channel, week);
  if (!key) {
    key = { channel, week, status: 'pending', createdAt: sent.at.toISOString() };
    draft.digest.keys.push(key);
  }
  key.status = 'sent';
  key.ts = sent.ts;
  key.sentAt = sent.at.toISOString();
  const until = sent.until ?? key.until ?? key.sentAt;
  key.until ??= until;
  if (!draft.digest.lastSentAt || Date.parse(draft.digest.lastSentAt) < Date.parse(until))
    draft.digest.lastSentAt = until;
  // Replies under the digest are routed by this binding, so they can name a measure on each line.
  if (!findThreadBinding(draft, channel, sent.ts)) {
    draft.threads.push({ channel, ts: sent.ts, kind: 'digest', id: week, createdAt: sent.at.toISOString() });
  }
}

/** Drops our pending key after a post that certainly failed, so a later attempt may post. */
export function releaseKey(draft: Store, mine: DigestKey): boolean {
  const index = draft.digest.keys.findIndex(
    (k) =>
      k.channel === mine.channel && k.week === mine.week && k.status === 'pending' && k.createdAt === mine.createdAt,
  );
  if (index === -1) return false;
  draft.digest.keys.splice(index, 1);
  return true;
}
