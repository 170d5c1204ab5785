// Posting an answer where the asker can see it, and keeping it drawn. The slash command and
// button clicks use deliverAnswer: in the channel when the bot can post there, otherwise
// privately via response_url with the full text (never silent). An update from Slack uses
// refreshAnswer to redraw a bound answer in place. (The digest posts and binds through
// src/slack/digest/.)
//
// The chart (sharing it: chart-upload.ts): the answer is posted first (text never waits for a
// chart); meanwhile the PNG is uploaded (files.getUploadURLExternal + the bytes), then shared with
// files.completeUploadExternal into the answer's own thread (channel_id + thread_ts: the file is then
// shared in the conversation, which an image block needs for everyone to see it), and the
// answer is updated with an image block pointing at the file (slack_file). The channel shows
// one message with text and chart; the thread starts with the chart, under which analysts reply.
// Slack processes uploads asynchronously, so the update is retried briefly while the file is
// not ready yet (invalid_blocks / file not found right after the upload).
import type { RespondArguments, RespondFn, webApi } from '@slack/bolt';
import { DateTime } from 'luxon';
import type { ChartRequest, RenderedChart } from '../charts/render.ts';
import { answerFor } from '../measures/answer.ts';
import type { Store } from '../store/index.ts';
import { nextTurn, type RequestLog } from './after-ack.ts';
import type { SlackDeps } from './app.ts';
import { chartDigest, shareStagedChart, stageChartUpload, updateWithImage } from './chart-upload.ts';
import { messageKey } from './message-redraws.ts';
import { isCannotPostHere, slackErrorReason } from './slack-errors.ts';
import { answerBlocks, answerFallbackText, type ChartSlot, type PostedAnswer } from './views/answer-blocks.ts';
import { type Block, type SlackMessage } from './views/block-kit.ts';
import { detailsMessage } from './views/details-blocks.ts';
import { apologyMessage, notInChannelHint, privateAnswerMessage } from './views/ephemeral-blocks.ts';

type WebClient = webApi.WebClient;

export interface DeliveryContext {
  client: WebClient;
  deps: SlackDeps;
  log: RequestLog;
}

export interface PostedMessage {
  channel: string;
  ts: string;
  /** Settles when the chart is shown (or the message says why not). Never rejects. */
  chartDone: Promise<ChartSlot>;
  /** Settles when the thread binding is durable. Never rejects; a failure is logged. */
  bound: Promise<boolean>;
}

export type Delivery =
  | { outcome: 'posted'; channel: string; ts: string }
  | { outcome: 'private'; reason: string }
  | { outcome: 'failed'; reason: string };

/** Sends an ephemeral reply through response_url; logs (never throws) when that fails too. */
export async function replyPrivately(
  ctx: Pick<DeliveryContext, 'log'>,
  respond: RespondFn | undefined,
  message: SlackMessage,
  extra: Partial<RespondArguments> = {},
): Promise<boolean> {
  if (!respond) {
    ctx.log.error('no response_url to answer privately; the user got nothing');
    return false;
  }
  try {
    await respond({
      response_type: 'ephemeral',
      text: message.text,
      blocks: message.blocks,
      ...extra,
    } as RespondArguments);
    return true;
  } catch (err) {
    ctx.log.error('could not answer via response_url', err);
    return false;
  }
}

export async function deliverAnswer(
  ctx: DeliveryContext,
  request: { channel: string; answer: PostedAnswer; store: Store; respond?: RespondFn; askedBy?: string },
): Promise<Delivery> {
  const { channel, answer, store, respond, askedBy } = request;
  let posted;
  try {
    posted = await postAnswer(ctx, channel, answer, store, askedBy);
  } catch (err) {
    const cannot = isCannotPostHere(err);
    if (cannot) {
      ctx.log.info(`cannot post in ${channel} (${cannot}); answering privately`);
      await replyPrivately(ctx, respond, privateAnswerMessage(answer, notInChannelHint(cannot), store.report));
      return { outcome: 'private', reason: cannot };
    }
    const reason = slackErrorReason(err);
    ctx.log.error(`posting the answer in ${channel} failed`, err);
    await replyPrivately(ctx, respond, apologyMessage(reason, answer));
    return { outcome: 'failed', reason };
  }
  const sinceAsked = () => (performance.now() - ctx.log.startedAt) / 1000;
  ctx.deps.metrics.answerSeconds.observe({ stage: 'posted' }, sinceAsked());
  void posted.chartDone.then((slot) => {
    if (slot.state === 'shown') ctx.deps.metrics.answerSeconds.observe({ stage: 'chart' }, sinceAsked());
  });
  // The binding's write waits for a lull in answers (thread-bindings.ts): the shutdown waits for
  // it, but the answer does not, or it would hold its slot (after-ack.ts) through that lull.
  void ctx.deps.work.track(posted.bound);
  const chart = await posted.chartDone;
  ctx.log.info(`answered in ${posted.channel} at ${posted.ts} (chart: ${chart.state})`);
  return { outcome: 'posted', channel: posted.channel, ts: posted.ts };
}

