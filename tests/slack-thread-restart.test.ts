// Thread bindings live in the store, so a thread answered before a restart still
// takes updates after it; and a Slack retry that arrives after the restart (when the
// in-memory event dedupe is empty) is still applied and confirmed once. Also: digest threads,
// and a bot with no analysts configured.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type FakeSlack, startFakeSlack } from './helpers/fake-slack.ts';
import { tempDir } from './helpers/seed.ts';
import { type RunningBot, startBot } from './helpers/slack-app.ts';
import { blocksText, ephemerals, postAnswerIn, replyInThread, settle, threadPosts } from './helpers/slack-threads.ts';
import { findMeasure } from '../src/store/lookup.ts';

const running: Array<{ stop(): Promise<void> }> = [];
afterEach(async () => {
  for (const r of running.splice(0).reverse()) await r.stop();
});

async function fakeSlack(): Promise<FakeSlack> {
  const fake = await startFakeSlack();
  running.push(fake);
  return fake;
}

async function bot(fake: FakeSlack, options: Parameters<typeof startBot>[1] = {}): Promise<RunningBot> {
  const b = await startBot(fake, { config: { analysts: ['U0ANALYST'] }, ...options });
  running.push(b);
  return b;
}

async function stop(b: RunningBot): Promise<void> {
  running.splice(running.indexOf(b), 1);
  await b.stop();
}

const trendOf = (b: RunningBot, id: string) => findMeasure(b.store.snapshot(), id)!.measure.trend.label;

describe('after a restart', () => {
  it('a reply in a thread answered before the restart is applied, confirmed, and redraws the answer', async () => {
    const fake = await fakeSlack();
    const storeFile = path.join(tempDir('measures-restart-'), 'store.json');
    const first = await bot(fake, { storeFile });
    const parent = await postAnswerIn(fake, first, 'robbery', 'C0R1');
    const early = await replyInThread(first, 'C0R1', parent, 'comment: before the restart');
    await fake.waitFor((c) => c.method === 'chat.postMessage' && c.params.thread_ts === parent);
    await stop(first);

    const second = await bot(fake, { storeFile });
    await replyInThread(second, 'C0R1', parent, 'trend: Small increase');
    const confirm = await fake.waitFor(
      (c) =>
        c.method === 'chat.postMessage' && c.params.thread_ts === parent && String(c.params.text).startsWith('Trend'),
    );
    expect(confirm.params.text).toBe('Trend: Stable → Small increase, by <@U0ANALYST>');
    expect(trendOf(second, 'robbery')).toBe('Small increase');
    await fake.waitFor(
      (c) => c.method === 'chat.update' && c.params.ts === parent && blocksText(c).includes('"Small increase · '),
    );

    // Slack retries the pre-restart message: the new process has no event memory, the store does.
    await replyInThread(second, 'C0R1', parent, 'comment: before the restart', {
      ts: early.ts,
      eventId: early.eventId,
      headers: { 'x-slack-retry-num': '2', 'x-slack-retry-reason': 'http_timeout' },
    });
    await settle(second);
    expect(second.store.snapshot().changeLog.filter((e) => e.messageId === `slack:C0R1:${early.ts}`)).toHaveLength(1);
    expect(threadPosts(fake, 'C0R1', parent)).toHaveLength(2);
  });
});

describe('digest threads', () => {
  it('take the priority form for any measure and redraw the newest answer about it in the channel', async () => {
    const fake = await fakeSlack();
    const b = await bot(fake);
    const answer = await postAnswerIn(fake, b, 'burglary', 'C0D1');
    await b.slack.deps.bindings.bind({ channel: 'C0D1', ts: '1800100000.000001', kind: 'digest', id: '2026-W48' });
    await replyInThread(b, 'C0D1', '1800100000.000001', 'burglary trend: Large reduction');
    const confirm = await fake.waitFor(
      (c) => c.method === 'chat.postMessage' && c.params.thread_ts === '1800100000.000001',
    );
    expect(confirm.params.text).toMatch(
      /^Police recorded burglary offences: Trend: .+ → Large reduction, by <@U0ANALYST>$/,
    );
    const redraw = await fake.waitFor(
      (c) => c.method === 'chat.update' && c.params.ts === answer && blocksText(c).includes('"Large reduction · '),
    );
    expect(blocksText(redraw)).toContain('by <@U0ANALYST>');
    // The digest message itself is the digest's to draw: never chat.update'd here.
    expect(fake.callsTo('chat.update').filter((c) => c.params.ts === '1800100000.000001')).toHaveLength(0);
  });

  it('refuse a line without a measure name', async () => {
    const fake = await fakeSlack();
    const b = await bot(fake);
    await b.slack.deps.bindings.bind({ channel: 'C0D2', ts: '1800200000.000001', kind: 'digest', id: '2026-W48' });
    const before = b.store.snapshot().changeLog.length;
    await replyInThread(b, 'C0D2', '1800200000.000001', 'trend: Stable');
    const refusal = await fake.waitFor(
      (c) => c.method === 'chat.postMessage' && c.params.thread_ts === '1800200000.000001',
    );
    expect(refusal.params.text).toMatch(/^Not saved\. Line 1 /);
    expect(b.store.snapshot().changeLog.length).toBe(before);
  });
});

describe('when the store cannot be written', () => {
  it('the thread is told nothing was saved; no server detail reaches Slack', async () => {
    const fake = await fakeSlack();
    const b = await bot(fake);
    const parent = await postAnswerIn(fake, b, 'robbery', 'C0W1');
    fs.writeFileSync(b.storeFile, '{ "not": "a store" ');
    await replyInThread(b, 'C0W1', parent, 'trend: Large increase');
    const note = await fake.waitFor((c) => c.method === 'chat.postMessage' && c.params.thread_ts === parent);
    expect(note.params.text).toMatch(
      /^Not saved: the measures store cannot be written just now, so nothing was changed\./,
    );
    expect(note.params.text).not.toContain(b.storeFile);
    expect(b.logs.some((l) => l.includes('ERROR') && l.includes('could not be saved'))).toBe(true);
    expect(
      fake
        .callsTo('chat.update')
        .filter((c) => c.params.ts === parent && JSON.stringify(c.params.blocks).includes('"Large increase · ')),
    ).toHaveLength(0);
  });
});

describe('without ANALYSTS or ANALYST_USERGROUP', () => {
  it('warns at start and refuses every update from Slack, privately', async () => {
    const fake = await fakeSlack();
    const b = await bot(fake, { config: {} });
    expect(b.logs.some((l) => l.includes('WARN') && l.includes('ANALYSTS and ANALYST_USERGROUP are not set'))).toBe(
      true,
    );
    const parent = await postAnswerIn(fake, b, 'robbery', 'C0N1');
    const before = JSON.stringify(b.store.snapshot());
    await replyInThread(b, 'C0N1', parent, 'trend: Large increase', { user: 'U0ANYONE' });
    const note = await fake.waitFor((c) => c.method === 'chat.postEphemeral' && c.params.channel === 'C0N1');
    expect(note.params.text).toContain('no analysts are set up');
    await settle(b);
    expect(JSON.stringify(b.store.snapshot())).toBe(before);
    expect(threadPosts(fake, 'C0N1', parent)).toHaveLength(0);
    expect(ephemerals(fake, 'C0N1')).toHaveLength(1);
    expect(fake.callsTo('usergroups.users.list')).toHaveLength(0);
  });
});
