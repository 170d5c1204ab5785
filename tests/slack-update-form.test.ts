// The update form over real HTTP against the fake Slack: the Update button and the message
// shortcut open a modal prefilled from the store; a submission is checked at once (field errors
// keep the modal open and change nothing) and then applied like a thread update, confirmed in
// the answer's thread, and the answer redrawn.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { findMeasure, findPriority } from '../src/store/lookup.ts';
import type { FakeSlack, FakeView } from './helpers/fake-slack.ts';
import { type RunningBot, startBotForFile } from './helpers/slack-app.ts';
import { FORM, sendToBot } from './helpers/slack-requests.ts';
import { ephemerals, postAnswerIn, replyInThread, settle, threadPosts } from './helpers/slack-threads.ts';
import {
  inputs,
  messageShortcutBody,
  pressUpdateIn,
  stateOf,
  viewSelectBody,
  viewSubmissionBody,
} from './helpers/slack-views.ts';

let fake: FakeSlack;
let bot: RunningBot;

startBotForFile({ config: { analysts: ['U0ANALYST'], analystUsergroup: 'S0ANALYSTS' } }, (started) => {
  ({ fake, bot } = started);
  fake.usergroups.set('S0ANALYSTS', ['U0GROUPIE']);
});

type OpenedView = FakeView & { id: string; hash: string };

const pressUpdate = (channel: string, ts: string, user = 'U0ANALYST') => pressUpdateIn(fake, bot, channel, ts, user);

const initial = (view: FakeView, block: string) => {
  const e = inputs(view)[block]?.element;
  return e?.initial_option?.value ?? e?.initial_value ?? null;
};

describe('the Update button', () => {
  it('opens a modal prefilled from the store', async () => {
    const ts = await postAnswerIn(fake, bot, 'robbery', 'C0OPEN');
    const view = await pressUpdate('C0OPEN', ts);
    const store = bot.store.snapshot();
    const { measure, priority } = findMeasure(store, 'robbery')!;
    const latest = measure.series!.points.at(-1)!;
    expect(view.title.text).toBe('Update measure');
    expect(initial(view, 'trend')).toBe(measure.trend.label);
    expect(measure.benchmark.status).toBe('published');
    if (measure.benchmark.status === 'published') {
      expect(initial(view, 'msg_rank')).toBe(String(measure.benchmark.rank));
      expect(initial(view, 'msg_relation')).toBe(measure.benchmark.relation);
    }
    expect(inputs(view).msg_rank!.element.options).toHaveLength(store.msg.forces.length);
    expect(initial(view, 'period')).toBe(latest.period);
    expect(initial(view, 'value')).toBe(String(latest.value));
    expect(initial(view, 'count')).toBe(String(latest.count));
    // The next periods are offered for a new figure.
    expect(inputs(view).period!.element.options!.map((o) => o.value)).toContain('2022-01');
    const open = priority.plannedActions.filter((a) => !a.done);
    expect(inputs(view).done!.element.options!.map((o) => o.text.text.replace(/^\d+\. /, ''))).toEqual(
      open.map((a) => (a.text.length > 72 ? expect.any(String) : a.text)),
    );
    expect(JSON.parse(view.private_metadata!)).toMatchObject({
      target: { kind: 'measure', id: 'robbery' },
      channel: 'C0OPEN',
      ts,
    });
  });

  it('tells someone who is not an analyst who can update, naming the group', async () => {
    const ts = await postAnswerIn(fake, bot, 'burglary', 'C0REFUSE');
    const before = bot.store.snapshot().changeLog.length;
    const view = await pressUpdate('C0REFUSE', ts, 'U0OFFICER');
    expect(view.callback_id).toBe('update_refused');
    expect(view.submit).toBeUndefined();
    expect(JSON.stringify(view.blocks)).toContain(
      'Only analysts can update measures: members of <!subteam^S0ANALYSTS>',
    );
    expect(bot.store.snapshot().changeLog.length).toBe(before);
  });

  it('opens the form for a member of the analysts group', async () => {
    const ts = await postAnswerIn(fake, bot, 'theft from the person', 'C0GROUP');
    const view = await pressUpdate('C0GROUP', ts, 'U0GROUPIE');
    expect(view.callback_id).toBe('update_form');
  });
});

