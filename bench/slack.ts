// npm run bench:slack — 40 concurrent signed /measures requests, across different channels
// and measures, to the bot started as `npm start` would (its own process) against the fake
// Slack in this process. Prints ack p50/p99, answer-complete (chart shared) p50/p95 and RSS.
//
// Settings: BENCH_REQUESTS (40), BENCH_SLACK_LATENCY_MS (0: the fake answers at once; real
// Slack adds ~50–200 ms per call), BENCH_BOT_NODE_ARGS (node flags for the bot, e.g. --cpu-prof).
import { fork, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadStoreFile } from '../src/store/file-store.ts';
import { startFakeSlack } from '../tests/helpers/fake-slack.ts';
import { FORM, sendToBot, slashCommandBody, TEST_SIGNING_SECRET } from '../tests/helpers/slack-requests.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 40);
const GOALS = { ackP99Ms: 100, completeP95Ms: 1000 };

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** Resident memory of a process in MB, from /proc (Linux). */
function rssMb(pid: number, field: 'VmRSS' | 'VmHWM' = 'VmRSS'): number | null {
  try {
    const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Math.round(Number(m[1]) / 102.4) / 10 : null;
  } catch {
    return null;
  }
}

function childPids(pid: number): number[] {
  try {
    return fs
      .readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
}

const round = (n: number) => Math.round(n * 10) / 10;

async function main() {
  const fake = await startFakeSlack();
  fake.latencyMs = Number(process.env.BENCH_SLACK_LATENCY_MS ?? 0);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'measures-bench-slack-'));
  const storeFile = path.join(dir, 'store.json');
  const port = await freePort();
  const nodeArgs = process.env.BENCH_BOT_NODE_ARGS?.split(/\s+/).filter(Boolean) ?? [];
  const bot = spawn(process.execPath, [...nodeArgs, path.join(ROOT, 'bin', 'start.js')], {
    cwd: ROOT,
    env: { ...process.env, SLACK_BOT_TOKEN: 'xoxb-bench', SLACK_SIGNING_SECRET: TEST_SIGNING_SECRET, SLACK_APP_TOKEN: '', SLACK_API_URL: fake.apiUrl, LOG_LEVEL: 'info', PORT: String(port), MEASURES_STORE: storeFile },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let botLog = '';
  bot.stderr.on('data', (d: Buffer) => (botLog += d.toString()));
  const exited = new Promise<number | null>((resolve) => bot.on('exit', (code) => resolve(code)));
  const base = `http://127.0.0.1:${port}`;
  const url = `${base}/slack/events`;
  try {
    const startedAt = performance.now();
    for (;;) {
      // Healthy once the store is loaded; the bench also waits for the chart prewarm, as a
      // bot that has been running a while would have it.
      const health = await fetch(`${base}/healthz`).then((r) => (r.ok ? (r.json() as Promise<{ charts?: string }>) : null), () => null);
      if (health && health.charts !== 'warming') break;
      if (performance.now() - startedAt > 30_000 || bot.exitCode !== null) throw new Error(`the bot did not become healthy:\n${botLog}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const readyMs = performance.now() - startedAt;

    // Every priority and measure by its title, round-robin; each request in its own channel.
    const store = loadStoreFile(storeFile, () => undefined);
    const queries = store.priorities.flatMap((p) => [p.title, ...p.measures.map((m) => m.title)]);

    // One warm-up answer (JIT, chart workers, connections), in a channel of its own.
    await sendToBot(url, slashCommandBody({ text: 'robbery', channel_id: 'C0WARMUP', response_url: fake.responseUrl() }), FORM);
    await fake.waitFor((c) => c.method === 'chat.update' && c.params.channel === 'C0WARMUP' && JSON.stringify(c.params.blocks).includes('slack_file'), 30_000);

    const jobs = Array.from({ length: REQUESTS }, (_, i) => ({ channel: `C0BENCH${String(i).padStart(3, '0')}`, query: queries[i % queries.length]! }));
    const load = fork(path.join(ROOT, 'bench', 'slack-load.ts'), [`${base}/healthz`], { execArgv: ['--import', 'tsx'] });
    await new Promise<void>((resolve) => load.once('message', () => resolve()));
    const logMark = botLog.length;
    const loop = monitorEventLoopDelay({ resolution: 1 });
    loop.enable();
    const t0 = performance.now();
    const sent = new Promise<Array<{ sentAt: number; ackMs: number; status: number }>>((resolve) =>
      load.once('message', (m: { results: Array<{ sentAt: number; ackMs: number; status: number }> }) => resolve(m.results)),
    );
    load.send({ jobs: jobs.map((job) => ({ url, body: slashCommandBody({ text: job.query, channel_id: job.channel, response_url: fake.responseUrl() }) })) });
    const finished = await Promise.all(
      jobs.map((job) =>
        fake.waitFor(
          (c) => c.params.channel === job.channel && c.method === 'chat.update' && c.status === 200 && /slack_file|No chart available|could not be shared/.test(JSON.stringify(c.params.blocks)),
          30_000,
        ),
      ),
    );
    const acked = await sent;
    const results = jobs.map((_, i) => {
      const done = finished[i]!;
      const a = acked[i]!;
      return { status: a.status, ackMs: a.ackMs, completeMs: performance.timeOrigin + done.at - a.sentAt, withChart: JSON.stringify(done.params.blocks).includes('slack_file') };
    });
    const wallMs = performance.now() - t0;
    loop.disable();
    // The bot's own view: time from a request's arrival to its ack leaving (LOG_LEVEL=debug).
    const serverAcks = [...botLog.slice(logMark).matchAll(/acked in ([\d.]+) ms/g)].map((m) => Number(m[1]));
    const botRss = rssMb(bot.pid!);
    const botPeak = rssMb(bot.pid!, 'VmHWM');
    const workers = childPids(bot.pid!).map((pid) => rssMb(pid) ?? 0);

    const acks = results.map((r) => r.ackMs);
    const completes = results.map((r) => r.completeMs);
    const summary = {
      requests: REQUESTS,
      concurrent: REQUESTS,
      distinctQueries: new Set(jobs.map((j) => j.query)).size,
      slackLatencyMs: fake.latencyMs,
      cpus: os.availableParallelism(),
      status200: results.filter((r) => r.status === 200).length,
      chartsShown: results.filter((r) => r.withChart).length,
      ackMs: { p50: round(percentile(acks, 50)), p99: round(percentile(acks, 99)), max: round(Math.max(...acks)) },
      ackInBotMs: { n: serverAcks.length, p50: round(percentile(serverAcks, 50)), p99: round(percentile(serverAcks, 99)) },
      benchLoopDelayMaxMs: round(loop.max / 1e6),
      completeMs: { p50: round(percentile(completes, 50)), p95: round(percentile(completes, 95)), max: round(Math.max(...completes)) },
      wallMs: round(wallMs),
      readyMs: round(readyMs),
      rssMb: { bot: botRss, botPeak, chartWorkers: workers.length ? round(workers.reduce((a, b) => a + b, 0)) : null, workerCount: workers.length },
      webApiCalls: fake.calls.length,
      goals: {
        ackP99: percentile(acks, 99) <= GOALS.ackP99Ms ? 'met' : 'missed',
        completeP95: percentile(completes, 95) <= GOALS.completeP95Ms ? 'met' : 'missed',
      },
    };

    const stopAt = performance.now();
    bot.kill('SIGTERM');
    const code = await exited;
    (summary as Record<string, unknown>).sigtermExit = { code, ms: round(performance.now() - stopAt) };
    console.log(JSON.stringify(summary, null, 2));
  } finally {
    if (bot.exitCode === null) bot.kill('SIGKILL');
    await fake.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

await main();
