// npm run bench:start — start-up of the compiled build, against a bare `node -e 0` in the same
// run: `measures ask robbery`, `measures list`, and the bot's first answer with a chart, timed
// from spawn (the slash command goes as soon as /healthz answers) to the chat.update that
// shows the uploaded chart. Runs are interleaved, so the machine's load weighs on each alike;
// each figure is a median. Every process gets this shell's environment.
//
// Settings: BENCH_RUNS (9 for the CLI and bare node), BENCH_BOT_RUNS (5).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SEED_STORE_FILE } from '../src/store/paths.ts';
import { PACKAGE_ROOT } from '../src/paths.ts';
import { type RecordedCall, startFakeSlack } from '../tests/helpers/fake-slack.ts';
import { freshBuild } from '../tests/helpers/fresh-build.ts';
import { FORM, sendToBot, slashCommandBody } from '../tests/helpers/slack-requests.ts';
import { spawnBenchBot, waitForHealth } from './helpers.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 9);
const BOT_RUNS = Number(process.env.BENCH_BOT_RUNS ?? 5);
const GOALS = { askTimesBareNode: 3, firstChartMs: 900 };
const MEASURES_BIN = path.join(PACKAGE_ROOT, 'bin', 'measures.js');

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
const round = (n: number) => Math.round(n);

/** Wall time of one process from spawn to exit; throws when it fails, so a broken build is not timed. */
function timeRun(args: string[], env: NodeJS.ProcessEnv): number {
  const started = performance.now();
  const r = spawnSync(process.execPath, args, { env, encoding: 'utf8', timeout: 30_000 });
  const ms = performance.now() - started;
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return ms;
}

interface BotRun {
  healthyMs: number;
  ackMs: number;
  firstChartMs: number;
}

/** Spawns the bot as `npm start` does and times its first answer with a chart. */
async function timeFirstChart(storeFile: string, channel: string): Promise<BotRun> {
  const fake = await startFakeSlack();
  const bot = await spawnBenchBot({ fake, store: storeFile, env: { LOG_LEVEL: 'warn' } });
  const started = bot.spawnedAt;
  try {
    // Polled every 5 ms: the poll's own delay is part of what is measured.
    await waitForHealth(bot, (r) => r.status === 200, { timeoutMs: 30_000, intervalMs: 5 });
    const healthyMs = performance.now() - started;
    const shownIn = (c: RecordedCall) => c.method === 'chat.update' && c.params.channel === channel;
    const withChart = (c: RecordedCall) => shownIn(c) && JSON.stringify(c.params.blocks).includes('slack_file');
    const shown = fake.waitFor(withChart, 30_000);
    const command = slashCommandBody({ text: 'robbery', channel_id: channel, response_url: fake.responseUrl() });
    const reply = await sendToBot(bot.url, command, FORM);
    if (reply.status !== 200) throw new Error(`the slash command got HTTP ${reply.status}:\n${bot.log()}`);
    const ackMs = performance.now() - started;
    await shown;
    return { healthyMs, ackMs, firstChartMs: performance.now() - started };
  } finally {
    await bot.stop();
    await fake.stop();
  }
}

async function main() {
  freshBuild((m) => process.stderr.write(`${m}\n`));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'measures-bench-start-'));
  try {
    // An existing store, as after the first run: creating it is a one-off.
    const storeFile = path.join(dir, 'store.json');
    fs.copyFileSync(SEED_STORE_FILE, storeFile);
    // This shell's environment for every process, bare node included: what it sets (NODE_OPTIONS,
    // NODE_EXTRA_CA_CERTS, which alone adds ~50 ms here) weighs on both sides of the ratio.
    const env = { ...process.env, MEASURES_STORE: storeFile };
    const times = { bare: [] as number[], ask: [] as number[], list: [] as number[] };
    // One unmeasured round: the first process to read dist/ and node_modules pays for the disk cache.
    timeRun([MEASURES_BIN, 'ask', 'robbery'], env);
    for (let i = 0; i < RUNS; i++) {
      times.bare.push(timeRun(['-e', '0'], env));
      times.ask.push(timeRun([MEASURES_BIN, 'ask', 'robbery'], env));
      times.list.push(timeRun([MEASURES_BIN, 'list'], env));
    }
    const bot: BotRun[] = [];
    const bareBeside: number[] = [];
    for (let i = 0; i < BOT_RUNS; i++) {
      bareBeside.push(timeRun(['-e', '0'], env));
      bot.push(await timeFirstChart(storeFile, `C0START${i}`));
    }
    const bare = median(times.bare);
    const ask = median(times.ask);
    const firstChart = median(bot.map((b) => b.firstChartMs));
    console.log(
      JSON.stringify(
        {
          node: process.version,
          cpus: os.availableParallelism(),
          loadAverage: os.loadavg().map((l) => Math.round(l * 100) / 100),
          runs: { cli: RUNS, bot: BOT_RUNS },
          medianMs: {
            bareNode: round(bare),
            ask: round(ask),
            list: round(median(times.list)),
            bareNodeBesideBot: round(median(bareBeside)),
            botHealthy: round(median(bot.map((b) => b.healthyMs))),
            botAcked: round(median(bot.map((b) => b.ackMs))),
            botFirstChart: round(firstChart),
          },
          askTimesBareNode: Math.round((ask / bare) * 100) / 100,
          goals: {
            ask: `${ask <= GOALS.askTimesBareNode * bare ? 'met' : 'missed'} (≤ ${GOALS.askTimesBareNode}× bare node)`,
            firstChart: `${firstChart <= GOALS.firstChartMs ? 'met' : 'missed'} (≤ ${GOALS.firstChartMs} ms)`,
          },
        },
        null,
        2,
      ),
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

await main();
