// Following measures over signed HTTP against the fake Slack: /measures follow, unfollow and
// following, the Follow button with its Undo, and the follower DMs the change log drives.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeSlack, type RecordedCall, startFakeSlack } from './helpers/fake-slack.ts';
import { type RunningBot, startBot } from './helpers/slack-app.ts';
import { ephemeralReplyTo } from './helpers/slack-commands.ts';
import { blockActionBody, FORM, sendToBot } from './helpers/slack-requests.ts';
import { blocksText, postAnswerIn, replyInThread, settle } from './helpers/slack-threads.ts';
import { FOLLOW_ACTION, FOLLOW_UNDO_ACTION } from '../src/slack/views/follow-blocks.ts';

let fake: FakeSlack;
let bot: RunningBot;
/** The bot's clock: tests move it to cross the ten-minute edit window. */
let clockMs = Date.parse('2026-11-20T10:00:00Z');

beforeAll(async () => {
  fake = await startFakeSlack();
  bot = await startBot(fake, { config: { analysts: ['U0ANALYST'] }, now: () => new Date(clockMs) });
});
afterAll(async () => {
  await bot?.stop();
  await fake?.stop();
});

const command = (text: string, user: string, channel = 'C0FOLLOW') =>
  ephemeralReplyTo(fake, bot, text, { user, channel });

const dmsTo = (user: string) =>
  fake.calls.filter(
    (c) => (c.method === 'chat.postMessage' || c.method === 'chat.update') && c.params.channel === `D${user}`,
  );

/** Waits until the bot has read the change log to its end and sent what it had to. */
async function dmsSettled(): Promise<void> {
  await settle(bot);
  const deadline = Date.now() + 10_000;
  for (;;) {
    const s = bot.store.snapshot();
    if (s.followerNotices?.seenThrough === (s.changeLog.at(-1)?.id ?? null)) break;
    if (Date.now() > deadline) throw new Error('the follower DMs did not read the change log within 10 s');
    await new Promise((r) => setTimeout(r, 20));
  }
  await bot.slack.followers.idle();
}

async function update(text: string, user = 'U0ANALYST') {
  const res = await command(`update ${text}`, user);
  expect(String(res.params.text)).not.toMatch(/Not saved|Only analysts/);
  await dmsSettled();
}

describe('/measures follow, unfollow, following', () => {
  it('follows a measure privately, then an analyst update sends exactly one DM to the follower', async () => {
    const res = await command('follow robbery', 'U0FAN');
    expect(String(res.params.text)).toContain('You now follow Police recorded robbery offences');
    expect(bot.store.snapshot().follows).toContainEqual(
      expect.objectContaining({ user: 'U0FAN', target: { kind: 'measure', id: 'robbery' }, mode: 'follow' }),
    );
    await update('robbery trend: Moderate increase');
    const dms = dmsTo('U0FAN');
    expect(dms.map((d) => d.method)).toEqual(['chat.postMessage']);
    const text = blocksText(dms[0]!);
    expect(text).toContain('Police recorded robbery offences trend: Stable → Moderate increase (*worse*)');
    expect(text).toContain('By <@U0ANALYST>');
    expect(fake.callsTo('conversations.open').at(-1)!.params.users).toBe('U0FAN');
  });

  it('never DMs someone about their own change', async () => {
    await command('follow burglary', 'U0ANALYST');
    const before = dmsTo('U0ANALYST').length;
    clockMs += 11 * 60_000;
    await update('burglary comment: my own note');
    expect(dmsTo('U0ANALYST').length).toBe(before);
  });

  it('unfollow stops the DMs; a priority follow covers its measures, except one unfollowed', async () => {
    clockMs += 11 * 60_000;
    await command('unfollow robbery', 'U0FAN');
    const before = dmsTo('U0FAN').length;
    await update('robbery comment: nobody is told');
    expect(dmsTo('U0FAN').length).toBe(before);

    await command('follow reduce neighbourhood crime', 'U0PRI');
    await command('unfollow robbery', 'U0PRI');
    expect(bot.store.snapshot().follows).toContainEqual(
      expect.objectContaining({ user: 'U0PRI', target: { kind: 'measure', id: 'robbery' }, mode: 'except' }),
    );
    const following = await command('following', 'U0PRI');
    expect(blocksText(following)).toContain('burglary');
    expect(blocksText(following)).not.toContain('robbery offences');
    await update('robbery comment: still nobody');
    expect(dmsTo('U0PRI')).toHaveLength(0);
    await command('follow robbery', 'U0PRI');
    expect(bot.store.snapshot().follows.filter((f) => f.user === 'U0PRI' && f.mode === 'except')).toHaveLength(0);
    await update('robbery comment: now the priority follower hears');
    expect(dmsTo('U0PRI')).toHaveLength(1);
  });

  it('asks for a fuller name rather than following a guess', async () => {
    const res = await command('follow zzqx', 'U0FAN');
    expect(String(res.params.text)).toContain('No measure or priority matches');
  });
});

