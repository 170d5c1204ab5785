// Follower DMs, driven by the change log rather than by the code that changed the store: an
// analyst's update in Slack, `measures update` or an import from the CLI (another process,
// seen through the store's watcher) all end as change-log entries, and all count.
//
// Every poll compares the snapshot's log with the last one seen (cheap: no I/O). New entries
// are claimed in one store mutate that moves followerNotices.seenThrough past them, under the
// store's cross-process lock, so each change set is sent by exactly one process. Claimed sets
// are then described, narrowed per follower, and sent one DM per set per follower; a set on a
// measure whose DM went out less than ten minutes ago edits that DM instead.
import type { MeasuresStore, Store, FollowerDm } from '../../store/index.ts';
import { entriesForMessage } from '../../store/index.ts';
import { followedMeasureIds } from '../../measures/follows.ts';
import {
  changeSetsAfter,
  describeChangeSet,
  measuresOf,
  viewFor,
  type ChangeSet,
  type ChangeSetView,
} from '../../digest/follower-changes.ts';
import type { webApi } from '@slack/bolt';
import { slackErrorReason } from '../slack-errors.ts';
import { createDmSender, type DmLog, type DmSender } from './dm-sender.ts';
import { followerDm, type DmSet } from './dm-blocks.ts';

export const POLL_MS = 1000;
/** A later change set on the same measure within this long edits the DM instead of sending another. */
export const EDIT_WINDOW_MS = 10 * 60_000;
/** DM rows are kept this long (the edit window needs minutes; the rest is for looking into). */
export const KEEP_DMS_MS = 30 * 24 * 3_600_000;
const YIELD_EVERY = 50;

export interface FollowerNoticeOptions {
  store: MeasuresStore;
  /** The background client (clients.ts), never the answers'. */
  client: webApi.WebClient;
  log: DmLog;
  now: () => Date;
  zone: string;
  pollMs?: number;
  concurrency?: number;
  /** After each change set's DMs are all queued (bench, logs): how many and how long after the poll saw it. */
  onQueued?: (event: { messageId: string; dms: number; queuedMs: number }) => void;
}

export interface FollowerNotices {
  start(): Promise<void>;
  /** Resolves once the change sets seen so far are sent (tests, shutdown). */
  idle(): Promise<void>;
  stop(): Promise<void>;
  /** Looks at the store now instead of at the next poll. */
  poke(): void;
}

function logPosition(store: Store): string {
  return `${store.changeLog.length}:${store.changeLog.at(-1)?.id ?? ''}`;
}

