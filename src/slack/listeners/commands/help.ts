import { replyPrivately } from '../../deliver-answer.ts';
import { helpMessage } from '../../views/ephemeral-blocks.ts';
import type { CommandRequest } from './types.ts';

export async function helpCommand(request: CommandRequest): Promise<void> {
  await replyPrivately(request, request.respond, helpMessage());
}
