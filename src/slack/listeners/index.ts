// Every listener is registered here, one folder per Slack feature (bolt-ts-starter-template layout).
import type { App } from '@slack/bolt';
import type { SlackDeps } from '../deps.ts';
import * as actions from './actions/index.ts';
import * as commands from './commands/index.ts';
import * as messages from './messages/index.ts';

export function registerListeners(app: App, deps: SlackDeps): void {
  commands.register(app, deps);
  actions.register(app, deps);
  messages.register(app, deps);
}
