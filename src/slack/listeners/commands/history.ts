// `/measures history <measure or priority>`: the recent change-log entries, for the asker.
import { buildAnswer } from '../../../measures/answer.ts';
import { historyEntries } from '../../../store/index.ts';
import { replyPrivately } from '../../post-answer.ts';
import { choiceMessage } from '../../views/ephemeral-blocks.ts';
import { historyMessage } from '../../views/history-blocks.ts';
import type { CommandRequest } from './index.ts';

export async function historyCommand(request: CommandRequest): Promise<void> {
  const store = request.deps.store.snapshot();
  const query = request.args.replace(/^(of|for|on)\s+/i, '');
  if (!query) {
    await replyPrivately(request, request.respond, historyMessage(store, 'all measures', historyEntries(store), true));
    return;
  }
  const answer = buildAnswer(store, query);
  switch (answer.kind) {
    case 'measure':
      await replyPrivately(
        request,
        request.respond,
        historyMessage(store, answer.measure.title, historyEntries(store, { measureId: answer.measure.id })),
      );
      return;
    case 'priority':
      await replyPrivately(
        request,
        request.respond,
        historyMessage(store, answer.priority.title, historyEntries(store, { priorityId: answer.priority.id }), true),
      );
      return;
    case 'ambiguous':
    case 'not-found':
      await replyPrivately(request, request.respond, choiceMessage(answer));
      return;
    default:
      await replyPrivately(
        request,
        request.respond,
        choiceMessage({ kind: 'not-found', query, candidates: [], candidateRefs: [] }),
      );
  }
}