describe('submitting the form', () => {
  it('applies a valid form: the store changes (source "form"), the thread confirms, the answer redraws', async () => {
    const ts = await postAnswerIn(fake, bot, 'vehicle crime', 'C0SAVE');
    const view = await pressUpdate('C0SAVE', ts);
    const priority = findMeasure(bot.store.snapshot(), 'vehicle-crime')!.priority;
    const firstOpen = inputs(view).done!.element.options![0]!.value;
    const body = viewSubmissionBody(
      view,
      'U0ANALYST',
      stateOf(view, {
        trend: 'Moderate increase',
        qualifier: '+18% on last year',
        period: '2022-01',
        value: '0.4',
        count: '690',
        action_text: 'Targeted patrols in hotspot car parks',
        action_owner: 'Neighbourhood Inspector',
        action_owner_user: 'U0OWNER',
        action_due: '2027-03-31',
        done: [firstOpen],
        comment: 'Checked with the community safety partnership',
      }),
    );
    const res = await sendToBot(bot.url, body, FORM);
    expect(res.status).toBe(200);
    expect(res.body).toBe(''); // the modal closes
    const confirmation = await fake.waitFor(
      (c) =>
        c.method === 'chat.postMessage' && c.params.thread_ts === ts && /by <@U0ANALYST>/.test(c.params.text ?? ''),
    );
    expect(confirmation.params.text).toContain('Trend: Stable → Moderate increase (+18% on last year)');
    const redraw = await fake.waitFor(
      (c) => c.method === 'chat.update' && c.params.ts === ts && JSON.stringify(c.params.blocks).includes('Updated '),
    );
    expect(JSON.stringify(redraw.params.blocks)).toContain('Moderate increase (+18% on last year)');

    const store = bot.store.snapshot();
    const measure = findMeasure(store, 'vehicle-crime')!.measure;
    expect(measure.trend.label).toBe('Moderate increase (+18% on last year)');
    expect(measure.series!.points.find((p) => p.period === '2022-01')).toMatchObject({ value: 0.4, count: 690 });
    const actions = findPriority(store, priority.id)!.plannedActions;
    expect(actions[0]!.done).toBe(true);
    expect(actions.at(-1)).toMatchObject({
      text: 'Targeted patrols in hotspot car parks',
      owner: 'Neighbourhood Inspector <@U0OWNER>',
      due: '2027-03-31',
    });
    expect(measure.comments.at(-1)!.text).toBe('Checked with the community safety partnership');
    const entries = store.changeLog.filter((e) => e.source.kind === 'form');
    expect(entries.map((e) => e.field).sort()).toEqual([
      'action:add',
      'action:done',
      'comment',
      'trend',
      'value:2022-01',
    ]);
    expect(entries.every((e) => e.source.channel === 'C0SAVE' && e.source.ts === ts && e.author === 'U0ANALYST')).toBe(
      true,
    );

    // The same submission again (a double click, signed afresh as Slack would): nothing applied or confirmed twice.
    const again = await sendToBot(bot.url, body, FORM, { timestamp: Math.floor(Date.now() / 1000) - 30 });
    expect(again.status).toBe(200);
    await settle(bot);
    expect(bot.store.snapshot().changeLog.filter((e) => e.source.kind === 'form')).toHaveLength(entries.length);
    expect(threadPosts(fake, 'C0SAVE', ts).filter((c) => /by <@U0ANALYST>/.test(c.params.text ?? ''))).toHaveLength(1);
  });

  it('returns field errors for an invalid form and leaves the store byte for byte as it was', async () => {
    const ts = await postAnswerIn(fake, bot, 'burglary', 'C0BAD');
    const view = await pressUpdate('C0BAD', ts);
    await settle(bot);
    const before = readFileSync(bot.storeFile);
    const res = await sendToBot(
      bot.url,
      viewSubmissionBody(
        view,
        'U0ANALYST',
        stateOf(view, {
          trend: 'Small reduction',
          qualifier: 'x'.repeat(76),
          period: '2022-01',
          value: 'lots',
          count: '-3',
          action_owner: 'DI Jones',
        }),
      ),
      FORM,
    );
    expect(res.status).toBe(200);
    const reply = JSON.parse(res.body) as { response_action: string; errors: Record<string, string> };
    expect(reply.response_action).toBe('errors');
    expect(Object.keys(reply.errors).sort()).toEqual(['action_text', 'count', 'qualifier', 'value']);
    expect(reply.errors.value).toContain('"lots" is not a number');
    expect(reply.errors.qualifier).toContain('more than the 80 allowed');
    await settle(bot);
    expect(readFileSync(bot.storeFile).equals(before)).toBe(true);
    expect(threadPosts(fake, 'C0BAD', ts).filter((c) => /U0ANALYST/.test(c.params.text ?? ''))).toHaveLength(0);
  });

  it('says "nothing changed" privately when the form comes back untouched', async () => {
    const ts = await postAnswerIn(fake, bot, 'drug trafficking', 'C0SAME');
    const view = await pressUpdate('C0SAME', ts);
    await settle(bot);
    const before = readFileSync(bot.storeFile);
    const res = await sendToBot(bot.url, viewSubmissionBody(view, 'U0ANALYST', stateOf(view)), FORM);
    expect(res.body).toBe('');
    const note = await fake.waitFor((c) => c.method === 'chat.postEphemeral' && c.params.channel === 'C0SAME');
    expect(note.params.user).toBe('U0ANALYST');
    expect(note.params.text).toContain('Nothing changed');
    await settle(bot);
    expect(readFileSync(bot.storeFile).equals(before)).toBe(true);
  });
  it('is taken back by "undo" in the answer\'s thread, like a thread update', async () => {
    const ts = await postAnswerIn(fake, bot, 'homicide', 'C0UNDO');
    const view = await pressUpdate('C0UNDO', ts);
    const before = findMeasure(bot.store.snapshot(), 'homicide')!.measure.trend.label;
    await sendToBot(bot.url, viewSubmissionBody(view, 'U0ANALYST', stateOf(view, { trend: 'Large reduction' })), FORM);
    await fake.waitFor(
      (c) =>
        c.method === 'chat.postMessage' && c.params.thread_ts === ts && /Large reduction/.test(c.params.text ?? ''),
    );
    expect(findMeasure(bot.store.snapshot(), 'homicide')!.measure.trend.label).toBe('Large reduction');
    await replyInThread(bot, 'C0UNDO', ts, 'undo');
    await fake.waitFor(
      (c) => c.method === 'chat.postMessage' && c.params.thread_ts === ts && /→ Stable/.test(c.params.text ?? ''),
    );
    expect(findMeasure(bot.store.snapshot(), 'homicide')!.measure.trend.label).toBe(before);
  });
});

