// Analysts update measures by replying in the bot's threads. The real Bolt app over
// HTTP against the fake Slack, with signed message events that carry thread_ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeSlack, startFakeSlack } from './helpers/fake-slack.ts';
import { type RunningBot, startBot } from './helpers/slack-app.ts';
import {
  blocksText,
  ephemerals,
  postAnswerIn,
  replyInThread,
  sendMessageEvent,
  settle,
  threadPosts,
} from './helpers/slack-threads.ts';
import type { Store } from '../src/store/schema.ts';
import { findMeasure } from '../src/store/lookup.ts';

let fake: FakeSlack;
let bot: RunningBot;

const ANALYSTS = { analysts: ['U0ANALYST', 'U0SECOND'], analystUsergroup: 'S0ANALYSTS' };

beforeAll(async () => {
  fake = await startFakeSlack();
  fake.usergroups.set('S0ANALYSTS', ['U0GROUPIE']);
  bot = await startBot(fake, { config: ANALYSTS });
});
afterAll(async () => {
  await bot?.stop();
  await fake?.stop();
});

const measure = (s: Store, id: string) => findMeasure(s, id)!.measure;
const trendOf = (id: string) => measure(bot.store.snapshot(), id).trend.label;
const entriesOf = (messageId: string) => bot.store.snapshot().changeLog.filter((e) => e.messageId === messageId);
const updatesOf = (channel: string, ts: string) =>
  fake.callsTo('chat.update').filter((c) => c.params.channel === channel && c.params.ts === ts);

