// Slack retries an event it thinks we missed (X-Slack-Retry-Num; Socket Mode retry_attempt),
// and can deliver the same event twice. Bolt acks events before global middleware runs, so
// dropping a repeat here answers Slack with 200 and processes the event once.
import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';

export function dedupeEvents(capacity = 10_000): Middleware<AnyMiddlewareArgs> {
  /** A Set iterates in insertion order, so the oldest id is evicted first. */
  const seen = new Set<string>();
  return async ({ body, context, logger, next }) => {
    const eventId = (body as { event_id?: unknown }).event_id;
    if (typeof eventId === 'string') {
      if (seen.has(eventId)) {
        logger.info(`event ${eventId} already handled; ignoring delivery (retry ${context.retryNum ?? 'none'}, ${context.retryReason ?? 'duplicate'})`);
        return;
      }
      seen.add(eventId);
      if (seen.size > capacity) seen.delete(seen.values().next().value!);
    }
    await next();
  };
}
