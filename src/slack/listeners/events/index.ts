// Events API listeners. Retries and duplicate deliveries are dropped before any listener runs
// (middleware/dedupe-events.ts), so listeners here may assume each event arrives once.
import type { App } from '@slack/bolt';
import type { SlackDeps } from '../../deps.ts';

export function register(_app: App, _deps: SlackDeps): void {
  // None yet. Message events in bound threads are registered in ../messages (issue 6).
}
