import type { RespondFn, SlashCommand, webApi } from '@slack/bolt';
import type { SlackDeps } from '../../deps.ts';
import type { RequestLog } from '../../request-log.ts';

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
