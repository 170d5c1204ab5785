// Two bot processes (replicas) on one store both see a change; only one republishes the Home
// tabs, so the workspace's views.publish budget is not spent twice. Real WebClients against
// the fake Slack; two file-store instances on one file stand in for two replicas.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { webApi } from '@slack/bolt';
import { type FakeSlack, startFakeSlack } from './helpers/fake-slack.ts';
import { tempStoreFile } from './helpers/store-temp.ts';
import { openStore, type MeasuresStore } from '../src/store/index.ts';
import { createHomePublisher, type HomePublisher } from '../src/slack/home/publisher.ts';
import { createLogger } from '../src/slack/logger.ts';

const now = new Date('2026-11-20T10:00:00Z');
let fake: FakeSlack;
let stores: MeasuresStore[] = [];
let publishers: HomePublisher[] = [];

beforeAll(async () => {
  fake = await startFakeSlack();
  const file = tempStoreFile((s) => {
    s.homeViewers = [
      { user: 'U0VIEWER1', openedAt: new Date(now.getTime() - 3_600_000).toISOString() },
      { user: 'U0VIEWER2', openedAt: new Date(now.getTime() - 7_200_000).toISOString() },
    ];
  });
  stores = await Promise.all([1, 2].map(() => openStore(file, { watch: true, pollIntervalMs: 20 })));
  const log = createLogger({ write: () => undefined });
  publishers = stores.map((store) =>
    createHomePublisher({
      client: new webApi.WebClient('xoxb-test', { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } }),
      store,
      now: () => now,
      log,
      intervalMs: 1,
      watchEveryMs: 20,
    }),
  );
});
afterAll(async () => {
  await Promise.all(publishers.map((p) => p.stop()));
  await Promise.all(stores.map((s) => s.close()));
  await fake?.stop();
});

it('republishes each recent viewer’s tab once after a change, though both replicas saw it', async () => {
  await stores[0]!.mutate((d) => {
    d.priorities[0]!.measures[0]!.trend.label = 'Moderate increase';
  });
  // Both replicas have the change, and whoever claimed it has published both tabs.
  await expect
    .poll(() => stores.every((s) => s.snapshot().priorities[0]!.measures[0]!.trend.label === 'Moderate increase'))
    .toBe(true);
  await expect.poll(() => fake.calls.filter((c) => c.method === 'views.publish').length).toBe(2);
  // Time for a second replica's round, had it claimed one too.
  await new Promise((r) => setTimeout(r, 300));
  const published = fake.calls.filter((c) => c.method === 'views.publish').map((c) => c.params.user_id);
  expect(published.sort()).toEqual(['U0VIEWER1', 'U0VIEWER2']);
});
