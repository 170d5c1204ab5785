// Posting one week's digest to one channel, exactly once.
//
// 1. Under the store lock: create the pending key (channel, week), or find it.
//    - sent: nothing to do.
//    - pending and young (a lease): someone is posting right now; look in the channel, and
//      otherwise leave it to them (the scheduler looks again when the lease ends).
//    - pending and old: a crash left it. Look for the digest in the channel by its message
//      metadata; mark it sent if it is there, otherwise take the key over and post.
// 2. Post the channel message with metadata, retried with backoff. Before a retry after an
//    ambiguous failure (timeout, HTTP error) the channel is searched again, since the failed
//    attempt may have posted.
// 3. Under the store lock: mark the key sent (ts, lastSentAt) and bind the thread. Only then
//    the extras: the chart and, for a long digest, the details in the thread, paced.
import type { webApi } from '@slack/bolt';
import type { RenderedChart } from '../../charts/render.ts';
import { buildDigest, type Digest } from '../../digest/build.ts';
import type { DigestChartRenderer } from '../../digest/chart.ts';
import { claimKey, markSent, releaseKey, takeOverKey, type Claim } from '../../digest/keys.ts';
import type { DeliveryRequest, DeliveryResult, DigestLog } from '../../digest/scheduler.ts';
import type { DigestKey, MeasuresStore } from '../../store/index.ts';
import { platformError, slackErrorReason } from '../slack-errors.ts';
import { imageBlock, type SlackMessage } from '../views/block-kit.ts';
import type { BotMetrics } from '../metrics.ts';
import { digestMessages, withChart } from './blocks.ts';
import { digestMetadata, findPostedDigest, resolveLinks } from './slack-io.ts';

type WebClient = webApi.WebClient;

export interface DeliveryDeps {
  store: MeasuresStore;
  /** A client without automatic retries and with rejectRateLimitedCalls: this file decides what is safe to retry. */
  client: WebClient;
  log: DigestLog;
  zone: string;
  now: () => Date;
  sleep: (ms: number) => Promise<void>;
  /** null: post without a chart. */
  renderChart: DigestChartRenderer | null;
  /** Waits between post attempts; the number of entries is the number of retries. */
  retryDelaysMs?: number[];
  /** chat.postMessage allows about one message per second per channel. */
  paceMs?: number;
  /** Counts digests posted (served at /metrics). */
  metrics?: Pick<BotMetrics, 'digestsPosted'>;
}

export const RETRY_DELAYS_MS = [2_000, 5_000, 15_000, 30_000];
export const PACE_MS = 1_100;

/** Slack refused for a reason a retry cannot fix. */
const PERMANENT = new Set([
  'not_in_channel',
  'channel_not_found',
  'is_archived',
  'invalid_auth',
  'not_authed',
  'account_inactive',
  'token_revoked',
  'missing_scope',
  'invalid_blocks',
  'invalid_metadata_format',
  'invalid_metadata_schema',
  'msg_too_long',
  'msg_blocks_too_long',
  'restricted_action',
  'no_permission',
  'invalid_arguments',
  'too_many_attachments',
]);

type Failure = { kind: 'permanent' | 'not-posted' | 'ambiguous'; reason: string; waitMs?: number };

function classifyFailure(err: unknown): Failure {
  const reason = slackErrorReason(err);
  const e = err as { code?: string; retryAfter?: number };
  if (e?.code === 'slack_webapi_rate_limited_error')
    return { kind: 'not-posted', reason, waitMs: (e.retryAfter ?? 1) * 1000 };
  const code = platformError(err);
  // ok:false is Slack's definite answer: nothing was posted.
  if (code) return { kind: PERMANENT.has(code) ? 'permanent' : 'not-posted', reason };
  return { kind: 'ambiguous', reason };
}

