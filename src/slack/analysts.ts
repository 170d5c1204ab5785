// Who may update measures from Slack: the user IDs in ANALYSTS and the members of the user
// group ANALYST_USERGROUP. The group is fetched with usergroups.users.list and cached for a
// few minutes, so a burst of replies costs one call and a change to the group shows soon.
// With neither setting nobody may update (the CLI is the way in then); app.ts warns at start.
import type { Logger, webApi } from '@slack/bolt';
import { slackErrorReason } from './slack-errors.ts';

/** How long a fetched group membership is trusted. */
export const GROUP_CACHE_MS = 5 * 60_000;

export type AnalystCheck =
  | { analyst: true }
  | { analyst: false; reason: 'not-configured' | 'not-analyst' }
  /** The group could not be read and nothing cached: say so rather than "you are not an analyst". */
  | { analyst: false; reason: 'unknown'; detail: string };

export interface AnalystDirectory {
  /** False when neither ANALYSTS nor ANALYST_USERGROUP is set: every Slack update is refused. */
  readonly configured: boolean;
  /** ANALYST_USERGROUP, so a refusal can name the group to ask. */
  readonly usergroup?: string;
  check(userId: string, client: webApi.WebClient): Promise<AnalystCheck>;
}

export interface AnalystOptions {
  ids?: readonly string[];
  usergroup?: string;
  logger?: Logger;
  cacheMs?: number;
  /** For tests. */
  now?: () => number;
}

export function createAnalystDirectory(options: AnalystOptions): AnalystDirectory {
  const ids = new Set(options.ids ?? []);
  const group = options.usergroup;
  const cacheMs = options.cacheMs ?? GROUP_CACHE_MS;
  const now = options.now ?? Date.now;
  let cached: { members: Set<string>; at: number } | null = null;
  let inFlight: Promise<Set<string>> | null = null;

  const fetchGroup = (client: webApi.WebClient, usergroup: string): Promise<Set<string>> => {
    // Concurrent checks share one call.
    inFlight ??= client.usergroups.users
      .list({ usergroup })
      .then((res) => {
        const members = new Set(res.users ?? []);
        cached = { members, at: now() };
        return members;
      })
      .finally(() => {
        inFlight = null;
      });
    return inFlight;
  };

  return {
    configured: ids.size > 0 || group !== undefined,
    ...(group ? { usergroup: group } : {}),
    async check(userId, client) {
      if (ids.has(userId)) return { analyst: true };
      if (!group) return { analyst: false, reason: ids.size > 0 ? 'not-analyst' : 'not-configured' };
      let members: Set<string>;
      if (cached && now() - cached.at < cacheMs) {
        members = cached.members;
      } else {
        try {
          members = await fetchGroup(client, group);
        } catch (err) {
          const detail = slackErrorReason(err);
          // A stale list is better than refusing every analyst while Slack has a hiccup.
          if (cached) {
            options.logger?.warn(
              `could not refresh analyst group ${group} (${detail}); ` +
                `using the list from ${Math.round((now() - cached.at) / 1000)} s ago`,
            );
            members = cached.members;
          } else {
            options.logger?.error(`could not read analyst group ${group}: ${detail}`);
            return { analyst: false, reason: 'unknown', detail };
          }
        }
      }
      return members.has(userId) ? { analyst: true } : { analyst: false, reason: 'not-analyst' };
    },
  };
}
