// At most one report per channel per window (5 minutes): a report is some seconds of CPU and a
// megabyte in the channel, and a second ask is almost always an impatient repeat. The asks live
// in the store (`reportAsks`, claimed under its lock), so replicas share the rule and a restart
// keeps it; entries older than the window are dropped on the next ask.
import type { MeasuresStore } from '../../store/index.ts';

export const REPORT_INTERVAL_MS = 5 * 60_000;

export interface ChannelLimit {
  /** null when the channel may ask now (and records the ask); else when it may ask again. */
  take(channel: string, now: Date): Promise<Date | null>;
  /** A build that failed does not count: the channel may ask again at once. */
  release(channel: string): Promise<void>;
}

export function createChannelLimit(store: MeasuresStore, intervalMs = REPORT_INTERVAL_MS): ChannelLimit {
  return {
    take(channel, now) {
      return store.mutate((draft) => {
        const recent = draft.reportAsks.filter((a) => now.getTime() - Date.parse(a.at) < intervalMs);
        const previous = recent.find((a) => a.channel === channel);
        draft.reportAsks = previous ? recent : [...recent, { channel, at: now.toISOString() }];
        return previous ? new Date(Date.parse(previous.at) + intervalMs) : null;
      });
    },
    async release(channel) {
      await store.mutate((draft) => {
        draft.reportAsks = draft.reportAsks.filter((a) => a.channel !== channel);
      });
    },
  };
}
