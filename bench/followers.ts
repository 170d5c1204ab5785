// npm run bench:followers — 500 followers of robbery (400 directly, 100 through its priority),
// one analyst update, against the bot started as `npm start` would (its own process, polling
// the change log every second as in production) and the fake Slack in this process. The fake
// answers 429 with Retry-After to some DMs. Prints:
// - the time from sending the update until every DM is queued (goal ≤ 2 s), from the bot's log;
// - the time until every DM is delivered, the 429s and whether each was retried no sooner than
//   its Retry-After;
// - answers' ack, text posted and chart shown (p50/p95) for questions asked alone, and for the
//   same asked while the DMs go out: the DMs' client waits out the 429s, the answers' does not.
//
// Settings: BENCH_FOLLOWERS (500), BENCH_RATE_LIMITED (25 DMs answered 429), BENCH_RETRY_AFTER_S (1),
// BENCH_QUESTIONS (20 per phase).
import os from 'node:os';
import { type FakeSlack, type RecordedCall, startFakeSlack } from '../tests/helpers/fake-slack.ts';
import { freshBuild } from '../tests/helpers/fresh-build.ts';
import { FORM, sendToBot, slashCommandBody } from '../tests/helpers/slack-requests.ts';
import { tempStoreFile } from '../tests/helpers/store-temp.ts';
import { percentile, rssMb, SAMPLE_QUERIES, spawnBenchBot, waitForHealth } from './helpers.ts';

const FOLLOWERS = Number(process.env.BENCH_FOLLOWERS ?? 500);
const RATE_LIMITED = Number(process.env.BENCH_RATE_LIMITED ?? 25);
const RETRY_AFTER_S = Number(process.env.BENCH_RETRY_AFTER_S ?? 1);
const QUESTIONS = Number(process.env.BENCH_QUESTIONS ?? 20);
const GOAL_QUEUED_MS = 2000;

const round = (n: number) => Math.round(n * 10) / 10;
const stats = (values: number[]) => ({ p50: round(percentile(values, 50)), p95: round(percentile(values, 95)) });
const isDm = (c: RecordedCall) => String(c.params.channel ?? '').startsWith('D');

/** QUESTIONS answers at once, each in its own channel: ack, text posted and chart shown, in ms. */
async function ask(fake: FakeSlack, url: string, phase: string) {
  const jobs = Array.from({ length: QUESTIONS }, (_, i) => ({
    channel: `C0${phase}${String(i).padStart(3, '0')}`,
    query: SAMPLE_QUERIES[i % SAMPLE_QUERIES.length]!,
  }));
  const results = await Promise.all(
    jobs.map(async (job) => {
      const sentAt = performance.now();
      const ack = await sendToBot(
        url,
        slashCommandBody({ text: job.query, channel_id: job.channel, response_url: fake.responseUrl() }),
        FORM,
      );
      const posted = await fake.waitFor(
        (c) => c.method === 'chat.postMessage' && c.params.channel === job.channel && c.status === 200,
        30_000,
      );
      const shown = await fake.waitFor(
        (c) =>
          c.method === 'chat.update' &&
          c.params.channel === job.channel &&
          /slack_file|No chart available/.test(JSON.stringify(c.params.blocks)),
        30_000,
      );
      return { ackMs: ack.ms, postedMs: posted.at - sentAt, shownMs: shown.at - sentAt };
    }),
  );
  return {
    ackMs: stats(results.map((r) => r.ackMs)),
    textPostedMs: stats(results.map((r) => r.postedMs)),
    chartShownMs: stats(results.map((r) => r.shownMs)),
  };
}

