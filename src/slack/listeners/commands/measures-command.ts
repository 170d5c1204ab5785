// The /measures listener: ack first (nothing before it: no store, no rendering, no Web API),
// then route on the first word. Anything after the ack that fails still answers the user.
import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import type { SlackDeps } from '../../deps.ts';
import { replyPrivately } from '../../deliver-answer.ts';
import { newRequestId, requestLog } from '../../request-log.ts';
import { slackErrorReason } from '../../slack-errors.ts';
import { nextTurn } from '../../turns.ts';
import { StoreError } from '../../../store/errors.ts';
import { apologyMessage, plainMessage } from '../../views/ephemeral-blocks.ts';
import { escapeMrkdwn, safeText, type SlackMessage } from '../../views/block-kit.ts';
import { STORE_UNAVAILABLE_TEXT } from '../../views/update-messages.ts';
import { digestCommand } from '../../digest/command.ts';
import { askCommand } from './ask.ts';
import { helpCommand } from './help.ts';
import { historyCommand } from './history.ts';
import { listCommand } from './list.ts';
import type { SubcommandHandler } from './types.ts';
import { updateCommand } from './update.ts';

/** Subverbs; any other text is a question. */
export const SUBCOMMANDS: Record<string, SubcommandHandler> = {
  help: helpCommand,
  list: listCommand,
  history: historyCommand,
  update: updateCommand,
  digest: digestCommand,
};

export function route(text: string): { handler: SubcommandHandler; args: string } {
  const trimmed = text.trim();
  // Only the first word: splitting megabytes of text into words would stall every other request.
  const first = /^\S*/.exec(trimmed)![0];
  const sub = SUBCOMMANDS[first.toLowerCase()];
  // The text after the verb as typed (not re-joined), so `/measures update` keeps its line breaks.
  if (sub && Object.hasOwn(SUBCOMMANDS, first.toLowerCase())) return { handler: sub, args: trimmed.slice(first.length).trim() };
  return { handler: askCommand, args: trimmed };
}

export function measuresCommand(deps: SlackDeps) {
  return async ({ ack, command, client, respond }: SlackCommandMiddlewareArgs & AllMiddlewareArgs): Promise<void> => {
    await ack();
    const log = requestLog(deps.logger, newRequestId());
    const work = (async () => {
      const { handler, args } = route(command.text ?? '');
      try {
        await nextTurn();
        await handler({ command, args, client, respond, deps, log });
      } catch (err) {
        log.error(`/measures "${(command.text ?? '').slice(0, 100)}" failed after the ack`, err);
        await replyPrivately({ log }, respond, failureMessage(err, handler, command.text ?? ''));
      }
    })();
    await deps.work.track(work);
  };
}

/**
 * What the asker sees when a command failed after the ack. Never the error's own text when it
 * is not Slack's: a StoreError names the store file on the server (that is for the log).
 */
export function failureMessage(err: unknown, handler: SubcommandHandler, text: string): SlackMessage {
  if (err instanceof StoreError) return plainMessage(STORE_UNAVAILABLE_TEXT);
  const reason = isSlackError(err) ? slackErrorReason(err) : 'an internal error; the details are in the bot’s log';
  // Only a question posts an answer in the channel; other commands answer the asker alone.
  if (handler === askCommand) return apologyMessage(reason);
  const verb = text.trim().split(/\s+/)[0]!.toLowerCase();
  return plainMessage(`:warning: Sorry, \`/measures ${escapeMrkdwn(verb)}\` did not work (${safeText(reason, 200)}). Please try again in a minute.`);
}

/** Errors from @slack/web-api, whose short reasons are fit to show. */
function isSlackError(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code;
  return typeof code === 'string' && code.startsWith('slack_webapi_');
}