describe('an analyst replies under a measure answer', () => {
  it('applies the update, confirms it in the thread, and redraws the answer with who updated it', async () => {
    const parent = await postAnswerIn(fake, bot, 'robbery', 'C0T1');
    const updatesBefore = updatesOf('C0T1', parent).length;
    const { ts } = await replyInThread(bot, 'C0T1', parent, 'trend: moderate reduction');

    const confirm = await fake.waitFor(
      (c) => c.method === 'chat.postMessage' && c.params.thread_ts === parent && c.params.channel === 'C0T1',
    );
    expect(confirm.params.text).toBe('Trend: Stable → Moderate reduction, by <@U0ANALYST>');
    expect(trendOf('robbery')).toBe('Moderate reduction');
    const [entry] = entriesOf(`slack:C0T1:${ts}`);
    expect(entry).toMatchObject({
      author: 'U0ANALYST',
      source: { kind: 'thread', channel: 'C0T1', ts: parent },
      target: { kind: 'measure', id: 'robbery' },
      field: 'trend',
    });

    // The parent shows the new trend and a foot line saying who updated it.
    const redraw = await fake.waitFor(
      (c) => c.method === 'chat.update' && c.params.ts === parent && blocksText(c).includes('"Moderate reduction · '),
    );
    const foot = redraw.params.blocks!.findLast((b) => b.type === 'context')!;
    expect(foot.elements!.at(-1)!.text).toMatch(/^Updated \d{1,2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2} by <@U0ANALYST>$/);
    expect(updatesOf('C0T1', parent).length).toBeGreaterThan(updatesBefore);
    expect(fake.messages.get(`C0T1:${parent}`)!.blocks.some((b) => b.type === 'image')).toBe(true);
  });

  it('escapes what it echoes; the author mention is the only markup', async () => {
    const parent = await postAnswerIn(fake, bot, 'robbery', 'C0T2');
    await replyInThread(bot, 'C0T2', parent, 'comment: spike &lt;!channel&gt; &amp; <@U0SOMEONE> stuff');
    const confirm = await fake.waitFor((c) => c.method === 'chat.postMessage' && c.params.thread_ts === parent);
    expect(confirm.params.text).toContain('&lt;!channel&gt; &amp;');
    expect(confirm.params.text).not.toContain('<!channel>');
    expect(confirm.params.text).toContain('&lt;@U0SOMEONE&gt;');
    expect(confirm.params.text).toMatch(/, by <@U0ANALYST>$/);
    expect(measure(bot.store.snapshot(), 'robbery').comments.at(-1)!.text).toBe(
      'spike <!channel> & <@U0SOMEONE> stuff',
    );
    const redraw = await fake.waitFor(
      (c) => c.method === 'chat.update' && c.params.ts === parent && blocksText(c).includes('by <@U0ANALYST>'),
    );
    // The comment itself is in Details, escaped there (slack-safety, slack-answer-buttons).
    expect(blocksText(redraw)).not.toContain('<!channel>');
  });

  it('refuses a non-analyst privately and leaves the store alone', async () => {
    const parent = await postAnswerIn(fake, bot, 'burglary', 'C0T3');
    const before = JSON.stringify(bot.store.snapshot());
    await replyInThread(bot, 'C0T3', parent, 'trend: Large increase', { user: 'U0OFFICER' });
    const note = await fake.waitFor(
      (c) => c.method === 'chat.postEphemeral' && c.params.channel === 'C0T3' && c.params.user === 'U0OFFICER',
    );
    expect(note.params.text).toBe('Only analysts can update measures. Nothing was changed.');
    expect(note.params.thread_ts).toBe(parent);
    await settle(bot);
    expect(JSON.stringify(bot.store.snapshot())).toBe(before);
    expect(threadPosts(fake, 'C0T3', parent)).toHaveLength(0);
  });

  it('lets members of ANALYST_USERGROUP update, asking usergroups.users.list once for a burst', async () => {
    const parent = await postAnswerIn(fake, bot, 'robbery', 'C0T4');
    await replyInThread(bot, 'C0T4', parent, 'msg: 7/8 above', { user: 'U0GROUPIE' });
    await fake.waitFor(
      (c) =>
        c.method === 'chat.postMessage' &&
        c.params.thread_ts === parent &&
        String(c.params.text).includes('<@U0GROUPIE>'),
    );
    await replyInThread(bot, 'C0T4', parent, 'msg: 6/8 above', { user: 'U0GROUPIE' });
    await fake.waitFor(
      (c) =>
        c.method === 'chat.postMessage' && c.params.thread_ts === parent && String(c.params.text).includes('6th of 8'),
    );
    // One call for the whole file: the membership is cached for a few minutes.
    const lists = fake.callsTo('usergroups.users.list');
    expect(lists).toHaveLength(1);
    expect(lists[0]!.params.usergroup).toBe('S0ANALYSTS');
    expect(measure(bot.store.snapshot(), 'robbery').benchmark).toMatchObject({ rank: 6, of: 8, relation: 'above' });
  });

  it('says nothing to conversation, in other threads, or to bots', async () => {
    const parent = await postAnswerIn(fake, bot, 'robbery', 'C0T5');
    const logBefore = bot.store.snapshot().changeLog.length;
    await replyInThread(bot, 'C0T5', parent, 'Looks like the trend is stable to me\ntrend: Large increase');
    await replyInThread(bot, 'C0T5', '1700000000.999999', 'trend: Large increase'); // not a bound thread
    await sendMessageEvent(bot, {
      channel: 'C0T5',
      user: 'U0OTHERBOT',
      bot_id: 'B0OTHER',
      subtype: 'bot_message',
      text: 'trend: Large increase',
      ts: '1800009999.000001',
      thread_ts: parent,
    });
    await sendMessageEvent(bot, {
      channel: 'C0T5',
      user: 'U0ANALYST',
      text: 'trend: Large increase',
      ts: '1800009999.000002',
    }); // top level, not a reply
    await settle(bot);
    expect(threadPosts(fake, 'C0T5', parent)).toHaveLength(0);
    expect(ephemerals(fake, 'C0T5')).toHaveLength(0);
    expect(bot.store.snapshot().changeLog.length).toBe(logBefore);
  });

  it('takes an update addressed to the bot (@Measures trend: …)', async () => {
    const parent = await postAnswerIn(fake, bot, 'vehicle crime', 'C0T19');
    await replyInThread(bot, 'C0T19', parent, '<@U0BOT> comment: addressed to the bot');
    const confirm = await fake.waitFor((c) => c.method === 'chat.postMessage' && c.params.thread_ts === parent);
    expect(confirm.params.text).toBe('Comment added: addressed to the bot, by <@U0ANALYST>');
  });

  it('answers help with the update syntax, to the asker only', async () => {
    const parent = await postAnswerIn(fake, bot, 'robbery', 'C0T6');
    await replyInThread(bot, 'C0T6', parent, 'help', { user: 'U0OFFICER' });
    const help = await fake.waitFor((c) => c.method === 'chat.postEphemeral' && c.params.channel === 'C0T6');
    expect(help.params.user).toBe('U0OFFICER');
    expect(help.params.thread_ts).toBe(parent);
    expect(help.params.text).toContain('trend: &lt;label&gt;');
    expect(help.params.text).toContain('undo');
    expect(help.params.text!.split('\n').length).toBeLessThanOrEqual(12);
  });
});

