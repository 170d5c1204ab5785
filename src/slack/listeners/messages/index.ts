// Message listeners. Issue 6 registers the thread-reply handler here: a reply has
// thread_ts !== ts (do not rely on the message_replied subtype), and only threads bound in the
// store (thread-bindings.ts findBinding) are ours. After applying an update it calls
// refreshAnswer (post-answer.ts) to redraw the parent.
import type { App } from '@slack/bolt';
import type { SlackDeps } from '../../deps.ts';

export function register(_app: App, _deps: SlackDeps): void {
  // Nothing yet.
}
