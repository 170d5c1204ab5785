// A click on one of the candidate buttons (ambiguous question, not found, related terms):
// post the chosen answer in the channel, and remove the private choice message.
import type { AllMiddlewareArgs, App, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { DateTime } from 'luxon';
import * as importActions from './import-buttons.ts';
import { answerFor } from '../../../measures/answer.ts';
import { afterAck, newRequestId } from '../../after-ack.ts';
import * as answerButtons from './answer-buttons.ts';
import * as updateForm from './update-form.ts';
import type { SlackDeps } from '../../app.ts';
import { deliverAnswer, replyPrivately } from '../../post-answer.ts';
import { slackErrorReason } from '../../slack-errors.ts';
import { apologyMessage, glossaryMessage, PICK_ACTION_PATTERN } from '../../views/ephemeral-blocks.ts';
import * as followButton from './follow-button.ts';

export function register(app: App, deps: SlackDeps): void {
  importActions.register(app, deps);
  answerButtons.register(app, deps);
  updateForm.register(app, deps);
  app.action<BlockAction<ButtonAction>>({ type: 'block_actions', action_id: PICK_ACTION_PATTERN }, pickAnswer(deps));
  followButton.register(app, deps);
}

function parseRef(value: string | undefined): { kind: 'measure' | 'priority' | 'glossary'; id: string } | null {
  try {
    const v = JSON.parse(value ?? '') as { kind?: unknown; id?: unknown };
    if ((v.kind === 'measure' || v.kind === 'priority' || v.kind === 'glossary') && typeof v.id === 'string')
      return { kind: v.kind, id: v.id };
  } catch {
    // fall through: a value we did not write
  }
  return null;
}

export function pickAnswer(deps: SlackDeps) {
  return async ({
    ack,
    body,
    action,
    client,
    respond,
  }: SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs): Promise<void> => {
    await ack();
    await afterAck(
      deps,
      newRequestId(),
      async (log) => {
        const ref = parseRef(action.value);
        const channel = body.channel?.id;
        const store = deps.store.snapshot();
        const answer = ref ? answerFor(store, ref, '', { now: DateTime.fromJSDate(deps.now()) }) : null;
        if (!answer || !channel) {
          await replyPrivately({ log }, respond, apologyMessage('that choice is no longer available'), {
            replace_original: true,
          });
          return;
        }
        log.info(`${body.user.id} picked ${ref!.kind} ${ref!.id} in ${channel}`);
        if (answer.kind === 'glossary') {
          await replyPrivately({ log }, respond, glossaryMessage(answer), { replace_original: true });
          return;
        }
        if (answer.kind !== 'measure' && answer.kind !== 'priority') return;
        const delivery = await deliverAnswer(
          { client, deps, log },
          {
            channel,
            answer,
            store,
            respond,
            askedBy: body.user.id,
          },
        );
        if (delivery.outcome === 'posted')
          await respond({ delete_original: true }).catch((err) =>
            log.warn(`could not remove the choice message: ${slackErrorReason(err)}`),
          );
      },
      async (err, log) => {
        log.error('button click failed after the ack', err);
        await replyPrivately({ log }, respond, apologyMessage(slackErrorReason(err)));
      },
    );
  };
}
