// The personal digest: on the weekly digest's schedule, each follower gets one DM with the
// week's changes to what they follow, exactly once per person per week, as the channel digest
// is once per channel:
//
// 1. Under the store lock, every follower's key for the week is claimed in one mutate: a new
//    key is written pending; a sent key, or a pending key younger than the lease (another
//    process is sending it), is left alone; an older pending key (a crash) is re-checked.
// 2. A re-checked key is looked for in the DM first (conversations.history with its message
//    metadata, which needs im:history): found means sent. Otherwise the DM is posted, with the
//    metadata, and the key marked sent.
//
// Posting is never retried blindly (a timed-out post may have been delivered): a failure
// leaves the key pending, and the next run after the lease looks in the DM before posting.
import type { webApi } from '@slack/bolt';
import { DateTime } from 'luxon';
import { buildDigest, type Digest } from '../../digest/build.ts';
import { LEASE_MS } from '../../digest/keys.ts';
import { DEFAULT_WINDOW_DAYS } from '../../digest/window.ts';
import type { DeliveryRequest, DeliveryResult, DigestLog } from '../../digest/scheduler.ts';
import { followedMeasureIds } from '../../measures/follows.ts';
import type { MeasuresStore, PersonalDigestKey, Store } from '../../store/index.ts';
import { digestMessages } from '../digest/blocks.ts';
import { platformError, slackErrorReason } from '../slack-errors.ts';
import { context, type SlackMessage } from '../views/block-kit.ts';

/** Set on every personal digest DM: a key left pending by a crash is resolved by finding it. */
export const PERSONAL_DIGEST_EVENT_TYPE = 'measures_personal_digest';
/**
 * The scheduler's "channel" for the personal digests (never a real channel ID): its key in
 * digest.keys says the week's run finished, so a restart later in the week neither runs it
 * again nor warns that it was missed. Each person's own key is in personalDigests.
 */
export const PERSONAL_DIGEST_SLOT = 'followers';

export interface PersonalDigestDeps {
  store: MeasuresStore;
  /** The digest's client: no automatic retries, and rate limits handed back (runtime.ts). */
  client: webApi.WebClient;
  log: DigestLog;
  zone: string;
  now: () => Date;
  sleep: (ms: number) => Promise<void>;
}

export interface PersonalDigestRun {
  sent: string[];
  alreadySent: string[];
  /** Nothing they follow changed this week: nothing sent, key marked sent. */
  quiet: string[];
  failed: string[];
}

type Todo = { user: string; key: PersonalDigestKey; recheck: boolean };

/** Everyone who follows at least one measure and has not turned the weekly DM off. */
export function digestReaders(store: Store): string[] {
  const users = [...new Set(store.follows.map((f) => f.user))].sort();
  return users.filter((u) => !store.personalDigests.off.includes(u) && followedMeasureIds(store, u).length > 0);
}

function claimAll(draft: Store, week: string, now: Date): Todo[] {
  const todo: Todo[] = [];
  for (const user of digestReaders(draft)) {
    const key = draft.personalDigests.keys.find((k) => k.user === user && k.week === week);
    if (!key) {
      const fresh: PersonalDigestKey = { user, week, status: 'pending', createdAt: now.toISOString() };
      draft.personalDigests.keys.push(fresh);
      todo.push({ user, key: { ...fresh }, recheck: false });
    } else if (key.status === 'pending' && Date.parse(key.createdAt) + LEASE_MS <= now.getTime()) {
      key.createdAt = now.toISOString(); // taken over: the lease is ours now
      todo.push({ user, key: { ...key }, recheck: true });
    }
  }
  // Keys of weeks long past only fill the store.
  const oldest = now.getTime() - 60 * 24 * 3_600_000;
  draft.personalDigests.keys = draft.personalDigests.keys.filter((k) => Date.parse(k.createdAt) >= oldest);
  return todo;
}

function markSent(draft: Store, user: string, week: string, sent: { channel?: string; ts?: string; at: Date }) {
  const key = draft.personalDigests.keys.find((k) => k.user === user && k.week === week);
  if (!key) return;
  key.status = 'sent';
  key.sentAt = sent.at.toISOString();
  if (sent.channel) key.channel = sent.channel;
  if (sent.ts) key.ts = sent.ts;
}

/** The week's digest narrowed to what `user` follows (their priorities' actions included). */
export function personalDigest(store: Store, user: string, digest: Digest): Digest {
  const followed = new Set(followedMeasureIds(store, user));
  const priorities = new Set(
    store.priorities.filter((p) => p.measures.some((m) => followed.has(m.id))).map((p) => p.id),
  );
  const titles = store.priorities
    .flatMap((p) => p.measures)
    .filter((m) => followed.has(m.id))
    .map((m) => m.title);
  const changes = digest.changes.filter((c) =>
    c.measureId ? followed.has(c.measureId) : priorities.has(c.priorityId),
  );
  const stale = digest.stale.filter((s) => followed.has(s.measureId));
  return {
    ...digest,
    headline: digest.headline.filter((line) => titles.some((t) => line.startsWith(`${t}:`))),
    changes,
    stale,
    allStale: false,
    quiet: changes.length === 0,
    changedMeasureIds: digest.changedMeasureIds.filter((id) => followed.has(id)),
  };
}

function message(d: Digest): SlackMessage {
  const { main } = digestMessages(d, { preview: true });
  return {
    text: `Your weekly measures digest: ${main.text}`.slice(0, 3000),
    blocks: [
      ...main.blocks.slice(0, 48),
      context(
        'Only what you follow. `/measures digest off` stops this weekly DM; ' +
          '`/measures following` lists what you follow.',
      ),
    ],
  };
}

