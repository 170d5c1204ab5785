// `/measures update <measure> <update text>`: issue 6 wires this to the update path from
// issue 3 (applyUpdate with source "slash", analysts only). Until then it says so.
import { replyPrivately } from '../../deliver-answer.ts';
import { notAvailableMessage } from '../../views/ephemeral-blocks.ts';
import type { CommandRequest } from './types.ts';

export async function updateCommand(request: CommandRequest): Promise<void> {
  await replyPrivately(request, request.respond, notAvailableMessage('update'));
}