describe('the message shortcut', () => {
  it('on a message that is not an answer, replies privately that it works on answers', async () => {
    const responseUrl = fake.responseUrl();
    const opened = fake.callsTo('views.open').length;
    const res = await sendToBot(
      bot.url,
      messageShortcutBody({
        callback_id: 'update_measure',
        channel_id: 'C0CHAT',
        message_ts: '1799999999.000100',
        user_id: 'U0ANALYST',
        response_url: responseUrl,
      }),
      FORM,
    );
    expect(res.status).toBe(200);
    const reply = await fake.waitFor((c) => c.method === 'response' && c.params.responseUrl === responseUrl);
    expect(reply.params.response_type).toBe('ephemeral');
    expect(reply.params.text).toContain('works on the bot’s answers');
    await settle(bot);
    expect(fake.callsTo('views.open')).toHaveLength(opened);
    expect(ephemerals(fake, 'C0CHAT')).toHaveLength(0);
  });

  it('on an answer, opens its form', async () => {
    const ts = await postAnswerIn(fake, bot, 'robbery', 'C0SHORT');
    const before = fake.callsTo('views.open').length;
    await sendToBot(
      bot.url,
      messageShortcutBody({
        callback_id: 'update_measure',
        channel_id: 'C0SHORT',
        message_ts: ts,
        user_id: 'U0ANALYST',
        response_url: fake.responseUrl(),
        message_user: 'U0BOT',
      }),
      FORM,
    );
    const opened = await fake.waitFor(
      (c) => c.method === 'views.open' && fake.callsTo('views.open').indexOf(c) >= before,
    );
    const view = (opened.reply as { view: OpenedView }).view;
    expect(JSON.parse(view.private_metadata!)).toMatchObject({ target: { id: 'robbery' }, channel: 'C0SHORT', ts });
  });
});