export async function deliverDigest(deps: DeliveryDeps, request: DeliveryRequest): Promise<DeliveryResult> {
  const { channel, week } = request;
  const label = `digest ${week} to ${channel}`;
  const base = { channel, week };

  let claim: Claim = await deps.store.mutate((draft) => claimKey(draft, channel, week, deps.now()));
  if (claim.state === 'sent') return { outcome: 'already-sent', ...base, ts: claim.key.ts ?? null };

  if (claim.state === 'in-flight' || claim.state === 'stale-pending') {
    const seen = claim.key;
    let found: string | null;
    try {
      found = await findPostedDigest(deps.client, channel, week, new Date(seen.createdAt));
    } catch (err) {
      deps.log.error(
        `${label}: a pending key from ${seen.createdAt} could not be checked in the channel ` +
          `(${slackErrorReason(err)}); not posting`,
      );
      return { outcome: 'failed', ...base, reason: `could not check the channel: ${slackErrorReason(err)}` };
    }
    if (found) {
      await deps.store.mutate((draft) => markSent(draft, channel, week, { ts: found, at: deps.now() }));
      deps.log.info(
        `${label}: pending since ${seen.createdAt}, found posted at ts ${found}; marked sent, not posted again`,
      );
      return { outcome: 'already-sent', ...base, ts: found };
    }
    if (claim.state === 'in-flight') {
      deps.log.info(
        `${label}: being posted (pending since ${seen.createdAt}); will look again at ${claim.leaseEnds.toISOString()}`,
      );
      return { outcome: 'in-flight', ...base, retryAt: claim.leaseEnds };
    }
    claim = await deps.store.mutate((draft) => takeOverKey(draft, seen, deps.now()));
    if (claim.state === 'sent') return { outcome: 'already-sent', ...base, ts: claim.key.ts ?? null };
    if (claim.state !== 'claimed') {
      return { outcome: 'in-flight', ...base, retryAt: claim.state === 'in-flight' ? claim.leaseEnds : deps.now() };
    }
    deps.log.warn(
      `${label}: a pending key from ${seen.createdAt} was left by a crash and the digest is not in the channel; ` +
        'posting it now',
    );
  }
  return postClaimed(deps, request, claim.key);
}

async function postClaimed(deps: DeliveryDeps, request: DeliveryRequest, key: DigestKey): Promise<DeliveryResult> {
  const { channel, week } = request;
  const label = `digest ${week} to ${channel}`;
  const window = { since: key.since!, until: key.until! };
  let digest: Digest;
  let messages: ReturnType<typeof digestMessages>;
  try {
    digest = buildDigest(deps.store.snapshot(), {
      since: new Date(window.since),
      until: new Date(window.until),
      zone: deps.zone,
    });
    digest = await resolveLinks(deps.client, digest, (m) => deps.log.warn(m));
    messages = digestMessages(digest, { lateFor: request.lateFor });
  } catch (err) {
    // Nothing was posted: free the key so a fixed bot (or /measures digest now) can post.
    await deps.store.mutate((draft) => releaseKey(draft, key)).catch(() => undefined);
    deps.log.error(`${label}: the digest could not be built (${(err as Error).stack ?? err}); not posted`);
    return { outcome: 'failed', channel, week, reason: `the digest could not be built: ${(err as Error).message}` };
  }
  const metadata = digestMetadata(channel, week, window, Boolean(request.lateFor));

  const posted = await postWithRetries(deps, label, key, async () => {
    const res = await deps.client.chat.postMessage({
      channel,
      text: messages.main.text,
      blocks: messages.main.blocks,
      metadata,
      unfurl_links: false,
      unfurl_media: false,
    });
    if (!res.ts) throw new Error('chat.postMessage returned no ts');
    return res.ts;
  });
  if (!posted.ok) return { outcome: 'failed', channel, week, reason: posted.reason };
  const ts = posted.ts;
  const postedAt = deps.now();

  try {
    await deps.store.mutate((draft) => markSent(draft, channel, week, { ts, at: postedAt, until: window.until }));
  } catch (err) {
    // The key stays pending; whoever looks next finds this message by its metadata.
    deps.log.error(
      `${label}: posted at ts ${ts} but could not be recorded as sent (${(err as Error).message}); ` +
        'it will be found in the channel, not posted again',
    );
  }
  if (posted.found) {
    deps.log.info(`${label}: found already posted at ts ${ts} after a failed attempt; marked sent`);
    return { outcome: 'already-sent', channel, week, ts };
  }
  deps.log.info(`${label}: posted at ts ${ts}${request.lateFor ? ' (late)' : ''}, ${digest.changes.length} change(s)`);
  deps.metrics?.digestsPosted.inc();

  const threadPosts = await postExtras(deps, {
    channel,
    ts,
    label,
    messages: messages.thread,
    main: messages.main,
    metadata,
    digest,
    postedAt,
  });
  return { outcome: 'posted', channel, week, ts, late: Boolean(request.lateFor), threadPosts };
}

type PostOutcome = { ok: true; ts: string; found: boolean } | { ok: false; reason: string };

