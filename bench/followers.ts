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
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type FakeSlack, type RecordedCall, startFakeSlack } from '../tests/helpers/fake-slack.ts';
import { freePort } from '../tests/helpers/free-port.ts';
import { freshBuild } from '../tests/helpers/fresh-build.ts';
import { FORM, sendToBot, slashCommandBody, TEST_SIGNING_SECRET } from '../tests/helpers/slack-requests.ts';
import { tempStoreFile } from '../tests/helpers/store-temp.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const FOLLOWERS = Number(process.env.BENCH_FOLLOWERS ?? 500);
const RATE_LIMITED = Number(process.env.BENCH_RATE_LIMITED ?? 25);
const RETRY_AFTER_S = Number(process.env.BENCH_RETRY_AFTER_S ?? 1);
const QUESTIONS = Number(process.env.BENCH_QUESTIONS ?? 20);
const GOAL_QUEUED_MS = 2000;
const QUERIES = ['robbery', 'burglary', 'homicide', 'vehicle crime', 'rape charge rate', 'serious violence'];

const round = (n: number) => Math.round(n * 10) / 10;

/** Resident memory of a process in MB, from /proc (Linux). */
function rssMb(pid: number, field: 'VmRSS' | 'VmHWM' = 'VmRSS'): number | null {
  try {
    const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Math.round(Number(m[1]) / 102.4) / 10 : null;
  } catch {
    return null;
  }
}
function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}
const stats = (values: number[]) => ({ p50: round(percentile(values, 50)), p95: round(percentile(values, 95)) });
const isDm = (c: RecordedCall) => String(c.params.channel ?? '').startsWith('D');

/** QUESTIONS answers at once, each in its own channel: ack, text posted and chart shown, in ms. */
async function ask(fake: FakeSlack, url: string, phase: string) {
  const jobs = Array.from({ length: QUESTIONS }, (_, i) => ({
    channel: `C0${phase}${String(i).padStart(3, '0')}`,
    query: QUERIES[i % QUERIES.length]!,
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
  const port = await freePort();
  const bot = spawn(process.execPath, [path.join(ROOT, 'bin', 'start.js')], {
    cwd: ROOT,
    env: {
      ...process.env,
      SLACK_BOT_TOKEN: 'xoxb-bench',
      SLACK_SIGNING_SECRET: TEST_SIGNING_SECRET,
      SLACK_APP_TOKEN: '',
      SLACK_API_URL: fake.apiUrl,
      LOG_LEVEL: 'info',
      PORT: String(port),
      MEASURES_STORE: storeFile,
      ANALYSTS: 'U0ANALYST',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let botLog = '';
  bot.stderr.on('data', (d: Buffer) => (botLog += d.toString()));
  const base = `http://127.0.0.1:${port}`;
  const url = `${base}/slack/events`;
  try {
    const startedAt = performance.now();
    for (;;) {
      const health = await fetch(`${base}/healthz`).then(
        (r) => (r.ok ? (r.json() as Promise<{ charts?: string }>) : null),
        () => null,
      );
      if (health && health.charts === 'warm') break;
      if (performance.now() - startedAt > 60_000 || bot.exitCode !== null)
        throw new Error(`the bot did not become healthy:\n${botLog}`);
      await new Promise((r) => setTimeout(r, 50));
    }
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
      const line = botLog.split('\n').find((l) => l.includes('follower DMs:') && l.includes('queued'));
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
        botLog
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
      botRssMb: { now: rssMb(bot.pid!), peak: rssMb(bot.pid!, 'VmHWM') },
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
    bot.kill('SIGTERM');
    await new Promise((r) => bot.once('exit', r));
    await fake.stop();
  }
}

await main();
