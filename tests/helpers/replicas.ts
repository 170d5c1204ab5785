// Several `npm start` processes on one store, as a force would run replicas behind a load
// balancer, against one fake Slack: for the multi-replica test and bench/replicas.ts.
import { DateTime } from 'luxon';
import { startBotProcess, type BotProcess } from './bot-process.ts';
import type { FakeSlack } from './fake-slack.ts';
import { TEST_SIGNING_SECRET } from './slack-requests.ts';

export const ANALYST = 'U0ANALYST';

/** A DIGEST_SCHEDULE ("Sun 12:16", UTC) for the minute that has just passed: due at start, not yet posted. */
export function scheduleJustPassed(now = DateTime.utc()): string {
  return now.minus({ minutes: 1 }).toFormat('ccc HH:mm');
}

/** Starts `count` bots together on `store` (a file or a postgres:// URL); resolves once all are healthy. */
export async function startReplicas(
  count: number,
  fake: FakeSlack,
  store: string,
  env: Record<string, string> = {},
): Promise<BotProcess[]> {
  const started = await Promise.allSettled(
    Array.from({ length: count }, async () => {
      const bot = await startBotProcess(
        {
          SLACK_BOT_TOKEN: 'xoxb-replica',
          SLACK_SIGNING_SECRET: TEST_SIGNING_SECRET,
          SLACK_API_URL: fake.apiUrl,
          MEASURES_STORE: store,
          ANALYSTS: ANALYST,
          LOG_LEVEL: 'info',
          ...env,
        },
        { ready: false },
      );
      // Outside a test (beforeAll, the bench) expect.poll is not available: wait here, bounded.
      const until = Date.now() + 60_000;
      while ((await bot.health()) !== 200) {
        if (Date.now() > until) {
          bot.kill();
          throw new Error(`a replica did not become healthy within 60 s:\n${bot.log()}`);
        }
        await new Promise((r) => setTimeout(r, 100));
      }
      return bot;
    }),
  );
  const bots = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const failed = started.find((s) => s.status === 'rejected');
  if (failed) {
    for (const b of bots) b.kill();
    throw (failed as PromiseRejectedResult).reason;
  }
  return bots;
}