describe('all or nothing', () => {
  it('one bad line changes nothing; the thread hears which line and why', async () => {
    const parent = await postAnswerIn(fake, bot, 'burglary', 'C0T7');
    const before = JSON.stringify(bot.store.snapshot());
    const updatesBefore = updatesOf('C0T7', parent).length;
    await replyInThread(bot, 'C0T7', parent, 'trend: Moderate increase\ncomment: fine\nmsg: 3/8 sideways');
    const refusal = await fake.waitFor((c) => c.method === 'chat.postMessage' && c.params.thread_ts === parent);
    expect(refusal.params.text).toMatch(/^Not saved\. Line 3 \("msg: 3\/8 sideways"\): .+Nothing was changed\./);
    await settle(bot);
    expect(JSON.stringify(bot.store.snapshot())).toBe(before);
    expect(updatesOf('C0T7', parent).length).toBe(updatesBefore);
  });

  it('a good multi-line message applies every line and confirms them in two lines', async () => {
    const parent = await postAnswerIn(fake, bot, 'burglary', 'C0T8');
    await replyInThread(bot, 'C0T8', parent, 'trend: Small increase\nmsg: 5/8 below\ncomment: Two lines, one message');
    const confirm = await fake.waitFor((c) => c.method === 'chat.postMessage' && c.params.thread_ts === parent);
    const lines = String(confirm.params.text).split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toBe('Saved: 3 changes, by <@U0ANALYST>');
    expect(lines[1]).toContain('Trend: ');
    expect(lines[1]).toContain(' → Small increase');
    expect(trendOf('burglary')).toBe('Small increase');
  });
});

describe('undo', () => {
  it("reverts the analyst's last update, confirms, and redraws the answer", async () => {
    const parent = await postAnswerIn(fake, bot, 'burglary', 'C0T9');
    const binding = bot.store.snapshot().threads.find((t) => t.channel === 'C0T9' && t.ts === parent)!;
    expect(binding.kind).toBe('measure');
    const id = binding.id;
    const original = trendOf(id);
    await replyInThread(bot, 'C0T9', parent, 'trend: Large reduction', { user: 'U0SECOND' });
    await fake.waitFor((c) => c.method === 'chat.postMessage' && c.params.thread_ts === parent);
    expect(trendOf(id)).toBe('Large reduction');
    await replyInThread(bot, 'C0T9', parent, 'undo', { user: 'U0SECOND' });
    const undone = await fake.waitFor(
      (c) =>
        c.method === 'chat.postMessage' && c.params.thread_ts === parent && String(c.params.text).startsWith('Undone'),
    );
    expect(undone.params.text).toBe(`Undone: Trend: Large reduction → ${original}, by <@U0SECOND>`);
    expect(trendOf(id)).toBe(original);
    await fake.waitFor(
      (c) =>
        c.method === 'chat.update' &&
        c.params.ts === parent &&
        blocksText(c).includes(`"${original} · `) &&
        blocksText(c).includes('<@U0SECOND>'),
    );
  });

  it('a refused undo says why and changes nothing', async () => {
    const parent = await postAnswerIn(fake, bot, 'robbery', 'C0T10');
    await replyInThread(bot, 'C0T10', parent, 'undo', { user: 'U0SECOND' });
    const refusal = await fake.waitFor((c) => c.method === 'chat.postMessage' && c.params.thread_ts === parent);
    expect(refusal.params.text).toMatch(/^Not saved\. Line 1 \("undo"\): .*Nothing was changed\./);
  });
});

