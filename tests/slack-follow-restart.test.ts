// Follower DMs across processes and restarts: the change log, not the update code path, drives
// them. Changes made before the bot first starts are not replayed; follows survive a restart;
// an import from the CLI (another process) reaches the follower through the store's watcher.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeSlack, startFakeSlack } from './helpers/fake-slack.ts';
import { type RunningBot, startBot } from './helpers/slack-app.ts';
import { addFollow, exitOf, spawnMeasures, tempStoreFile, measuresInProcess } from './helpers/store-temp.ts';
import { freshBuild } from './helpers/fresh-build.ts';
import { PACKAGE_ROOT } from '../src/paths.ts';
import { findMeasure } from '../src/store/lookup.ts';
import { blocksText } from './helpers/slack-threads.ts';

const STREET_FILE = path.resolve(
  PACKAGE_ROOT,
  '..',
  'shared',
  'data',
  'police-uk',
  '2021-11-avon-and-somerset-street.csv',
);

let fake: FakeSlack;
let storeFile: string;
const bots: RunningBot[] = [];

beforeAll(async () => {
  freshBuild();
  fake = await startFakeSlack();
  storeFile = tempStoreFile((s) => {
    addFollow(s, 'U0FAN', 'robbery');
    // The street file's November figure will replace this one, so the import is a change.
    const point = findMeasure(s, 'robbery')!.measure.series!.points.find((p) => p.period === '2021-11')!;
    point.value = 0.01;
  });
}, 60_000);
afterAll(async () => {
  for (const b of bots) await b.stop();
  await fake?.stop();
});

const dmsTo = (user: string) =>
  fake.calls.filter((c) => c.method === 'chat.postMessage' && c.params.channel === `D${user}`);

async function start(): Promise<RunningBot> {
  const bot = await startBot(fake, { storeFile, watch: true });
  bots.push(bot);
  return bot;
}

async function quiet(ms = 400): Promise<void> {
  await new Promise((r) => setTimeout(r, ms));
}

describe('follower DMs across processes', () => {
  it('does not replay changes made before the bot first started', async () => {
    const done = await measuresInProcess(
      ['update', 'robbery', 'comment: before the bot', '--as', 'U0EARLY'],
      storeFile,
    );
    expect(done.code).toBe(0);
    await start();
    await quiet();
    expect(dmsTo('U0FAN')).toHaveLength(0);
  });

  it('keeps follows across a restart and DMs about a CLI update made while it was down', async () => {
    await bots.pop()!.stop();
    const done = await measuresInProcess(
      ['update', 'robbery', 'comment: while the bot was down', '--as', 'U0CLI'],
      storeFile,
    );
    expect(done.code).toBe(0);
    const bot = await start();
    expect(bot.store.snapshot().follows.map((f) => f.user)).toEqual(['U0FAN']);
    const dm = await fake.waitFor((c) => c.method === 'chat.postMessage' && c.params.channel === 'DU0FAN', 5000);
    expect(blocksText(dm)).toContain('while the bot was down');
  });

  it('DMs the follower about an import run from the CLI in another process', async () => {
    const seen = fake.calls.length;
    const exit = await exitOf(spawnMeasures(['import', 'police-uk', STREET_FILE, '--as', 'U0IMPORTER'], storeFile));
    expect(exit.code).toBe(0);
    // The same measure within ten minutes of the last DM: that DM is edited to add the import.
    const dm = await fake.waitFor(
      (c) => fake.calls.indexOf(c) >= seen && c.method === 'chat.update' && c.params.channel === 'DU0FAN',
      10_000,
    );
    const text = blocksText(dm);
    expect(text).toMatch(/Police recorded robbery offences figure/);
    expect(text).toContain('By <@U0IMPORTER>');
    expect(text).toContain('while the bot was down');
    await quiet();
    expect(dmsTo('U0FAN')).toHaveLength(1);
  }, 20_000);
});
