// Posting an answer in a channel, binding its thread and showing its chart; refreshing a
// bound answer in place. The slash command and button clicks use postAnswer; an update from
// Slack uses refreshAnswer. (The digest posts and binds through src/slack/digest/.)
import type { webApi } from '@slack/bolt';
import { DateTime } from 'luxon';
import { answerFor } from '../measures/answer.ts';
import { formatAnswerText } from '../measures/format-text.ts';
import type { ChartRequest, RenderedChart } from '../charts/render.ts';
import type { Store } from '../store/schema.ts';
import type { SlackDeps } from './app.ts';
import { messageKey } from './message-redraws.ts';
import type { RequestLog } from './after-ack.ts';
import { nextTurn } from './after-ack.ts';
import { chartDigest, shareStagedChart, stageChartUpload, updateWithImage } from './share-chart.ts';
import { slackErrorReason } from './slack-errors.ts';
import { answerBlocks, type ChartSlot, type PostedAnswer } from './views/answer-blocks.ts';
import { type Block, escapeMrkdwn, truncateEscaped } from './views/block-kit.ts';

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

/** The notification / screen-reader text of a posted answer: escaped, and short. */
export function notificationText(answer: PostedAnswer): string {
  return truncateEscaped(escapeMrkdwn(formatAnswerText(answer)), 2900);
}

export function refOf(answer: PostedAnswer): ChartRequest {
  return answer.kind === 'measure' ? { kind: 'measure', id: answer.measure.id } : { kind: 'priority', id: answer.priority.id };
}

function renderBlocks(answer: PostedAnswer, store: Store, chart: ChartSlot, footer?: string[]): Block[] {
  return answerBlocks(answer, { chart, footer, report: { asOf: store.report.asOf, source: store.report.source } });
}

const key = messageKey;

function mayHaveChart(answer: PostedAnswer): boolean {
  return answer.kind === 'priority' || answer.measure.hasChart;
}

async function renderChart(ctx: DeliveryContext, answer: PostedAnswer, store: Store): Promise<RenderedChart | null | Error> {
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
  message: { channel: string; ts: string; answer: PostedAnswer; store: Store; text: string; footer?: string[] },
  chart: RenderedChart | null | Error,
  { announceNone, staged }: { announceNone: boolean; staged?: Promise<string | Error> },
): Promise<ChartSlot> {
  await nextTurn();
  const { channel, ts, answer, store, text, footer } = message;
  const update = (slot: ChartSlot) => ctx.client.chat.update({ channel, ts, text, blocks: renderBlocks(answer, store, slot, footer) });
  const failed = async (reason: string): Promise<ChartSlot> => {
    const slot: ChartSlot = { state: 'failed', reason };
    await update(slot).catch((err) => ctx.log.error(`could not note the missing chart on ${key(channel, ts)}`, err));
    return slot;
  };
  if (chart instanceof Error) return failed('it could not be drawn');
  if (chart === null) {
    if (announceNone) await update({ state: 'none' }).catch((err) => ctx.log.error(`could not update ${key(channel, ts)}`, err));
    return { state: 'none' };
  }
  const digest = chartDigest(chart);
  const previous = ctx.deps.sharedCharts.get(key(channel, ts));
  let fileId = previous?.digest === digest ? previous.fileId : undefined;
  if (!fileId) {
    try {
      const stagedId = await (staged ?? stageChartUpload(ctx.client, chart));
      if (stagedId instanceof Error) throw stagedId;
      fileId = await shareStagedChart(ctx.client, stagedId, { channel, threadTs: ts }, chart);
    } catch (err) {
      ctx.log.error(`chart upload for ${key(channel, ts)} failed; the text answer stands`, err);
      return failed(`upload failed: ${slackErrorReason(err)}`);
    }
  }
  const slot: ChartSlot = { state: 'shown', fileId, altText: chart.altText, title: chart.title };
  try {
    await updateWithImage(ctx.client, { channel, ts, text, blocks: renderBlocks(answer, store, slot, footer) });
  } catch (err) {
    ctx.log.error(`could not show the chart in ${key(channel, ts)}; it is in the thread`, err);
    return failed(`${slackErrorReason(err)}; the chart is in the thread`);
  }
  ctx.deps.sharedCharts.set(key(channel, ts), { fileId, digest });
  return slot;
}

