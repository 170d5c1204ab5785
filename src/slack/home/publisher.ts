// Publishes Home tabs (views.publish) through one paced queue on the background client.
//
// Why paced: views.publish is Tier 4, about 100 calls a minute per workspace. After a change,
// everyone who opened the tab in the last seven days gets it republished, most recent viewers
// first, one call every `intervalMs` (600 ms: 100 a minute); a user who opens the tab now goes
// to the front. A 429 puts that user back at the front and holds the whole queue for its
// Retry-After. Any other refusal (a deactivated user, say) is logged once and dropped: never
// retried forever.
//
// Why a watcher: the store changes through the bot's own writes, other processes (the CLI, an
// import, another replica) and reloads. Comparing snapshots catches them all. Only a change to
// what the tab shows republishes: the priorities (for everyone), or a viewer's follows (for them).
// Every replica sees every change, so each one first claims the change in the store
// (homeRepublished, under the store's lock): the first to claim it republishes, the others don't.
import { createHash } from 'node:crypto';
import type { Logger, webApi } from '@slack/bolt';
import { DateTime } from 'luxon';
import { followedMeasureIds } from '../../measures/follows.ts';
import { cachedScorecard } from '../../measures/scorecard.ts';
import type { MeasuresStore, Store } from '../../store/index.ts';
import { slackErrorReason } from '../slack-errors.ts';
import { homeView } from '../views/home-blocks.ts';
import { recentViewers } from './viewers.ts';

/** views.publish's Tier 4: about 100 a minute. */
export const PUBLISH_INTERVAL_MS = 600;
/** How often the store's snapshot is compared with the last one seen. */
export const WATCH_EVERY_MS = 1000;

export interface HomePublisherOptions {
  client: webApi.WebClient;
  store: MeasuresStore;
  now: () => Date;
  log: Logger;
  intervalMs?: number;
  watchEveryMs?: number;
}

export interface HomePublisher {
  /** The user opened the tab: publish theirs next. */
  opened(user: string): void;
  /** Republish for these users, in this order, after those already queued. */
  enqueue(users: string[]): void;
  /** Compares the store's snapshot with the last one seen and queues who needs a new tab. */
  checkForChanges(): void;
  /** Users waiting for a publish, in order. */
  readonly queued: readonly string[];
  /** Stops the watcher and the queue; a publish in flight finishes. */
  stop(): Promise<void>;
}

/** What the Home tab shows for everyone: the priorities and their measures. */
function contentKey(store: Store): string {
  return JSON.stringify(store.priorities);
}

export function homeViewFor(store: Store, user: string, now: Date): ReturnType<typeof homeView> {
  return homeView({
    card: cachedScorecard(store, DateTime.fromJSDate(now).toUTC()),
    followed: followedMeasureIds(store, user),
    forceName: store.force.name,
    reportPeriod: store.report.period,
  });
}

/** Names what every Home tab shows: the priorities (their contentKey) and everyone's follows. */
function shownKey(content: string, store: Store): string {
  return createHash('sha256').update(content).update('\0').update(JSON.stringify(store.follows)).digest('base64url');
}

function retryAfterMs(err: unknown): number | null {
  const e = err as { code?: string; retryAfter?: number };
  return e?.code === 'slack_webapi_rate_limited_error' && typeof e.retryAfter === 'number' ? e.retryAfter * 1000 : null;
}

export function createHomePublisher(options: HomePublisherOptions): HomePublisher {
  const { client, store, now, log } = options;
  const intervalMs = options.intervalMs ?? PUBLISH_INTERVAL_MS;
  const queue: string[] = [];
  let nextAt = 0;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  let stopped = false;
  let seen = store.snapshot();
  let seenKey = contentKey(seen);

  const schedule = () => {
    if (stopped || timer || running || queue.length === 0) return;
    timer = setTimeout(
      () => {
        timer = null;
        running = publishNext().finally(() => {
          running = null;
          schedule();
        });
      },
      Math.max(0, nextAt - performance.now()),
    );
  };

  async function publishNext(): Promise<void> {
    const user = queue.shift();
    if (!user) return;
    nextAt = performance.now() + intervalMs;
    try {
      await client.views.publish({ user_id: user, view: homeViewFor(store.snapshot(), user, now()) });
    } catch (err) {
      const wait = retryAfterMs(err);
      if (wait !== null) {
        log.warn(`views.publish rate limited; waiting ${wait / 1000} s before the next Home tab`);
        if (!queue.includes(user)) queue.unshift(user);
        nextAt = performance.now() + wait;
        return;
      }
      log.warn(`could not publish the Home tab of ${user} (${slackErrorReason(err)}); skipped`);
    }
  }

  /** True when this process is the one to republish for the change that produced `current` (`content`: contentKey). */
  async function claimRepublishing(current: Store, content: string, at: Date): Promise<boolean> {
    const key = shownKey(content, current);
    try {
      return await store.mutate((draft) => {
        if (draft.homeRepublished?.key === key) return false;
        draft.homeRepublished = { key, at: at.toISOString() };
        return true;
      });
    } catch (err) {
      // A store that refuses writes must not leave tabs stale: republish, at worst twice.
      log.warn(`could not claim the Home tab republishing (${(err as Error).message}); republishing anyway`);
      return true;
    }
  }

  const watch = setInterval(() => publisher.checkForChanges(), options.watchEveryMs ?? WATCH_EVERY_MS);
  watch.unref();

  const publisher: HomePublisher = {
    get queued() {
      return queue;
    },
    opened(user) {
      const i = queue.indexOf(user);
      if (i >= 0) queue.splice(i, 1);
      queue.unshift(user);
      schedule();
    },
    enqueue(users) {
      for (const u of users) if (!queue.includes(u)) queue.push(u);
      schedule();
    },
    checkForChanges() {
      const current = store.snapshot();
      if (current === seen) return;
      const before = seen;
      const key = contentKey(current);
      const contentChanged = key !== seenKey;
      seen = current;
      seenKey = key;
      const viewers = recentViewers(current, now());
      const changed = contentChanged
        ? viewers
        : viewers.filter((u) => followedMeasureIds(before, u).join() !== followedMeasureIds(current, u).join());
      if (changed.length === 0) return;
      void claimRepublishing(current, key, now()).then((mine) => {
        if (!mine) return;
        log.info(`store changed: republishing the Home tab for ${changed.length} recent viewer(s)`);
        publisher.enqueue(changed);
      });
    },
    async stop() {
      stopped = true;
      clearInterval(watch);
      if (timer) clearTimeout(timer);
      timer = null;
      await running;
    },
  };
  return publisher;
}
