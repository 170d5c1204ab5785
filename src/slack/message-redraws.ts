// What the bot remembers about its own messages, and the one-at-a-time queue of their redraws.
import { LRUCache } from 'lru-cache';

// Every chat.update of one bot message goes through here, one at a time, keyed `channel:ts`.
// Why: the first chart redraw after posting can take seconds (a cold render, then retries
// while Slack processes the file), and an analyst's update can redraw the same message
// meanwhile. Run side by side, whichever finished last won, and that could be the older
// answer without its "Updated … by" line. In one queue, a redraw queued later lands later,
// and each redraw reads the store and the latest footer when it starts, not when queued.
export interface MessageRedraws {
  /** Runs `redraw` after every redraw of (channel, ts) queued before it has settled. */
  run<T>(channel: string, ts: string, redraw: () => Promise<T>): Promise<T>;
  /** The foot lines the message shows now ("Updated … by …"), so a later redraw keeps them. */
  footer(channel: string, ts: string): string[] | undefined;
  setFooter(channel: string, ts: string, footer: string[]): void;
  /** Who asked for the message, so every redraw still says so. */
  askedBy(channel: string, ts: string): string | undefined;
  setAskedBy(channel: string, ts: string, userId: string): void;
  /** The ts of the answer's Details reply in its thread, once posted. */
  details(channel: string, ts: string): string | undefined;
  setDetails(channel: string, ts: string, replyTs: string): void;
}

export const messageKey = (channel: string, ts: string): string => `${channel}:${ts}`;

/** What the bot remembers per message (footers, shared charts) is kept for this many messages. */
const MESSAGES_REMEMBERED = 5000;

/**
 * Memory about bot messages, keyed by messageKey, for a bot that runs for months: beyond `max`
 * messages, the one written least recently is forgotten. Read it with peek(), so that reading
 * does not count as a use. (lru-cache holds no null or undefined values.)
 */
export function messageMemory<V extends NonNullable<unknown>>(max = MESSAGES_REMEMBERED): LRUCache<string, V> {
  return new LRUCache<string, V>({ max });
}

export function createMessageRedraws(): MessageRedraws {
  const tails = new Map<string, Promise<unknown>>();
  const footers = messageMemory<string[]>();
  const askers = messageMemory<string>();
  const details = messageMemory<string>();
  return {
    run(channel, ts, redraw) {
      const key = messageKey(channel, ts);
      const previous = tails.get(key) ?? Promise.resolve();
      // A failed redraw must not block the next one: both outcomes move the queue on.
      const next = previous.then(redraw, redraw);
      const tail = next.catch(() => undefined);
      tails.set(key, tail);
      void tail.then(() => {
        if (tails.get(key) === tail) tails.delete(key);
      });
      return next;
    },
    footer: (channel, ts) => footers.peek(messageKey(channel, ts)),
    setFooter(channel, ts, footer) {
      footers.set(messageKey(channel, ts), footer);
    },
    askedBy: (channel, ts) => askers.peek(messageKey(channel, ts)),
    setAskedBy(channel, ts, userId) {
      askers.set(messageKey(channel, ts), userId);
    },
    details: (channel, ts) => details.peek(messageKey(channel, ts)),
    setDetails(channel, ts, replyTs) {
      details.set(messageKey(channel, ts), replyTs);
    },
  };
}