describe('the ten-minute edit and crossing alerts', () => {
  it('edits the DM for a second change set on the same measure within ten minutes, then sends anew', async () => {
    clockMs += 11 * 60_000;
    await command('follow homicide', 'U0EDIT');
    const id = 'homicide';
    await update(`${id} comment: first`);
    clockMs += 5 * 60_000;
    await update(`${id} comment: second`);
    let dms = dmsTo('U0EDIT');
    expect(dms.map((d) => d.method)).toEqual(['chat.postMessage', 'chat.update']);
    const edited = blocksText(dms[1]!);
    expect(edited).toContain('first');
    expect(edited).toContain('second');
    clockMs += 11 * 60_000;
    await update(`${id} comment: third`);
    dms = dmsTo('U0EDIT');
    expect(dms.map((d) => d.method)).toEqual(['chat.postMessage', 'chat.update', 'chat.postMessage']);
    expect(blocksText(dms[2]!)).not.toContain('second');
  });

  it('sends a new DM when the one to edit was deleted', async () => {
    clockMs += 11 * 60_000;
    await update('homicide comment: fourth');
    const first = dmsTo('U0EDIT').at(-1)!;
    const ts = (first.reply as { ts: string }).ts;
    fake.messages.delete(`DU0EDIT:${ts}`);
    clockMs += 60_000;
    await update('homicide comment: fifth');
    const calls = dmsTo('U0EDIT').slice(-2);
    expect(calls.map((c) => [c.method, (c.reply as { ok: boolean }).ok])).toEqual([
      ['chat.update', false],
      ['chat.postMessage', true],
    ]);
    expect(blocksText(calls[1]!)).toContain('fourth');
    expect(blocksText(calls[1]!)).toContain('fifth');
  });

  it("tells a measure's follower about a planned action added to its priority", async () => {
    clockMs += 11 * 60_000;
    await update('reduce murder and other homicide\naction: Review every domestic homicide within a week');
    const dm = blocksText(dmsTo('U0EDIT').at(-1)!);
    expect(dm).toContain('Review every domestic homicide within a week');
    expect(bot.logs.join('\n')).not.toMatch(/follower DMs.*failed/);
    const row = bot.store
      .snapshot()
      .followerNotices!.dms.find((d) => d.user === 'U0EDIT' && d.measures.includes('reduce-murder-and-other-homicide'));
    expect(row).toBeDefined();
  });

  it('leads with a crossing alert when the MSG position leaves the worst three and the average', async () => {
    clockMs += 11 * 60_000;
    await command('follow robbery', 'U0CROSS');
    // Robbery is 8th of 8, above the MSG average (higher is worse).
    await update('robbery msg: 4/8 below');
    const dm = dmsTo('U0CROSS').at(-1)!;
    const text = blocksText(dm);
    expect(String(dm.params.text)).toMatch(/^Crossing alert: Police recorded robbery offences/);
    expect(text).toContain('left the worst three in the MSG: 8th → 4th of 8 (*better*)');
    expect(text).toContain('now below the MSG average (was above) (*better*)');
    expect(text.indexOf('Crossing alert')).toBeLessThan(text.indexOf('MSG position'));
  });

  it('has no crossing alert for a comment', async () => {
    clockMs += 11 * 60_000;
    await update('robbery comment: nothing crosses');
    expect(blocksText(dmsTo('U0CROSS').at(-1)!)).not.toContain('Crossing');
  });
});