/** The notification / screen-reader text of a posted answer: escaped, and short. */
export function notificationText(answer: PostedAnswer): string {
  return answerFallbackText(answer);
}

export function refOf(answer: PostedAnswer): ChartRequest {
  return answer.kind === 'measure'
    ? { kind: 'measure', id: answer.measure.id }
    : { kind: 'priority', id: answer.priority.id };
}

function renderBlocks(
  answer: PostedAnswer,
  store: Store,
  chart: ChartSlot,
  foot: { footer?: string[]; askedBy?: string | undefined } = {},
): Block[] {
  const report = { asOf: store.report.asOf, source: store.report.source };
  return answerBlocks(answer, { chart, report, ...foot });
}

function mayHaveChart(answer: PostedAnswer): boolean {
  return answer.kind === 'priority' || answer.measure.hasChart;
}

async function renderChart(
  ctx: DeliveryContext,
  answer: PostedAnswer,
  store: Store,
): Promise<RenderedChart | null | Error> {
  if (!mayHaveChart(answer)) return null;
  try {
    return await ctx.deps.charts.render(refOf(answer), store);
  } catch (err) {
    ctx.log.error(`chart for ${refOf(answer).kind} ${refOf(answer).id} could not be drawn`, err);
    return err instanceof Error ? err : new Error(String(err));
  }
}

/**
 * Makes the message at (channel, ts) show `chart`: re-uses the file already shown there when
 * the picture is unchanged, otherwise uploads it into the message's thread; then chat.update.
 * A failure leaves the text in place and says in the message that the chart is missing.
 */
async function showChart(
  ctx: DeliveryContext,
  message: {
    channel: string;
    ts: string;
    answer: PostedAnswer;
    store: Store;
    text: string;
    footer?: string[];
    /** The thread the chart is shared in: the message's own, or its parent's for a reply. */
    shareIn?: string;
  },
  chart: RenderedChart | null | Error,
  { announceNone, staged }: { announceNone: boolean; staged?: Promise<string | Error> },
): Promise<ChartSlot> {
  await nextTurn();
  const { channel, ts, answer, store, text, footer } = message;
  // The answer is already in the channel: what follows waits out rate limits on its own client.
  const client = ctx.deps.redrawClient;
  const foot = { footer, askedBy: ctx.deps.redraws.askedBy(channel, ts) };
  const update = (slot: ChartSlot) =>
    client.chat.update({ channel, ts, text, blocks: renderBlocks(answer, store, slot, foot) });
  const failed = async (reason: string): Promise<ChartSlot> => {
    const slot: ChartSlot = { state: 'failed', reason };
    await update(slot).catch((err) =>
      ctx.log.error(`could not note the missing chart on ${messageKey(channel, ts)}`, err),
    );
    return slot;
  };
  if (chart instanceof Error) return failed('it could not be drawn');
  if (chart === null) {
    if (announceNone)
      await update({ state: 'none' }).catch((err) => ctx.log.error(`could not update ${messageKey(channel, ts)}`, err));
    return { state: 'none' };
  }
  const digest = chartDigest(chart);
  const previous = ctx.deps.sharedCharts.peek(messageKey(channel, ts));
  let fileId = previous?.digest === digest ? previous.fileId : undefined;
  if (!fileId) {
    try {
      const stagedId = await (staged ?? stageChartUpload(client, chart, ctx.deps.fetch));
      if (stagedId instanceof Error) throw stagedId;
      fileId = await shareStagedChart(client, stagedId, { channel, threadTs: message.shareIn ?? ts }, chart);
    } catch (err) {
      ctx.log.error(`chart upload for ${messageKey(channel, ts)} failed; the text answer stands`, err);
      return failed(`upload failed: ${slackErrorReason(err)}`);
    }
  }
  const slot: ChartSlot = { state: 'shown', fileId, altText: chart.altText, title: chart.title };
  try {
    await updateWithImage(client, { channel, ts, text, blocks: renderBlocks(answer, store, slot, foot) });
  } catch (err) {
    ctx.log.error(`could not show the chart in ${messageKey(channel, ts)}; it is in the thread`, err);
    return failed(`${slackErrorReason(err)}; the chart is in the thread`);
  }
  ctx.deps.sharedCharts.set(messageKey(channel, ts), { fileId, digest });
  if (previous && previous.fileId !== fileId)
    deleteReplacedChart(ctx, client, previous.fileId, messageKey(channel, ts));
  return slot;
}

