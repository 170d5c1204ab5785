// Signed event callbacks Slack does not send: `event` null, a string or an array, or an event
// without a type. A non-object `event` makes Bolt throw before any listener or middleware runs,
// which it answers with HTTP 500, and Slack retries a 5xx up to three times although no retry
// can fix the body. Such a callback is acknowledged with 200, logged, and processed no further:
// Bolt's error handler catches the throwing kinds (app.ts), this middleware the rest.
import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';

export interface MalformedEvent {
  eventId: string | null;
  problem: string;
}

/** What is wrong with an Events API body, or null when it is not an event callback or its event looks right. */
export function eventCallbackProblem(body: unknown): MalformedEvent | null {
  if (typeof body !== 'object' || body === null) return null;
  const { type, event, event_id: eventId } = body as { type?: unknown; event?: unknown; event_id?: unknown };
  if (type !== 'event_callback') return null;
  const id = typeof eventId === 'string' ? eventId : null;
  const what = event === null ? 'null' : Array.isArray(event) ? 'an array' : typeof event;
  if (what !== 'object') return { eventId: id, problem: `"event" is ${what}, not an object` };
  if (typeof (event as { type?: unknown }).type !== 'string') return { eventId: id, problem: '"event" has no type' };
  return null;
}

/** The same for a raw body; parses it, so it is for Bolt's error path only, never every request. */
export function malformedEventCallback(rawBody: Buffer | undefined): MalformedEvent | null {
  if (!rawBody) return null;
  try {
    return eventCallbackProblem(JSON.parse(rawBody.toString('utf8')));
  } catch {
    return null; // not JSON: a form body (a command or a click), which has errors of its own
  }
}

export function malformedEventText(m: MalformedEvent): string {
  return (
    `malformed event callback ${m.eventId ?? '(no event_id)'}: ${m.problem}; ` +
    'acknowledged (HTTP 200) so that Slack does not retry it, and ignored'
  );
}

/** Drops a malformed event callback Bolt let through; Bolt has already acked events by now. */
export function dropMalformedEvents(): Middleware<AnyMiddlewareArgs> {
  return async ({ body, logger, next }) => {
    const malformed = eventCallbackProblem(body);
    if (malformed) {
      logger.warn(malformedEventText(malformed));
      return;
    }
    await next();
  };
}
