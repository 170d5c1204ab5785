import type { App } from '@slack/bolt';
import type { SlackDeps } from '../../deps.ts';
import { measuresCommand } from './measures-command.ts';

export const MEASURES_COMMAND = '/measures';

export function register(app: App, deps: SlackDeps): void {
  app.command(MEASURES_COMMAND, measuresCommand(deps));
}
