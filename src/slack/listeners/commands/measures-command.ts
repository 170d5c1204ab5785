// The /measures listener: ack first (nothing before it: no store, no rendering, no Web API),
// then route on the first word. Anything after the ack that fails still answers the user.
import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import type { SlackDeps } from '../../deps.ts';
import { replyPrivately } from '../../deliver-answer.ts';
import { newRequestId, requestLog } from '../../request-log.ts';
import { slackErrorReason } from '../../slack-errors.ts';
import { nextTurn } from '../../turns.ts';
import { apologyMessage } from '../../views/ephemeral-blocks.ts';
import { askCommand } from './ask.ts';
import { digestCommand } from './digest.ts';
import { helpCommand } from './help.ts';
import { historyCommand } from './history.ts';
import { listCommand } from './list.ts';
import type { SubcommandHandler } from './types.ts';
import { updateCommand } from './update.ts';

/** Subverbs; any other text is a question. Issues 6 and 7 fill in update and digest. */
export const SUBCOMMANDS: Record<string, SubcommandHandler> = {
  help: helpCommand,
  list: listCommand,
  history: historyCommand,
  update: updateCommand,
  digest: digestCommand,
};

export function route(text: string): { handler: SubcommandHandler; args: string } {
  const trimmed = text.trim();
  const [first = '', ...rest] = trimmed.split(/\s+/);
  const sub = SUBCOMMANDS[first.toLowerCase()];
  // The text after the verb as typed (not re-joined), so `/measures update` keeps its line breaks.
  if (sub && Object.hasOwn(SUBCOMMANDS, first.toLowerCase())) return { handler: sub, args: rest.length ? trimmed.slice(first.length).trim() : '' };
  return { handler: askCommand, args: trimmed };
}

export function measuresCommand(deps: SlackDeps) {
  return async ({ ack, command, client, respond }: SlackCommandMiddlewareArgs & AllMiddlewareArgs): Promise<void> => {
    await ack();
    const log = requestLog(deps.logger, newRequestId());
    const work = (async () => {
      try {
        await nextTurn();
        const { handler, args } = route(command.text ?? '');
        await handler({ command, args, client, respond, deps, log });
      } catch (err) {
        log.error(`/measures "${(command.text ?? '').slice(0, 100)}" failed after the ack`, err);
        await replyPrivately({ log }, respond, apologyMessage(slackErrorReason(err)));
      }
    })();
    await deps.work.track(work);
  };
}
