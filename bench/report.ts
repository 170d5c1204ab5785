// npm run bench:report — the quarterly report PDF: (1) `measures report` end to end as the bot
// runs it (the real bin, a fresh process each time), (2) the build alone in a forked process,
// with its RSS growth, (3) /measures answers asked while the bot builds a report, against the
// same answers with no report building. Goals: the whole PDF ≤ 3 s, RSS growth ≤ 100 MB, and
// answers not slowed (p95 within 1.5× of the baseline, or 100 ms).
//
// Settings: BENCH_RUNS (3), BENCH_ANSWERS (10 per burst), BENCH_ANSWER_ROUNDS (5).
import { fork, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SEED_STORE_FILE } from '../src/store/index.ts';
import { type FakeSlack, startFakeSlack } from '../tests/helpers/fake-slack.ts';
import { freshBuild } from '../tests/helpers/fresh-build.ts';
import { FORM, sendToBot, slashCommandBody } from '../tests/helpers/slack-requests.ts';
import { chartsNotWarming, percentile, SAMPLE_QUERIES, spawnBenchBot, waitForHealth } from './helpers.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const ANSWERS = Number(process.env.BENCH_ANSWERS ?? 10);
/** Each round: a burst with no report building, then one while a report builds. */
const ANSWER_ROUNDS = Number(process.env.BENCH_ANSWER_ROUNDS ?? 5);
const GOALS = { pdfMs: 3000, growthMb: 100 };

const round = (n: number) => Math.round(n);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const p95 = (xs: number[]) => percentile(xs, 95);

function tempStore(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'measures-bench-report-'));
  const file = path.join(dir, 'store.json');
  fs.copyFileSync(SEED_STORE_FILE, file);
  return file;
}

function wholePdf(store: string): number[] {
  const out = path.join(path.dirname(store), 'report.pdf');
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    const r = spawnSync(
      process.execPath,
      [path.join(ROOT, 'bin', 'measures.js'), 'report', '--as-of', '2021-11-30', '--out', out, '--json'],
      { env: { ...process.env, MEASURES_STORE: store }, encoding: 'utf8', timeout: 120_000 },
    );
    if (r.status !== 0) throw new Error(`measures report failed: ${r.stderr}`);
    times.push(performance.now() - started);
  }
  return times;
}

function buildAlone(
  store: string,
): Promise<{ ms: number; cpuMs: number; growthMb: number; peakMb: number; pages: number; bytes: number }> {
  const child = fork(path.join(ROOT, 'bench', 'report-child.ts'), [store], { execArgv: ['--import', 'tsx'] });
  return new Promise((resolve, reject) => {
    child.once('message', (m) => resolve(m as never));
    child.once('exit', (code) => code !== 0 && reject(new Error(`report-child exited ${code}`)));
  });
}

async function startBot(fake: FakeSlack, store: string) {
  const bot = await spawnBenchBot({ fake, store, stderr: 'inherit' });
  await waitForHealth(bot, chartsNotWarming, { timeoutMs: 60_000, intervalMs: 50 });
  return bot;
}

let channelSeq = 0;
/** ANSWERS questions at once, each in its own channel: ms from the request to the answer's post. */
async function burst(fake: FakeSlack, url: string): Promise<number[]> {
  return Promise.all(
    Array.from({ length: ANSWERS }, async (_, i) => {
      const channel = `C0B${++channelSeq}`;
      const sent = performance.now();
      await sendToBot(
        url,
        slashCommandBody({
          text: SAMPLE_QUERIES[i % SAMPLE_QUERIES.length]!,
          channel_id: channel,
          response_url: fake.responseUrl(),
        }),
        FORM,
      );
      const post = await fake.waitFor((c) => c.method === 'chat.postMessage' && c.params.channel === channel, 30_000);
      return post.at - sent;
    }),
  );
}

async function answersWhileBuilding() {
  const fake = await startFakeSlack();
  const bot = await startBot(fake, tempStore());
  const { url } = bot;
  try {
    await burst(fake, url); // warm-up, unmeasured
    const idle: number[] = [];
    const busy: number[] = [];
    // Interleaved, a quiet burst then one during a build, so the machine's other load (it is
    // shared) weighs on both alike.
    for (let i = 0; i < ANSWER_ROUNDS; i++) {
      idle.push(...(await burst(fake, url)), ...(await burst(fake, url)));
      const channel = `C0REPORT${i}`;
      await sendToBot(
        url,
        slashCommandBody({ text: 'report', channel_id: channel, response_url: fake.responseUrl() }),
        FORM,
      );
      await fake.waitFor((c) => c.method === 'chat.postMessage' && c.params.channel === channel, 30_000);
      // Early in the build (charts rendering) and later (the PDF laid out), each with its own quiet burst.
      await new Promise((r) => setTimeout(r, 300));
      busy.push(...(await burst(fake, url)));
      await new Promise((r) => setTimeout(r, 1000));
      busy.push(...(await burst(fake, url)));
      await fake.waitFor(
        (c) => c.method === 'files.completeUploadExternal' && c.params.channel_id === channel,
        120_000,
      );
    }
    return { idle, busy };
  } finally {
    await bot.stop();
    await fake.stop();
  }
}

async function main() {
  freshBuild((m) => process.stderr.write(`${m}\n`));
  const store = tempStore();
  const times = wholePdf(store);
  const alone = await buildAlone(store);
  const { idle, busy } = await answersWhileBuilding();
  const result = {
    cores: os.availableParallelism(),
    // Other work on the machine stretches every wall time; the load says how much.
    loadAverage: os.loadavg().map((l) => Math.round(l * 10) / 10),
    wholePdfMs: { median: round(median(times)), runs: times.map(round), goal: GOALS.pdfMs },
    buildAlone: { ms: round(alone.ms), cpuMsOfThisProcess: round(alone.cpuMs), pages: alone.pages, bytes: alone.bytes },
    rssGrowthMb: { growth: round(alone.growthMb), peak: round(alone.peakMb), goal: GOALS.growthMb },
    answersMs: {
      idle: { p50: round(median(idle)), p95: round(p95(idle)) },
      whileReportBuilds: { p50: round(median(busy)), p95: round(p95(busy)) },
    },
  };
  console.log(JSON.stringify(result, null, 2));
  const slowed = p95(busy) > Math.max(1.5 * p95(idle), p95(idle) + 100);
  const ok = median(times) <= GOALS.pdfMs && alone.growthMb <= GOALS.growthMb && !slowed;
  console.log(ok ? 'bench:report: all goals met' : 'bench:report: a goal was missed (see above)');
  process.exitCode = ok ? 0 : 1;
}

await main();