describe('the Follow button', () => {
  const click = async (actionId: string, value: string, user: string) => {
    const responseUrl = fake.responseUrl();
    await sendToBot(
      bot.url,
      blockActionBody({ action_id: actionId, value, user_id: user, response_url: responseUrl, is_ephemeral: false }),
      FORM,
    );
    return fake.waitFor((c) => c.method === 'response' && c.params.responseUrl === responseUrl);
  };
  const undoValue = (res: RecordedCall) =>
    (res.params.blocks!.find((b) => b.type === 'actions')!.elements![0]!.value as string | undefined)!;

  it('is on every answer, toggles for the clicker, and Undo puts it back', async () => {
    const ts = await postAnswerIn(fake, bot, 'burglary', 'C0BUTTON');
    const answer = fake.callsTo('chat.postMessage').find((c) => (c.reply as { ts?: string }).ts === ts)!;
    const button = answer.params.blocks!.flatMap((b) => b.elements ?? []).find((e) => e.action_id === FOLLOW_ACTION)!;
    expect(button.value).toBe(JSON.stringify({ kind: 'measure', id: 'burglary' }));

    const on = await click(FOLLOW_ACTION, button.value!, 'U0CLICK');
    expect(String(on.params.text)).toContain('You now follow');
    expect(on.params.response_type).toBe('ephemeral');
    const off = await click(FOLLOW_ACTION, button.value!, 'U0CLICK');
    expect(String(off.params.text)).toContain('You no longer follow');
    const undone = await click(FOLLOW_UNDO_ACTION, undoValue(off), 'U0CLICK');
    expect(String(undone.params.text)).toContain('You now follow');
    expect(undone.params.replace_original).toBe(true);

    // The link in the DM goes to the thread the update was made in.
    clockMs += 11 * 60_000;
    await replyInThread(bot, 'C0BUTTON', ts, 'trend: Large reduction');
    await dmsSettled();
    const dm = blocksText(dmsTo('U0CLICK').at(-1)!);
    expect(dm).toContain('(*better*)');
    expect(dm).toContain(`https://fake.slack.com/archives/C0BUTTON/p`);
  });
});

describe('rate limits', () => {
  it("waits out a 429's Retry-After on the DMs' own client, then delivers", async () => {
    clockMs += 11 * 60_000;
    await command('follow theft from the person', 'U0SLOW');
    fake.fail('chat.postMessage', { status: 429, retryAfter: 1, when: (p) => p.channel === 'DU0SLOW' });
    await update('theft-from-the-person comment: after a rate limit');
    const [limited, delivered] = fake.calls.filter(
      (c) => c.method === 'chat.postMessage' && c.params.channel === 'DU0SLOW',
    );
    expect(limited!.status).toBe(429);
    expect(delivered!.status).toBe(200);
    expect(delivered!.at - limited!.at).toBeGreaterThanOrEqual(950);
  });
});

describe('refused users and restarts', () => {
  it('logs and skips a user Slack refuses, and does not try them again', async () => {
    clockMs += 11 * 60_000;
    fake.refusedUsers.set('U0GONE', 'user_disabled');
    await command('follow robbery', 'U0GONE');
    await update('robbery comment: to a disabled user');
    await update('robbery comment: again');
    expect(fake.callsTo('conversations.open').filter((c) => c.params.users === 'U0GONE')).toHaveLength(1);
    expect(bot.logs.join('\n')).toContain('follower DM to U0GONE: Slack refused (user_disabled)');
  });
});
