// npm run bench:replicas — the load of bench/slack.ts (40 concurrent signed /measures questions,
// each in its own channel) plus 8 analyst updates in the same burst, against three set-ups side
// by side in one run: one replica on the file store, one on PostgreSQL, and three on one
// PostgreSQL database (requests spread round-robin, as a load balancer would). Prints ack p99,
// answer p95 (the answer posted), chart p95 (the chart shown in it) and update p95 (the
// analyst's confirmation), per set-up. PostgreSQL runs in a throwaway cluster
// (tests/helpers/postgres.ts), so the PostgreSQL server packages must be installed.
//
// Settings: BENCH_ROUNDS (3), BENCH_SLACK_LATENCY_MS (0).
import { fork } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readStore } from '../src/store/index.ts';
import type { BotProcess } from '../tests/helpers/bot-process.ts';
import { type FakeSlack, startFakeSlack } from '../tests/helpers/fake-slack.ts';
import { freshBuild } from '../tests/helpers/fresh-build.ts';
import { startPostgres } from '../tests/helpers/postgres.ts';
import { ANALYST, startReplicas } from '../tests/helpers/replicas.ts';
import { FORM, sendToBot, slashCommandBody } from '../tests/helpers/slack-requests.ts';
import { percentile } from './helpers.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const QUESTIONS = 40;
const UPDATES = 8;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const PAUSE_MS = 2500;

const round = (n: number) => Math.round(n);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Sent {
  sentAt: number;
  ackMs: number;
  status: number;
}

async function chartsWarm(bot: BotProcess): Promise<void> {
  for (const until = Date.now() + 60_000; Date.now() < until; await sleep(100)) {
    const health = await fetch(`${bot.base}/healthz`).then(
      (r) => r.json() as Promise<{ charts?: string }>,
      () => null,
    );
    if (health && health.charts !== 'warming') return;
  }
  throw new Error('charts did not finish prewarming within 60 s');
}

async function measure(name: string, store: string, replicas: number) {
  const fake: FakeSlack = await startFakeSlack();
  fake.latencyMs = Number(process.env.BENCH_SLACK_LATENCY_MS ?? 0);
  const bots = await startReplicas(replicas, fake, store);
  try {
    await Promise.all(bots.map(chartsWarm));
    const snapshot = await readStore(store, { notice: () => undefined });
    const queries = snapshot.priorities.flatMap((p) => [p.title, ...p.measures.map((m) => m.title)]);
    // One unmeasured answer per replica: the first burst still meets a cold JIT, as in bench/slack.ts.
    await Promise.all(
      bots.map(async (bot, i) => {
        const channel = `C0WARM${i}`;
        await sendToBot(
          `${bot.base}/slack/events`,
          slashCommandBody({ text: queries[i]!, channel_id: channel, response_url: fake.responseUrl() }),
          FORM,
        );
        await fake.waitFor((c) => c.method === 'chat.postMessage' && c.params.channel === channel, 30_000);
      }),
    );
    await sleep(PAUSE_MS);
    const load = fork(path.join(ROOT, 'bench', 'slack-load.ts'), [`${bots[0]!.base}/healthz`], {
      execArgv: ['--import', 'tsx'],
    });
    await new Promise<void>((resolve) => load.once('message', () => resolve()));
    const acks: number[] = [];
    const answers: number[] = [];
    const charts: number[] = [];
    const updates: number[] = [];
    let failed = 0;
    for (let r = 0; r < ROUNDS; r++) {
      const jobs = [
        ...Array.from({ length: QUESTIONS }, (_, i) => ({
          kind: 'question' as const,
          channel: `C0R${r}Q${i}`,
          text: queries[(i + r * 7) % queries.length]!,
          user: 'U0ASKER',
          responseUrl: fake.responseUrl(),
        })),
        ...Array.from({ length: UPDATES }, (_, i) => ({
          kind: 'update' as const,
          channel: `C0R${r}U${i}`,
          text: `update robbery comment: bench round ${r} update ${i}`,
          user: ANALYST,
          responseUrl: fake.responseUrl(),
        })),
      ];
      const sent = new Promise<Sent[]>((resolve) =>
        load.once('message', (m: { results: Sent[] }) => resolve(m.results)),
      );
      load.send({
        jobs: jobs.map((job, i) => ({
          url: `${bots[i % bots.length]!.base}/slack/events`,
          body: slashCommandBody({
            text: job.text,
            channel_id: job.channel,
            user_id: job.user,
            response_url: job.responseUrl,
            trigger_id: `${Date.now()}.${r}.${i}`,
          }),
        })),
      });
      const done = await Promise.all(
        jobs.map(async (job) => {
          if (job.kind === 'update') {
            const reply = await fake.waitFor(
              (c) => c.method === 'response' && c.params.responseUrl === job.responseUrl,
              30_000,
            );
            if (!/bench round/.test(String(reply.params.text))) failed += 1;
            return { reply: reply.at, chart: null };
          }
          const posted = await fake.waitFor(
            (c) => c.method === 'chat.postMessage' && c.params.channel === job.channel,
            30_000,
          );
          const chart = await fake.waitFor(
            (c) =>
              c.method === 'chat.update' &&
              c.params.channel === job.channel &&
              /slack_file|No chart available|could not be shared/.test(JSON.stringify(c.params.blocks)),
            30_000,
          );
          return { reply: posted.at, chart: chart.at };
        }),
      );
      const acked = await sent;
      jobs.forEach((job, i) => {
        const a = acked[i]!;
        if (a.status !== 200) failed += 1;
        acks.push(a.ackMs);
        const since = (at: number) => performance.timeOrigin + at - a.sentAt;
        if (job.kind === 'update') updates.push(since(done[i]!.reply));
        else {
          answers.push(since(done[i]!.reply));
          charts.push(since(done[i]!.chart!));
        }
      });
      await sleep(PAUSE_MS);
    }
    load.send({ done: true });
    return {
      setup: name,
      replicas,
      ackP99: round(percentile(acks, 99)),
      answerP95: round(percentile(answers, 95)),
      chartP95: round(percentile(charts, 95)),
      updateP95: round(percentile(updates, 95)),
      failed,
    };
  } finally {
    await Promise.all(bots.map((b) => b.stop()));
    await fake.stop();
  }
}

async function main() {
  freshBuild((m) => process.stderr.write(`${m}\n`)); // the bots run the build in dist/
  const cluster = await startPostgres();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'measures-bench-replicas-'));
  try {
    const results = [
      await measure('file store', path.join(dir, 'store.json'), 1),
      await measure('PostgreSQL', await cluster.createDatabase(), 1),
      await measure('PostgreSQL', await cluster.createDatabase(), 3),
    ];
    console.log(
      `${ROUNDS} rounds of ${QUESTIONS} questions + ${UPDATES} updates at once; ${os.availableParallelism()} CPUs, ` +
        `load ${os
          .loadavg()
          .map((l) => l.toFixed(1))
          .join(' ')}; Slack latency ${process.env.BENCH_SLACK_LATENCY_MS ?? 0} ms; all times in ms`,
    );
    console.table(results);
  } finally {
    await cluster.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

await main();
