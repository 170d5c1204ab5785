// Who may update measures from Slack: ANALYSTS user IDs, members of ANALYST_USERGROUP
// (usergroups.users.list through the real WebClient against the fake Slack, cached a few
// minutes), and the settings.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webApi } from '@slack/bolt';
import { createAnalystDirectory, GROUP_CACHE_MS } from '../src/slack/analysts.ts';
import { readSlackConfig } from '../src/slack/config.ts';
import { type FakeSlack, startFakeSlack } from './helpers/fake-slack.ts';

let fake: FakeSlack;
let client: webApi.WebClient;

beforeAll(async () => {
  fake = await startFakeSlack();
  client = new webApi.WebClient('xoxb-test', { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } });
});
afterAll(async () => {
  await fake?.stop();
});

const lists = () => fake.callsTo('usergroups.users.list').length;

describe('the analyst directory', () => {
  it('knows listed IDs without asking Slack', async () => {
    const dir = createAnalystDirectory({ ids: ['U0A', 'U0B'] });
    const before = lists();
    expect(await dir.check('U0B', client)).toEqual({ analyst: true });
    expect(await dir.check('U0C', client)).toEqual({ analyst: false, reason: 'not-analyst' });
    expect(lists()).toBe(before);
  });

  it('reads the group once per cache period, shared by concurrent checks', async () => {
    fake.usergroups.set('S0G1', ['U0M1']);
    let clock = 1_000_000;
    const dir = createAnalystDirectory({ usergroup: 'S0G1', now: () => clock });
    const before = lists();
    const results = await Promise.all([dir.check('U0M1', client), dir.check('U0M1', client), dir.check('U0X', client)]);
    expect(results.map((r) => r.analyst)).toEqual([true, true, false]);
    expect(lists()).toBe(before + 1);

    fake.usergroups.set('S0G1', ['U0M1', 'U0NEW']);
    clock += GROUP_CACHE_MS - 1;
    expect((await dir.check('U0NEW', client)).analyst).toBe(false); // still the cached list
    clock += 2;
    expect((await dir.check('U0NEW', client)).analyst).toBe(true); // refreshed
    expect(lists()).toBe(before + 2);
  });

  it('keeps the last list when Slack fails, and says "unknown" when it has none', async () => {
    fake.usergroups.set('S0G2', ['U0M2']);
    let clock = 0;
    const dir = createAnalystDirectory({ usergroup: 'S0G2', now: () => clock });
    expect((await dir.check('U0M2', client)).analyst).toBe(true);
    clock += GROUP_CACHE_MS + 1;
    fake.fail('usergroups.users.list', { error: 'ratelimited' });
    expect((await dir.check('U0M2', client)).analyst).toBe(true);

    const fresh = createAnalystDirectory({ usergroup: 'S0G2' });
    fake.fail('usergroups.users.list', { error: 'internal_error' });
    expect(await fresh.check('U0M2', client)).toMatchObject({ analyst: false, reason: 'unknown' });
  });

  it('with neither setting nobody is an analyst', async () => {
    const dir = createAnalystDirectory({});
    expect(dir.configured).toBe(false);
    expect(await dir.check('U0ANY', client)).toEqual({ analyst: false, reason: 'not-configured' });
  });
});

describe('settings', () => {
  const base = { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's', MEASURES_STORE: '/tmp/x.json' };

  it('reads ANALYSTS and ANALYST_USERGROUP', () => {
    const config = readSlackConfig({ ...base, ANALYSTS: ' U0A, U0B ,', ANALYST_USERGROUP: 'S0GROUP' });
    expect(config.analysts).toEqual(['U0A', 'U0B']);
    expect(config.analystUsergroup).toBe('S0GROUP');
    expect(readSlackConfig(base)).toMatchObject({ analysts: [], analystUsergroup: undefined });
  });

  it('refuses names where IDs are needed, in one line', () => {
    expect(() => readSlackConfig({ ...base, ANALYSTS: 'U0A,@jane' })).toThrow(
      /^ANALYSTS must be Slack user IDs.*"@jane"/,
    );
    expect(() => readSlackConfig({ ...base, ANALYST_USERGROUP: '@analysts' })).toThrow(
      /^ANALYST_USERGROUP must be a user group ID/,
    );
  });
});