describe("a priority's form", () => {
  it('chooses the measure first, then updates it', async () => {
    const ts = await postAnswerIn(fake, bot, 'rape', 'C0PRIO');
    const view = await pressUpdate('C0PRIO', ts);
    expect(view.title.text).toBe('Update priority');
    const priority = findPriority(bot.store.snapshot(), 'better-criminal-justice-outcomes-for-rape')!;
    expect(inputs(view).measure!.element.options!.map((o) => o.value)).toEqual(priority.measures.map((m) => m.id));
    expect(inputs(view).trend).toBeUndefined();

    // Before a measure is chosen, the form still takes the priority's own action, done boxes and comment.
    const res = await sendToBot(
      bot.url,
      viewSubmissionBody(view, 'U0ANALYST', stateOf(view, { comment: 'Charging advice clinic starts in May' })),
      FORM,
    );
    expect(res.body).toBe('');
    await fake.waitFor((c) => c.method === 'chat.postMessage' && c.params.thread_ts === ts);
    expect(findPriority(bot.store.snapshot(), priority.id)!.comments.at(-1)!.text).toBe(
      'Charging advice clinic starts in May',
    );

    await sendToBot(
      bot.url,
      viewSelectBody(view, 'U0ANALYST', {
        block_id: 'measure',
        action_id: 'update_form_measure',
        value: 'rape-charges',
      }),
      FORM,
    );
    const updated = await fake.waitFor((c) => c.method === 'views.update' && c.params.view_id === view.id);
    const redrawn = (updated.reply as { view: OpenedView }).view;
    const measure = findMeasure(bot.store.snapshot(), 'rape-charges')!.measure;
    expect(initial(redrawn, 'measure')).toBe('rape-charges');
    expect(initial(redrawn, 'trend')).toBe('Moderate increase'); // stored as "Moderate Increase"
    expect(initial(redrawn, 'msg_relation')).toBe('not-available');
    expect(initial(redrawn, 'value')).toBe(String(measure.series!.points.at(-1)!.value));
    expect(inputs(redrawn).count).toBeUndefined(); // this series has no counts

    const saved = await sendToBot(
      bot.url,
      viewSubmissionBody(redrawn, 'U0ANALYST', stateOf(redrawn, { trend: 'Large increase' })),
      FORM,
    );
    expect(saved.body).toBe('');
    await fake.waitFor(
      (c) => c.method === 'chat.postMessage' && c.params.thread_ts === ts && /Large increase/.test(c.params.text ?? ''),
    );
    expect(findMeasure(bot.store.snapshot(), 'rape-charges')!.measure.trend.label).toBe('Large increase');
  });
});
