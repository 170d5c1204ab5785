// `/measures <question>`: a measure or priority is posted in the channel; everything else
// (usage, list, choices, definitions, not found) is for the asker only.
import { cachedAnswer } from '../../answer-cache.ts';
import { deliverAnswer, replyPrivately } from '../../deliver-answer.ts';
import { choiceMessage, glossaryMessage, helpMessage, listMessage } from '../../views/ephemeral-blocks.ts';
import type { CommandRequest } from './types.ts';

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
      await deliverAnswer({ client, deps, log }, { channel: command.channel_id, answer, store, respond });
      return;
  }
}
