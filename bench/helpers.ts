// What the benches that start the bot share: the bot spawned as `npm start` would run it (its own
// process, this shell's environment, the fake Slack as its Web API), waiting on its /healthz, and
// the figures they print. Kept apart from tests/helpers/bot-process.ts on purpose: that one passes
// the bot a bare environment and waits with vitest's poll, and benches run outside vitest.
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { PACKAGE_ROOT } from '../src/paths.ts';
import type { FakeSlack } from '../tests/helpers/fake-slack.ts';
import { freePort } from '../tests/helpers/free-port.ts';
import { TEST_SIGNING_SECRET } from '../tests/helpers/slack-requests.ts';

const START_BIN = path.join(PACKAGE_ROOT, 'bin', 'start.js');

/** Questions an officer might ask, for benches that round-robin over a few measures. */
export const SAMPLE_QUERIES = [
  'robbery',
  'burglary',
  'homicide',
  'vehicle crime',
  'rape charge rate',
  'serious violence',
];

/** Nearest-rank percentile (NaN for no values), so p99 of 40 samples is an actual sample. */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

/** Resident memory of a process in MB, from /proc (Linux). */
export function rssMb(pid: number, field: 'VmRSS' | 'VmHWM' = 'VmRSS'): number | null {
  try {
    const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Math.round(Number(m[1]) / 102.4) / 10 : null;
  } catch {
    return null;
  }
}

export interface BenchBot {
  process: ChildProcess;
  /** http://127.0.0.1:PORT */
  base: string;
  /** Where signed Slack requests go. */
  url: string;
  /** performance.now() just before the spawn, for benches that time start-up. */
  spawnedAt: number;
  /** Its stderr (the log) so far; empty when the log goes to this process's stderr. */
  log(): string;
  /** Resolves with its exit code. */
  exited: Promise<number | null>;
  /** SIGTERM if it is still running, as on a deploy; resolves with its exit code. */
  stop(): Promise<number | null>;
  /** SIGKILL if it is still running (for `finally`, so a failed bench leaves no bot behind). */
  kill(): void;
}

export interface BenchBotOptions {
  fake: FakeSlack;
  store: string;
  /** More settings for the bot (LOG_LEVEL, ANALYSTS…). */
  env?: Record<string, string>;
  /** Node flags for the bot, e.g. --cpu-prof. */
  nodeArgs?: string[];
  /** 'inherit' shows the bot's log live instead of keeping it for log(). */
  stderr?: 'pipe' | 'inherit';
}

/** Spawns the built bot on a free port with this shell's environment and the fake Slack's URL. */
export async function spawnBenchBot({
  fake,
  store,
  env = {},
  nodeArgs = [],
  stderr = 'pipe',
}: BenchBotOptions): Promise<BenchBot> {
  const port = await freePort();
  const spawnedAt = performance.now();
  const bot = spawn(process.execPath, [...nodeArgs, START_BIN], {
    cwd: PACKAGE_ROOT,
    env: {
      ...process.env,
      SLACK_BOT_TOKEN: 'xoxb-bench',
      SLACK_SIGNING_SECRET: TEST_SIGNING_SECRET,
      SLACK_APP_TOKEN: '',
      SLACK_API_URL: fake.apiUrl,
      PORT: String(port),
      MEASURES_STORE: store,
      ...env,
    },
    stdio: ['ignore', 'ignore', stderr],
  });
  let log = '';
  bot.stderr?.on('data', (d: Buffer) => (log += d.toString()));
  const exited = new Promise<number | null>((resolve) => bot.once('exit', (code) => resolve(code)));
  const base = `http://127.0.0.1:${port}`;
  return {
    process: bot,
    base,
    url: `${base}/slack/events`,
    spawnedAt,
    log: () => log,
    exited,
    stop() {
      if (bot.exitCode === null) bot.kill('SIGTERM');
      return exited;
    },
    kill() {
      if (bot.exitCode === null) bot.kill('SIGKILL');
    },
  };
}

/** Charts prewarmed: what a bot that has been running a while would have. */
export async function chartsNotWarming(res: Response): Promise<boolean> {
  return res.ok && ((await res.json()) as { charts?: string }).charts !== 'warming';
}

/**
 * Polls /healthz every `intervalMs` until `ready` accepts its answer; throws with the bot's log
 * when the bot exits or `timeoutMs` passes first. A refused connection is "not yet".
 */
export async function waitForHealth(
  bot: BenchBot,
  ready: (res: Response) => boolean | Promise<boolean>,
  { timeoutMs, intervalMs }: { timeoutMs: number; intervalMs: number },
): Promise<void> {
  const startedAt = performance.now();
  for (;;) {
    if (await fetch(`${bot.base}/healthz`).then(ready, () => false)) return;
    if (performance.now() - startedAt > timeoutMs || bot.process.exitCode !== null)
      throw new Error(`the bot did not become healthy:\n${bot.log()}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