/**
 * Deletes the chart a redraw replaced, so each update does not leave another old PNG in the
 * thread. Only ever a file this bot shared for that message (sharedCharts), and only once the
 * message points at the new one. Not awaited: a failure is logged once (the client's own bounded
 * retries aside) and never touches the answer; the old file merely stays in the thread.
 */
function deleteReplacedChart(ctx: DeliveryContext, client: webApi.WebClient, fileId: string, where: string): void {
  client.files
    .delete({ file: fileId })
    .catch((err: unknown) =>
      ctx.log.warn(`could not delete the replaced chart ${fileId} in ${where}: ${slackErrorReason(err)}`),
    );
}

/**
 * Stores the binding (channel, ts) → {kind, id} so replies in that thread reach the entity.
 * Resolves false (and logs) when the store refused the write: the answer still stands.
 */
export async function bindThread(
  ctx: Pick<DeliveryContext, 'deps' | 'log'>,
  binding: { channel: string; ts: string; kind: 'measure' | 'priority' | 'digest'; id: string },
): Promise<boolean> {
  try {
    await ctx.deps.bindings.bind(binding);
    return true;
  } catch (err) {
    ctx.log.error(
      `could not bind thread ${messageKey(binding.channel, binding.ts)} to ${binding.kind} ${binding.id}; ` +
        'replies there will be ignored',
      err,
    );
    return false;
  }
}

/**
 * Posts a measure or priority answer in `channel` with chat.postMessage. The text goes out
 * first; the chart follows (see the top of this file). Throws the Web API error when the post
 * itself fails, so the caller can answer privately instead (not_in_channel and friends).
 */
export async function postAnswer(
  ctx: DeliveryContext,
  channel: string,
  answer: PostedAnswer,
  store: Store,
  askedBy?: string,
  /** Posts the answer as a reply in this thread (a measure opened from a priority answer). */
  threadTs?: string,
): Promise<PostedMessage> {
  // Rendering and uploading start now, in parallel with the post; only sharing needs its ts.
  const chart = renderChart(ctx, answer, store);
  const staged = chart.then((c) =>
    c && !(c instanceof Error)
      ? stageChartUpload(ctx.deps.redrawClient, c, ctx.deps.fetch).catch((err: unknown) =>
          err instanceof Error ? err : new Error(String(err)),
        )
      : new Error('no chart'),
  );
  const initial: ChartSlot = mayHaveChart(answer) ? { state: 'pending' } : { state: 'none' };
  const text = notificationText(answer);
  const res = await ctx.client.chat.postMessage({
    channel,
    text,
    blocks: renderBlocks(answer, store, initial, { askedBy }),
    ...(threadTs ? { thread_ts: threadTs } : {}),
    unfurl_links: false,
    unfurl_media: false,
  });
  const ts = res.ts!;
  const postedChannel = res.channel ?? channel;
  if (askedBy) ctx.deps.redraws.setAskedBy(postedChannel, ts, askedBy);
  const ref = refOf(answer);
  // A reply has no thread of its own: replies under it belong to the thread it is in.
  const bound = threadTs
    ? Promise.resolve(false)
    : bindThread(ctx, { channel: postedChannel, ts, kind: ref.kind, id: ref.id });
  // Queued now, before the chart is ready, so that a refresh after an analyst's update
  // (queued later) redraws after this and is what the channel ends up showing.
  const chartDone = ctx.deps.redraws
    .run(postedChannel, ts, async () => {
      const c = await chart;
      const footer = ctx.deps.redraws.footer(postedChannel, ts);
      // An update under this answer while its chart was on the way: show the figures as they are now.
      const now = footer ? currentAnswer(ctx, ref, { answer, store }) : { answer, store };
      const shownText = now.answer === answer ? text : notificationText(now.answer);
      return showChart(
        ctx,
        {
          channel: postedChannel,
          ts,
          answer: now.answer,
          store: now.store,
          text: shownText,
          footer,
          shareIn: threadTs,
        },
        c,
        { announceNone: initial.state !== 'none', staged },
      );
    })
    .catch((err: unknown): ChartSlot => {
      ctx.log.error(`showing the chart in ${messageKey(postedChannel, ts)} failed`, err);
      return { state: 'failed', reason: slackErrorReason(err) };
    });
  return { channel: postedChannel, ts, chartDone, bound };
}

