// Three real bot processes (`npm start`, the build in dist/) on one PostgreSQL database, as a
// force would run replicas behind a load balancer: nothing lost under concurrent questions and
// updates spread across them, one digest however many schedulers are due, and a replica killed
// with SIGKILL in the middle of a burst leaves the others answering and the store valid.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../src/store/index.ts';
import type { BotProcess } from './helpers/bot-process.ts';
import { startFakeSlack, type FakeSlack } from './helpers/fake-slack.ts';
import { startPostgres, type PostgresCluster } from './helpers/postgres.ts';
import { ANALYST, scheduleJustPassed, startReplicas } from './helpers/replicas.ts';
import { eventCallbackBody, FORM, JSON_TYPE, sendToBot, slashCommandBody } from './helpers/slack-requests.ts';
import { measuresInProcess } from './helpers/store-temp.ts';

const DIGEST_CHANNEL = 'C0DIGEST';
let cluster: PostgresCluster;
let fake: FakeSlack;
let url: string;
let bots: BotProcess[] = [];
let seq = 0;

beforeAll(async () => {
  [cluster, fake] = await Promise.all([startPostgres(), startFakeSlack()]);
  url = await cluster.createDatabase();
  bots = await startReplicas(3, fake, url, {
    DIGEST_CHANNEL,
    DIGEST_SCHEDULE: scheduleJustPassed(),
    DIGEST_TIMEZONE: 'UTC',
  });
}, 90_000);

afterAll(async () => {
  for (const b of bots) b.kill();
  await fake?.stop();
  await cluster?.stop();
}, 30_000);

/** A slash command to one replica; resolves with its HTTP status (null when the connection failed). */
function command(bot: BotProcess, text: string, channel: string, user = 'U0ASKER'): Promise<number | null> {
  const body = slashCommandBody({
    text,
    channel_id: channel,
    user_id: user,
    response_url: fake.responseUrl(),
    trigger_id: `${Date.now()}.${++seq}.replica`,
  });
  return sendToBot(`${bot.base}/slack/events`, body, FORM).then(
    (r) => r.status,
    () => null,
  );
}

const answered = (channel: string) =>
  fake.waitFor((c) => c.method === 'chat.postMessage' && c.params.channel === channel, 30_000);

/** Which of `texts` `measures history` lists (as the comments' text). */
async function inHistory(texts: string[]): Promise<string[]> {
  const result = await measuresInProcess(['history', '--json'], url);
  expect(result.code).toBe(0);
  const entries = JSON.parse(result.out) as { entries: Array<{ field: string; after: { text?: string } | null }> };
  const comments = new Set(entries.entries.filter((e) => e.field === 'comment').map((e) => e.after?.text));
  return texts.filter((t) => comments.has(t));
}

const QUESTIONS = ['robbery', 'burglary', 'knife crime', 'homicide', 'car theft', 'drugs', 'serious violence'];

