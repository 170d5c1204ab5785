// Every chat.update of one bot message goes through here, one at a time, keyed `channel:ts`.
// Why: the first chart redraw after posting can take seconds (a cold render, then retries
// while Slack processes the file), and an analyst's update can redraw the same message
// meanwhile. Run side by side, whichever finished last won, and that could be the older
// answer without its "Updated … by" line. In one queue, a redraw queued later lands later,
// and each redraw reads the store and the latest footer when it starts, not when queued.
import { BoundedMap } from './bounded-map.ts';

export interface MessageRedraws {
  /** Runs `redraw` after every redraw of (channel, ts) queued before it has settled. */
  run<T>(channel: string, ts: string, redraw: () => Promise<T>): Promise<T>;
  /** The foot lines the message shows now ("Updated … by …"), so a later redraw keeps them. */
  footer(channel: string, ts: string): string[] | undefined;
  setFooter(channel: string, ts: string, footer: string[]): void;
}

export const messageKey = (channel: string, ts: string): string => `${channel}:${ts}`;

/** Footers are remembered for this many messages; the oldest are forgotten first. */
const MAX_FOOTERS = 5000;

export function createMessageRedraws(): MessageRedraws {
  const tails = new Map<string, Promise<unknown>>();
  const footers = new BoundedMap<string, string[]>(MAX_FOOTERS);
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
    footer: (channel, ts) => footers.get(messageKey(channel, ts)),
    setFooter(channel, ts, footer) {
      footers.set(messageKey(channel, ts), footer);
    },
  };
}
