// `/measures digest [now]`: issue 7 previews or posts the weekly digest here. Until then it says so.
import { replyPrivately } from '../../deliver-answer.ts';
import { notAvailableMessage } from '../../views/ephemeral-blocks.ts';
import type { CommandRequest } from './types.ts';

export async function digestCommand(request: CommandRequest): Promise<void> {
  await replyPrivately(request, request.respond, notAvailableMessage('digest'));
}
