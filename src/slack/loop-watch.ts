// Logs when the event loop was blocked long enough to delay Slack's acks, so a slow ack in
// the field can be tied to what the bot was doing at the time.
import type { Logger } from '@slack/bolt';

const TICK_MS = 50;

export function watchEventLoop(logger: Logger, thresholdMs = 100): () => void {
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    const late = now - last - TICK_MS;
    last = now;
    if (late > thresholdMs) logger.warn(`event loop blocked for ${Math.round(late)} ms; acks waited as long`);
  }, TICK_MS);
  timer.unref();
  return () => clearInterval(timer);
}