/**
 * The answer as the store holds it now, so a redraw that waited (e.g. for its chart) never
 * shows figures an update has since replaced. (Only after an update: rebuilding costs a few
 * milliseconds of CPU, and bursts of answers are what the bench measures.)
 */
function currentAnswer(
  ctx: DeliveryContext,
  ref: ChartRequest,
  posted: { answer: PostedAnswer; store: Store },
): { answer: PostedAnswer; store: Store } {
  const store = ctx.deps.store.snapshot();
  if (store === posted.store) return posted;
  const answer = answerNow(ctx, store, ref);
  // Deleted meanwhile: the posted answer is all there is to show.
  return answer ? { answer, store } : posted;
}

/** The answer about `ref` in `store` as of the deps' clock; null when the entity no longer exists. */
function answerNow(ctx: DeliveryContext, store: Store, ref: ChartRequest): PostedAnswer | null {
  const answer = answerFor(store, ref, '', { now: DateTime.fromJSDate(ctx.deps.now()) });
  return answer?.kind === 'measure' || answer?.kind === 'priority' ? answer : null;
}

/**
 * Re-draws a bound answer from the current snapshot with chat.update, so the channel never
 * shows a stale trend (called after an update from Slack; `footer` says who updated it).
 * Queued behind any other redraw of the same message (createMessageRedraws), and it reads the
 * store when its turn comes. Returns false when the entity no longer exists.
 */
export async function refreshAnswer(
  ctx: DeliveryContext,
  message: { channel: string; ts: string; ref: ChartRequest; footer?: string[] },
): Promise<boolean> {
  const { channel, ts } = message;
  // Recorded now, not when this redraw runs: a redraw already queued (the first chart) then
  // shows the footer too, since the update it describes is already in the store.
  if (message.footer) ctx.deps.redraws.setFooter(channel, ts, message.footer);
  return ctx.deps.redraws.run(channel, ts, async () => {
    const store = ctx.deps.store.snapshot();
    const answer = answerNow(ctx, store, message.ref);
    if (!answer) return false;
    const chart = await renderChart(ctx, answer, store);
    const footer = ctx.deps.redraws.footer(channel, ts);
    await showChart(ctx, { channel, ts, answer, store, text: notificationText(answer), footer }, chart, {
      announceNone: true,
    });
    await redrawDetails(ctx, channel, ts, answer);
    return true;
  });
}

/** The answer's Details reply, when one was posted, is edited to match the redrawn answer. */
async function redrawDetails(ctx: DeliveryContext, channel: string, ts: string, answer: PostedAnswer): Promise<void> {
  const replyTs = ctx.deps.redraws.details(channel, ts);
  if (!replyTs) return;
  const { text, blocks } = detailsMessage(answer);
  await ctx.deps.redrawClient.chat
    .update({ channel, ts: replyTs, text, blocks })
    .catch((err: unknown) => ctx.log.error(`could not redraw the details of ${messageKey(channel, ts)}`, err));
}
