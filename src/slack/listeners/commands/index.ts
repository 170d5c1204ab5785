// The /measures listener: ack first (nothing before it: no store, no rendering, no Web API),
// then route on the first word. A question, help and list are answered here; update, history
// and digest have a file each. Anything after the ack that fails still answers the user.
import type { AllMiddlewareArgs, App, RespondFn, SlackCommandMiddlewareArgs, SlashCommand, webApi } from '@slack/bolt';
import { cachedAnswer, listView } from '../../../measures/answer.ts';
import { StoreError } from '../../../store/index.ts';
import { afterAck, newRequestId, type RequestLog } from '../../after-ack.ts';
import type { SlackDeps } from '../../app.ts';
import { deliverAnswer, replyPrivately } from '../../post-answer.ts';
import { digestCommand } from '../../digest/command.ts';
import { followCommand, followingCommand, unfollowCommand } from './follow.ts';
import { isSlackError, slackErrorReason } from '../../slack-errors.ts';
import { escapeMrkdwn, safeText, type SlackMessage } from '../../views/block-kit.ts';
import {
  apologyMessage,
  choiceMessage,
  glossaryMessage,
  helpMessage,
  listMessage,
  plainMessage,
} from '../../views/ephemeral-blocks.ts';
import { STORE_UNAVAILABLE_TEXT } from '../../views/update-messages.ts';
import { historyCommand } from './history.ts';
import { scorecardCommand } from './scorecard.ts';
import { reportCommand } from './report.ts';
import { updateCommand } from './update.ts';

export const MEASURES_COMMAND = '/measures';

export function register(app: App, deps: SlackDeps): void {
  app.command(MEASURES_COMMAND, measuresCommand(deps));
}

/** One `/measures` invocation, after the ack. `args` is the text after the subverb. */
export interface CommandRequest {
  command: SlashCommand;
  args: string;
  client: webApi.WebClient;
  respond: RespondFn;
  deps: SlackDeps;
  log: RequestLog;
}

export type SubcommandHandler = (request: CommandRequest) => Promise<void>;

/**
 * `/measures <question>`: a measure or priority is posted in the channel; everything else
 * (usage, list, choices, definitions, not found) is for the asker only.
 */
export async function askCommand(request: CommandRequest): Promise<void> {
  const { command, deps, log, respond, client } = request;
  const store = deps.store.snapshot();
  const answer = cachedAnswer(store, request.args, deps.now());
  log.info(`${command.user_id} in ${command.channel_id} asked → ${answer.kind}`);
  switch (answer.kind) {
    case 'help':
      await replyPrivately(request, respond, helpMessage());
      return;
    case 'list':
      await replyPrivately(request, respond, listMessage(answer));
      return;
    case 'ambiguous':
    case 'not-found':
      await replyPrivately(request, respond, choiceMessage(answer));
      return;
    case 'glossary':
      await replyPrivately(request, respond, glossaryMessage(answer));
      return;
    case 'measure':
    case 'priority':
      await deliverAnswer(
        { client, deps, log },
        {
          channel: command.channel_id,
          answer,
          store,
          respond,
          askedBy: command.user_id,
        },
      );
      return;
  }
}

async function helpCommand(request: CommandRequest): Promise<void> {
  await replyPrivately(request, request.respond, helpMessage());
}

async function listCommand(request: CommandRequest): Promise<void> {
  const answer = { kind: 'list' as const, query: 'list', ...listView(request.deps.store.snapshot()) };
  await replyPrivately(request, request.respond, listMessage(answer));
}

/** Subverbs; any other text is a question. */
export const SUBCOMMANDS: Record<string, SubcommandHandler> = {
  help: helpCommand,
  follow: followCommand,
  unfollow: unfollowCommand,
  following: followingCommand,
  list: listCommand,
  history: historyCommand,
  update: updateCommand,
  digest: digestCommand,
  scorecard: scorecardCommand,
  report: reportCommand,
};

export function route(text: string): { handler: SubcommandHandler; args: string } {
  const trimmed = text.trim();
  // Only the first word: splitting megabytes of text into words would stall every other request.
  const first = /^\S*/.exec(trimmed)![0];
  const sub = SUBCOMMANDS[first.toLowerCase()];
  // The text after the verb as typed (not re-joined), so `/measures update` keeps its line breaks.
  if (sub && Object.hasOwn(SUBCOMMANDS, first.toLowerCase()))
    return { handler: sub, args: trimmed.slice(first.length).trim() };
  return { handler: askCommand, args: trimmed };
}

export function measuresCommand(deps: SlackDeps) {
  return async ({ ack, command, client, respond }: SlackCommandMiddlewareArgs & AllMiddlewareArgs): Promise<void> => {
    await ack();
    const { handler, args } = route(command.text ?? '');
    await afterAck(
      deps,
      newRequestId(),
      (log) => handler({ command, args, client, respond, deps, log }),
      async (err, log) => {
        log.error(`/measures "${(command.text ?? '').slice(0, 100)}" failed after the ack`, err);
        await replyPrivately({ log }, respond, failureMessage(err, handler, command.text ?? ''));
      },
    );
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
  return plainMessage(
    `:warning: Sorry, \`/measures ${escapeMrkdwn(verb)}\` did not work (${safeText(reason, 200)}). ` +
      'Please try again in a minute.',
  );
}