async function main() {
  freshBuild((m) => process.stderr.write(`${m}\n`));
  const storeFile = tempStoreFile((s) => {
    for (let i = 0; i < FOLLOWERS; i++) {
      const user = `U0F${String(i).padStart(5, '0')}`;
      const viaPriority = i % 5 === 4;
      s.follows.push({
        user,
        target: viaPriority
          ? { kind: 'priority', id: 'reduce-neighbourhood-crime' }
          : { kind: 'measure', id: 'robbery' },
        mode: 'follow',
        since: '2026-11-01T00:00:00.000Z',
      });
    }
  });
  const fake = await startFakeSlack();
  fake.fail('chat.postMessage', {
    status: 429,
    retryAfter: RETRY_AFTER_S,
    times: RATE_LIMITED,
    when: (p) => isDm({ params: p } as RecordedCall),
  });
  const bot = await spawnBenchBot({ fake, store: storeFile, env: { LOG_LEVEL: 'info', ANALYSTS: 'U0ANALYST' } });
  const { url } = bot;
  try {
    await waitForHealth(bot, async (r) => r.ok && ((await r.json()) as { charts?: string }).charts === 'warm', {
      timeoutMs: 60_000,
      intervalMs: 50,
    });
    await ask(fake, url, 'WARM'); // unmeasured: a cold JIT is not what is compared here
    const alone = await ask(fake, url, 'ALONE');

    const updateSentEpoch = Date.now();
    const updateSent = performance.now();
    const update = sendToBot(
      url,
      slashCommandBody({
        text: 'update robbery trend: Large increase',
        user_id: 'U0ANALYST',
        channel_id: 'C0UPDATE',
        response_url: fake.responseUrl(),
      }),
      FORM,
    );
    await update;

    // The bot logs when a change set's DMs are all queued (JSON lines, ISO time to the ms).
    let queuedAt: number | null = null;
    for (const deadline = performance.now() + 30_000; queuedAt === null && performance.now() < deadline;) {
      const line = bot
        .log()
        .split('\n')
        .find((l) => l.includes('follower DMs:') && l.includes('queued'));
      if (line) queuedAt = Date.parse((JSON.parse(line) as { time: string }).time);
      else await new Promise((r) => setTimeout(r, 20));
    }
    // Asked while the DMs go out (and wait out their 429s).
    const dmsBefore = fake.calls.filter((c) => c.method === 'chat.postMessage' && isDm(c) && c.status === 200).length;
    const during = await ask(fake, url, 'DURING');
    const dmsAfter = fake.calls.filter((c) => c.method === 'chat.postMessage' && isDm(c) && c.status === 200).length;
    const delivered = () => fake.calls.filter((c) => c.method === 'chat.postMessage' && isDm(c) && c.status === 200);
    const deliveryDeadline = performance.now() + 120_000;
    while (delivered().length < FOLLOWERS && performance.now() < deliveryDeadline)
      await new Promise((r) => setTimeout(r, 50));
    const lastDm = Math.max(...delivered().map((c) => c.at));

    // Each 429'd DM: its next attempt no sooner than Retry-After (50 ms of timer slack).
    const limited = fake.calls.filter((c) => c.method === 'chat.postMessage' && isDm(c) && c.status === 429);
    const waits = limited.map((c) => {
      const next = fake.calls.find(
        (n) => n.method === 'chat.postMessage' && n.params.channel === c.params.channel && n.at > c.at,
      );
      return next ? next.at - c.at : NaN;
    });
    const summary = {
      followers: FOLLOWERS,
      cpus: os.availableParallelism(),
      loadAverage: os.loadavg().map(round),
      updateToAllQueuedMs: queuedAt === null ? null : queuedAt - updateSentEpoch,
      queuedLogLine:
        bot
          .log()
          .split('\n')
          .find((l) => l.includes('queued for change set'))
          ?.slice(0, 300) ?? null,
      updateToAllDeliveredMs: round(lastDm - updateSent),
      dmsDelivered: delivered().length,
      distinctDmChannels: new Set(delivered().map((c) => c.params.channel)).size,
      rateLimited: {
        answered429: limited.length,
        retryAfterS: RETRY_AFTER_S,
        retriedAfterMs: { min: round(Math.min(...waits)), max: round(Math.max(...waits)) },
        allHonoured: waits.every((w) => w >= RETRY_AFTER_S * 1000 - 50),
      },
      botRssMb: { now: rssMb(bot.process.pid!), peak: rssMb(bot.process.pid!, 'VmHWM') },
      answersAlone: alone,
      answersDuringDms: { ...during, dmsDeliveredMeanwhile: dmsAfter - dmsBefore, dmsDeliveredBefore: dmsBefore },
      goals: {
        queued:
          queuedAt !== null && queuedAt - updateSentEpoch <= GOAL_QUEUED_MS
            ? `met (≤ ${GOAL_QUEUED_MS} ms)`
            : `missed (≤ ${GOAL_QUEUED_MS} ms)`,
      },
    };
    console.log(JSON.stringify(summary, null, 2));
  } finally {
    await bot.stop();
    await fake.stop();
  }
}

await main();