describe('priority threads', () => {
  it('names the measure on each line and redraws the priority answer', async () => {
    const parent = await postAnswerIn(fake, bot, 'reduce neighbourhood crime', 'C0T11');
    expect(bot.store.snapshot().threads.find((t) => t.ts === parent && t.channel === 'C0T11')).toMatchObject({
      kind: 'priority',
      id: 'reduce-neighbourhood-crime',
    });
    await replyInThread(bot, 'C0T11', parent, 'robbery trend: Increasing\nburglary trend: Reducing');
    const confirm = await fake.waitFor((c) => c.method === 'chat.postMessage' && c.params.thread_ts === parent);
    expect(confirm.params.text).toContain('Saved: 2 changes, by <@U0ANALYST>');
    expect(confirm.params.text).toContain('Police recorded robbery offences: Trend: ');
    expect(confirm.params.text).toContain('Police recorded burglary offences: Trend: ');
    expect(trendOf('robbery')).toBe('Increasing');
    expect(trendOf('burglary')).toBe('Reducing');
    const redraw = await fake.waitFor(
      (c) => c.method === 'chat.update' && c.params.ts === parent && blocksText(c).includes(' · Increasing · '),
    );
    expect(blocksText(redraw)).toContain(' · Reducing · ');
    expect(blocksText(redraw)).toMatch(/Updated [^"]+ by <@U0ANALYST>/);
  });

  it("help under a priority answer names the priority's measures the way lines may start", async () => {
    const parent = await postAnswerIn(fake, bot, 'reduce neighbourhood crime', 'C0T18');
    await replyInThread(bot, 'C0T18', parent, 'Help?');
    const help = await fake.waitFor((c) => c.method === 'chat.postEphemeral' && c.params.channel === 'C0T18');
    expect(help.params.text).toContain('(burglary, vehicle crime, robbery, theft from the person)');
    expect(help.params.text).toContain('`burglary trend: Moderate reduction`');
  });

  it('refuses a line that does not name a measure of the priority', async () => {
    const parent = await postAnswerIn(fake, bot, 'reduce neighbourhood crime', 'C0T12');
    const before = bot.store.snapshot().changeLog.length;
    await replyInThread(bot, 'C0T12', parent, 'robbery trend: Stable\ntrend: Stable');
    const refusal = await fake.waitFor((c) => c.method === 'chat.postMessage' && c.params.thread_ts === parent);
    expect(refusal.params.text).toMatch(/^Not saved\. Line 2 \("trend: Stable"\): /);
    expect(bot.store.snapshot().changeLog.length).toBe(before);
  });
});

describe('edits and deletes', () => {
  it('never change the store; the thread is told once how to undo', async () => {
    const parent = await postAnswerIn(fake, bot, 'robbery', 'C0T13');
    const { ts } = await replyInThread(bot, 'C0T13', parent, 'trend: Small reduction');
    await fake.waitFor((c) => c.method === 'chat.postMessage' && c.params.thread_ts === parent);
    const afterUpdate = JSON.stringify(bot.store.snapshot());

    const edited = {
      user: 'U0ANALYST',
      text: 'trend: Large increase',
      ts,
      thread_ts: parent,
      edited: { user: 'U0ANALYST', ts: '1800000999.000001' },
    };
    const previous = { user: 'U0ANALYST', text: 'trend: Small reduction', ts, thread_ts: parent };
    await sendMessageEvent(bot, {
      subtype: 'message_changed',
      hidden: true,
      channel: 'C0T13',
      ts: '1800000999.000001',
      message: edited,
      previous_message: previous,
    });
    const note = await fake.waitFor(
      (c) =>
        c.method === 'chat.postMessage' && c.params.thread_ts === parent && String(c.params.text).startsWith('Editing'),
    );
    expect(note.params.text).toContain('does not change measures');
    expect(note.params.text).toMatch(/\(Trend: [A-Za-z ]+ → Small reduction\)/);
    expect(note.params.text).toContain('`undo`');

    // A second edit, then a delete of the same message: no more notes.
    await sendMessageEvent(bot, {
      subtype: 'message_changed',
      hidden: true,
      channel: 'C0T13',
      ts: '1800001000.000001',
      message: { ...edited, text: 'trend: Stable' },
      previous_message: edited,
    });
    await sendMessageEvent(bot, {
      subtype: 'message_deleted',
      hidden: true,
      channel: 'C0T13',
      ts: '1800001001.000001',
      deleted_ts: ts,
      previous_message: edited,
    });
    await settle(bot);
    expect(threadPosts(fake, 'C0T13', parent)).toHaveLength(2); // the confirmation and one note
    expect(JSON.stringify(bot.store.snapshot())).toBe(afterUpdate);
    expect(trendOf('robbery')).toBe('Small reduction');
  });

  it('a deleted update is answered once with how to undo', async () => {
    const parent = await postAnswerIn(fake, bot, 'burglary', 'C0T14');
    const { ts } = await replyInThread(bot, 'C0T14', parent, 'comment: to be deleted');
    await fake.waitFor((c) => c.method === 'chat.postMessage' && c.params.thread_ts === parent);
    const previous = { user: 'U0ANALYST', text: 'comment: to be deleted', ts, thread_ts: parent };
    await sendMessageEvent(bot, {
      subtype: 'message_deleted',
      hidden: true,
      channel: 'C0T14',
      ts: '1800002000.000001',
      deleted_ts: ts,
      previous_message: previous,
    });
    const note = await fake.waitFor(
      (c) =>
        c.method === 'chat.postMessage' &&
        c.params.thread_ts === parent &&
        String(c.params.text).startsWith('Deleting'),
    );
    expect(note.params.text).toContain('`undo`');
    expect(measure(bot.store.snapshot(), 'burglary').comments.at(-1)!.text).toBe('to be deleted');
  });

  it('an edit that fixes a refused update is not applied, and says so', async () => {
    const parent = await postAnswerIn(fake, bot, 'burglary', 'C0T15');
    const { ts } = await replyInThread(bot, 'C0T15', parent, 'trend: Great');
    await fake.waitFor(
      (c) =>
        c.method === 'chat.postMessage' &&
        c.params.thread_ts === parent &&
        String(c.params.text).startsWith('Not saved'),
    );
    const before = JSON.stringify(bot.store.snapshot());
    const previous = { user: 'U0ANALYST', text: 'trend: Great', ts, thread_ts: parent };
    await sendMessageEvent(bot, {
      subtype: 'message_changed',
      hidden: true,
      channel: 'C0T15',
      ts: '1800003000.000001',
      message: { ...previous, text: 'trend: Stable', edited: { user: 'U0ANALYST', ts: '1' } },
      previous_message: previous,
    });
    const note = await fake.waitFor(
      (c) =>
        c.method === 'chat.postMessage' && c.params.thread_ts === parent && String(c.params.text).startsWith('Editing'),
    );
    expect(note.params.text).toContain('nothing was changed');
    expect(JSON.stringify(bot.store.snapshot())).toBe(before);
  });

  it('edits and deletes of conversation, and unfurls, are left alone', async () => {
    const parent = await postAnswerIn(fake, bot, 'burglary', 'C0T16');
    const chat = { user: 'U0ANALYST', text: 'nice chart', ts: '1800004000.000001', thread_ts: parent };
    await sendMessageEvent(bot, {
      subtype: 'message_changed',
      hidden: true,
      channel: 'C0T16',
      ts: '1800004000.000002',
      message: { ...chat, text: 'nicer chart', edited: {} },
      previous_message: chat,
    });
    await sendMessageEvent(bot, {
      subtype: 'message_deleted',
      hidden: true,
      channel: 'C0T16',
      ts: '1800004000.000003',
      deleted_ts: chat.ts,
      previous_message: chat,
    });
    await settle(bot);
    expect(threadPosts(fake, 'C0T16', parent)).toHaveLength(0);
  });
});

describe('retries and duplicate deliveries', () => {
  it('a retried event is not applied or confirmed twice', async () => {
    const parent = await postAnswerIn(fake, bot, 'robbery', 'C0T17');
    const first = await replyInThread(bot, 'C0T17', parent, 'comment: only once please');
    await fake.waitFor((c) => c.method === 'chat.postMessage' && c.params.thread_ts === parent);
    // Slack's retry: same body, same event_id, X-Slack-Retry-Num.
    const retry = await replyInThread(bot, 'C0T17', parent, 'comment: only once please', {
      ts: first.ts,
      eventId: first.eventId,
      headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' },
    });
    expect(retry.http.status).toBe(200);
    // The same message again under another event id (a duplicate delivery): applyUpdate's dedupe.
    await replyInThread(bot, 'C0T17', parent, 'comment: only once please', { ts: first.ts, eventId: 'EvDUPLICATE17' });
    await settle(bot);
    expect(entriesOf(`slack:C0T17:${first.ts}`)).toHaveLength(1);
    expect(measure(bot.store.snapshot(), 'robbery').comments.filter((c) => c.text === 'only once please')).toHaveLength(
      1,
    );
    expect(threadPosts(fake, 'C0T17', parent)).toHaveLength(1);
  });
});