/**
 * Stores the binding (channel, ts) → {kind, id} so replies in that thread reach the entity.
 * Resolves false (and logs) when the store refused the write: the answer still stands.
 */
export async function bindThread(ctx: Pick<DeliveryContext, 'deps' | 'log'>, binding: { channel: string; ts: string; kind: 'measure' | 'priority' | 'digest'; id: string }): Promise<boolean> {
  try {
    await ctx.deps.bindings.bind(binding);
    return true;
  } catch (err) {
    ctx.log.error(`could not bind thread ${key(binding.channel, binding.ts)} to ${binding.kind} ${binding.id}; replies there will be ignored`, err);
    return false;
  }
}

/**
 * Posts a measure or priority answer in `channel` with chat.postMessage. The text goes out
 * first; the chart follows (see share-chart.ts). Throws the Web API error when the post
 * itself fails, so the caller can answer privately instead (not_in_channel and friends).
 */
export async function postAnswer(ctx: DeliveryContext, channel: string, answer: PostedAnswer, store: Store): Promise<PostedMessage> {
  // Rendering and uploading start now, in parallel with the post; only sharing needs its ts.
  const chart = renderChart(ctx, answer, store);
  const staged = chart.then((c) => (c && !(c instanceof Error) ? stageChartUpload(ctx.client, c).catch((err: unknown) => (err instanceof Error ? err : new Error(String(err)))) : new Error('no chart')));
  const initial: ChartSlot = mayHaveChart(answer) ? { state: 'pending' } : { state: 'none' };
  const text = notificationText(answer);
  const res = await ctx.client.chat.postMessage({
    channel,
    text,
    blocks: renderBlocks(answer, store, initial),
    unfurl_links: false,
    unfurl_media: false,
  });
  const ts = res.ts!;
  const postedChannel = res.channel ?? channel;
  const ref = refOf(answer);
  const bound = bindThread(ctx, { channel: postedChannel, ts, kind: ref.kind, id: ref.id });
  // Queued now, before the chart is ready, so that a refresh after an analyst's update
  // (queued later) redraws after this and is what the channel ends up showing.
  const chartDone = ctx.deps.redraws
    .run(postedChannel, ts, async () => {
      const c = await chart;
      const footer = ctx.deps.redraws.footer(postedChannel, ts);
      // An update under this answer while its chart was on the way: show the figures as they are now.
      const now = footer ? currentAnswer(ctx, ref, { answer, store }) : { answer, store };
      const shownText = now.answer === answer ? text : notificationText(now.answer);
      return showChart(ctx, { channel: postedChannel, ts, answer: now.answer, store: now.store, text: shownText, footer }, c, { announceNone: initial.state !== 'none', staged });
    })
    .catch((err: unknown): ChartSlot => {
      ctx.log.error(`showing the chart in ${key(postedChannel, ts)} failed`, err);
      return { state: 'failed', reason: slackErrorReason(err) };
    });
  return { channel: postedChannel, ts, chartDone, bound };
}

/**
 * The answer as the store holds it now, so a redraw that waited (e.g. for its chart) never
 * shows figures an update has since replaced. (Only after an update: rebuilding costs a few
 * milliseconds of CPU, and bursts of answers are what the bench measures.)
 */
function currentAnswer(ctx: DeliveryContext, ref: ChartRequest, posted: { answer: PostedAnswer; store: Store }): { answer: PostedAnswer; store: Store } {
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
 * Queued behind any other redraw of the same message (message-redraws.ts), and it reads the
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
    await showChart(ctx, { channel, ts, answer, store, text: notificationText(answer), footer }, chart, { announceNone: true });
    return true;
  });
}
