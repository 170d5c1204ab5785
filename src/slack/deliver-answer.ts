// Delivering a measure or priority answer to whoever asked: in the channel when the bot can
// post there, otherwise privately via response_url with the full text. Never silent.
import type { RespondArguments, RespondFn } from '@slack/bolt';
import type { Store } from '../store/schema.ts';
import { type DeliveryContext, postAnswer } from './post-answer.ts';
import { isCannotPostHere, slackErrorReason } from './slack-errors.ts';
import type { PostedAnswer } from './views/answer-blocks.ts';
import { apologyMessage, notInChannelHint, textAnswerMessage } from './views/ephemeral-blocks.ts';
import type { SlackMessage } from './views/block-kit.ts';

export type Delivery = { outcome: 'posted'; channel: string; ts: string } | { outcome: 'private'; reason: string } | { outcome: 'failed'; reason: string };

/** Sends an ephemeral reply through response_url; logs (never throws) when that fails too. */
export async function replyPrivately(ctx: Pick<DeliveryContext, 'log'>, respond: RespondFn | undefined, message: SlackMessage, extra: Partial<RespondArguments> = {}): Promise<boolean> {
  if (!respond) {
    ctx.log.error('no response_url to answer privately; the user got nothing');
    return false;
  }
  try {
    await respond({ response_type: 'ephemeral', text: message.text, blocks: message.blocks, ...extra } as RespondArguments);
    return true;
  } catch (err) {
    ctx.log.error('could not answer via response_url', err);
    return false;
  }
}

export async function deliverAnswer(ctx: DeliveryContext, request: { channel: string; answer: PostedAnswer; store: Store; respond?: RespondFn }): Promise<Delivery> {
  const { channel, answer, store, respond } = request;
  let posted;
  try {
    posted = await postAnswer(ctx, channel, answer, store);
  } catch (err) {
    const cannot = isCannotPostHere(err);
    if (cannot) {
      ctx.log.info(`cannot post in ${channel} (${cannot}); answering privately`);
      await replyPrivately(ctx, respond, textAnswerMessage(answer, notInChannelHint(cannot)));
      return { outcome: 'private', reason: cannot };
    }
    const reason = slackErrorReason(err);
    ctx.log.error(`posting the answer in ${channel} failed`, err);
    await replyPrivately(ctx, respond, apologyMessage(reason, answer));
    return { outcome: 'failed', reason };
  }
  const [chart] = await Promise.all([posted.chartDone, posted.bound]);
  ctx.log.info(`answered in ${posted.channel} at ${posted.ts} (chart: ${chart.state})`);
  return { outcome: 'posted', channel: posted.channel, ts: posted.ts };
}
