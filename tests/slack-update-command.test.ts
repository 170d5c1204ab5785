// `/measures update <measure> <update text>` over signed HTTP against the fake Slack:
// analysts only, the same code path (source "slash"), answers for the author only, and the
// newest answer about the measure in the channel redrawn.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeSlack, startFakeSlack } from './helpers/fake-slack.ts';
import { type RunningBot, startBot } from './helpers/slack-app.ts';
import { ephemeralReplyTo } from './helpers/slack-commands.ts';
import { blocksText, postAnswerIn } from './helpers/slack-threads.ts';
import { splitUpdateArgs } from '../src/slack/listeners/commands/update.ts';
import type { Store } from '../src/store/schema.ts';
import { findMeasure } from '../src/store/lookup.ts';

let fake: FakeSlack;
let bot: RunningBot;

beforeAll(async () => {
  fake = await startFakeSlack();
  fake.usergroups.set('S0ANALYSTS', ['U0GROUPIE']);
  bot = await startBot(fake, { config: { analysts: ['U0ANALYST'], analystUsergroup: 'S0ANALYSTS' } });
});
afterAll(async () => {
  await bot?.stop();
  await fake?.stop();
});

const measure = (s: Store, id: string) => findMeasure(s, id)!.measure;

async function command(text: string, { user = 'U0ANALYST', channel = 'C0SLASH' } = {}) {
  return String((await ephemeralReplyTo(fake, bot, text, { user, channel })).params.text);
}

describe('/measures update', () => {
  it('applies an analyst update, confirms privately and redraws the answer in the channel', async () => {
    const answer = await postAnswerIn(fake, bot, 'robbery', 'C0S1');
    const text = await command('update robbery trend: Moderate reduction', { channel: 'C0S1' });
    expect(text).toBe('*Police recorded robbery offences*\nTrend: Stable → Moderate reduction, by <@U0ANALYST>');
    expect(measure(bot.store.snapshot(), 'robbery').trend.label).toBe('Moderate reduction');
    expect(bot.store.snapshot().changeLog.at(-1)).toMatchObject({
      source: { kind: 'slash', channel: 'C0S1' },
      author: 'U0ANALYST',
    });
    const redraw = await fake.waitFor(
      (c) => c.method === 'chat.update' && c.params.ts === answer && blocksText(c).includes('"Moderate reduction · '),
    );
    expect(blocksText(redraw)).toContain('by <@U0ANALYST>');
  });

  it('refuses a non-analyst, changing nothing', async () => {
    const before = JSON.stringify(bot.store.snapshot());
    const text = await command('update robbery trend: Large increase', { user: 'U0OFFICER' });
    expect(text).toBe('Only analysts can update measures. Nothing was changed.');
    expect(JSON.stringify(bot.store.snapshot())).toBe(before);
  });

  it('lets a member of the analyst group update', async () => {
    const text = await command('update burglary comment: from the group', { user: 'U0GROUPIE' });
    expect(text).toContain('Comment added: from the group, by <@U0GROUPIE>');
    expect(fake.callsTo('usergroups.users.list').at(-1)!.params.usergroup).toBe('S0ANALYSTS');
  });

  it('says which line failed and that nothing changed', async () => {
    const before = JSON.stringify(bot.store.snapshot());
    const text = await command('update robbery\ntrend: Small increase\nmsg: 3/8 sideways');
    expect(text).toMatch(/Not saved\. Line 2 \("msg: 3\/8 sideways"\): .+Nothing was changed\./);
    expect(JSON.stringify(bot.store.snapshot())).toBe(before);
  });

  it('names what it could not find, escaped', async () => {
    const text = await command('update <!channel> zzqx trend: Stable');
    expect(text).toContain('No measure or priority matches “&lt;!channel&gt; zzqx”');
    expect(text).not.toContain('<!channel>');
  });

  it('gives usage for help or no text', async () => {
    for (const t of ['update', 'update help']) {
      const text = await command(t);
      // Slack reads a raw <measure> as a link or mention, even in backticks.
      expect(text).toContain('`/measures update &lt;measure&gt; &lt;update&gt;`');
      expect(text).not.toMatch(/<(?!@U)/);
    }
  });

  it('undoes through the slash command too', async () => {
    await command('update action fraud offences comment: oops');
    const text = await command('update action fraud offences undo');
    expect(text).toContain('Undone: Comment removed: oops, by <@U0ANALYST>');
  });
});

describe('splitting the measure from the update', () => {
  it('handles multi-word names, quoted names, a name on its own line and names holding keywords', () => {
    const store = bot.store.snapshot();
    expect(splitUpdateArgs(store, 'robbery trend: Stable')).toMatchObject({
      ok: true,
      target: { kind: 'measure', id: 'robbery' },
      text: 'trend: Stable',
    });
    expect(
      splitUpdateArgs(store, 'reduce neighbourhood crime\nrobbery trend: Stable\nburglary trend: Stable'),
    ).toMatchObject({
      ok: true,
      target: { kind: 'priority', id: 'reduce-neighbourhood-crime' },
      text: 'robbery trend: Stable\nburglary trend: Stable',
    });
    expect(splitUpdateArgs(store, '"robbery" comment: quoted')).toMatchObject({
      ok: true,
      target: { kind: 'measure', id: 'robbery' },
      text: 'comment: quoted',
    });
    expect(splitUpdateArgs(store, 'action fraud offences trend: Stable')).toMatchObject({
      ok: true,
      target: { kind: 'measure', id: 'action-fraud-offences' },
      text: 'trend: Stable',
    });
    expect(splitUpdateArgs(store, 'robbery')).toMatchObject({ ok: false });
  });
});
