// The buttons under a measure or priority answer. Details posts the rest of the answer once in
// its thread (a second click links to that reply); History shows the recent changes to the
// clicker only. Where the answer itself was private (the bot could not post in the channel),
// Details answers privately too.
import type { App, BlockAction, ButtonAction, StaticSelectAction } from '@slack/bolt';
import { DateTime } from 'luxon';
import { answerFor } from '../../../measures/answer.ts';
import { historyEntries } from '../../../store/index.ts';
import type { RequestLog } from '../../after-ack.ts';
import type { SlackDeps } from '../../app.ts';
import { messageKey } from '../../message-redraws.ts';
import { postAnswer, replyPrivately } from '../../post-answer.ts';
import { slackErrorReason } from '../../slack-errors.ts';
import { DETAILS_ACTION, HISTORY_ACTION, OPEN_MEASURE_ACTION, type PostedAnswer } from '../../views/answer-blocks.ts';
import { detailsMessage } from '../../views/details-blocks.ts';
import { apologyMessage, plainMessage, privateAnswerMessage } from '../../views/ephemeral-blocks.ts';
import { historyMessage } from '../../views/history-blocks.ts';
import { afterClickAck, BESIDE, type ClickArgs, clickedValue } from './click.ts';

export function register(app: App, deps: SlackDeps): void {
  // A second click while the first Details reply is being posted waits for it, then links to it.
  const posting = new Map<string, Promise<string | null>>();
  app.action<BlockAction<ButtonAction>>({ type: 'block_actions', action_id: DETAILS_ACTION }, (args) =>
    clicked(deps, args, 'details', (answer, log) => showDetails(deps, args, answer, log, posting)),
  );
  app.action<BlockAction<ButtonAction>>({ type: 'block_actions', action_id: HISTORY_ACTION }, (args) =>
    clicked(deps, args, 'history', (answer, log) => showHistory(deps, args, answer, log)),
  );
  app.action<BlockAction<StaticSelectAction>>({ type: 'block_actions', action_id: OPEN_MEASURE_ACTION }, (args) =>
    clicked(deps, args, 'a measure', (answer, log) => openMeasure(deps, args, answer, log)),
  );
}

function parseRef(value: string | undefined): { kind: 'measure' | 'priority'; id: string } | null {
  try {
    const v = JSON.parse(value ?? '') as { kind?: unknown; id?: unknown };
    if ((v.kind === 'measure' || v.kind === 'priority') && typeof v.id === 'string') return { kind: v.kind, id: v.id };
  } catch {
    // fall through: a value we did not write
  }
  return null;
}

async function clicked(
  deps: SlackDeps,
  args: ClickArgs,
  what: string,
  handle: (answer: PostedAnswer, log: RequestLog) => Promise<void>,
): Promise<void> {
  const { body, action, respond } = args;
  await afterClickAck(deps, args, `${what} button`, async (log) => {
    const ref = parseRef(clickedValue(action));
    const answer = ref ? answerFor(deps.store.snapshot(), ref, '', { now: DateTime.fromJSDate(deps.now()) }) : null;
    if (!answer || (answer.kind !== 'measure' && answer.kind !== 'priority')) {
      await replyPrivately({ log }, respond, apologyMessage('that measure is no longer in the store'), BESIDE);
      return;
    }
    log.info(`${body.user.id} asked for ${what} of ${ref!.kind} ${ref!.id}`);
    await handle(answer, log);
  });
}

async function showDetails(
  deps: SlackDeps,
  { body, client, respond }: ClickArgs,
  answer: PostedAnswer,
  log: RequestLog,
  posting: Map<string, Promise<string | null>>,
): Promise<void> {
  const message = detailsMessage(answer);
  const container = body.container as { message_ts?: string; channel_id?: string; is_ephemeral?: boolean };
  const channel = body.channel?.id ?? container.channel_id;
  const ts = container.message_ts;
  // A private answer's details are private too: they must not appear where the answer did not.
  if (container.is_ephemeral || !channel || !ts) {
    await replyPrivately({ log }, respond, message, BESIDE);
    return;
  }
  const key = messageKey(channel, ts);
  const earlier = deps.redraws.details(channel, ts) ?? (await posting.get(key));
  if (earlier) {
    const link = await client.chat
      .getPermalink({ channel, message_ts: earlier })
      .then((r) => r.permalink ?? null)
      .catch((err: unknown) => {
        log.warn(`no permalink for the details in ${key}: ${slackErrorReason(err)}`);
        return null;
      });
    const text = link
      ? `The details are already in this answer’s thread: <${link}|open them>.`
      : 'The details are already in this answer’s thread.';
    await replyPrivately({ log }, respond, plainMessage(text), BESIDE);
    return;
  }
  const post = client.chat
    .postMessage({ channel, thread_ts: ts, text: message.text, blocks: message.blocks, unfurl_links: false })
    .then((r) => {
      if (r.ts) deps.redraws.setDetails(channel, ts, r.ts);
      return r.ts ?? null;
    });
  posting.set(
    key,
    post.catch(() => null),
  );
  try {
    await post;
  } catch (err) {
    log.error(`could not post the details in ${key}; sending them privately`, err);
    await replyPrivately({ log }, respond, message, BESIDE);
  } finally {
    posting.delete(key);
  }
}

async function showHistory(
  deps: SlackDeps,
  { respond }: ClickArgs,
  answer: PostedAnswer,
  log: RequestLog,
): Promise<void> {
  const store = deps.store.snapshot();
  const message =
    answer.kind === 'measure'
      ? historyMessage(store, answer.measure.title, historyEntries(store, { measureId: answer.measure.id }))
      : historyMessage(store, answer.priority.title, historyEntries(store, { priorityId: answer.priority.id }), true);
  await replyPrivately({ log }, respond, message, BESIDE);
}

/** A measure chosen from a priority answer: its answer is posted in the priority answer's thread. */
async function openMeasure(deps: SlackDeps, args: ClickArgs, answer: PostedAnswer, log: RequestLog): Promise<void> {
  const { body, client, respond } = args;
  const store = deps.store.snapshot();
  const container = body.container as { message_ts?: string; channel_id?: string; is_ephemeral?: boolean };
  const channel = body.channel?.id ?? container.channel_id;
  const ts = container.message_ts;
  const privately = () =>
    replyPrivately({ log }, respond, privateAnswerMessage(answer, 'Here it is just for you.', store.report), BESIDE);
  if (container.is_ephemeral || !channel || !ts) {
    await privately();
    return;
  }
  try {
    const posted = await postAnswer({ client, deps, log }, channel, answer, store, body.user.id, ts);
    void deps.work.track(posted.chartDone);
  } catch (err) {
    log.error(`could not post the chosen measure in ${messageKey(channel, ts)}; answering privately`, err);
    await privately();
  }
}
