// What every button and select under the bot's messages does the same way: ack at once (Slack
// allows 3 s), do the work after the ack as a tracked request, and if that work fails, log it and
// tell the clicker privately, beside the message they clicked rather than over it.
import type {
  AllMiddlewareArgs,
  BlockAction,
  ButtonAction,
  SlackActionMiddlewareArgs,
  StaticSelectAction,
} from '@slack/bolt';
import { afterAck, newRequestId, type RequestLog } from '../../after-ack.ts';
import type { SlackDeps } from '../../app.ts';
import { replyPrivately } from '../../post-answer.ts';
import { slackErrorReason } from '../../slack-errors.ts';
import { apologyMessage } from '../../views/ephemeral-blocks.ts';

export type ClickArgs = SlackActionMiddlewareArgs<BlockAction<ButtonAction | StaticSelectAction>> & AllMiddlewareArgs;

/** Replies to a click are new ephemeral messages: the message clicked on stays as it is. */
export const BESIDE = { replace_original: false } as const;

/** The clicked button's value, or the option chosen in a select. */
export function clickedValue(action: ButtonAction | StaticSelectAction): string | undefined {
  return action.type === 'static_select' ? action.selected_option?.value : action.value;
}

/**
 * Acks the click, then runs `work` after the ack. A failure is logged as "the <what> failed after
 * the ack" and the clicker gets a private apology with Slack's reason.
 */
export async function afterClickAck(
  deps: SlackDeps,
  { ack, respond }: Pick<ClickArgs, 'ack' | 'respond'>,
  what: string,
  work: (log: RequestLog) => Promise<void>,
): Promise<void> {
  await ack();
  await afterAck(deps, newRequestId(), work, async (err, log) => {
    log.error(`the ${what} failed after the ack`, err);
    await replyPrivately({ log }, respond, apologyMessage(slackErrorReason(err)), BESIDE);
  });
}
