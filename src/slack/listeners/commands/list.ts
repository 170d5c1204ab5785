import { listView } from '../../../measures/answer.ts';
import { replyPrivately } from '../../deliver-answer.ts';
import { listMessage } from '../../views/ephemeral-blocks.ts';
import type { CommandRequest } from './types.ts';

export async function listCommand(request: CommandRequest): Promise<void> {
  const answer = { kind: 'list' as const, query: 'list', ...listView(request.deps.store.snapshot()) };
  await replyPrivately(request, request.respond, listMessage(answer));
}
