// Which Web API client a call goes through. @slack/web-api answers a 429 by pausing its client's
// whole request queue for Retry-After, so on one shared client a single rate-limited redraw
// would hold back every officer's answer for as long as Slack asks. Each client below has its
// own queue, so a pause on one never delays the other:
//
// - answers: what someone is waiting for after typing or clicking: the chat.postMessage of an
//   answer, the replies via response_url and chat.postEphemeral, the confirmation under an
//   analyst's update, the analyst check (usergroups.users.list). This is the client Bolt hands
//   to listeners.
// - redraws: what changes a message already in the channel: the chart's upload and sharing,
//   and chat.update of an answer (its chart, and the refresh after an update). The text of the
//   answer is already out when these run, so waiting out a 429 here costs nobody an answer.
// - follower DMs: a background client like redraws, with a queue of its own, so a burst of DMs
//   that Slack rate-limits (500 followers of one measure) delays neither answers nor charts.
// - the digest has a client of its own too (src/slack/digest/runtime.ts), which hands rate
//   limits back to the caller instead of waiting.
import { webApi } from '@slack/bolt';

/** A Web API client with the same token and options as the answers' client, and its own queue. */
export function createRedrawClient(token: string, options: webApi.WebClientOptions): webApi.WebClient {
  return new webApi.WebClient(token, options);
}

/**
 * The background client: work nobody is waiting on, such as republishing Home tabs after a
 * change. A 429 is handed back to the caller (rejectRateLimitedCalls) with its Retry-After,
 * so the caller's own paced queue waits it out, rather than this client pausing every call.
 */
export function createBackgroundClient(token: string, options: webApi.WebClientOptions): webApi.WebClient {
  return new webApi.WebClient(token, { ...options, rejectRateLimitedCalls: true });
}
