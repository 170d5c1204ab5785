// The weekly timer: posts each slot's digest once, catches up a slot missed by up to 24 h
// when the bot starts (marked late), and skips (and logs) anything older, so a bot that was
// down for a fortnight never posts a burst of old digests.
//
// Clock and timers are injected: tests move time by hand instead of sleeping. The timer never
// sleeps longer than MAX_SLEEP_MS, so a suspended laptop or a clock change is noticed.
//
// Posting is injected too (`deliver`): the scheduler decides when a week is due and knows
// nothing of Slack; src/slack/digest/delivery.ts posts it exactly once.
import { DateTime } from 'luxon';
import type { MeasuresStore } from '../store/index.ts';
import { findKey } from './keys.ts';
import { latestSlotAtOrBefore, nextSlotAfter, slotLabel, type Slot } from './schedule.ts';
import type { WeeklySchedule } from './settings.ts';

export const CATCH_UP_WINDOW_MS = 24 * 3_600_000;
/** A post this long after its slot is "late" (says so in the message). */
export const LATE_AFTER_MS = 5 * 60_000;
export const MAX_SLEEP_MS = 15 * 60_000;

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realTimers: Timers = {
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms);
    t.unref?.();
    return t;
  },
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

export interface DigestLog {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface DeliveryRequest {
  channel: string;
  week: string;
  /** The slot it was due at, when posted late. */
  lateFor?: DateTime;
}

export type DeliveryResult =
  | { outcome: 'posted'; channel: string; week: string; ts: string; late: boolean; threadPosts: number }
  | { outcome: 'already-sent'; channel: string; week: string; ts: string | null }
  | { outcome: 'in-flight'; channel: string; week: string; retryAt: Date }
  | { outcome: 'failed'; channel: string; week: string; reason: string };

export interface SchedulerDeps {
  /** Read only: the keys say whether a week was sent; writing them is deliver's job. */
  store: Pick<MeasuresStore, 'snapshot' | 'sync'>;
  channel: string;
  schedule: WeeklySchedule;
  zone: string;
  now: () => Date;
  timers: Timers;
  log: DigestLog;
  /** Posts one week's digest once; 'in-flight' asks the scheduler to look again at retryAt. */
  deliver(request: DeliveryRequest): Promise<DeliveryResult>;
}

export interface DigestScheduler {
  /** The next slot the timer waits for. */
  next(): Slot;
  /** Resolves when the runs started so far have finished (tests, shutdown). */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

export function startScheduler(deps: SchedulerDeps): DigestScheduler {
  const { channel, schedule, zone, log } = deps;
  const now = () => DateTime.fromJSDate(deps.now()).setZone(zone);
  let stopped = false;
  let timer: unknown = null;
  const retryTimers = new Set<unknown>();
  let chain: Promise<unknown> = Promise.resolve();
  const enqueue = (work: () => Promise<unknown>) => {
    const run = chain.then(() => (stopped ? undefined : work()));
    chain = run.catch((err: Error) => log.error(`digest: ${err.message}`));
    return run;
  };

  const runSlot = async (slot: Slot, why: 'due' | 'start' | 'retry'): Promise<DeliveryResult | null> => {
    const age = now().toMillis() - slot.at.toMillis();
    await deps.store.sync(); // another replica may have posted it already
    const key = findKey(deps.store.snapshot(), channel, slot.week);
    if (key?.status === 'sent') {
      if (why !== 'start') log.info(`digest ${slot.week} to ${channel}: already posted (ts ${key.ts ?? 'unknown'})`);
      return null;
    }
    if (age > CATCH_UP_WINDOW_MS) {
      const snapshot = deps.store.snapshot();
      // A bot that has never posted a digest to this channel missed nothing: it starts now.
      const neverPosted =
        snapshot.digest.lastSentAt === null && !snapshot.digest.keys.some((k) => k.channel === channel);
      if (neverPosted) log.info(`digest to ${channel}: no digest posted yet; the first one goes out at the next slot`);
      else
        log.warn(
          `digest ${slot.week} to ${channel}: due ${slotLabel(slot.at)}, missed by more than 24 h; ` +
            'skipped, not posted late',
        );
      return null;
    }
    const lateFor = age > LATE_AFTER_MS ? slot.at : undefined;
    if (why === 'start' && lateFor)
      log.info(
        `digest ${slot.week} to ${channel}: due ${slotLabel(slot.at)} while the bot was not running; ` +
          'posting it now, marked late',
      );
    const result = await deps.deliver({ channel, week: slot.week, lateFor });
    if (result.outcome === 'in-flight') retryAt(slot, result.retryAt);
    return result;
  };

  /** Someone else holds a fresh pending key: look again when its lease ends, within the catch-up window. */
  const retryAt = (slot: Slot, at: Date) => {
    if (stopped || at.getTime() - slot.at.toMillis() > CATCH_UP_WINDOW_MS) return;
    const handle = deps.timers.setTimeout(
      () => {
        retryTimers.delete(handle);
        void enqueue(() => runSlot(slot, 'retry'));
      },
      Math.max(0, at.getTime() - deps.now().getTime()) + 1_000,
    );
    retryTimers.add(handle);
  };

  let upcoming = nextSlotAfter(now(), schedule, zone);
  const arm = () => {
    if (stopped) return;
    const wait = Math.min(MAX_SLEEP_MS, Math.max(0, upcoming.at.toMillis() - now().toMillis()));
    timer = deps.timers.setTimeout(tick, wait);
  };
  const tick = () => {
    timer = null;
    if (stopped) return;
    const current = now();
    if (current < upcoming.at) return arm();
    const due = upcoming;
    // From the later of now and the slot: after a long sleep, slots in between are not replayed.
    upcoming = nextSlotAfter(current > due.at ? current : due.at, schedule, zone);
    void enqueue(() => runSlot(due, 'due')).finally(() =>
      log.info(`digest: next run ${slotLabel(upcoming.at)} (week ${upcoming.week})`),
    );
    arm();
  };

  // The most recent slot may have been missed while the bot was down.
  void enqueue(() => runSlot(latestSlotAtOrBefore(now(), schedule, zone), 'start'));
  log.info(
    `digest: ${schedule.text} ${zone} to ${channel}; next run ${slotLabel(upcoming.at)} (week ${upcoming.week})`,
  );
  arm();

  return {
    next: () => upcoming,
    idle: async () => {
      let seen: Promise<unknown>;
      do {
        seen = chain;
        await seen;
      } while (seen !== chain);
    },
    async stop() {
      stopped = true;
      if (timer !== null) deps.timers.clearTimeout(timer);
      for (const t of retryTimers) deps.timers.clearTimeout(t);
      retryTimers.clear();
      await chain;
    },
  };
}
