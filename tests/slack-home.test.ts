// The Home tab over real HTTP against the fake Slack: app_home_opened publishes the scorecard
// (followed measures first, every measure, within 100 blocks), a measure's button sends its
// answer to the user's DM, and a store change republishes for recent viewers only, paced, with
// 429 Retry-After honoured.
import { describe, expect, it } from 'vitest';
import type { FakeSlack, RecordedCall, SlackBlock } from './helpers/fake-slack.ts';
import { type RunningBot, startBotForFile } from './helpers/slack-app.ts';
import { eventCallbackBody, FORM, JSON_TYPE, sendToBot } from './helpers/slack-requests.ts';
import { allMeasures, findMeasure } from '../src/store/index.ts';
import { seedStore } from './helpers/seed.ts';

let fake: FakeSlack;
let bot: RunningBot;
const NOW = new Date('2026-11-29T12:00:00Z');
const DAY = 24 * 60 * 60 * 1000;
const TITLES = allMeasures(seedStore()).map((m) => m.title);
const EVIL = 'Stable <!channel> & <https://evil.example|x>';

startBotForFile(
  {
    now: () => NOW,
    prepareStore: (draft) => {
      const since = '2026-11-01T00:00:00Z';
      draft.follows.push(
        { user: 'U0FOLLOWER', target: { kind: 'measure', id: 'robbery' }, mode: 'follow', since },
        { user: 'U0FOLLOWER', target: { kind: 'measure', id: 'rape-charge-rate' }, mode: 'follow', since },
      );
      for (const p of draft.priorities)
        draft.follows.push({ user: 'U0ALL', target: { kind: 'priority', id: p.id }, mode: 'follow', since });
      draft.homeViewers.push(
        { user: 'U0RECENT', openedAt: new Date(NOW.getTime() - DAY).toISOString() },
        { user: 'U0OLD', openedAt: new Date(NOW.getTime() - 8 * DAY).toISOString() },
      );
    },
  },
  (started) => ({ fake, bot } = started),
);

let events = 0;
async function openHome(user: string, tab = 'home'): Promise<void> {
  const body = eventCallbackBody({
    event_id: `Ev0HOME${++events}`,
    event: { type: 'app_home_opened', user, channel: `D0${user}`, tab, event_ts: `${Date.now() / 1000}` },
  });
  const res = await sendToBot(bot.url, body, JSON_TYPE);
  expect(res.status).toBe(200);
}

function publishesFor(user: string): RecordedCall[] {
  return fake.callsTo('views.publish').filter((c) => c.params.user_id === user);
}

function textOf(block: SlackBlock): string {
  return block.text?.text ?? (block.elements ?? []).map((e) => (typeof e.text === 'string' ? e.text : '')).join(' ');
}

/** The measure titles of the view's sections, in order (each section starts "*Title*"). */
function sectionTitles(blocks: SlackBlock[]): string[] {
  return blocks.filter((b) => b.type === 'section').map((b) => /^\*(.+?)\*/.exec(b.text!.text)![1]!);
}

describe('app_home_opened', () => {
  it('publishes the scorecard: the followed measures first, then all 19 under their priorities', async () => {
    await openHome('U0FOLLOWER');
    const call = await fake.waitFor((c) => c.method === 'views.publish' && c.params.user_id === 'U0FOLLOWER');
    const view = call.params.view!;
    expect(view.type).toBe('home');
    const titles = sectionTitles(view.blocks);
    expect(titles.slice(0, 2)).toEqual(['Police recorded robbery offences', 'Charge rate for Rape offences']);
    expect(titles.slice(2)).toEqual(TITLES);
    const robbery = view.blocks.filter((b) => b.type === 'section')[0]!;
    expect(robbery.text!.text).toContain('8th of 8 in MSG, :red_circle: worst three');
    expect(robbery.text!.text).toContain('Dec 21: 125 crimes, −1% on Nov 21');
    expect(robbery.text!.text).toContain('out of date');
    expect(view.blocks.length).toBeLessThanOrEqual(100);
  });

  it('stays within the Home tab’s 100 blocks when a user follows every measure', async () => {
    await openHome('U0ALL');
    const call = await fake.waitFor((c) => c.method === 'views.publish' && c.params.user_id === 'U0ALL');
    const blocks = call.params.view!.blocks;
    expect(sectionTitles(blocks)).toEqual([...TITLES, ...TITLES]);
    // 19 followed + 19 in place + 8 headers + 2 context lines + a divider.
    expect(blocks).toHaveLength(50);
  });

  it('notes the viewer in the store once an hour, and ignores the Messages tab', async () => {
    await openHome('U0FOLLOWER');
    await openHome('U0MESSAGES', 'messages');
    await bot.slack.deps.work.drain(2000);
    const rows = bot.store.snapshot().homeViewers.filter((v) => v.user === 'U0FOLLOWER');
    expect(rows).toEqual([{ user: 'U0FOLLOWER', openedAt: NOW.toISOString() }]);
    expect(bot.store.snapshot().homeViewers.some((v) => v.user === 'U0MESSAGES')).toBe(false);
    expect(publishesFor('U0MESSAGES')).toHaveLength(0);
  });

  it('escapes store text in the view', async () => {
    await bot.store.mutate((d) => {
      findMeasure(d, 'vehicle-crime')!.measure.trend.label = EVIL;
    });
    await openHome('U0ESCAPE');
    const call = await fake.waitFor(
      (c) =>
        c.method === 'views.publish' && c.params.user_id === 'U0ESCAPE' && JSON.stringify(c.params).includes('evil'),
    );
    const all = call.params.view!.blocks.map(textOf).join('\n');
    expect(all).toContain('Stable &lt;!channel&gt; &amp; &lt;https://evil.example|x&gt;');
    expect(all).not.toContain('<!channel>');
    // U0ESCAPE follows nothing: the scorecard starts with the first priority, after a word on follows.
    expect(all).toContain('You follow no measures yet');
    expect(sectionTitles(call.params.view!.blocks)).toEqual(TITLES);
    // The change republishes for every recent viewer; the one who opened it longest ago is last.
    await fake.waitFor(
      (c) =>
        c.method === 'views.publish' && c.params.user_id === 'U0RECENT' && JSON.stringify(c.params).includes('evil'),
      10_000,
    );
  });
});

