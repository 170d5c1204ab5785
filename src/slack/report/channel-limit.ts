// At most one report per channel per window (5 minutes): a report is some seconds of CPU and a
// megabyte in the channel, and a second ask is almost always an impatient repeat. In memory: a
// restart forgets, which costs at most one extra report.
export const REPORT_INTERVAL_MS = 5 * 60_000;

export interface ChannelLimit {
  /** null when the channel may ask now (and records the ask); else when it may ask again. */
  take(channel: string, now: Date): Date | null;
  /** A build that failed does not count: the channel may ask again at once. */
  release(channel: string): void;
}

export function createChannelLimit(intervalMs = REPORT_INTERVAL_MS, maxChannels = 10_000): ChannelLimit {
  const last = new Map<string, number>();
  return {
    take(channel, now) {
      const t = now.getTime();
      const previous = last.get(channel);
      if (previous !== undefined && t - previous < intervalMs) return new Date(previous + intervalMs);
      last.delete(channel);
      last.set(channel, t);
      // Oldest first (Map keeps insertion order): a bounded memory whatever the workspace's size.
      while (last.size > maxChannels) last.delete(last.keys().next().value!);
      return null;
    },
    release(channel) {
      last.delete(channel);
    },
  };
}
