// npm run bench:slack — 40 concurrent signed /measures requests, across different channels
// and measures, to the bot started as `npm start` would (its own process) against the fake
// Slack in this process. Prints ack p50/p99, answer-complete (chart shared) p50/p95 and RSS.
//
// Settings: BENCH_REQUESTS (40), BENCH_ROUNDS (3), BENCH_SLACK_LATENCY_MS (0: the fake answers
// at once; real Slack adds ~50–200 ms per call), BENCH_BOT_NODE_ARGS (node flags for the bot,
// e.g. --cpu-prof).
import { type ChildProcess, fork } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readStore } from '../src/store/index.ts';
import { type FakeSlack, startFakeSlack } from '../tests/helpers/fake-slack.ts';
import { freshBuild } from '../tests/helpers/fresh-build.ts';
import { FORM, sendToBot, slashCommandBody } from '../tests/helpers/slack-requests.ts';
import { chartsNotWarming, percentile, rssMb, spawnBenchBot, waitForHealth } from './helpers.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 40);
/** Bursts; this machine is shared, so one burst alone says little about its variance. */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const PAUSE_MS = 2500;
const GOALS = { ackP99Ms: 100, completeP95Ms: 500 };

function childPids(pid: number): number[] {
  try {
    return fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

const round = (n: number) => Math.round(n * 10) / 10;

interface Result {
  status: number;
  ackMs: number;
  completeMs: number;
  withChart: boolean;
}
interface Round {
  results: Result[];
  summary: Record<string, unknown>;
}

/** One burst of REQUESTS concurrent commands, each in a channel of its own. */
async function runRound(
  r: number,
  ctx: { url: string; queries: string[]; fake: FakeSlack; load: ChildProcess; botLog: () => string },
): Promise<Round> {
  const jobs = Array.from({ length: REQUESTS }, (_, i) => ({
    channel: `C0BENCH${r}X${String(i).padStart(3, '0')}`,
    query: ctx.queries[(i + r * 7) % ctx.queries.length]!,
  }));
  const logMark = ctx.botLog().length;
  if (process.env.BENCH_DUMP_BOT_LOG)
    process.stderr.write(`round ${r} starts ${new Date().toISOString().slice(17, 23)}\n`);
  const loop = monitorEventLoopDelay({ resolution: 1 });
  loop.enable();
  let loadLoopDelayMaxMs = NaN;
  const sent = new Promise<Array<{ sentAt: number; ackMs: number; connectMs: number; status: number }>>((resolve) =>
    ctx.load.once(
      'message',
      (m: {
        results: Array<{ sentAt: number; ackMs: number; connectMs: number; status: number }>;
        loopDelayMaxMs: number;
      }) => {
        loadLoopDelayMaxMs = m.loopDelayMaxMs;
        resolve(m.results);
      },
    ),
  );
  ctx.load.send({
    jobs: jobs.map((job) => ({
      url: ctx.url,
      body: slashCommandBody({ text: job.query, channel_id: job.channel, response_url: ctx.fake.responseUrl() }),
    })),
  });
  const finished = await Promise.all(
    jobs.map((job) =>
      ctx.fake.waitFor(
        (c) =>
          c.params.channel === job.channel &&
          c.method === 'chat.update' &&
          c.status === 200 &&
          /slack_file|No chart available|could not be shared/.test(JSON.stringify(c.params.blocks)),
        30_000,
      ),
    ),
  );
  const acked = await sent;
  loop.disable();
  const results = jobs.map((_, i) => {
    const done = finished[i]!;
    const a = acked[i]!;
    return {
      status: a.status,
      ackMs: a.ackMs,
      completeMs: performance.timeOrigin + done.at - a.sentAt,
      withChart: JSON.stringify(done.params.blocks).includes('slack_file'),
    };
  });
  // The bot's own view: from a request's arrival at the guard to its ack leaving.
  const inBot = [
    ...ctx
      .botLog()
      .slice(logMark)
      .matchAll(/acked in ([\d.]+) ms/g),
  ].map((m) => Number(m[1]));
  // …and from the moment the bot accepted the connection (includes waiting for the event loop).
  const fromAccept = [
    ...ctx
      .botLog()
      .slice(logMark)
      .matchAll(/\(([\d.]+) ms since the connection was accepted\)/g),
  ].map((m) => Number(m[1]));
  const acks = results.map((x) => x.ackMs);
  const completes = results.map((x) => x.completeMs);
  return {
    results,
    summary: {
      ackP50: round(percentile(acks, 50)),
      ackP99: round(percentile(acks, 99)),
      connectP99: round(
        percentile(
          acked.map((a) => a.connectMs),
          99,
        ),
      ),
      ackInBotP99: round(percentile(inBot, 99)),
      ackFromAcceptP99: round(percentile(fromAccept, 99)),
      completeP50: round(percentile(completes, 50)),
      completeP95: round(percentile(completes, 95)),
      benchLoopDelayMaxMs: round(loop.max / 1e6),
      loadGeneratorLoopDelayMaxMs: round(loadLoopDelayMaxMs),
    },
  };
}

async function main() {
  freshBuild((m) => process.stderr.write(`${m}\n`)); // the bot runs the build in dist/
  const fake = await startFakeSlack();
  fake.latencyMs = Number(process.env.BENCH_SLACK_LATENCY_MS ?? 0);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'measures-bench-slack-'));
  const storeFile = path.join(dir, 'store.json');
  const nodeArgs = process.env.BENCH_BOT_NODE_ARGS?.split(/\s+/).filter(Boolean) ?? [];
  const bot = await spawnBenchBot({ fake, store: storeFile, env: { LOG_LEVEL: 'info' }, nodeArgs });
  const { base, url } = bot;
  try {
    const startedAt = performance.now();
    // Healthy once the store is loaded; the bench also waits for the chart prewarm, as a bot
    // that has been running a while would have it.
    await waitForHealth(bot, chartsNotWarming, { timeoutMs: 30_000, intervalMs: 50 });
    const readyMs = performance.now() - startedAt;

    // Every priority and measure by its title, round-robin; each request in its own channel.
    const store = await readStore(storeFile, { notice: () => undefined });
    const queries = store.priorities.flatMap((p) => [p.title, ...p.measures.map((m) => m.title)]);

    // One unmeasured answer, in a channel of its own, as a bot that has just started would
    // have given: the first burst still meets a cold JIT, which is part of what is measured.
    const warmup = 'C0WARMUP';
    await sendToBot(
      url,
      slashCommandBody({ text: queries[0]!, channel_id: warmup, response_url: fake.responseUrl() }),
      FORM,
    );
    await fake.waitFor(
      (c) =>
        c.method === 'chat.update' &&
        c.params.channel === warmup &&
        JSON.stringify(c.params.blocks).includes('slack_file'),
      30_000,
    );

    await new Promise((res) => setTimeout(res, PAUSE_MS)); // the warm-up's binding is written in a lull
    const load = fork(path.join(ROOT, 'bench', 'slack-load.ts'), [`${base}/healthz`], {
      execArgv: ['--import', 'tsx'],
    });
    await new Promise<void>((resolve) => load.once('message', () => resolve()));
    const rounds: Round[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      rounds.push(await runRound(r, { url, queries, fake, load, botLog: () => bot.log() }));
      await new Promise((res) => setTimeout(res, PAUSE_MS)); // let the binding write and GC settle
    }
    load.send({ done: true });
    const botRss = rssMb(bot.process.pid!);
    const botPeak = rssMb(bot.process.pid!, 'VmHWM');
    const workers = childPids(bot.process.pid!).map((pid) => rssMb(pid) ?? 0);

    const all = rounds.flatMap((r) => r.results);
    const acks = all.map((x) => x.ackMs);
    const completes = all.map((x) => x.completeMs);
    const summary = {
      requests: `${ROUNDS} rounds of ${REQUESTS} concurrent, after one unmeasured warm-up answer`,
      distinctQueries: queries.length,
      slackLatencyMs: fake.latencyMs,
      cpus: os.availableParallelism(),
      loadAverage: os.loadavg().map((l) => round(l)),
      status200: all.filter((x) => x.status === 200).length,
      chartsShown: all.filter((x) => x.withChart).length,
      ackMs: { p50: round(percentile(acks, 50)), p99: round(percentile(acks, 99)), max: round(Math.max(...acks)) },
      completeMs: {
        p50: round(percentile(completes, 50)),
        p95: round(percentile(completes, 95)),
        max: round(Math.max(...completes)),
      },
      perRound: rounds.map((r) => r.summary),
      readyMs: round(readyMs),
      rssMb: {
        bot: botRss,
        botPeak,
        chartWorkers: workers.length ? round(workers.reduce((a, b) => a + b, 0)) : null,
        workerCount: workers.length,
      },
      webApiCalls: fake.calls.length,
      goals: {
        ackP99: `${percentile(acks, 99) <= GOALS.ackP99Ms ? 'met' : 'missed'} (≤ ${GOALS.ackP99Ms} ms)`,
        completeP95:
          `${percentile(completes, 95) <= GOALS.completeP95Ms ? 'met' : 'missed'} ` + `(≤ ${GOALS.completeP95Ms} ms)`,
      },
    };

    const stopAt = performance.now();
    const code = await bot.stop();
    (summary as Record<string, unknown>).sigtermExit = { code, ms: round(performance.now() - stopAt) };
    console.log(JSON.stringify(summary, null, 2));
    if (process.env.BENCH_DUMP_BOT_LOG)
      process.stderr.write(
        bot
          .log()
          .split('\n')
          .filter((l) => !/acked in|asked →|answered in/.test(l))
          .join('\n'),
      );
  } finally {
    bot.kill();
    await fake.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

await main();
