// The Home tab: app_home_opened publishes the scorecard (and notes the viewer in the store, at
// most hourly, so later changes republish it for them); a measure's button sends its answer
// to the user in their messages with the bot, through the answers' own delivery.
import type { AllMiddlewareArgs, App, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { DateTime } from 'luxon';
import { answerFor } from '../../../measures/answer.ts';
import { afterAck, newRequestId, requestLog } from '../../after-ack.ts';
import type { SlackDeps } from '../../app.ts';
import type { HomePublisher } from '../../home/publisher.ts';
import { needsViewerWrite, recordViewer } from '../../home/viewers.ts';
import { deliverAnswer } from '../../post-answer.ts';
import { HOME_ANSWER_ACTION } from '../../views/home-blocks.ts';

export function register(app: App, deps: SlackDeps, publisher: HomePublisher): void {
  app.event('app_home_opened', async ({ event }) => {
    // The Messages tab sends this event too; only the Home tab shows the scorecard.
    if (event.tab !== 'home') return;
    const user = event.user;
    publisher.opened(user);
    const now = deps.now();
    if (!needsViewerWrite(deps.store.snapshot(), user, now)) return;
    await deps.work.track(
      deps.store
        .mutate((draft) => {
          if (needsViewerWrite(draft, user, now)) recordViewer(draft, user, now);
        })
        .catch((err: unknown) =>
          requestLog(deps.logger).warn(
            `could not note ${user} as a Home tab viewer (${(err as Error).message}); ` +
              'later changes will not republish their tab until they open it again',
          ),
        ),
    );
  });

  app.action<BlockAction<ButtonAction>>(
    { type: 'block_actions', action_id: HOME_ANSWER_ACTION },
    async ({ ack, body, action, client }: SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs) => {
      await ack();
      await afterAck(
        deps,
        newRequestId(),
        async (log) => {
          const store = deps.store.snapshot();
          const answer = answerFor(store, { kind: 'measure', id: action.value ?? '' }, '', {
            now: DateTime.fromJSDate(deps.now()),
          });
          if (answer?.kind !== 'measure') {
            log.warn(`Home tab button for an unknown measure ${JSON.stringify(action.value)}; ignored`);
            return;
          }
          log.info(`${body.user.id} asked for ${answer.measure.id} from the Home tab`);
          // A user id as the channel posts in the user's messages with the bot (chat:write).
          await deliverAnswer({ client, deps, log }, { channel: body.user.id, answer, store });
        },
        (err, log) => log.error('Home tab button failed after the ack', err),
      );
    },
  );
}
