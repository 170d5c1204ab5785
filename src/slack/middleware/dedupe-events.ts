// Slack retries an event it thinks we missed (X-Slack-Retry-Num; Socket Mode retry_attempt),
// and can deliver the same event twice. Bolt acks events before global middleware runs, so
// dropping a repeat here answers Slack with 200 and processes the event once.
import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';
import { LRUCache } from 'lru-cache';
import type { MeasuresStore } from '../../store/index.ts';

/**
 * With a store shared by replicas (claimOnce), a repeat delivered to another replica is
 * dropped there too. If the store cannot be asked, the event is handled: its work meets the
 * same store, and an update is applied once whatever happens (the change log's messageId).
 */
export function dedupeEvents(
  capacity = 10_000,
  shared?: Pick<MeasuresStore, 'claimOnce'>,
): Middleware<AnyMiddlewareArgs> {
  /** has() does not count as a use, so the id seen first is the first forgotten. */
  const seen = new LRUCache<string, true>({ max: capacity });
  return async ({ body, context, logger, next }) => {
    const eventId = (body as { event_id?: unknown }).event_id;
    if (typeof eventId === 'string') {
      if (seen.has(eventId)) {
        logger.info(
          `event ${eventId} already handled; ignoring delivery ` +
            `(retry ${context.retryNum ?? 'none'}, ${context.retryReason ?? 'duplicate'})`,
        );
        return;
      }
      seen.set(eventId, true);
      const first = await shared?.claimOnce?.(eventId).catch(() => true);
      if (first === false) {
        logger.info(`event ${eventId} already handled by another replica; ignoring delivery`);
        return;
      }
    }
    await next();
  };
}
