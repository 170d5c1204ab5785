// Who may post the digest now: the analysts (ANALYSTS user IDs, members of ANALYST_USERGROUP),
// the same people who may update measures (issue 6). With neither setting, nobody may.
import type { webApi } from '@slack/bolt';

export type AnalystCheck = (userId: string, client: webApi.WebClient) => Promise<boolean>;

export function analystCheckFromEnv(env: NodeJS.ProcessEnv): AnalystCheck {
  const listed = new Set((env.ANALYSTS ?? '').split(',').map((s) => s.trim()).filter(Boolean));
  const group = env.ANALYST_USERGROUP?.trim() || null;
  return async (userId, client) => {
    if (listed.has(userId)) return true;
    if (!group) return false;
    const res = await client.usergroups.users.list({ usergroup: group });
    return (res.users ?? []).includes(userId);
  };
}