async function openDm(client: webApi.WebClient, user: string): Promise<string> {
  const res = await client.conversations.open({ users: user, return_im: false });
  const id = (res.channel as { id?: string } | undefined)?.id;
  if (!id) throw new Error('conversations.open returned no channel');
  return id;
}

/** The ts of this week's personal digest in the DM, or null. Throws when Slack cannot be asked. */
async function findPosted(
  client: webApi.WebClient,
  channel: string,
  week: string,
  oldest: Date,
): Promise<string | null> {
  const res = await client.conversations.history({
    channel,
    oldest: (Math.floor(oldest.getTime() / 1000) - 8 * 24 * 3600).toString(),
    include_all_metadata: true,
    limit: 200,
  });
  for (const m of res.messages ?? []) {
    const meta = m.metadata as { event_type?: string; event_payload?: { week?: unknown } } | undefined;
    if (meta?.event_type === PERSONAL_DIGEST_EVENT_TYPE && meta.event_payload?.week === week && m.ts) return m.ts;
  }
  return null;
}

const RATE_LIMIT_TRIES = 5;

/** One week's personal digests, each exactly once. */
export async function deliverPersonalDigests(deps: PersonalDigestDeps, week: string): Promise<PersonalDigestRun> {
  const run: PersonalDigestRun = { sent: [], alreadySent: [], quiet: [], failed: [] };
  const now = deps.now();
  // Nobody follows anything: no write at all (most weeks of a bot nobody follows with).
  if (digestReaders(deps.store.snapshot()).length === 0) return run;
  const todo = await deps.store.mutate((draft) => claimAll(draft, week, now));
  if (todo.length === 0) return run;
  const store = deps.store.snapshot();
  const until = now;
  const since = DateTime.fromJSDate(until).minus({ days: DEFAULT_WINDOW_DAYS }).toJSDate();
  const whole = buildDigest(store, { since, until, zone: deps.zone });

  for (const { user, key, recheck } of todo) {
    const label = `personal digest ${week} to ${user}`;
    const mine = personalDigest(store, user, whole);
    try {
      if (mine.quiet && !recheck) {
        await deps.store.mutate((draft) => markSent(draft, user, week, { at: deps.now() }));
        run.quiet.push(user);
        continue;
      }
      const channel = await openDm(deps.client, user);
      if (recheck) {
        const found = await findPosted(deps.client, channel, week, new Date(key.createdAt));
        if (found) {
          await deps.store.mutate((draft) => markSent(draft, user, week, { channel, ts: found, at: deps.now() }));
          deps.log.info(`${label}: left pending by a crash, found sent at ts ${found}; not sent again`);
          run.alreadySent.push(user);
          continue;
        }
        if (mine.quiet) {
          await deps.store.mutate((draft) => markSent(draft, user, week, { at: deps.now() }));
          run.quiet.push(user);
          continue;
        }
      }
      const body = message(mine);
      let ts: string | undefined;
      for (let attempt = 1; !ts; attempt++) {
        try {
          const res = await deps.client.chat.postMessage({
            channel,
            text: body.text,
            blocks: body.blocks,
            metadata: { event_type: PERSONAL_DIGEST_EVENT_TYPE, event_payload: { week, user } },
            unfurl_links: false,
            unfurl_media: false,
          });
          ts = res.ts;
          if (!ts) throw new Error('chat.postMessage returned no ts');
        } catch (err) {
          // A 429 is Slack's definite "not posted": wait as asked and try again. Anything else
          // may have posted, so the key stays pending and the next run looks first.
          const retryAfter = (err as { code?: string; retryAfter?: number }).code === 'slack_webapi_rate_limited_error';
          if (!retryAfter || attempt >= RATE_LIMIT_TRIES) throw err;
          await deps.sleep(((err as { retryAfter?: number }).retryAfter ?? 1) * 1000);
        }
      }
      const sentTs = ts;
      await deps.store.mutate((draft) => markSent(draft, user, week, { channel, ts: sentTs, at: deps.now() }));
      run.sent.push(user);
    } catch (err) {
      const code = platformError(err);
      deps.log[code ? 'warn' : 'error'](`${label}: not sent (${slackErrorReason(err)})`);
      run.failed.push(user);
    }
  }
  deps.log.info(
    `personal digests ${week}: ${run.sent.length} sent, ${run.quiet.length} quiet, ` +
      `${run.alreadySent.length} found already sent, ${run.failed.length} failed`,
  );
  return run;
}

/** The scheduler's deliver for the personal digests (one "slot" for all followers). */
export function personalDigestDeliver(deps: PersonalDigestDeps) {
  return async (request: DeliveryRequest): Promise<DeliveryResult> => {
    const run = await deliverPersonalDigests(deps, request.week);
    // With a failure left pending, the run stays open: a restart that week looks again.
    if (run.failed.length === 0)
      await deps.store.mutate((draft) => {
        if (draft.digest.keys.some((k) => k.channel === request.channel && k.week === request.week)) return;
        const at = deps.now().toISOString();
        draft.digest.keys.push({
          channel: request.channel,
          week: request.week,
          status: 'sent',
          createdAt: at,
          sentAt: at,
        });
      });
    // Per-user keys decide what was sent; the scheduler only needs to know the run is done.
    return { outcome: 'already-sent', channel: request.channel, week: request.week, ts: null };
  };
}

/** `/measures digest off|on` for one person. Returns whether it changed. */
export function setPersonalDigest(draft: Store, user: string, on: boolean): boolean {
  const off = draft.personalDigests.off.includes(user);
  if (on === !off) return false;
  draft.personalDigests.off = on
    ? draft.personalDigests.off.filter((u) => u !== user)
    : [...draft.personalDigests.off, user];
  return true;
}
