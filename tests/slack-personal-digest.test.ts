// The personal digest over real HTTP against the fake Slack: on the digest's schedule each
// follower gets one DM of the week's changes to what they follow, exactly once per week across
// a restart and a crash after posting; `/measures digest off` and `on` are per person.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeSlack, startFakeSlack } from './helpers/fake-slack.ts';
import { type RunningBot, startBot } from './helpers/slack-app.ts';
import { collectingLog, ManualClock, update } from './helpers/digest-support.ts';
import { FORM, sendToBot, slashCommandBody } from './helpers/slack-requests.ts';
import { blocksText } from './helpers/slack-threads.ts';
import { startDigest, type DigestRuntime } from '../src/slack/digest/runtime.ts';
import { PERSONAL_DIGEST_EVENT_TYPE } from '../src/slack/followers/personal-digest.ts';
import type { Store } from '../src/store/index.ts';

let fake: FakeSlack;
let bot: RunningBot;
const clock = ManualClock.at('2026-11-23T08:50:00Z'); // Monday, 10 minutes before the 09:00 slot
const runtimes: DigestRuntime[] = [];

const follow = (user: string, id: string): Store['follows'][number] => ({
  user,
  target: { kind: 'measure', id },
  mode: 'follow',
  since: '2026-11-01T00:00:00.000Z',
});

beforeAll(async () => {
  fake = await startFakeSlack();
  fake.clock = () => clock.ms;
  bot = await startBot(fake, {
    prepareStore: (d) =>
      d.follows.push(follow('U0ROB', 'robbery'), follow('U0BURG', 'burglary'), follow('U0OFF', 'robbery')),
  });
  await update(bot.store, 'robbery', 'trend: Moderate increase', '2026-11-19T10:00:00Z');
  await update(bot.store, 'burglary', 'comment: a burglary note', '2026-11-20T10:00:00Z');
});
afterAll(async () => {
  for (const r of runtimes) await r.stop();
  await bot?.stop();
  await fake?.stop();
});

async function startRuntime(): Promise<DigestRuntime> {
  const runtime = startDigest({
    env: {}, // no DIGEST_CHANNEL: the personal digests run anyway
    store: bot.store,
    client: bot.slack.app.client,
    log: collectingLog(),
    now: clock.now,
    timers: clock.timerApi,
    sleep: clock.sleep,
    renderChart: null,
  });
  runtimes.push(runtime);
  await runtime.personal.idle();
  return runtime;
}

const settleAll = async () => {
  for (const r of runtimes) await r.personal.idle();
  await new Promise((resolve) => setImmediate(resolve));
  for (const r of runtimes) await r.personal.idle();
};

const digestDms = (user: string) =>
  fake
    .callsTo('chat.postMessage')
    .filter((c) => c.params.channel === `D${user}` && c.params.metadata?.event_type === PERSONAL_DIGEST_EVENT_TYPE);

async function command(text: string, user: string) {
  const responseUrl = fake.responseUrl();
  await sendToBot(bot.url, slashCommandBody({ text, user_id: user, response_url: responseUrl }), FORM);
  return fake.waitFor((c) => c.method === 'response' && c.params.responseUrl === responseUrl);
}

describe('the personal digest', () => {
  it('turns off for one person with /measures digest off', async () => {
    const res = await command('digest off', 'U0OFF');
    expect(String(res.params.text)).toContain('Your weekly digest DM is off');
    expect(bot.store.snapshot().personalDigests.off).toEqual(['U0OFF']);
  });

  it('sends each follower one DM of what they follow at the slot, and nothing to whoever turned it off', async () => {
    await startRuntime();
    expect(digestDms('U0ROB')).toHaveLength(0); // not before 09:00
    await clock.advanceTo('2026-11-23T09:01:00Z', settleAll);
    expect(digestDms('U0ROB')).toHaveLength(1);
    expect(digestDms('U0BURG')).toHaveLength(1);
    expect(digestDms('U0OFF')).toHaveLength(0);
    const rob = blocksText(digestDms('U0ROB')[0]!);
    expect(rob).toContain('Stable → Moderate increase');
    expect(rob).not.toContain('a burglary note');
    expect(blocksText(digestDms('U0BURG')[0]!)).toContain('a burglary note');
    expect(digestDms('U0ROB')[0]!.params.metadata!.event_payload).toEqual({ week: '2026-W48', user: 'U0ROB' });
  });

  it('is not sent again after a restart in the same week', async () => {
    await runtimes.pop()!.stop();
    clock.ms = Date.parse('2026-11-23T09:30:00Z');
    await startRuntime();
    await settleAll();
    expect(digestDms('U0ROB')).toHaveLength(1);
    expect(digestDms('U0BURG')).toHaveLength(1);
    // The week's run is marked done, so a restart does not warn that it was missed.
    expect(bot.store.snapshot().digest.keys).toContainEqual(
      expect.objectContaining({ channel: 'followers', week: '2026-W48', status: 'sent' }),
    );
  });

  it('after a crash between posting and marking sent, finds the DM by its metadata, not posting again', async () => {
    await runtimes.pop()!.stop();
    await command('digest on', 'U0OFF');
    // As if that week's run had not finished: a crash ends it before its slot is marked done.
    await bot.store.mutate((d) => {
      d.digest.keys = d.digest.keys.filter((k) => k.channel !== 'followers');
    });
    // The post reaches Slack but its answer is lost (a timeout): the key stays pending.
    fake.fail('chat.postMessage', { status: 500, applied: true, when: (p) => p.channel === 'DU0OFF' });
    await startRuntime();
    await settleAll();
    const key = () => bot.store.snapshot().personalDigests.keys.find((k) => k.user === 'U0OFF')!;
    expect(key().status).toBe('pending');
    const inDm = () =>
      [...fake.messages.values()].filter(
        (m) => m.channel === 'DU0OFF' && m.metadata?.event_type === PERSONAL_DIGEST_EVENT_TYPE,
      );
    const posted = inDm();
    expect(posted).toHaveLength(1);
    // A restart after the lease looks in the DM (im:history) and marks it sent.
    await runtimes.pop()!.stop();
    clock.ms += 11 * 60_000;
    await startRuntime();
    await settleAll();
    expect(key()).toMatchObject({ status: 'sent', ts: posted[0]!.ts });
    expect(inDm()).toHaveLength(1);
    expect(fake.callsTo('conversations.history').at(-1)!.params).toMatchObject({ channel: 'DU0OFF' });
  });
});