describe('the measure button', () => {
  it('sends that measure’s answer to the user in their messages with the bot', async () => {
    const body = {
      type: 'block_actions',
      team: { id: 'T0FAKE', domain: 'fake' },
      user: { id: 'U0FOLLOWER', username: 'follower', team_id: 'T0FAKE' },
      api_app_id: 'A0MEASURES',
      token: 'legacy-unused',
      container: { type: 'view', view_id: 'V0HOME' },
      trigger_id: `${Date.now()}.3.ghi`,
      view: { id: 'V0HOME', type: 'home', blocks: [] },
      actions: [
        {
          type: 'button',
          action_id: 'home_answer_7',
          block_id: 'b7',
          value: 'burglary',
          text: { type: 'plain_text', text: 'Send me the answer' },
          action_ts: `${Date.now() / 1000}`,
        },
      ],
    };
    const res = await sendToBot(bot.url, new URLSearchParams({ payload: JSON.stringify(body) }).toString(), FORM);
    expect(res.status).toBe(200);
    const post = await fake.waitFor((c) => c.method === 'chat.postMessage' && c.params.channel === 'U0FOLLOWER');
    expect(post.params.text).toContain('Police recorded burglary offences');
    expect(JSON.stringify(post.params.blocks)).toContain('Moderate Reduction');
  });
});

describe('after a store change', () => {
  it('republishes for who opened the tab in the last 7 days, not for one from 8 days ago', async () => {
    const before = fake.callsTo('views.publish').length;
    await bot.store.mutate((d) => {
      findMeasure(d, 'robbery')!.measure.trend = { label: 'Large increase', asOf: '2026-11-28' };
    });
    const call = await fake.waitFor(
      (c) =>
        c.method === 'views.publish' &&
        c.params.user_id === 'U0RECENT' &&
        JSON.stringify(c.params.view).includes('Large increase'),
      5000,
    );
    expect(call).toBeTruthy();
    // Everyone recent, most recent first: those who opened it in this file (now), then U0RECENT (a day ago).
    await fake.waitFor((c) => c.method === 'views.publish' && c.params.user_id === 'U0RECENT', 5000);
    const after = fake.callsTo('views.publish').slice(before);
    const users = after.map((c) => c.params.user_id);
    expect(users.at(-1)).toBe('U0RECENT');
    expect(users).not.toContain('U0OLD');
    expect(new Set(users).size).toBe(users.length);
    // Paced at about 100 a minute: one every 600 ms as sent, less the jitter of the calls' arrival here.
    for (let i = 1; i < after.length; i++) expect(after[i]!.at - after[i - 1]!.at).toBeGreaterThanOrEqual(400);
    expect(after.at(-1)!.at - after[0]!.at).toBeGreaterThanOrEqual((after.length - 1) * 550);
    await new Promise((r) => setTimeout(r, 1500));
    expect(publishesFor('U0OLD')).toHaveLength(0);
  });

  it('does not republish when only the viewers list or thread bindings change', async () => {
    await new Promise((r) => setTimeout(r, 1200));
    const before = fake.callsTo('views.publish').length;
    await bot.store.mutate((d) => {
      d.homeViewers.push({ user: 'U0NEW', openedAt: NOW.toISOString() });
    });
    await new Promise((r) => setTimeout(r, 1500));
    expect(fake.callsTo('views.publish').length).toBe(before);
  });

  it('waits out a 429’s Retry-After, then publishes the same tab', async () => {
    fake.fail('views.publish', { status: 429, retryAfter: 1, when: (p) => p.user_id === 'U0LIMITED' });
    await openHome('U0LIMITED');
    await fake.waitFor((c) => c.method === 'views.publish' && c.params.user_id === 'U0LIMITED' && c.status === 200);
    const [limited, published] = publishesFor('U0LIMITED');
    expect(limited!.status).toBe(429);
    expect(published!.at - limited!.at).toBeGreaterThanOrEqual(950);
  });
});
