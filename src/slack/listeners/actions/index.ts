import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import type { SlackDeps } from '../../deps.ts';
import { PICK_ACTION_PATTERN } from '../../views/ephemeral-blocks.ts';
import { pickAnswer } from './pick-answer.ts';

export function register(app: App, deps: SlackDeps): void {
  app.action<BlockAction<ButtonAction>>({ type: 'block_actions', action_id: PICK_ACTION_PATTERN }, pickAnswer(deps));
}