export function createFollowerNotices(options: FollowerNoticeOptions): FollowerNotices {
  const { store, log, now, zone } = options;
  const sender: DmSender = createDmSender(options.client, log, options.concurrency);
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;
  let seen = '';
  let chain: Promise<void> = Promise.resolve();

  /** Claims every unclaimed change set: exactly one process gets each. */
  const claim = () =>
    store.mutate((draft): ChangeSet[] => {
      const state = (draft.followerNotices ??= { seenThrough: draft.changeLog.at(-1)?.id ?? null, dms: [] });
      const sets = changeSetsAfter(draft, state.seenThrough);
      if (sets.length === 0) return [];
      state.seenThrough = draft.changeLog.at(-1)!.id;
      const oldest = now().getTime() - KEEP_DMS_MS;
      state.dms = state.dms.filter((d) => Date.parse(d.sentAt) >= oldest);
      return sets;
    });

  async function permalink(view: ChangeSetView, set: ChangeSet): Promise<string | null> {
    const source = set.entries.at(-1)!.source;
    const thread =
      source.channel && source.ts
        ? { channel: source.channel, ts: source.ts }
        : (view.changes.find((c) => c.thread)?.thread ?? null);
    if (!thread || source.kind === 'cli' || source.kind === 'import') return null;
    try {
      const res = await options.client.chat.getPermalink({ channel: thread.channel, message_ts: thread.ts });
      return res.permalink ?? null;
    } catch (err) {
      log.warn(`follower DMs: no link to ${thread.channel}/${thread.ts} (${slackErrorReason(err)})`);
      return null;
    }
  }

  /** The DM this user got less than ten minutes ago about one of `measures`, if any. */
  function recentDm(snapshot: Store, user: string, measures: string[]): FollowerDm | undefined {
    const since = now().getTime() - EDIT_WINDOW_MS;
    return (snapshot.followerNotices?.dms ?? [])
      .filter((d) => d.user === user && Date.parse(d.sentAt) >= since && d.measures.some((m) => measures.includes(m)))
      .at(-1);
  }

  /** The earlier sets an edited DM keeps showing, described again from the log as it is now. */
  function earlierSets(
    snapshot: Store,
    dm: FollowerDm,
    followed: string[],
    links: Map<string, string | null>,
  ): DmSet[] {
    const out: DmSet[] = [];
    for (const messageId of dm.messageIds) {
      const entries = entriesForMessage(snapshot, messageId);
      if (entries.length === 0) continue;
      const view = viewFor(snapshot, describeChangeSet(snapshot, { messageId, entries }, zone), followed);
      if (view) out.push({ view, link: links.get(messageId) ?? null });
    }
    return out;
  }

  const links = new Map<string, string | null>();

  /**
   * Fills in the links of earlier sets that DMs about to be edited show. The memory starts
   * empty after a restart, and an edited DM must not lose the links it had.
   */
  async function linksFor(snapshot: Store, messageIds: Iterable<string>): Promise<void> {
    for (const messageId of messageIds) {
      if (links.has(messageId)) continue;
      const entries = entriesForMessage(snapshot, messageId);
      if (entries.length === 0) continue;
      const earlier = { messageId, entries };
      links.set(messageId, await permalink(describeChangeSet(snapshot, earlier, zone), earlier));
    }
  }

  async function notify(set: ChangeSet, sawAt: number): Promise<void> {
    const snapshot = store.snapshot();
    const whole = describeChangeSet(snapshot, set, zone);
    if (whole.changes.length === 0) return;
    const users = [...new Set(snapshot.follows.map((f) => f.user))].filter((u) => u !== whole.author).sort();
    const targets: Array<{
      user: string;
      followed: string[];
      view: ChangeSetView;
      measures: string[];
      earlier: FollowerDm | undefined;
    }> = [];
    for (const [i, user] of users.entries()) {
      // Hundreds of followers: let acks in between, so nobody's answer waits for this loop.
      if (i > 0 && i % YIELD_EVERY === 0) await new Promise((resolve) => setImmediate(resolve));
      const followed = followedMeasureIds(snapshot, user);
      const view = viewFor(snapshot, whole, followed);
      if (!view) continue;
      const measures = measuresOf(view);
      targets.push({ user, followed, view, measures, earlier: recentDm(snapshot, user, measures) });
    }
    if (targets.length === 0) return;
    const link = await permalink(whole, set);
    links.set(set.messageId, link);
    await linksFor(snapshot, new Set(targets.flatMap((t) => t.earlier?.messageIds ?? [])));
    while (links.size > 1000) links.delete(links.keys().next().value!);

    const sentAt = now().toISOString();
    const rows: FollowerDm[] = [];
    const edits: Array<{ dm: FollowerDm; messageId: string; measures: string[] }> = [];
    const jobs: Array<Promise<void>> = [];
    for (const [i, { user, followed, view, measures, earlier }] of targets.entries()) {
      if (i > 0 && i % YIELD_EVERY === 0) await new Promise((resolve) => setImmediate(resolve));
      const sets = earlier ? [...earlierSets(snapshot, earlier, followed, links), { view, link }] : [{ view, link }];
      const message = followerDm(sets, zone);
      jobs.push(
        sender.send(user, message, earlier).then((result) => {
          if (!result.ok) return;
          if (earlier && result.edited) edits.push({ dm: earlier, messageId: set.messageId, measures });
          else
            rows.push({
              user,
              channel: result.channel,
              ts: result.ts,
              // A new DM in place of one that is gone repeats the earlier sets too.
              messageIds: [...(earlier?.messageIds ?? []), set.messageId],
              measures: [...new Set([...(earlier?.measures ?? []), ...measures])],
              sentAt,
            });
        }),
      );
    }
    options.onQueued?.({ messageId: set.messageId, dms: jobs.length, queuedMs: performance.now() - sawAt });
    log.info(
      `follower DMs: ${jobs.length} queued for change set ${set.messageId} by ${whole.author} ` +
        `in ${Math.round(performance.now() - sawAt)} ms`,
    );
    await Promise.all(jobs);
    if (rows.length === 0 && edits.length === 0) return;
    await store.mutate((draft) => {
      const state = (draft.followerNotices ??= { seenThrough: null, dms: [] });
      state.dms.push(...rows);
      for (const e of edits) {
        const row = state.dms.find((d) => d.channel === e.dm.channel && d.ts === e.dm.ts);
        if (!row) continue;
        row.messageIds.push(e.messageId);
        row.measures = [...new Set([...row.measures, ...e.measures])];
      }
    });
  }

  async function check(): Promise<void> {
    const snapshot = store.snapshot();
    const position = logPosition(snapshot);
    if (position === seen || stopped) return;
    const sawAt = performance.now();
    if (
      changeSetsAfter(snapshot, snapshot.followerNotices?.seenThrough ?? null).length === 0 &&
      snapshot.followerNotices
    ) {
      seen = position;
      return;
    }
    // Seen before claiming: a store refusing writes is tried again at the next change, not every poll.
    seen = position;
    const sets = await claim();
    for (const set of sets) {
      try {
        await notify(set, sawAt);
      } catch (err) {
        log.error(`follower DMs for change set ${set.messageId} failed: ${(err as Error).message}`);
      }
    }
  }

  const run = () => {
    chain = chain.then(check).catch((err: Error) => log.error(`follower DMs: ${err.message}`));
    return chain;
  };

  return {
    async start() {
      // The first start with follower DMs reads from the newest entry: older changes are not news.
      // A store that refuses writes (see store.problem()) must not stop the bot: the first poll
      // after it is fixed starts the cursor instead.
      if (!store.snapshot().followerNotices)
        await store
          .mutate((draft) => {
            draft.followerNotices ??= { seenThrough: draft.changeLog.at(-1)?.id ?? null, dms: [] };
          })
          .catch((err: Error) => log.warn(`follower DMs: cannot start reading the change log yet: ${err.message}`));
      // Sets logged while no bot was running (a CLI update, an import) are sent now.
      void run();
      timer = setInterval(() => {
        if (!stopped) void run();
      }, options.pollMs ?? POLL_MS);
      timer.unref();
    },
    idle: async () => {
      let current: Promise<void>;
      do {
        current = chain;
        await current;
      } while (current !== chain);
    },
    poke: () => void run(),
    async stop() {
      stopped = true;
      if (timer) clearInterval(timer);
      await chain;
    },
  };
}