async function postWithRetries(
  deps: DeliveryDeps,
  label: string,
  key: DigestKey,
  post: () => Promise<string>,
): Promise<PostOutcome> {
  const delays = deps.retryDelaysMs ?? RETRY_DELAYS_MS;
  let mustSearch = false;
  let lastReason = '';
  for (let attempt = 0; attempt <= delays.length; attempt++) {
    if (mustSearch) {
      try {
        const found = await findPostedDigest(deps.client, key.channel, key.week, new Date(key.createdAt));
        if (found) return { ok: true, ts: found, found: true };
        mustSearch = false;
      } catch (err) {
        lastReason = `could not check the channel after a failed attempt: ${slackErrorReason(err)}`;
        deps.log.warn(`${label}: ${lastReason}`);
        if (attempt < delays.length) await deps.sleep(delays[attempt]!);
        continue;
      }
    }
    try {
      return { ok: true, ts: await post(), found: false };
    } catch (err) {
      const failure = classifyFailure(err);
      lastReason = failure.reason;
      mustSearch = failure.kind === 'ambiguous';
      const retrying = failure.kind !== 'permanent' && attempt < delays.length;
      const wait = Math.max(failure.waitMs ?? 0, delays[attempt] ?? 0);
      deps.log[retrying ? 'warn' : 'error'](
        `${label}: post attempt ${attempt + 1} failed ` +
          `(${failure.reason})${retrying ? `; retrying in ${Math.round(wait / 1000)} s` : ''}`,
      );
      if (!retrying) break;
      await deps.sleep(wait);
    }
  }
  return giveUp(deps, label, key, lastReason, mustSearch);
}

/** After the last attempt: never leave a key claiming a post that may have happened. */
async function giveUp(
  deps: DeliveryDeps,
  label: string,
  key: DigestKey,
  reason: string,
  ambiguous: boolean,
): Promise<PostOutcome> {
  if (ambiguous) {
    try {
      const found = await findPostedDigest(deps.client, key.channel, key.week, new Date(key.createdAt));
      if (found) return { ok: true, ts: found, found: true };
    } catch {
      deps.log.error(
        `${label}: not posted (${reason}); the key stays pending and is resolved from the channel before any repost`,
      );
      return { ok: false, reason };
    }
  }
  await deps.store
    .mutate((draft) => releaseKey(draft, key))
    .catch((err: Error) => deps.log.error(`${label}: releasing the key failed: ${err.message}`));
  deps.log.error(
    `${label}: not posted (${reason}); gave up after retries. An analyst can post it with /measures digest now`,
  );
  return { ok: false, reason };
}

interface Posted {
  channel: string;
  ts: string;
  label: string;
  messages: SlackMessage[];
  main: SlackMessage;
  metadata: ReturnType<typeof digestMetadata>;
  digest: Digest;
  postedAt: Date;
}

/** The chart and the thread details. Failures here are logged; the digest itself is posted. */
async function postExtras(deps: DeliveryDeps, p: Posted): Promise<number> {
  const paceMs = deps.paceMs ?? PACE_MS;
  let lastPost = p.postedAt.getTime();
  const pace = async () => {
    const wait = lastPost + paceMs - deps.now().getTime();
    if (wait > 0) await deps.sleep(wait);
    lastPost = deps.now().getTime();
  };

  // The upload is processed asynchronously by Slack; start it before the thread posts so the
  // image block can point at it by the time they are done.
  let fileId: string | null = null;
  let chart: RenderedChart | null = null;
  try {
    chart = deps.renderChart ? await deps.renderChart(deps.store.snapshot(), p.digest) : null;
    if (chart) {
      const res = (await deps.client.files.uploadV2({
        channel_id: p.channel,
        thread_ts: p.ts,
        file: chart.png,
        filename: chart.filename,
        title: chart.title,
        alt_text: chart.altText,
      })) as { files?: Array<{ files?: Array<{ id?: string }> }> };
      fileId = res.files?.[0]?.files?.[0]?.id ?? null;
      lastPost = deps.now().getTime();
    }
  } catch (err) {
    deps.log.warn(
      `${p.label}: the chart could not be shared (${slackErrorReason(err)}); the digest is posted without it`,
    );
  }

  let threadPosts = 0;
  for (const message of p.messages) {
    await pace();
    try {
      await deps.client.chat.postMessage({
        channel: p.channel,
        thread_ts: p.ts,
        text: message.text,
        blocks: message.blocks,
        unfurl_links: false,
        unfurl_media: false,
      });
      threadPosts++;
    } catch (err) {
      deps.log.error(
        `${p.label}: detail ${threadPosts + 1} of ${p.messages.length} could not be posted in the thread ` +
          `(${slackErrorReason(err)})`,
      );
      const wait = (err as { retryAfter?: number }).retryAfter;
      if (wait) await deps.sleep(wait * 1000);
    }
  }

  if (fileId && chart) {
    const updated = withChart(p.main, imageBlock(fileId, chart.altText, chart.title));
    // Slack may still be processing the file: a few short tries, then the chart stays in the thread.
    for (const delay of [0, 1000, 2000]) {
      if (delay) await deps.sleep(delay);
      try {
        await deps.client.chat.update({
          channel: p.channel,
          ts: p.ts,
          text: updated.text,
          blocks: updated.blocks,
          metadata: p.metadata,
        });
        break;
      } catch (err) {
        if (delay === 2000)
          deps.log.warn(
            `${p.label}: the chart stays in the thread; showing it in the message failed (${slackErrorReason(err)})`,
          );
      }
    }
  }
  return threadPosts;
}