describe('three replicas on one PostgreSQL database', () => {
  it('post exactly one digest when all three schedulers are due at once', async () => {
    await fake.waitFor((c) => c.method === 'chat.postMessage' && c.params.channel === DIGEST_CHANNEL, 30_000);
    // Time for a second post, had a replica made one (each decides within a second of starting).
    await new Promise((r) => setTimeout(r, 3000));
    expect(fake.callsTo('chat.postMessage').filter((c) => c.params.channel === DIGEST_CHANNEL)).toHaveLength(1);
    // The others found it pending (being posted) or already sent, and recorded nothing of their own.
    const exported = await measuresInProcess(['export'], url);
    const keys = (JSON.parse(exported.out) as Store).digest.keys.filter((k) => k.channel === DIGEST_CHANNEL);
    expect(keys).toEqual([expect.objectContaining({ status: 'sent' })]);
  }, 45_000);

  it('lose none of 40 questions and 20 updates sent at once across the three', async () => {
    const questions = Array.from({ length: 40 }, (_, i) => ({ channel: `C0ASK${i}`, text: QUESTIONS[i % 7]! }));
    const updates = Array.from({ length: 20 }, (_, i) => `replica update ${i}`);
    const statuses = await Promise.all([
      ...questions.map((q, i) => command(bots[i % 3]!, q.text, q.channel)),
      ...updates.map((u, i) => command(bots[i % 3]!, `update robbery comment: ${u}`, `C0UPD${i}`, ANALYST)),
    ]);
    expect(statuses.every((s) => s === 200)).toBe(true);
    await Promise.all(questions.map((q) => answered(q.channel)));
    await expect.poll(() => inHistory(updates), { timeout: 20_000, interval: 250 }).toEqual(updates);
    // Every replica serves every update: none of them answers from an old copy.
    for (const [i, bot] of bots.entries()) {
      expect(await command(bot, 'robbery', `C0AFTER${i}`)).toBe(200);
      const answer = await answered(`C0AFTER${i}`);
      expect(JSON.stringify(answer.params)).not.toMatch(/sorry|went wrong/i);
    }
  }, 60_000);

  it('keep answering on two when the third is killed with SIGKILL mid-burst; the store stays valid', async () => {
    const victim = bots[2]!;
    const burst = Array.from({ length: 30 }, (_, i) => {
      const bot = bots[i % 3]!;
      const update = i % 5 === 0;
      const channel = `C0KILL${i}`;
      const text = update ? `update burglary comment: during the kill ${i}` : QUESTIONS[i % 7]!;
      return { bot, channel, text, update, sent: command(bot, text, channel, update ? ANALYST : 'U0ASKER') };
    });
    await new Promise((r) => setTimeout(r, 100));
    victim.kill();
    const survivors = burst.filter((b) => b.bot !== victim);
    for (const s of survivors) expect(await s.sent).toBe(200);
    await Promise.all(survivors.filter((s) => !s.update).map((s) => answered(s.channel)));
    const survivorUpdates = survivors
      .filter((s) => s.update)
      .map((s) => s.text.replace('update burglary comment: ', ''));
    await expect.poll(() => inHistory(survivorUpdates), { timeout: 20_000, interval: 250 }).toEqual(survivorUpdates);

    const validate = await measuresInProcess(['validate'], url);
    expect(validate.code, validate.err).toBe(0);
    // Nothing is left locked: the survivors and the CLI still write.
    expect(await command(bots[0]!, 'update burglary comment: after the kill', 'C0POST', ANALYST)).toBe(200);
    await expect.poll(() => inHistory(['after the kill']), { timeout: 10_000, interval: 250 }).toHaveLength(1);
    const cli = await measuresInProcess(['update', 'robbery', 'comment: from the CLI', '--as', ANALYST], url);
    expect(cli.code, cli.err).toBe(0);
    for (const [i, bot] of bots.slice(0, 2).entries()) {
      expect(await command(bot, 'robbery', `C0LAST${i}`)).toBe(200);
      await answered(`C0LAST${i}`);
    }
  }, 60_000);

  it('handle an event Slack delivers twice once, even when the two deliveries reach different replicas', async () => {
    const [a, b] = bots;
    expect(await command(a!, 'robbery', 'C0EVENT')).toBe(200);
    const answer = await answered('C0EVENT');
    const parent = (answer.reply as { ts: string }).ts;
    // The answer's thread binding reaches the store in a batch, shortly after the answer.
    await expect
      .poll(async () => JSON.parse((await measuresInProcess(['export'], url)).out) as Store, { timeout: 10_000 })
      .toMatchObject({ threads: expect.arrayContaining([expect.objectContaining({ ts: parent })]) });
    const ts = `${Math.floor(Date.now() / 1000)}.000777`;
    const event = { type: 'message', channel: 'C0EVENT', channel_type: 'channel', user: 'U0OFFICER', text: 'help' };
    const body = eventCallbackBody({ event_id: 'Ev0TWICE', event: { ...event, ts, thread_ts: parent, event_ts: ts } });
    const [first, retry] = await Promise.all([
      sendToBot(`${a!.base}/slack/events`, body, JSON_TYPE),
      sendToBot(`${b!.base}/slack/events`, body, JSON_TYPE, {
        headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' },
      }),
    ]);
    expect([first.status, retry.status]).toEqual([200, 200]);
    await fake.waitFor((c) => c.method === 'chat.postEphemeral' && c.params.channel === 'C0EVENT', 10_000);
    await new Promise((r) => setTimeout(r, 1500)); // time for a second help, had the other replica sent one
    expect(fake.callsTo('chat.postEphemeral').filter((c) => c.params.channel === 'C0EVENT')).toHaveLength(1);
    expect(`${a!.log()}${b!.log()}`).toMatch(/event Ev0TWICE already handled by another replica/);
  }, 30_000);

  // Last: it stops the database (and starts it again).
  it('say 503 at /healthz while the database is down, so a load balancer stops sending to them', async () => {
    const live = bots.slice(0, 2);
    await cluster.kill();
    for (const bot of live) await expect.poll(() => bot.health(), { timeout: 10_000 }).toBe(503);
    const body = await fetch(`${live[0]!.base}/healthz`).then((r) => r.json());
    expect(body).toMatchObject({ ok: false, store: 'unreachable' });
    await cluster.restart();
    for (const bot of live) await expect.poll(() => bot.health(), { timeout: 15_000 }).toBe(200);
    expect(await command(live[1]!, 'update robbery comment: after the outage', 'C0BACK', ANALYST)).toBe(200);
    await expect.poll(() => inHistory(['after the outage']), { timeout: 10_000, interval: 250 }).toHaveLength(1);
  }, 45_000);
});
